"""Linking in auto/online mode against the local server with recorded Wikidata responses."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph_tools.evaluate.linking import gold_mentions, load_gold, read_resolved_nils, score_linking
from pipelines.domain import Mention
from pipelines.kb import KnowledgeBase, build_index
from pipelines.linking import Linker
from pipelines.wikidata import WikidataClient
from tests.wikidata.recorded_server import RecordedWikidata

pytestmark = pytest.mark.needs_shared("wikidata-api", "gold/entities", "gold/cleanup")

USER_AGENT = "newsgraph-tests/0.1 (https://github.com/newsgraph/newsgraph; tests@newsgraph.invalid)"


def client_for(server: RecordedWikidata, tmp_path: Path, prefix: str = "w") -> WikidataClient:
    return WikidataClient(
        USER_AGENT,
        api_url=f"{server.base}/{prefix}/api.php",
        cache_path=tmp_path / "cache.sqlite",
        timeout=5.0,
        max_retries=1,
        backoff=0.01,
    )


@pytest.fixture
def empty_kb(tmp_path: Path) -> KnowledgeBase:
    build_index(tmp_path / "empty.sqlite", include_defaults=False)
    return KnowledgeBase(tmp_path / "empty.sqlite")


def test_auto_mode_asks_wikidata_where_the_index_knows_nothing(
    empty_kb: KnowledgeBase, wikidata_server: RecordedWikidata, tmp_path: Path
) -> None:
    linker = Linker(empty_kb, client_for(wikidata_server, tmp_path), mode="auto")
    text = "Vladimir Putin empfing Gäste in Moscow."
    ner = [Mention(0, 14, "Vladimir Putin", "PER"), Mention(32, 38, "Moscow", "LOC")]
    linked = linker.link(text, ner)
    assert [m.qid for m in linked] == ["Q7747", None]
    assert linked[0].entity_name == "Vladimir Putin"  # P31 human and sitelinks in the recorded answer
    # The recorded Q649 answer has labels only (no P31, no sitelinks): considered, but too uncertain.
    assert [c.qid for c in linked[1].candidates] == ["Q649"]
    info = linker.entity_info("Q7747")
    assert info is not None and info.type == "PER" and info.label_en == "Vladimir Putin"
    asked = wikidata_server.count()
    linker.link(text, ner)  # the same article again: answered from the cache and the run's memory
    assert wikidata_server.count() == asked


def test_auto_mode_links_the_samples_like_offline(
    default_kb: KnowledgeBase, wikidata_server: RecordedWikidata, tmp_path: Path, shared_dir: Path
) -> None:
    articles = load_gold(shared_dir / "gold" / "entities", shared_dir / "gold" / "cleanup")
    offline, auto = Linker(default_kb), Linker(default_kb, client_for(wikidata_server, tmp_path), mode="auto")
    for article in articles:
        mentions = gold_mentions(article)
        assert auto.link(article.text, mentions) == offline.link(article.text, mentions), article.name
    assert wikidata_server.count("wbsearchentities") > 0  # NIL candidates were looked up online
    assert auto.online_failures == 0


def test_a_failing_wikidata_leaves_the_index_decision(
    default_kb: KnowledgeBase, wikidata_server: RecordedWikidata, tmp_path: Path, shared_dir: Path
) -> None:
    linker = Linker(default_kb, client_for(wikidata_server, tmp_path, "broken"), mode="online")
    gold = shared_dir / "gold"
    report = score_linking(
        linker, gold_dir=gold / "entities", cleanup_dir=gold / "cleanup", resolved=read_resolved_nils()
    )
    assert report.linking_accuracy >= 0.95 and report.nil_accuracy >= 0.9
    assert linker.online_failures > 0


def test_disambiguation_pages_among_search_hits_are_not_candidates(
    empty_kb: KnowledgeBase, wikidata_server: RecordedWikidata, tmp_path: Path
) -> None:
    linker = Linker(empty_kb, client_for(wikidata_server, tmp_path), mode="online")
    text = "Attila the Hun zog weiter."
    linked = linker.link(text, [Mention(0, 14, "Attila the Hun", "PER")])
    fetched = [r["params"]["ids"] for r in wikidata_server.requests if r["params"].get("action") == "wbgetentities"]
    # The recorded hits: Q36724 (King of the Hunnic Empire) and Q17987270 ("Wikimedia disambiguation page").
    assert fetched and all("Q17987270" not in ids for ids in fetched)
    assert linked[0].qid is None  # the king has no recorded entity on the server, so nothing to link
