"""The kb section of the benchmark on a tiny scale: the synthetic dump, and merging into results.json."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsgraph_tools.bench.kb import kb_bench_command, write_synthetic_dump
from pipelines.kb.dump import DumpOptions, ingest_dump
from pipelines.settings import Settings

pytestmark = pytest.mark.needs_shared("wikidata-api", "kb/entities.jsonl", "gold/entities", "gold/cleanup")


def test_the_synthetic_dump_has_the_real_line_format(shared_dir: Path, tmp_path: Path) -> None:
    info = write_synthetic_dump(tmp_path / "dump.json.gz", 300, shared_dir)
    lines = gzip.decompress((tmp_path / "dump.json.gz").read_bytes()).decode().splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 302
    assert all(line.endswith(",") for line in lines[1:-2]) and not lines[-2].endswith(",")
    ids = [json.loads(line.rstrip(","))["id"] for line in lines[1:-1]]
    assert len(set(ids)) == 300 and sum(info["mix"].values()) == 300
    report = ingest_dump(tmp_path / "dump.json.gz", tmp_path / "rows.jsonl", DumpOptions(workers=1, progress=False))
    assert report["kept"] == info["mix"]["person"] + info["mix"]["place"]


def test_the_kb_section_is_merged_into_the_results(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    out.write_text(json.dumps({"sizes": {}, "sparql": {"kept": True}}), encoding="utf-8")
    settings = Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path / "home"), "NEWSGRAPH_SHARED": str(shared_dir)})
    section = kb_bench_command(settings, out, None, lines=400)
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["sparql"] == {"kept": True} and results["kb_dump"]["ingest"] == section["ingest"]
    assert section["ingest"]["entities_read"] == 400
    assert section["index_with_dump"]["entities"] > section["index_default"]["entities"]
    assert section["linking_with_dump"]["mentions"] == section["linking_default"]["mentions"] > 0
