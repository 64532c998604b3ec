"""One contract for every GraphStore: the same tests run against the embedded store and a real oxigraph server.

``StoreContract`` holds the tests (pytest does not collect it: its name does not start with "Test");
each subclass says how to open its store and how to open the same data read-only, as oxigraph's own
Python tests run one abstract test class against every store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from pipelines.graph import build_article_graph, build_run_graph
from pipelines.graph.documents import documents
from pipelines.namespaces import NIF, SCHEMA, Namespaces
from pipelines.store import (
    EmbeddedStore,
    GraphStore,
    PublishError,
    RemoteStore,
    SelectResult,
    StoreError,
    StoreQueryError,
)
from pipelines.store.tallies import night_tallies, publish_with_tallies
from tests.graph.samples import golden_dataset, golden_input
from tests.remote_store.oxigraph_server import oxigraph_server
from tests.support.documents import canonical, other_article, trig_file

NS = Namespaces()
ARTICLE_GRAPH = "https://w3id.org/newsgraph/id/graph/article/golden0001"
RUN_GRAPH = "https://w3id.org/newsgraph/id/graph/run/2026-11-20"
OTHER_GRAPH = "https://w3id.org/newsgraph/id/graph/article/other0002"

ReadOnly = Callable[[], GraphStore]


def nquads(store: GraphStore, path: Path) -> list[str]:
    store.dump(path, "nquads")
    return sorted(path.read_text(encoding="utf-8").splitlines())


def published(store: GraphStore, path: Path) -> dict[str, Graph]:
    """The store's graphs as the night published them: each with the descriptions of the nodes it
    names merged back in (the store keeps those once, in description graphs: ``store.layout``)."""
    store.dump(path, "nquads")
    ds = Dataset()
    ds.parse(path, format="nquads")
    return {str(graph.identifier): graph for graph in documents(ds)}


def own_graphs(store: GraphStore) -> list[str]:
    """The store's graphs other than description graphs."""
    return [name for name in store.graph_names() if not name.startswith(NS.described_graph_prefix)]


def description_graphs(store: GraphStore) -> list[str]:
    return [name for name in store.graph_names() if name.startswith(NS.described_graph_prefix)]


def select(
    store: GraphStore, sparql: str, substitutions: Mapping[str, Node] | None = None, union_default_graph: bool = True
) -> SelectResult:
    result = store.query(sparql, substitutions, union_default_graph)
    assert isinstance(result, SelectResult)
    return result


