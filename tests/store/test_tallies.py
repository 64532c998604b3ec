"""Night tallies keep the whole-store named queries exact while articles move between runs.

The reference is each query's direct formulation over the article graphs (``bench/queries/*.rq``, the
shipped queries before tallies existed, which the benchmark times side by side): on a store of three
runs, one of whose articles was published again by a later run, every tally-based query must return
exactly its rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from pipelines.domain import RunInfo
from pipelines.graph import build_article_graph, build_run_graph, load_shapes, validate_graph
from pipelines.graph.quotes import add_quotes
from pipelines.namespaces import NG, Namespaces
from pipelines.quotes.stage import article_quotes
from pipelines.store import EmbeddedStore, load_query
from pipelines.store.tallies import TALLY_QUERIES_DIR, publish_with_tallies, refresh_all_tallies
from tests.graph.samples import SEED_DATA, golden_input, golden_run_days_ago, merge, sample_run, seed_records
from tests.support.store import select

NS = Namespaces()
EXACT = Path(__file__).resolve().parents[2] / "bench" / "queries"
TALLIED = sorted(p.stem for p in EXACT.glob("*.rq"))


def _publish(store: EmbeddedStore, ds: Dataset) -> dict[str, int]:
    names = [str(g.identifier) for g in ds.graphs() if len(g)]
    return publish_with_tallies(store, names, lambda: store.publish(ds), NS)


def _runs() -> dict[str, RunInfo]:
    now = datetime.now(UTC).replace(microsecond=0)
    old = golden_run_days_ago(30)
    yesterday = (now - timedelta(days=1)).date().isoformat()
    return {
        "old": old,
        "yesterday": sample_run(yesterday, (now - timedelta(hours=20)).isoformat()),
        "today": sample_run(now.date().isoformat(), (now - timedelta(hours=1)).isoformat()),
    }


def _article(record: tuple[Any, ...], run: RunInfo) -> Dataset:
    """An article's graph with its quotes and role statements, as the quote stage adds them."""
    raw, clean, mentions, entities = record
    ds = build_article_graph(raw, clean, mentions, entities, run, NS)
    found = article_quotes(raw.doc_id, clean, mentions)
    add_quotes(ds.graph(NS.article_graph_iri(raw.doc_id)), raw.doc_id, clean.text, found, run, NS)
    return ds


@pytest.fixture(scope="module")
def nights(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[EmbeddedStore, dict[str, RunInfo]]:
    """Three nights: the golden article 30 days ago, the five seeds yesterday, and today the first
    seed again (updated and scraped anew, so its graph moves from yesterday's run to today's)."""
    runs = _runs()
    records = seed_records(shared_dir)
    data = golden_input()
    store = EmbeddedStore(tmp_path_factory.mktemp("tallies") / "store")
    golden = build_article_graph(data["raw"], data["clean"], data["mentions"], data["entities"], runs["old"], NS)
    _publish(store, merge(golden, build_run_graph(runs["old"], NS)))
    _publish(store, merge(*(_article(r, runs["yesterday"]) for r in records), build_run_graph(runs["yesterday"], NS)))
    counts = _publish(store, merge(_article(records[0], runs["today"]), build_run_graph(runs["today"], NS)))
    assert counts["tally_runs"] == 2, "today's publication refreshes today's run and yesterday's, whose article moved"
    return store, runs


def _key(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in row.items() if k != "example"))


@pytest.mark.needs_shared(*SEED_DATA)
@pytest.mark.parametrize("name", TALLIED)
def test_tally_query_returns_exactly_the_rows_of_the_direct_query(
    nights: tuple[EmbeddedStore, dict[str, RunInfo]], name: str
) -> None:
    store, _runs = nights
    tallied = select(store, load_query(name).sparql).python()
    exact = select(store, (EXACT / f"{name}.rq").read_text(encoding="utf-8")).python()
    assert tallied, f"{name} returns rows on this store"
    assert sorted(map(_key, tallied)) == sorted(map(_key, exact))


