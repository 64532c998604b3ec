"""The named queries in ontology/queries/ run on a store holding the seed articles and give sensible rows.

Expected values are computed from the input records (gold cleanup and gold mentions), not written down.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from pipelines.domain import CleanDocument, RawDocument
from pipelines.graph import build_article_graph, build_run_graph
from pipelines.namespaces import Namespaces
from pipelines.store import EmbeddedStore, UnknownQueryError, load_query, named_queries
from pipelines.store.queries import fill_values
from pipelines.store.tallies import refresh_all_tallies
from tests.graph.samples import (
    SEED_DATA,
    golden_input,
    golden_run_days_ago,
    merge,
    sample_run,
    seed_dataset,
    seed_records,
)
from tests.support.store import select

NS = Namespaces()
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """Seeds processed by a run that started an hour ago; the golden article by a run 30 days ago."""
    now = datetime.now(UTC).replace(microsecond=0)
    recent = sample_run(now.date().isoformat(), (now - timedelta(hours=1)).isoformat())
    old = golden_run_days_ago(30)
    data = golden_input()
    golden = build_article_graph(data["raw"], data["clean"], data["mentions"], data["entities"], old, NS)
    store = EmbeddedStore(tmp_path_factory.mktemp("queries") / "store")
    store.publish(merge(seed_dataset(shared_dir, run=recent), golden, build_run_graph(old, NS)))
    refresh_all_tallies(store, NS)  # what publication does for the runs it touches
    return store


def _rows(store: EmbeddedStore, name: str, **bindings: str) -> list[dict[str, Any]]:
    return select(store, load_query(name).sparql, {k: URIRef(v) for k, v in bindings.items()}).python()


def test_every_query_starts_with_a_comment_saying_what_it_answers() -> None:
    queries = named_queries()
    assert set(queries) == {
        "articles-per-outlet-per-day",
        "entities-most-mentioned-this-week",
        "articles-mentioning-two-entities",
        "mentions-without-wikidata-link",
        "cleanup-removed-per-outlet",
        "quotes-of-speaker-this-week",
        "roles-according-to-the-press",
        "stories-of-the-day",
    }
    for query in queries.values():
        assert query.sparql.startswith("# ") and len(query.description) > 40, query.name


def test_unknown_query_name_is_a_clear_error() -> None:
    with pytest.raises(UnknownQueryError, match="no named query 'nope'; known: articles-"):
        load_query("nope")


@pytest.mark.needs_shared(*SEED_DATA)
def test_articles_per_outlet_per_day(store: EmbeddedStore, shared_dir: Path) -> None:
    rows = _rows(store, "articles-per-outlet-per-day")
    by_outlet: Counter[str] = Counter()
    for row in rows:
        by_outlet[row["outlet"]] += row["articles"]
    assert by_outlet == {"Seed Outlet": len(seed_records(shared_dir)), "Example Zeitung": 1}
    golden_day = golden_input()["clean"].metadata["date"]
    assert {"outlet": "Example Zeitung", "day": golden_day, "articles": 1} in rows
    assert all(len(str(row["day"])) == 10 for row in rows)
    seed_days = Counter({str(row["day"]): row["articles"] for row in rows if row["outlet"] == "Seed Outlet"})
    expected = Counter(_day(raw, clean) for raw, clean, _m, _e in seed_records(shared_dir))
    assert seed_days == expected and all(day.startswith("2022-") for day in seed_days), "news days, not the night"


def _day(raw: RawDocument, clean: CleanDocument) -> str:
    """A seed's own full date where the gold cleanup gives one, else its capture date."""
    page = str(clean.metadata.get("date") or "")
    return page if len(page) == 10 else str(raw.captured)


