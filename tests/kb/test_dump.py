"""`newsgraph kb build --wikidata-dump`: a dump in the real line format, built from recorded entities."""

from __future__ import annotations

import copy
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pipelines.cli import main
from pipelines.kb import KnowledgeBase, build_index
from pipelines.kb.dump import DumpError, DumpOptions, ingest_dump
from pipelines.kb.dump_classes import load_classes
from pipelines.kb.sources import iter_jsonl_entities

ROOT = Path(__file__).resolve().parents[2]


def recorded_entities(shared_dir: Path) -> list[dict[str, Any]]:
    """Bielefeld (a city), Putin (a person), Moscow (labels only: no P31), an item without labels."""
    api = shared_dir / "wikidata-api"
    bielefeld = json.loads((api / "wikibase-sdk__Q2112.json").read_text())
    putin = json.loads((api / "nomenklatura__wbgetentities_Q7747_full.json").read_text())["entities"]["Q7747"]
    moscow = json.loads((api / "nomenklatura__wbgetentities_Q649_labels.json").read_text())["entities"]["Q649"]
    empty = next(iter(json.loads((api / "wikibase-sdk__wbgetentities_response.json").read_text())["entities"].values()))
    return [bielefeld, putin, moscow, empty]


def write_dump(path: Path, entities: list[dict[str, Any]]) -> Path:
    """The dump's line format: "[", one entity per line with a trailing comma (not the last), "]"."""
    body = "[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n]\n"
    if path.suffix in (".gz", ".bz2"):
        import bz2

        with (gzip if path.suffix == ".gz" else bz2).open(path, "wt", encoding="utf-8") as handle:
            handle.write(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def copies(entity: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """The recorded entity under synthetic ids (Q900000001 …): many lines of a real shape."""
    result = []
    for n in range(count):
        item = copy.deepcopy(entity)
        item["id"] = f"Q{900_000_001 + n}"
        result.append(item)
    return result


def options(**values: Any) -> DumpOptions:
    return DumpOptions(**{"workers": 2, "progress": False, "chunk_bytes": 64 * 1024, **values})


@pytest.mark.needs_shared("wikidata-api")
def test_recorded_entities_are_kept_by_class_and_indexed(shared_dir: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "latest-all.json.gz", recorded_entities(shared_dir))
    report = ingest_dump(dump, tmp_path / "rows.jsonl", options())
    assert report["entities_read"] == 4 and report["kept"] == 2 and report["bad_lines"] == 0
    assert report["kept_by_type"] == {"LOC": 1, "PER": 1}
    assert report["kept_by_group"] == {"person": 1, "place": 1}
    assert report["output_bytes"] == (tmp_path / "rows.jsonl").stat().st_size > 0
    rows = {r["qid"]: r for r in map(json.loads, (tmp_path / "rows.jsonl").read_text().splitlines())}
    assert set(rows) == {"Q2112", "Q7747"}
    bielefeld, putin = recorded_entities(shared_dir)[:2]
    city = rows["Q2112"]
    assert city["label_de"] == bielefeld["labels"]["de"]["value"] and city["type"] == "LOC"
    assert city["aliases_de"] == [a["value"] for a in bielefeld["aliases"]["de"]]
    assert city["popularity"] == {"sitelinks": len(bielefeld["sitelinks"])}
    assert city["licence"] == "CC0 (Wikidata)" and city["source"] == "wikidata-dump:latest-all.json.gz"
    assert rows["Q7747"]["instance_of"] == ["Q5"] and rows["Q7747"]["label_en"] == putin["labels"]["en"]["value"]
    assert not (tmp_path / "rows.jsonl.checkpoint.json").exists()

    entries = list(iter_jsonl_entities(tmp_path / "rows.jsonl"))  # the row format sources.py reads
    assert [e.qid for e in entries] == ["Q2112", "Q7747"]
    stats = build_index(tmp_path / "index.sqlite", extra_sources=[tmp_path / "rows.jsonl"], include_defaults=False)
    assert stats["entities"] == 2
    kb = KnowledgeBase(tmp_path / "index.sqlite")
    assert [m.qid for m in kb.lookup("Leineweberstadt")] == ["Q2112"]
    person = kb.record("Q7747")
    assert person is not None and person.type == "PER" and person.prior > 0.05


@pytest.mark.needs_shared("wikidata-api")
def test_output_is_the_same_for_any_worker_count_chunking_and_compression(shared_dir: Path, tmp_path: Path) -> None:
    bielefeld, putin = recorded_entities(shared_dir)[:2]
    dump = write_dump(tmp_path / "dump.json", copies(bielefeld, 6) + copies(putin, 3))
    one = ingest_dump(dump, tmp_path / "one.jsonl", options(workers=1, chunk_bytes=1 << 20))
    two = ingest_dump(dump, tmp_path / "two.jsonl", options(workers=2, chunk_bytes=32 * 1024))
    packed = ingest_dump(dump, tmp_path / "packed.jsonl.gz", options(workers=2, chunk_bytes=32 * 1024))
    assert one["chunks"] < two["chunks"] and one["kept"] == two["kept"] == 9
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert gzip.decompress((tmp_path / "packed.jsonl.gz").read_bytes()) == (tmp_path / "one.jsonl").read_bytes()
    assert packed["output_bytes"] < two["output_bytes"]


@pytest.mark.needs_shared("wikidata-api")
def test_a_bad_line_is_reported_with_file_and_line(shared_dir: Path, tmp_path: Path) -> None:
    bielefeld = recorded_entities(shared_dir)[0]
    dump = tmp_path / "broken.json"
    lines = ["[", json.dumps(bielefeld) + ",", '{"id": "Q2112", "labels": {', json.dumps(bielefeld), "]"]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DumpError, match=r"broken.json:3: not a Wikidata dump entity line"):
        ingest_dump(dump, tmp_path / "rows.jsonl", options())
    report = ingest_dump(dump, tmp_path / "rows.jsonl", options(skip_bad_lines=True))
    assert report["bad_lines"] == 1 and report["bad_line_examples"][0].startswith(f"{dump}:3: ")
    assert report["kept"] == 2
    (tmp_path / "noid.json").write_text('[\n{"type": "item"}\n]\n', encoding="utf-8")
    with pytest.raises(DumpError, match=r"noid.json:2: a dump entity needs an 'id'"):
        ingest_dump(tmp_path / "noid.json", tmp_path / "rows.jsonl", options())


class Crash(Exception):
    pass


@pytest.mark.needs_shared("wikidata-api")
def test_an_interrupted_run_resumes_where_its_checkpoint_is(shared_dir: Path, tmp_path: Path) -> None:
    bielefeld, putin = recorded_entities(shared_dir)[:2]
    dump = write_dump(tmp_path / "dump.json.gz", copies(bielefeld, 8) + copies(putin, 4))
    whole = ingest_dump(dump, tmp_path / "whole.jsonl", options(chunk_bytes=32 * 1024))

    def crash_after_three(written: int) -> None:
        if written == 3:
            raise Crash

    out = tmp_path / "rows.jsonl"
    with pytest.raises(Crash):
        ingest_dump(dump, out, options(chunk_bytes=32 * 1024, checkpoint_every_s=0.0), on_chunk=crash_after_three)
    checkpoint = json.loads((tmp_path / "rows.jsonl.checkpoint.json").read_text())
    assert checkpoint["next_chunk"] == 3 and not out.exists()
    with (tmp_path / "rows.jsonl.partial").open("ab") as handle:
        handle.write(b'{"qid": "Q1", "half a row')  # bytes after the checkpoint are cut off on resume
    resumed = ingest_dump(dump, out, options(chunk_bytes=32 * 1024, resume=True))
    assert resumed["resumed_at_chunk"] == 3
    assert resumed["entities_read"] == whole["entities_read"] and resumed["kept"] == whole["kept"]
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()


def _processes_naming(path: Path, within_s: float) -> list[int]:
    """PIDs whose command line names ``path`` (forked workers keep their parent's), once none is left
    or ``within_s`` has passed."""
    deadline = time.monotonic() + within_s
    while True:
        pids = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and str(path).encode() in (proc / "cmdline").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                continue
        if not pids or time.monotonic() > deadline:
            return pids
        time.sleep(0.2)


@pytest.mark.needs_shared("wikidata-api")
def test_a_killed_process_resumes(shared_dir: Path, tmp_path: Path) -> None:
    """SIGKILL mid-run (no cleanup at all): the next run with resume finishes the same output."""
    bielefeld, putin = recorded_entities(shared_dir)[:2]
    dump = write_dump(tmp_path / "dump.json", copies(bielefeld, 10) + copies(putin, 4))
    whole = ingest_dump(dump, tmp_path / "whole.jsonl", options(chunk_bytes=32 * 1024))
    out = tmp_path / "rows.jsonl"
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from pipelines.kb.dump import DumpOptions, ingest_dump\n"
        "def kill(written):\n"
        "    if written == 4:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "ingest_dump(Path(sys.argv[1]), Path(sys.argv[2]), DumpOptions(workers=2, progress=False,"
        " chunk_bytes=32 * 1024, checkpoint_every_s=0.0), on_chunk=kill)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", script, str(dump), str(out)], env=env, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert _processes_naming(out, within_s=10.0) == [], "the killed run's workers outlived it"
    assert (tmp_path / "rows.jsonl.partial").exists() and not out.exists()
    resumed = ingest_dump(dump, out, options(chunk_bytes=32 * 1024, resume=True))
    assert resumed["resumed_at_chunk"] == 4
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes() and resumed["kept"] == whole["kept"]


@pytest.mark.needs_shared("wikidata-api")
def test_resume_refuses_a_checkpoint_of_another_input(shared_dir: Path, tmp_path: Path) -> None:
    bielefeld = recorded_entities(shared_dir)[0]
    dump = write_dump(tmp_path / "dump.json", copies(bielefeld, 4))

    def stop(written: int) -> None:
        raise Crash

    with pytest.raises(Crash):
        ingest_dump(dump, tmp_path / "rows.jsonl", options(chunk_bytes=32 * 1024), on_chunk=stop)
    write_dump(dump, copies(bielefeld, 5))
    with pytest.raises(DumpError, match=r"checkpoint of another run \(input_mtime_ns, input_size"):
        ingest_dump(dump, tmp_path / "rows.jsonl", options(chunk_bytes=32 * 1024, resume=True))


@pytest.mark.needs_shared("wikidata-api")
def test_kb_build_with_a_dump_feeds_the_index(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = write_dump(tmp_path / "latest-all.json.bz2", recorded_entities(shared_dir))
    home = tmp_path / "home"
    monkeypatch.setenv("NEWSGRAPH_HOME", str(home))
    monkeypatch.delenv("NEWSGRAPH_KB_INDEX", raising=False)  # builds its own index, not the session's
    monkeypatch.delenv("NEWSGRAPH_KB_SOURCES", raising=False)
    assert main(["kb", "build", "--wikidata-dump", str(dump), "--workers", "2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)["result"]
    assert report["dump"]["kept"] == 2 and report["index"]["sources"]["file:wikidata-dump.jsonl"] == 2
    kb = KnowledgeBase(home / "kb" / "index.sqlite")
    assert [m.qid for m in kb.lookup("Leineweberstadt")] == ["Q2112"] and kb.get("Q183") is not None
    assert main(["kb", "build"]) == 0  # a later plain build keeps the ingested rows
    assert KnowledgeBase(home / "kb" / "index.sqlite").get("Q2112") is not None


def test_the_class_list_covers_the_recorded_classes_and_names_a_source_for_each() -> None:
    classes = load_classes()
    mapping = classes.mapping()
    assert mapping["Q5"] == ("PER", "person")
    assert {c.group for c in classes.classes} == {"person", "organisation", "place", "event", "work", "product"}
    assert all(c.source and c.meaning for c in classes.classes)
    from pipelines.kb.wikidata_json import CLASS_TYPES

    assert all(qid in mapping for qid in CLASS_TYPES)  # every class the live client types is kept


def test_a_malformed_class_list_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "classes.yaml"
    bad.write_text("classes:\n  - {qid: Q5, type: PER, group: person, meaning: human}\n", encoding="utf-8")
    from pipelines.kb.errors import KBSourceError

    with pytest.raises(KBSourceError, match=r"class 1 \(Q5\): every class needs a meaning and the source"):
        load_classes(bad)
