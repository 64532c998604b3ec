"""Turns a stage's report into metadata people read in the Dagster UI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg

from pipelines.nightly import StageReport


def markdown_table(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "_(none)_"
    columns = list(rows[0])
    escape = lambda value: str(value).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(escape(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def report_metadata(report: StageReport) -> dict[str, Any]:
    metadata: dict[str, Any] = {key: dg.MetadataValue.int(value) for key, value in report.counts.items()}
    metadata["preview"] = dg.MetadataValue.md(markdown_table(report.preview))
    if report.failures:
        metadata["failures"] = dg.MetadataValue.md(markdown_table([f.to_dict() for f in report.failures[:20]]))
    for key, value in report.details.items():
        metadata[key] = dg.MetadataValue.json(value)
    return metadata