@pytest.mark.needs_shared(*SEED_DATA)
def test_entities_most_mentioned_this_week_counts_only_recent_runs(store: EmbeddedStore, shared_dir: Path) -> None:
    expected: Counter[str] = Counter()
    for _raw, _clean, mentions, _ents in seed_records(shared_dir):
        for m in mentions:
            expected[WD + m.qid if m.qid else str(NS.nil_entity_iri(m.entity_name, m.label))] += 1
    rows = _rows(store, "entities-most-mentioned-this-week")
    assert [row["mentions"] for row in rows] == sorted((row["mentions"] for row in rows), reverse=True)
    assert {row["entity"]: row["mentions"] for row in rows} == dict(expected.most_common(50)) or len(expected) > 50
    for row in rows:
        assert row["mentions"] == expected[row["entity"]]  # the 30-day-old golden article is not counted
        assert row["label"], row
    stoltenberg = next(row for row in rows if row["entity"] == WD + "Q57665")
    assert stoltenberg["label"] == "Jens Stoltenberg"


@pytest.mark.needs_shared(*SEED_DATA)
def test_articles_mentioning_two_given_entities(store: EmbeddedStore, shared_dir: Path) -> None:
    a, b = WD + "Q57665", WD + "Q61053"  # Stoltenberg and Scholz, both in ../shared/kb (confidence high)
    expected = {
        str(NS.article_iri(raw.doc_id))
        for raw, _clean, mentions, _ents in seed_records(shared_dir)
        if {"Q57665", "Q61053"} <= {m.qid for m in mentions}
    } | {str(NS.article_iri(golden_input()["raw"].doc_id))}
    rows = _rows(store, "articles-mentioning-two-entities", entityA=a, entityB=b)
    assert {row["article"] for row in rows} == expected
    assert all(row["entityA"] == a and row["entityB"] == b and row["url"] for row in rows)
    golden = next(row for row in rows if row["article"].endswith("golden0001"))
    assert golden["headline"] == golden_input()["clean"].title


@pytest.mark.needs_shared(*SEED_DATA)
def test_mentions_without_wikidata_link(store: EmbeddedStore, shared_dir: Path) -> None:
    expected: Counter[str] = Counter()
    for _raw, _clean, mentions, _ents in seed_records(shared_dir):
        expected.update(str(NS.nil_entity_iri(m.entity_name, m.label)) for m in mentions if m.qid is None)
    expected.update(str(NS.nil_entity_iri(m.entity_name, m.label)) for m in golden_input()["mentions"] if m.qid is None)
    rows = _rows(store, "mentions-without-wikidata-link")
    assert {row["entity"]: row["mentions"] for row in rows} == dict(expected)
    assert not any(str(row["entity"]).startswith(WD) for row in rows)
    assert all(row["example"] and row["type"].startswith(("http://schema.org/", "https://w3id.org/")) for row in rows)


@pytest.mark.needs_shared(*SEED_DATA)
def test_cleanup_removed_per_outlet(store: EmbeddedStore, shared_dir: Path) -> None:
    pieces: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for _raw, clean, _mentions, _ents in seed_records(shared_dir):
        for removal in clean.removed:
            pieces[removal.category] += 1
            chars[removal.category] += len(removal.text)
    rows = [row for row in _rows(store, "cleanup-removed-per-outlet") if row["outlet"] == "Seed Outlet"]
    assert {row["category"]: row["pieces"] for row in rows} == dict(pieces)
    assert {row["category"]: row["characters"] for row in rows} == dict(chars)
    assert len({row["night"] for row in rows}) == 1


def test_a_list_of_iris_fills_the_values_block_as_checked_terms() -> None:
    sparql = "SELECT ?g WHERE { VALUES ?g { } }"
    filled = fill_values(sparql, "g", ["https://example.org/a", "https://example.org/b"])
    assert filled == "SELECT ?g WHERE { VALUES ?g { <https://example.org/a> <https://example.org/b> } }"
    with pytest.raises(ValueError, match="not a usable IRI"):
        fill_values(sparql, "g", ["https://example.org/a> } DROP ALL { <x"])
    with pytest.raises(ValueError, match="no single"):
        fill_values("SELECT * WHERE { ?s ?p ?o }", "g", ["https://example.org/a"])
