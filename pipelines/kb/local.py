"""KB row files fetched onto this machine (dump rows, SPARQL extracts) that every index build takes.

They live under NEWSGRAPH_HOME/kb/; the rows are uncompressed JSONL because build_index reads any
``.gz`` source as a Wikidata dump.
"""

from __future__ import annotations

from pathlib import Path

ROW_SUFFIX = ".jsonl"
DUMP_ROWS = "wikidata-dump" + ROW_SUFFIX


def dump_rows_path(kb_dir: Path) -> Path:
    return kb_dir / "dump" / DUMP_ROWS


def extracts_dir(kb_dir: Path) -> Path:
    return kb_dir / "extracts"


def local_sources(kb_dir: Path) -> list[Path]:
    """The dump rows (if ingested) and every extract (if fetched), in a fixed order."""
    found = [dump_rows_path(kb_dir)] if dump_rows_path(kb_dir).is_file() else []
    directory = extracts_dir(kb_dir)
    if directory.is_dir():
        found += sorted(p for p in directory.iterdir() if p.name.endswith(ROW_SUFFIX) and p.is_file())
    return found
