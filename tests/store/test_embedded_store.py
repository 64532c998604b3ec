"""The published store: transactional replace of named graphs, idempotent reruns, the validation gate."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from pipelines.graph import build_article_graph, build_run_graph, validate_dataset
from pipelines.namespaces import NIF, SCHEMA, Namespaces
from pipelines.store import (
    EmbeddedStore,
    PublishError,
    SelectResult,
    StoreError,
    StoreQueryError,
    ValidationFailedError,
    publish_validated,
)
from tests.graph.samples import golden_dataset, golden_input, merge

ARTICLE_GRAPH = "https://w3id.org/newsgraph/id/graph/article/golden0001"
RUN_GRAPH = "https://w3id.org/newsgraph/id/graph/run/2026-11-20"


def canonical(graph: Graph) -> Graph:
    """The graph as oxigraph stores it: derived integer types become xsd:integer, times and doubles by value.

    (oxigraph normalises literals on write, see https://github.com/oxigraph/oxigraph/issues/526.)
    """
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None:
            if o.datatype in INTEGER_TYPES:
                o = Literal(int(o), datatype=XSD.integer)
            elif o.datatype in (XSD.dateTime, XSD.double):
                o = Literal(o.toPython(), datatype=o.datatype)
        out.add((s, p, o))
    return out


INTEGER_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger}


def _nquads(store: EmbeddedStore, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / name
    store.dump(path, "nquads")
    return sorted(path.read_text(encoding="utf-8").splitlines())


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "store")


def test_publishing_the_same_night_twice_leaves_the_store_identical(store: EmbeddedStore, tmp_path: Path) -> None:
    first = store.publish(golden_dataset())
    count, dump = store.triple_count(), _nquads(store, tmp_path, "first.nq")
    second = store.publish(golden_dataset())
    assert first == {"graphs": 2, "replaced": 0, "triples": count, "previous_triples": 0}
    assert second == {"graphs": 2, "replaced": 2, "triples": count, "previous_triples": count}
    assert store.triple_count() == count
    assert store.graph_count() == 2
    assert _nquads(store, tmp_path, "second.nq") == dump


def test_store_graphs_equal_the_published_graphs(store: EmbeddedStore) -> None:
    ds = golden_dataset()
    store.publish(ds)
    assert store.graph_names() == [ARTICLE_GRAPH, RUN_GRAPH]
    for name in (ARTICLE_GRAPH, RUN_GRAPH):
        assert isomorphic(canonical(store.graph(name)), canonical(ds.graph(URIRef(name))))


def test_republishing_an_article_replaces_its_graph_and_keeps_the_others(store: EmbeddedStore) -> None:
    data = golden_input()
    ns = Namespaces()
    store.publish(golden_dataset())
    other_raw = dataclasses.replace(data["raw"], doc_id="other0002", url="https://example.org/other")
    store.publish(build_article_graph(other_raw, data["clean"], data["mentions"], data["entities"], data["run"], ns))
    fewer = data["mentions"][:2]
    rescraped = build_article_graph(data["raw"], data["clean"], fewer, data["entities"], data["run"], ns)
    report = store.publish(rescraped)
    assert report["replaced"] == 1
    assert store.graph_count() == 3
    mentions = store.query(
        f"SELECT (COUNT(?m) AS ?n) WHERE {{ GRAPH <{ARTICLE_GRAPH}> {{ ?m a <{NIF.Phrase}> }} }}",
        union_default_graph=False,
    )
    assert isinstance(mentions, SelectResult)
    assert mentions.rows[0][0] == Literal(2)
    assert isomorphic(canonical(store.graph(ARTICLE_GRAPH)), canonical(rescraped.graph(URIRef(ARTICLE_GRAPH))))
    assert len(store.graph("https://w3id.org/newsgraph/id/graph/article/other0002")) > 0


def test_failed_validation_leaves_the_published_store_unchanged(store: EmbeddedStore, tmp_path: Path) -> None:
    publish_validated(store, golden_dataset())
    before = _nquads(store, tmp_path, "before.nq")
    data = golden_input()
    ns = Namespaces()
    # a second, valid article in the same batch must not be published either
    good_raw = dataclasses.replace(data["raw"], doc_id="good0003", url="https://example.org/good")
    good = build_article_graph(good_raw, data["clean"], data["mentions"], data["entities"], data["run"], ns)
    bad = golden_dataset()
    bad.graph(URIRef(ARTICLE_GRAPH)).set(
        (
            URIRef("https://w3id.org/newsgraph/id/article/golden0001/text#char=186,192"),
            NIF.anchorOf,
            Literal("Bonn"),
        )
    )
    with pytest.raises(ValidationFailedError, match="1 SHACL violation") as info:
        publish_validated(store, merge(bad, good))
    assert info.value.result.per_graph[ARTICLE_GRAPH] == 1
    assert _nquads(store, tmp_path, "after.nq") == before


def test_publish_refuses_default_graph_triples_and_bad_terms_without_writing(store: EmbeddedStore) -> None:
    store.publish(golden_dataset())
    count = store.triple_count()
    ds = golden_dataset()
    ds.add((URIRef("https://example.org/s"), SCHEMA.name, Literal("x")))
    with pytest.raises(PublishError, match="default graph"):
        store.publish(ds)
    broken = golden_dataset()
    broken.graph(URIRef(ARTICLE_GRAPH)).add((URIRef("https://example.org/a b"), SCHEMA.name, Literal("x")))
    with pytest.raises(PublishError, match="nothing written"):
        store.publish(broken)
    assert store.triple_count() == count


def test_an_empty_graph_in_a_batch_deletes_that_graph(store: EmbeddedStore) -> None:
    store.publish(golden_dataset())
    takedown = Dataset()
    takedown.graph(URIRef(ARTICLE_GRAPH))  # declared, no triples
    report = store.publish(takedown)
    assert report == {
        "graphs": 1,
        "replaced": 1,
        "triples": 0,
        "previous_triples": report["previous_triples"],
    }
    assert report["previous_triples"] > 0
    assert store.graph_names() == [RUN_GRAPH]
    store.remove_graphs([RUN_GRAPH])
    assert store.graph_count() == 0 and store.triple_count() == 0


def test_a_store_dump_still_conforms_to_the_shapes(store: EmbeddedStore, tmp_path: Path) -> None:
    """oxigraph normalises literals on write (nonNegativeInteger -> integer); the shapes accept that."""
    store.publish(golden_dataset())
    store.dump(tmp_path / "dump.nq", "nquads")
    dumped = Dataset()
    dumped.parse(tmp_path / "dump.nq", format="nquads")
    result = validate_dataset(dumped)
    assert result.conforms, result.summary()
    assert result.per_graph == {ARTICLE_GRAPH: 0, RUN_GRAPH: 0}


def test_query_result_kinds_and_errors(store: EmbeddedStore) -> None:
    store.publish(golden_dataset())
    select = store.query(f"SELECT ?name WHERE {{ ?p a <{SCHEMA.Organization}> ; <{SCHEMA.name}> ?name }}")
    assert isinstance(select, SelectResult)
    assert select.python() == [{"name": "Example Zeitung"}]
    assert store.query(f"ASK {{ ?a a <{SCHEMA.NewsArticle}> }}") is True
    construct = store.query(
        f"CONSTRUCT {{ ?a <{SCHEMA.url}> ?u }} WHERE {{ ?a a <{SCHEMA.NewsArticle}> ; <{SCHEMA.url}> ?u }}"
    )
    assert isinstance(construct, Graph) and len(construct) == 1
    bound = store.query(
        "SELECT ?e ?label WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        substitutions={"e": URIRef("http://www.wikidata.org/entity/Q64")},
    )
    assert isinstance(bound, SelectResult) and {row[1] for row in bound} == {
        Literal("Berlin", lang="de"),
        Literal("Berlin", lang="en"),
    }
    assert b'"boolean":true' in store.query_serialized("ASK { ?s ?p ?o }")
    assert store.query_serialized("SELECT ?s WHERE { ?s a <http://schema.org/NewsArticle> }", "csv").startswith(
        b"s\r\n"
    )
    with pytest.raises(StoreQueryError, match="malformed SPARQL query"):
        store.query("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(StoreQueryError, match="unknown result format"):
        store.query_serialized("SELECT ?s WHERE { ?s ?p ?o }", "yaml")


def test_dump_formats_round_trip(store: EmbeddedStore, tmp_path: Path) -> None:
    ds = golden_dataset()
    store.publish(ds)
    for fmt in ("nquads", "trig"):
        path = tmp_path / f"dump.{fmt}"
        assert store.dump(path, fmt) == store.triple_count()
        back = Dataset()
        back.parse(path, format=fmt)
        assert isomorphic(canonical(back.graph(URIRef(ARTICLE_GRAPH))), canonical(ds.graph(URIRef(ARTICLE_GRAPH))))
    with pytest.raises(StoreError, match="unknown dump format"):
        store.dump(tmp_path / "x.ttl", "turtle")


def test_a_second_process_reads_the_store_read_only(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = EmbeddedStore(path)
    writer.publish(golden_dataset())
    count = writer.triple_count()
    writer.flush()
    del writer
    code = (
        "import sys; from pathlib import Path; from pipelines.store import EmbeddedStore, PublishError\n"
        f"s = EmbeddedStore(Path({str(path)!r}), read_only=True)\n"
        "print(s.triple_count())\n"
        "from rdflib import Dataset\n"
        "try:\n    s.publish(Dataset())\nexcept PublishError as e:\n    print('refused', e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(count)
    assert "refused" in done.stdout and "read-only" in done.stdout


def test_close_releases_the_store_for_the_next_writer(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as first:
        first.publish(golden_dataset())
        count = first.triple_count()
        with pytest.raises(StoreError, match="cannot open store"):
            EmbeddedStore(path)  # the first writer still holds the lock
    with EmbeddedStore(path) as second:
        assert second.triple_count() == count


def test_opening_a_missing_store_read_only_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        EmbeddedStore(tmp_path / "nothing", read_only=True)


def test_run_graph_of_a_rerun_replaces_the_night_record(store: EmbeddedStore) -> None:
    run = golden_input()["run"]
    ns = Namespaces()
    store.publish(build_run_graph(run, ns, {"articles": 1}))
    store.publish(build_run_graph(dataclasses.replace(run, ended_at="2026-11-21T03:00:00+00:00"), ns, {"articles": 2}))
    ended = store.query("SELECT ?end WHERE { ?r <http://www.w3.org/ns/prov#endedAtTime> ?end }")
    assert isinstance(ended, SelectResult) and len(ended) == 1
    assert str(ended.rows[0][0]) == "2026-11-21T03:00:00+00:00"
