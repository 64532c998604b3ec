"""`newsgraph kb update`: the shipped extracts, paging, retries, the disk cache, and the merged index."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.kb import KnowledgeBase
from pipelines.kb.errors import KBSourceError
from pipelines.kb.extracts import extract_client, load_extracts, parse_extract, update_extracts
from pipelines.settings import Settings
from tests.kb.sparql_server import RecordedQueryService, extract_bindings

USER_AGENT = "newsgraph-tests/0.1 (https://github.com/newsgraph/newsgraph; tests@newsgraph.invalid)"


@pytest.fixture
def query_service(shared_dir: Path) -> Iterator[RecordedQueryService]:
    server = RecordedQueryService(shared_dir).start()
    try:
        yield server
    finally:
        server.stop()


def _settings(home: Path, server: RecordedQueryService, path: str = "/sparql") -> Settings:
    return Settings.from_env(
        {
            "NEWSGRAPH_HOME": str(home),
            "NEWSGRAPH_WIKIDATA_SPARQL": server.base + path,
            "NEWSGRAPH_USER_AGENT": USER_AGENT,
        }
    )


def test_every_shipped_extract_has_a_header_and_pages_cleanly() -> None:
    extracts = load_extracts()
    assert len(extracts) >= 9
    for extract in extracts.values():
        assert extract.title and extract.page_size > 0
        assert re.search(r"ORDER BY \?item\s*$", extract.query), extract.name
        assert "wdt:P31/wdt:P279*" in extract.query or "P39" in extract.query or "P361" in extract.query


def test_an_extract_without_header_or_with_its_own_limit_is_refused(tmp_path: Path) -> None:
    bare = tmp_path / "bare.rq"
    bare.write_text("SELECT ?item WHERE { ?item ?p ?o } ORDER BY ?item\n", encoding="utf-8")
    with pytest.raises(KBSourceError, match=r"bare.rq: header comment needs '# title"):
        parse_extract(bare)
    limited = tmp_path / "limited.rq"
    limited.write_text("# title: t\n# type: ORG\n# page-size: 10\nSELECT ?item WHERE {} ORDER BY ?item LIMIT 5\n")
    with pytest.raises(KBSourceError, match="no LIMIT/OFFSET"):
        parse_extract(limited)


@pytest.mark.needs_shared("wikidata-api")
def test_update_pages_retries_and_writes_kb_rows(tmp_path: Path, query_service: RecordedQueryService) -> None:
    settings = _settings(tmp_path / "home", query_service, "/flaky/sparql")
    waits: list[float] = []
    client = extract_client(settings, max_age_s=None)
    client._sleep = waits.append
    client.backoff = 0.01
    extract = load_extracts()["german_parties"]
    report = update_extracts(settings, [extract], page_size=20, client=client)[extract.name]

    recorded = extract_bindings(query_service.shared_dir)
    assert report["rows"] == len(recorded) and report["pages"] == -(-len(recorded) // 20)
    assert waits[0] == 1.0 and len(waits) == 2  # Retry-After of the 429 honoured, then backoff after the 500
    pages = [r["params"]["query"] for r in query_service.requests]
    assert [re.search(r"LIMIT \d+ OFFSET \d+$", q).group(0) for q in pages[2:]] == [  # type: ignore[union-attr]
        f"LIMIT 20 OFFSET {20 * n}" for n in range(report["pages"])
    ]
    assert {r["user_agent"] for r in query_service.requests} == {USER_AGENT}

    rows = [json.loads(line) for line in Path(report["path"]).read_text(encoding="utf-8").splitlines()]
    qids = {b["item"]["value"].rsplit("/", 1)[1] for b in recorded}
    assert [r["qid"] for r in rows] == sorted(qids, key=lambda q: int(q[1:])) and report["items"] == len(qids)
    by_qid = {r["qid"]: r for r in rows}
    for binding in recorded:
        row = by_qid[binding["item"]["value"].rsplit("/", 1)[1]]
        assert row["type"] == "ORG" and row["licence"] == "CC0 (Wikidata)"
        assert row["source"] == "wikidata-sparql:german_parties.rq"
        if "label_en" in binding:
            assert row["label_en"] == binding["label_en"]["value"] or row["qid"] in _repeated(recorded)
        if "label_de" in binding:
            assert row["label_de"] is not None
        for alias in binding.get("aliases_en", {}).get("value", "").split("|"):
            assert not alias or alias in row["aliases_en"]


def _repeated(bindings: list[dict[str, dict[str, str]]]) -> set[str]:
    qids = [b["item"]["value"].rsplit("/", 1)[1] for b in bindings]
    return {q for q in qids if qids.count(q) > 1}


@pytest.mark.needs_shared("wikidata-api")
def test_a_second_run_is_answered_from_the_disk_cache(tmp_path: Path, query_service: RecordedQueryService) -> None:
    settings = _settings(tmp_path / "home", query_service)
    extract = load_extracts()["dax_companies"]
    first = update_extracts(settings, [extract], page_size=20)[extract.name]
    asked = len(query_service.requests)
    assert first["requests"] == asked == first["pages"] and first["cache_hits"] == 0
    again = update_extracts(settings, [extract], page_size=20)[extract.name]
    assert len(query_service.requests) == asked  # nothing asked of the endpoint
    assert again["requests"] == 0 and again["cache_hits"] == first["pages"] and again["items"] == first["items"]
    assert (settings.cache_dir / "kb-extracts.sqlite").is_file()


@pytest.mark.needs_shared("wikidata-api")
def test_kb_update_merges_the_extract_into_the_index(
    tmp_path: Path, query_service: RecordedQueryService, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("NEWSGRAPH_HOME", str(home))
    monkeypatch.delenv("NEWSGRAPH_KB_INDEX", raising=False)  # builds its own index, not the session's
    monkeypatch.setenv("NEWSGRAPH_WIKIDATA_SPARQL", query_service.base + "/sparql")
    monkeypatch.setenv("NEWSGRAPH_USER_AGENT", USER_AGENT)
    monkeypatch.delenv("NEWSGRAPH_KB_SOURCES", raising=False)
    assert main(["kb", "update", "bundesliga_clubs", "--page-size", "20"]) == 0
    kb = KnowledgeBase(home / "kb" / "index.sqlite")
    recorded = query_service.bindings[0]
    qid = recorded["item"]["value"].rsplit("/", 1)[1]
    record = kb.record(qid)
    assert record is not None and record.type == "ORG" and "wikidata-sparql:bundesliga_clubs.rq" in record.sources
    assert qid in [m.qid for m in kb.lookup(recorded["label_en"]["value"])]
    assert kb.get("Q183") is not None  # the default sources are still there