class StoreContract:
    """What the night, the web server and the tools rely on, whichever store holds the graph."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[GraphStore]:
        raise NotImplementedError

    @pytest.fixture
    def read_only(self, store: GraphStore, tmp_path: Path) -> ReadOnly:
        """Opens the data of ``store`` read-only (after ``store`` has written it)."""
        raise NotImplementedError

    def test_is_a_graph_store(self, store: GraphStore) -> None:
        assert isinstance(store, GraphStore)

    def test_publishing_the_same_night_twice_leaves_the_store_identical(
        self, store: GraphStore, tmp_path: Path
    ) -> None:
        first = store.publish(golden_dataset())
        count, dump = store.triple_count(), nquads(store, tmp_path / "first.nq")
        described = len(description_graphs(store))
        second = store.publish(golden_dataset())
        assert described == 7  # two Wikidata items in Berlin's company, a NIL entity, the publisher, ...
        assert first == {
            "graphs": 2,
            "replaced": 0,
            "descriptions": described,
            "triples": count,
            "previous_triples": 0,
        }
        assert second == {**first, "replaced": 2, "previous_triples": count}
        assert store.triple_count() == count
        assert store.graph_count() == 2 + described
        assert nquads(store, tmp_path / "second.nq") == dump

    def test_store_graphs_equal_the_published_graphs(self, store: GraphStore, tmp_path: Path) -> None:
        ds = golden_dataset()
        store.publish(ds)
        assert own_graphs(store) == [ARTICLE_GRAPH, RUN_GRAPH]
        back = published(store, tmp_path / "dump.nq")
        assert sorted(back) == [ARTICLE_GRAPH, RUN_GRAPH]
        for name in (ARTICLE_GRAPH, RUN_GRAPH):
            assert isomorphic(canonical(back[name]), canonical(ds.graph(URIRef(name))))

    def test_a_description_many_articles_share_is_in_the_union_once(self, store: GraphStore) -> None:
        store.publish(golden_dataset())
        store.publish(other_article())
        repeated = select(
            store, "SELECT ?s ?p ?o (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ?p ?o HAVING (COUNT(*) > 1)"
        )
        assert repeated.rows == []
        berlin = URIRef("http://www.wikidata.org/entity/Q64")
        labels = select(store, f"SELECT ?g ?l WHERE {{ GRAPH ?g {{ <{berlin}> ?p ?l }} }}", union_default_graph=False)
        assert {str(row[0]) for row in labels} == {str(NS.described_graph_iri(str(berlin)))}
        for article in (ARTICLE_GRAPH, OTHER_GRAPH):  # what each article says of Berlin stays in it
            ask = f"ASK {{ GRAPH <{article}> {{ ?a <{SCHEMA.mentions}> <{berlin}> }} }}"
            assert store.query(ask, union_default_graph=False) is True

    def test_a_changed_label_replaces_the_old_one(self, store: GraphStore) -> None:
        from rdflib.namespace import RDFS

        store.publish(golden_dataset())
        berlin = URIRef("http://www.wikidata.org/entity/Q64")
        renamed = other_article()
        article = renamed.graph(URIRef(OTHER_GRAPH))
        article.remove((berlin, RDFS.label, Literal("Berlin", lang="de")))
        article.add((berlin, RDFS.label, Literal("Berlin (Stadt)", lang="de")))
        store.publish(renamed)
        labels = select(store, f"SELECT ?l WHERE {{ <{berlin}> <{RDFS.label}> ?l }}")
        assert {row[0] for row in labels} == {Literal("Berlin (Stadt)", lang="de"), Literal("Berlin", lang="en")}

    def test_republishing_an_article_replaces_its_graph_and_keeps_the_others(
        self, store: GraphStore, tmp_path: Path
    ) -> None:
        data = golden_input()
        store.publish(golden_dataset())
        store.publish(other_article())
        fewer = data["mentions"][:2]
        rescraped = build_article_graph(data["raw"], data["clean"], fewer, data["entities"], data["run"], NS)
        report = store.publish(rescraped)
        assert report["replaced"] == 1
        assert len(own_graphs(store)) == 3
        mentions = select(
            store,
            f"SELECT (COUNT(?m) AS ?n) WHERE {{ GRAPH <{ARTICLE_GRAPH}> {{ ?m a <{NIF.Phrase}> }} }}",
            union_default_graph=False,
        )
        assert mentions.rows[0][0] == Literal(2)
        back = published(store, tmp_path / "dump.nq")
        assert isomorphic(canonical(back[ARTICLE_GRAPH]), canonical(rescraped.graph(URIRef(ARTICLE_GRAPH))))
        assert len(store.graph(OTHER_GRAPH)) > 0

    def test_publish_refuses_default_graph_triples_and_bad_terms_without_writing(self, store: GraphStore) -> None:
        store.publish(golden_dataset())
        count = store.triple_count()
        ds = golden_dataset()
        ds.add((URIRef("https://example.org/s"), SCHEMA.name, Literal("x")))
        with pytest.raises(PublishError, match="default graph"):
            store.publish(ds)
        broken = golden_dataset()
        broken.graph(URIRef(OTHER_GRAPH)).add((URIRef("https://example.org/a b"), SCHEMA.name, Literal("x")))
        with pytest.raises(PublishError, match=r"cannot store term 'https://example\.org/a b'.*nothing written"):
            store.publish(broken)
        assert store.triple_count() == count
        assert own_graphs(store) == [ARTICLE_GRAPH, RUN_GRAPH]

    def test_an_empty_graph_in_a_batch_deletes_that_graph(self, store: GraphStore) -> None:
        store.publish(golden_dataset())
        takedown = Dataset()
        takedown.graph(URIRef(ARTICLE_GRAPH))  # declared, no triples
        report = store.publish(takedown)
        assert report["graphs"] == report["replaced"] == 1 and report["triples"] == 0
        assert report["previous_triples"] > 0
        assert own_graphs(store) == [RUN_GRAPH]
        assert description_graphs(store) == []  # nothing names those nodes any more
        store.remove_graphs([RUN_GRAPH])
        assert store.graph_count() == 0 and store.triple_count() == 0

    def test_publishing_a_night_file_equals_publishing_its_dataset(self, store: GraphStore, tmp_path: Path) -> None:
        path = trig_file(golden_dataset(), tmp_path / "graph.trig")
        first = store.publish_file(path)
        assert first == {
            "graphs": 2,
            "replaced": 0,
            "descriptions": len(description_graphs(store)),
            "triples": store.triple_count(),
            "previous_triples": 0,
        }
        dump = nquads(store, tmp_path / "first.nq")
        rerun = store.publish_file(path)
        assert rerun["replaced"] == 2 and rerun["previous_triples"] == first["triples"]
        assert nquads(store, tmp_path / "rerun.nq") == dump
        back = published(store, tmp_path / "back.nq")
        for name in (ARTICLE_GRAPH, RUN_GRAPH):
            assert isomorphic(canonical(back[name]), canonical(golden_dataset().graph(URIRef(name))))
        other = trig_file(other_article(), tmp_path / "other.trig")
        before = store.triple_count()
        store.publish_file(other)  # new article, known descriptions: added without repeating them
        repeated = select(store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } GROUP BY ?s ?p ?o HAVING (COUNT(*) > 1)")
        assert repeated.rows == [] and store.triple_count() > before

    def test_a_night_file_with_default_graph_triples_publishes_nothing(self, store: GraphStore, tmp_path: Path) -> None:
        ds = other_article()
        ds.add((URIRef("https://example.org/s"), SCHEMA.name, Literal("x")))
        path = tmp_path / "graph.nq"
        ds.serialize(path, format="nquads")
        with pytest.raises(PublishError, match="default graph"):
            store.publish_file(path)
        with pytest.raises(PublishError, match=r"publish \.trig or \.nq"):
            store.publish_file(tmp_path / "graph.ttl")
        assert store.graph_count() == 0

    def test_query_result_kinds_and_errors(self, store: GraphStore) -> None:
        store.publish(golden_dataset())
        organisations = select(store, f"SELECT ?name WHERE {{ ?p a <{SCHEMA.Organization}> ; <{SCHEMA.name}> ?name }}")
        assert organisations.python() == [{"name": "Example Zeitung"}]
        assert store.query(f"ASK {{ ?a a <{SCHEMA.NewsArticle}> }}") is True
        construct = store.query(
            f"CONSTRUCT {{ ?a <{SCHEMA.url}> ?u }} WHERE {{ ?a a <{SCHEMA.NewsArticle}> ; <{SCHEMA.url}> ?u }}"
        )
        assert isinstance(construct, Graph) and len(construct) == 1
        bound = select(
            store,
            "SELECT ?e ?label WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
            substitutions={"e": URIRef("http://www.wikidata.org/entity/Q64")},
        )
        assert {row[1] for row in bound} == {Literal("Berlin", lang="de"), Literal("Berlin", lang="en")}
        assert b'"boolean":true' in store.query_serialized("ASK { ?s ?p ?o }")
        csv = store.query_serialized("SELECT ?s WHERE { ?s a <http://schema.org/NewsArticle> }", "csv")
        assert csv.decode("utf-8").splitlines() == ["s", str(NS.article_iri("golden0001"))]
        described = store.query_serialized(f"DESCRIBE <{NS.article_iri('golden0001')}>").decode("utf-8").splitlines()
        assert described and len(set(described)) == len(described)  # N-Triples, each triple once
        with pytest.raises(StoreQueryError):
            store.query("SELECT ?x WHERE { ?x ?y }")
        with pytest.raises(StoreQueryError, match="unknown result format"):
            store.query_serialized("SELECT ?s WHERE { ?s ?p ?o }", "yaml")

    def test_a_raw_query_takes_the_protocol_dataset(self, store: GraphStore) -> None:
        store.publish(golden_dataset())
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        for name in (ARTICLE_GRAPH, RUN_GRAPH):
            solutions = list(store.raw_query(count, default_graph=[name]))  # type: ignore[arg-type]
            assert int(solutions[0]["n"].value) == len(store.graph(name))
        graphs = store.raw_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[RUN_GRAPH])
        assert [solution["g"].value for solution in graphs] == [RUN_GRAPH]  # type: ignore[union-attr]

    def test_quads_of_chosen_graphs_or_all(self, store: GraphStore) -> None:
        store.publish(golden_dataset())
        run_quads = list(store.quads([RUN_GRAPH]))
        assert {q.graph_name.value for q in run_quads} == {RUN_GRAPH}  # type: ignore[union-attr]
        assert len(run_quads) == len(store.graph(RUN_GRAPH))
        assert len(list(store.quads())) == store.triple_count()

    def test_dump_formats_round_trip(self, store: GraphStore, tmp_path: Path) -> None:
        ds = golden_dataset()
        store.publish(ds)
        for fmt in ("nquads", "trig"):
            path = tmp_path / f"dump.{fmt}"
            assert store.dump(path, fmt) == store.triple_count()
            back = Dataset()
            back.parse(path, format=fmt)
            article = {str(g.identifier): g for g in documents(back)}[ARTICLE_GRAPH]
            assert isomorphic(canonical(article), canonical(ds.graph(URIRef(ARTICLE_GRAPH))))
        with pytest.raises(StoreError, match="unknown dump format"):
            store.dump(tmp_path / "x.ttl", "turtle")

    def test_a_read_only_store_answers_and_refuses_writes(self, store: GraphStore, read_only: ReadOnly) -> None:
        store.publish(golden_dataset())
        count = store.triple_count()
        with read_only() as reader:
            assert reader.read_only
            assert reader.triple_count() == count
            with pytest.raises(PublishError, match="read-only"):
                reader.publish(other_article())
            with pytest.raises(PublishError, match="read-only"):
                reader.remove_graphs([ARTICLE_GRAPH])
            assert own_graphs(reader) == [ARTICLE_GRAPH, RUN_GRAPH]

    def test_run_graph_of_a_rerun_replaces_the_night_record(self, store: GraphStore) -> None:
        run = golden_input()["run"]
        store.publish(build_run_graph(run, NS, {"articles": 1}))
        rerun = dataclasses.replace(run, ended_at="2026-11-21T03:00:00+00:00")
        store.publish(build_run_graph(rerun, NS, {"articles": 2}))
        ended = select(store, "SELECT ?end WHERE { ?r <http://www.w3.org/ns/prov#endedAtTime> ?end }")
        assert [str(row[0]) for row in ended] == ["2026-11-21T03:00:00+00:00"]

    def test_a_night_published_with_its_tallies(self, store: GraphStore, tmp_path: Path) -> None:
        path = trig_file(golden_dataset(), tmp_path / "graph.trig")
        names = [ARTICLE_GRAPH, RUN_GRAPH]
        counts = publish_with_tallies(store, names, lambda: store.publish_file(path), NS, night_file=path)
        assert counts["graphs"] == 2 and counts["tally_runs"] == 1 and counts["tallies"] > 0
        tally_graph = str(NS.tally_graph_iri("2026-11-20"))
        assert tally_graph in store.graph_names()
        from_store = night_tallies(store, str(NS.run_iri("2026-11-20")), NS)  # the run's articles, read back
        assert len(from_store) > 0
        assert isomorphic(canonical(store.graph(tally_graph)), canonical(from_store))

    def test_compacting_leaves_every_graph_as_it_was(self, store: GraphStore, tmp_path: Path) -> None:
        store.publish(golden_dataset())
        store.publish(other_article())
        before = nquads(store, tmp_path / "before.nq")
        report = store.compact()
        assert report.files_after >= 1 or report.note  # compacted, or says why it had nothing to do
        assert nquads(store, tmp_path / "after.nq") == before


class TestEmbeddedStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[GraphStore]:
        with EmbeddedStore(tmp_path / "store") as store:
            yield store

    @pytest.fixture
    def read_only(self, store: GraphStore, tmp_path: Path) -> ReadOnly:
        def reopen() -> GraphStore:
            store.close()  # one writer or readers: the writer lets go first
            return EmbeddedStore(tmp_path / "store", read_only=True)

        return reopen

    def test_compaction_reports_the_files_it_found(self, tmp_path: Path) -> None:
        """The counts only: RocksDB merges and deletes files in the background too, so how many a small
        store has at a given moment is not fixed (the benchmark measures the effect on big stores)."""
        with EmbeddedStore(tmp_path / "store") as store:
            for dataset in (golden_dataset(), other_article()):
                store.publish(dataset)
                store.flush()  # each publication's writes in files of their own, as nights leave them
            report = store.compact()
            assert report.files_before >= 1 and report.files_after >= 1 and report.bytes_after > 0
            assert report.note == ""
            assert set(own_graphs(store)) == {ARTICLE_GRAPH, RUN_GRAPH, OTHER_GRAPH}

    def test_a_reader_opened_before_a_compaction_keeps_answering(self, tmp_path: Path) -> None:
        """The web server's workers hold the store open read-only while the weekly job compacts it."""
        with EmbeddedStore(tmp_path / "store") as writer:
            for dataset in (golden_dataset(), other_article()):
                writer.publish(dataset)
                writer.flush()
            with EmbeddedStore(tmp_path / "store", read_only=True) as reader:
                before = nquads(reader, tmp_path / "before.nq")
                writer.compact()
                assert nquads(reader, tmp_path / "after.nq") == before
                assert reader.triple_count() == writer.triple_count()

    def test_a_read_only_store_refuses_to_compact(self, store: GraphStore, read_only: ReadOnly) -> None:
        store.publish(golden_dataset())
        with read_only() as reader, pytest.raises(StoreError, match="read-only; cannot compact"):
            reader.compact()

    def test_an_in_memory_store_has_nothing_to_compact(self) -> None:
        with EmbeddedStore(None) as store:
            store.publish(golden_dataset())
            assert store.compact().note == "an in-memory store has no files"


class TestRemoteStore(StoreContract):
    @pytest.fixture
    def server(self, tmp_path: Path) -> Iterator[str]:
        with oxigraph_server(tmp_path / "oxigraph") as url:
            yield url

    @pytest.fixture
    def store(self, server: str) -> Iterator[GraphStore]:
        with RemoteStore.oxigraph(server, timeout_s=30) as store:
            yield store

    @pytest.fixture
    def read_only(self, server: str) -> ReadOnly:
        return lambda: RemoteStore.oxigraph(server, read_only=True)