def _tallied_and_direct(store: EmbeddedStore, name: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    tallied = select(store, load_query(name).sparql).python()
    exact = select(store, (EXACT / f"{name}.rq").read_text(encoding="utf-8")).python()
    return sorted(map(_key, tallied)), sorted(map(_key, exact))


def _take_down(store: EmbeddedStore, graph_iris: list[str]) -> dict[str, int]:
    """Publish the graphs empty, which deletes them (and refreshes the tallies of their runs)."""
    ds = Dataset()
    for iri in graph_iris:
        ds.graph(URIRef(iri))
    return publish_with_tallies(store, graph_iris, lambda: store.publish(ds), NS)


@pytest.mark.needs_shared(*SEED_DATA)
def test_roles_follow_takedowns_and_a_night_published_again(shared_dir: Path, tmp_path: Path) -> None:
    """The role tallies of a run change with its articles: one taken down, a night taken down whole, a
    night published again; after each the tallied roles are the direct ones."""
    runs = _runs()
    records = seed_records(shared_dir)
    store = EmbeddedStore(tmp_path / "store")
    night = merge(*(_article(r, runs["yesterday"]) for r in records), build_run_graph(runs["yesterday"], NS))
    _publish(store, night)
    _publish(store, merge(_article(records[0], runs["today"]), build_run_graph(runs["today"], NS)))
    name = "roles-according-to-the-press"
    tallied, direct = _tallied_and_direct(store, name)
    assert tallied == direct and tallied
    seen = [tallied]
    with_roles = [r[0].doc_id for r in records[1:] if _roles_in(store, str(NS.article_graph_iri(r[0].doc_id)))]
    assert with_roles, "a seed of yesterday's night gives someone a role"
    _take_down(store, [str(NS.article_graph_iri(with_roles[0]))])
    tallied, direct = _tallied_and_direct(store, name)
    assert tallied == direct and tallied not in seen
    seen.append(tallied)

    today = [str(NS.article_graph_iri(records[0][0].doc_id)), str(NS.run_graph_iri(runs["today"].run_id))]
    counts = _take_down(store, today)
    assert counts["tally_runs"] == 1 and str(NS.tally_graph_iri(runs["today"].run_id)) not in store.graph_names()
    tallied, direct = _tallied_and_direct(store, name)
    assert tallied == direct and tallied not in seen
    seen.append(tallied)

    _publish(store, night)  # yesterday's night again, whole: every role is back, all in yesterday's run
    tallied, direct = _tallied_and_direct(store, name)
    assert tallied == direct == seen[0]


def test_a_role_with_organisation_and_position_is_tallied_with_both() -> None:
    """The example role statement (Nato-Generalsekretär), given a Wikidata position, in an article graph."""
    from rdflib import Graph

    from pipelines.store.tallies import night_tallies

    example = Graph().parse(Path(__file__).resolve().parents[2] / "ontology/examples/role/valid.ttl")
    statement = next(example.subjects(NG.roleHolder, None))
    example.add((statement, NG.wikidataPosition, URIRef("http://www.wikidata.org/entity/Q1318270")))
    ds = Dataset()
    article = ds.graph(NS.article_graph_iri("ex1"))
    for triple in example:
        article.add(triple)
    store = EmbeddedStore(None)
    store.publish(ds)
    run = str(next(example.objects(statement, PROV.wasGeneratedBy)))
    tallies = night_tallies(store, run, NS)
    assert validate_graph(tallies, load_shapes(), name="roles") == []
    tally = next(tallies.subjects(NG.roleHolder, None))
    assert tallies.value(tally, NG.wikidataPosition) == URIRef("http://www.wikidata.org/entity/Q1318270")
    assert tallies.value(tally, NG.roleOrganisation) == URIRef("http://www.wikidata.org/entity/Q7184")
    ds = Dataset()
    for triple in tallies:
        ds.graph(tallies.identifier).add(triple)
    store.publish(ds)
    tallied, direct = _tallied_and_direct(store, "roles-according-to-the-press")
    assert tallied == direct and len(tallied) == 1
    assert ("position", "http://www.wikidata.org/entity/Q1318270") in tallied[0]


def _roles_in(store: EmbeddedStore, graph_iri: str) -> int:
    found = select(
        store,
        "PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
        f"SELECT (COUNT(?r) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?r a ng:RoleStatement }} }}",
    ).python()
    return int(found[0]["n"])


@pytest.mark.needs_shared(*SEED_DATA)
def test_a_moved_article_is_counted_in_its_new_night_only(nights: tuple[EmbeddedStore, dict[str, RunInfo]]) -> None:
    store, runs = nights
    rows = select(store, load_query("cleanup-removed-per-outlet").sparql).python()
    pieces_by_night: dict[str, int] = {}
    for row in rows:
        pieces_by_night[str(row["night"])] = pieces_by_night.get(str(row["night"]), 0) + row["pieces"]
    assert set(pieces_by_night) == {runs[k].partition for k in ("old", "yesterday", "today")}
    today = NS.run_iri(runs["today"].run_id)
    first_seed_removals = select(
        store,
        "PREFIX ng: <https://w3id.org/newsgraph/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        f"SELECT (COUNT(?r) AS ?n) WHERE {{ ?a prov:wasGeneratedBy <{today}> ; ng:removal ?r }}",
    ).python()[0]["n"]
    assert pieces_by_night[runs["today"].partition] == first_seed_removals


@pytest.mark.needs_shared(*SEED_DATA)
def test_a_run_with_no_articles_left_loses_its_tallies(shared_dir: Path, tmp_path: Path) -> None:
    runs = _runs()
    data = golden_input()
    store = EmbeddedStore(tmp_path / "store")
    golden_old = build_article_graph(data["raw"], data["clean"], data["mentions"], data["entities"], runs["old"], NS)
    _publish(store, merge(golden_old, build_run_graph(runs["old"], NS)))
    old_tallies = str(NS.tally_graph_iri(runs["old"].run_id))
    assert old_tallies in store.graph_names()
    golden_new = build_article_graph(data["raw"], data["clean"], data["mentions"], data["entities"], runs["today"], NS)
    _publish(store, merge(golden_new, build_run_graph(runs["today"], NS)))
    assert old_tallies not in store.graph_names()
    assert str(NS.tally_graph_iri(runs["today"].run_id)) in store.graph_names()


@pytest.mark.needs_shared(*SEED_DATA)
def test_tally_graphs_conform_to_the_shapes(nights: tuple[EmbeddedStore, dict[str, RunInfo]]) -> None:
    store, runs = nights
    shapes = load_shapes()
    for run in runs.values():
        graph = store.graph(str(NS.tally_graph_iri(run.run_id)))
        assert len(graph) > 0
        assert validate_graph(graph, shapes, name=run.run_id) == []
        assert set(graph.objects(None, NG.articleCount)) and all(
            isinstance(n, Literal) and n.toPython() >= 0 for n in graph.objects(None, NG.articleCount)
        )


@pytest.mark.needs_shared(*SEED_DATA)
def test_refreshing_every_run_rebuilds_the_same_tallies(nights: tuple[EmbeddedStore, dict[str, RunInfo]]) -> None:
    """``newsgraph tallies`` on a store: recomputing all runs gives the tallies publication kept."""
    store, runs = nights
    before = {r.run_id: store.graph(str(NS.tally_graph_iri(r.run_id))) for r in runs.values()}
    report = refresh_all_tallies(store, NS)
    assert report.runs == len(runs)
    for run_id, graph in before.items():
        assert isomorphic(graph, store.graph(str(NS.tally_graph_iri(run_id))))


def test_every_tally_query_binds_the_run_it_is_given() -> None:
    for path in TALLY_QUERIES_DIR.glob("*.rq"):
        text = path.read_text(encoding="utf-8")
        assert "SELECT ?run " in text and "GROUP BY ?run " in text, path.name
        assert "GRAPH ?g" in text, f"{path.name}: patterns must stay inside one article's graph"


def _write_trig(ds: Dataset, path: Path) -> Path:
    from pipelines.graph.stream import GraphFileWriter
    from pipelines.namespaces import PREFIXES

    with GraphFileWriter(path, PREFIXES) as out:
        out.add(ds)
    return path


@pytest.mark.needs_shared(*SEED_DATA)
def test_tallies_from_the_night_file_equal_those_from_the_store(shared_dir: Path, tmp_path: Path) -> None:
    """Publishing reads a night's tallies from its file (cost independent of the store); they must be
    the store's own, also when the file is read in chunks smaller than the night."""
    from pipelines.store.tallies import night_tallies, tallies_of_file, tally_graph

    runs = _runs()
    records = seed_records(shared_dir)
    night = _write_trig(
        merge(*(_article(r, runs["yesterday"]) for r in records), build_run_graph(runs["yesterday"], NS)),
        tmp_path / "graph.trig",
    )
    store = EmbeddedStore(tmp_path / "store")
    store.publish_file(night)
    run = str(NS.run_iri(runs["yesterday"].run_id))
    for chunk in (2, 500):
        found = tallies_of_file(night, chunk_graphs=chunk)
        assert found[run].graphs == len(records)
        assert isomorphic(tally_graph(run, found[run].rows, NS), night_tallies(store, run, NS)), chunk


@pytest.mark.needs_shared(*SEED_DATA)
def test_a_big_night_file_is_tallied_in_a_second_process_while_it_is_written(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above APART_FROM_BYTES the file's tallies are counted in another process during the write: the
    store's tally graph is the one counted after the write, in this process."""
    from pipelines.graph.stream import graph_names
    from pipelines.store import tallies

    runs = _runs()
    night = _write_trig(
        merge(
            *(_article(r, runs["yesterday"]) for r in seed_records(shared_dir)), build_run_graph(runs["yesterday"], NS)
        ),
        tmp_path / "graph.trig",
    )
    tally_iri = str(NS.tally_graph_iri(runs["yesterday"].run_id))
    found = {}
    for apart_from in (10**12, 0):
        monkeypatch.setattr(tallies, "APART_FROM_BYTES", apart_from)
        store = EmbeddedStore(tmp_path / f"store-{apart_from}")
        write = partial(store.publish_file, night)
        counts = tallies.publish_with_tallies(store, graph_names(night), write, NS, night_file=night)
        assert counts["tally_runs"] == 1 and counts["tallies"] > 0
        found[apart_from] = store.graph(tally_iri)
    assert len(found[0]) > 0 and isomorphic(found[0], found[10**12])


@pytest.mark.needs_shared(*SEED_DATA)
def test_a_partial_rerun_of_a_night_counts_the_articles_it_did_not_replace(shared_dir: Path, tmp_path: Path) -> None:
    """A night run again that collects fewer articles leaves the others in the store under the same run:
    its file alone would undercount, so the tallies come from the store."""
    runs = _runs()
    records = seed_records(shared_dir)
    store = EmbeddedStore(tmp_path / "store")
    full = _write_trig(
        merge(*(_article(r, runs["yesterday"]) for r in records), build_run_graph(runs["yesterday"], NS)),
        tmp_path / "full.trig",
    )
    first_seed_only = _write_trig(
        merge(_article(records[0], runs["yesterday"]), build_run_graph(runs["yesterday"], NS)),
        tmp_path / "partial.trig",
    )
    from pipelines.graph.stream import graph_names

    for night in (full, first_seed_only):
        publish_with_tallies(store, graph_names(night), partial(store.publish_file, night), NS, night_file=night)
    rows = select(store, load_query("articles-per-outlet-per-day").sparql).python()
    assert sum(row["articles"] for row in rows) == len(records)


@pytest.mark.needs_shared(*SEED_DATA)
def test_the_next_publication_repairs_tallies_an_interrupted_one_left_out(shared_dir: Path, tmp_path: Path) -> None:
    """A night killed after its article graphs went in and before its tallies did: the next night's
    publication (of other articles) writes the missing tallies, equal to those of a clean run."""
    runs = _runs()
    records = seed_records(shared_dir)
    store = EmbeddedStore(tmp_path / "store")
    first = merge(*(_article(r, runs["yesterday"]) for r in records[1:]), build_run_graph(runs["yesterday"], NS))
    _publish(store, first)
    tallies = str(NS.tally_graph_iri(runs["yesterday"].run_id))
    expected = store.graph(tallies)
    assert len(expected) > 0
    store.remove_graphs([tallies])  # what the kill left: articles without their tallies
    assert tallies not in store.graph_names()
    counts = _publish(store, merge(_article(records[0], runs["today"]), build_run_graph(runs["today"], NS)))
    assert counts["tally_runs_repaired"] == 1
    assert isomorphic(store.graph(tallies), expected)
