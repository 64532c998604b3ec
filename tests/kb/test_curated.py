"""The curated domain file: provenance of every QID and coverage of the sample articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.kb import KnowledgeBase
from pipelines.kb.curate import curated_rows
from pipelines.kb.index import DEFAULT_CURATED


def _curated() -> list[dict[str, object]]:
    return [json.loads(line) for line in DEFAULT_CURATED.read_text(encoding="utf-8").splitlines()]


def test_every_curated_row_has_a_source_and_an_accepted_confidence() -> None:
    rows = _curated()
    assert len({r["qid"] for r in rows}) == len(rows) > 25
    for row in rows:
        assert row["source"] and row["confidence"] in ("high", "medium"), row["qid"]
        assert row["type"] in ("PER", "LOC", "ORG", "GPE"), row["qid"]


@pytest.mark.needs_shared("kb/entities.jsonl")
def test_curated_file_is_exactly_what_the_curation_produces(shared_dir: Path) -> None:
    """Regenerating from ../shared/kb gives the shipped file: no QID was added by hand."""
    assert curated_rows(shared_dir / "kb" / "entities.jsonl") == _curated()


@pytest.mark.needs_shared("gold/entities")
def test_default_index_covers_at_least_25_gold_entities(
    shared_dir: Path, default_index: tuple[Path, dict[str, object]]
) -> None:
    gold_qids = set()
    for path in (shared_dir / "gold" / "entities").glob("*.json"):
        gold_qids |= {m["qid"] for m in json.loads(path.read_text())["mentions"] if m["qid"]}
    kb = KnowledgeBase(default_index[0])
    covered = {qid for qid in gold_qids if kb.get(qid) is not None}
    assert covered == gold_qids and len(covered) >= 25
