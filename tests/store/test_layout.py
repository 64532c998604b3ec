"""The store's layout: what many articles share is described once, in its own graph; read back as
documents, the store gives the night's self-contained graphs again."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from pipelines.graph.documents import documents
from pipelines.graph.validation import validate_dataset
from pipelines.namespaces import Namespaces
from pipelines.oxterms import to_ox
from pipelines.store import EmbeddedStore, PublishError
from pipelines.store.layout import StoreLayout
from tests.graph.samples import golden_dataset
from tests.support.documents import canonical, other_article, trig_file

NS = Namespaces()


@pytest.mark.parametrize(
    ("node", "graph"),
    [
        ("http://www.wikidata.org/entity/Q64", "graph/described/wikidata/Q64"),
        (
            "https://w3id.org/newsgraph/id/nil/org/nato-russland-rat-328c404731",
            "graph/described/nil/org/nato-russland-rat-328c404731",
        ),
        ("https://w3id.org/newsgraph/id/publisher/example-zeitung", "graph/described/publisher/example-zeitung"),
        ("https://w3id.org/newsgraph/id/article/golden0001", None),
        ("http://www.wikidata.org/entity/P31", None),
        ("https://w3id.org/newsgraph/id/nil/", None),
        ("https://example.org/publisher/x", None),
    ],
)
def test_which_nodes_have_a_description_graph(node: str, graph: str | None) -> None:
    placed = StoreLayout().description_graph(ox.NamedNode(node))
    assert (placed.value if placed else None) == (NS.base_iri + graph if graph else None)


def test_a_custom_base_iri_places_under_its_own_base() -> None:
    ns = Namespaces("https://news.example/id/")
    layout = StoreLayout(ns)
    assert layout.description_graph(ox.NamedNode("https://w3id.org/newsgraph/id/publisher/x")) is None
    placed = layout.description_graph(ox.NamedNode("https://news.example/id/publisher/x"))
    assert placed == ox.NamedNode("https://news.example/id/graph/described/publisher/x")
    assert layout.description_graph(ox.NamedNode("http://www.wikidata.org/entity/Q1")) == ox.NamedNode(
        "https://news.example/id/graph/described/wikidata/Q1"
    )


def _quads(ds: Dataset) -> list[ox.Quad]:
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in ds.quads() if g is not None]  # type: ignore[arg-type]


def test_descriptions_come_once_and_after_what_the_articles_say() -> None:
    quads = _quads(golden_dataset()) + _quads(other_article())
    placed = list(StoreLayout().place(quads))
    described = [i for i, q in enumerate(placed) if q.graph_name.value.startswith(NS.described_graph_prefix)]  # type: ignore[union-attr]
    assert described and described == list(range(described[0], len(placed)))
    assert len(set(placed)) == len(placed)
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    assert {(q.subject, q.predicate, q.object) for q in placed} == triples


def test_a_dump_read_back_as_documents_is_the_night_again(tmp_path: Path) -> None:
    night = golden_dataset()
    with EmbeddedStore(tmp_path / "store") as store:
        store.publish_file(trig_file(night, tmp_path / "graph.trig"))
        store.dump(tmp_path / "dump.nq", "nquads")
    dumped = Dataset()
    dumped.parse(tmp_path / "dump.nq", format="nquads")
    back = {str(g.identifier): g for g in documents(dumped)}
    own = {str(g.identifier): g for g in night.graphs() if len(g)}
    assert sorted(back) == sorted(own)
    for name, graph in own.items():
        assert isomorphic(canonical(back[name]), canonical(graph)), name
    assert validate_dataset(dumped).conforms


def test_a_night_published_in_batches_is_placed_the_same(tmp_path: Path) -> None:
    """Big nights go in as several transactions; the descriptions still come whole and once."""
    night = golden_dataset()
    for graph in other_article().graphs():
        for triple in graph:
            night.graph(graph.identifier).add(triple)
    path = trig_file(night, tmp_path / "graph.trig")
    with EmbeddedStore(tmp_path / "one") as one, EmbeddedStore(tmp_path / "batched") as batched:
        one.publish_file(path)
        batched.publish_file(path, batch_quads=50)
        batched.publish_file(path, batch_quads=50)  # a rerun replaces, as in one transaction
        assert sorted(map(str, batched.quads())) == sorted(map(str, one.quads()))


@pytest.mark.parametrize("batch_quads", [20, 50, 10_000])
def test_a_validated_night_read_once_is_published_as_read_twice(tmp_path: Path, batch_quads: int) -> None:
    """A validated file goes in with one read (its graphs dropped batch by batch): the store and the counts
    are those of the publication that scans the file first, on an empty store, on a rerun, and with
    another night's article and descriptions already in (small files still go in one transaction)."""
    night = golden_dataset()
    for graph in other_article().graphs():
        for triple in graph:
            night.graph(graph.identifier).add(triple)
    path = trig_file(night, tmp_path / "graph.trig")
    earlier = trig_file(other_article(), tmp_path / "earlier.trig")
    with EmbeddedStore(tmp_path / "twice") as twice, EmbeddedStore(tmp_path / "once") as once:
        for store in (twice, once):
            store.publish_file(earlier)
        for _ in range(2):  # the night, then its rerun
            expected = twice.publish_file(path, batch_quads=batch_quads)
            got = once.publish_file(path, batch_quads=batch_quads, validated=True)
            assert got == expected
            assert sorted(map(str, once.quads())) == sorted(map(str, twice.quads()))


def test_a_validated_night_with_a_default_graph_triple_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.nq"
    path.write_text(
        "".join(f"<http://a/{i}> <http://b> <http://c> <http://g{i}> .\n" for i in range(6))
        + "<http://a> <http://b> <http://c> .\n",
        encoding="utf-8",
    )
    with EmbeddedStore(tmp_path / "s") as store:
        with pytest.raises(PublishError, match=r"default graph.*the graphs before it are published"):
            store.publish_file(path, batch_quads=2, validated=True)
        with pytest.raises(PublishError, match="default graph"):
            store.publish_file(path, validated=True)
