"""The streamed graph file, validation and publication give what the whole-dataset versions give."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from pipelines.graph import load_shapes, validate_dataset
from pipelines.graph import validation as validation_module
from pipelines.graph.files import DatasetFileError
from pipelines.graph.stream import iter_graphs
from pipelines.graph.validation import _readable_results, validate_file, validate_graph
from pipelines.namespaces import NG, NIF, Namespaces
from pipelines.store import EmbeddedStore, PublishError
from tests.graph.samples import golden_copies, write_graph_file

EXAMPLES = Path(__file__).resolve().parents[2] / "ontology" / "examples"


def _named_graphs(datasets: list[Dataset]) -> dict[str, Graph]:
    return {str(g.identifier): g for ds in datasets for g in ds.graphs() if g.identifier != ds.default_graph.identifier}


def test_graph_file_streams_back_every_graph_intact(tmp_path: Path) -> None:
    datasets = golden_copies(3)
    path = write_graph_file(tmp_path / "graph.trig", datasets)
    expected = _named_graphs(datasets)
    read = list(iter_graphs(path))
    assert [str(g.identifier) for g in read] == list(expected)  # file order = build order
    for graph in read:
        assert isomorphic(graph, expected[str(graph.identifier)])
    halves = [str(g.identifier) for g in iter_graphs(path, 0, 2)] + [str(g.identifier) for g in iter_graphs(path, 1, 2)]
    assert sorted(halves) == sorted(expected)
    assert Dataset().parse(path, format="trig")  # one valid TriG file for any reader


def test_a_graph_split_across_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "split.nq"
    path.write_text(
        "<http://a> <http://b> <http://c> <http://g1> .\n"
        "<http://a> <http://b> <http://c> <http://g2> .\n"
        "<http://a> <http://b> <http://d> <http://g1> .\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetFileError, match="not contiguous"):
        list(iter_graphs(path))


def _pyshacl_alone(data: Graph, shapes: Graph) -> list[str]:
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    return _readable_results(report, "g")


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*/*.ttl")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_python_constraints_report_what_pyshacl_reports(example: Path) -> None:
    """The compiled shapes and pyshacl alone (on the example as parsed) give the same lines."""
    data = Graph().parse(example, format="turtle")
    shapes = load_shapes()
    assert validate_graph(data, shapes, name="g") == _pyshacl_alone(data, shapes)


ODD_OFFSETS = [
    Literal(5, datatype=XSD.nonNegativeInteger),
    Literal("-1", datatype=XSD.nonNegativeInteger),  # ill-typed
    Literal("007", datatype=XSD.nonNegativeInteger),
    Literal(5, datatype=XSD.integer),
    Literal(-5, datatype=XSD.integer),
    Literal("abc", datatype=XSD.integer),  # ill-typed
    Literal(5, datatype=XSD.int),
    Literal("5_0", datatype=XSD.integer),
    Literal("1", datatype=XSD.boolean),
    Literal("5", datatype=XSD.decimal),
    Literal("5e0", datatype=XSD.double),
    Literal("5"),
    Literal("5", lang="de"),
    URIRef("https://example.org/five"),
]


@pytest.mark.parametrize("odd", ODD_OFFSETS, ids=lambda term: term.n3())
def test_the_datatype_alternatives_decide_like_pyshacl(odd: URIRef | Literal) -> None:
    """``sh:or ( [sh:datatype D] [sh:datatype xsd:integer; sh:minInclusive N] )`` compiled: same verdicts."""
    graph = _named_graphs(golden_copies(1))[f"{Namespaces().base_iri}graph/article/bench0000"]
    mention = next(graph.subjects(NIF.anchorOf, None))
    graph.set((mention, NIF.endIndex, odd))
    removal = next(graph.subjects(RDF.type, NG.Removal))
    graph.set((removal, NG.removedCharCount, odd))
    graph.set((removal, NG.sourceLine, odd))
    shapes = load_shapes()
    assert validate_graph(graph, shapes, name="g") == _pyshacl_alone(graph, shapes)


def test_a_broken_anchor_and_a_wrong_iri_are_caught_by_the_compiled_shapes() -> None:
    graph = _named_graphs(golden_copies(1))[f"{Namespaces().base_iri}graph/article/bench0000"]
    mention = next(graph.subjects(NIF.anchorOf, None))
    graph.set((mention, NIF.anchorOf, Literal("Nirgendwo")))
    graph.set((mention, NIF.endIndex, Literal(10**6)))
    found = validate_graph(graph, load_shapes(), name="g")
    assert any("Nirgendwo is not the context text" in line and "(outside the text)" in line for line in found)
    assert any("#char=<nif:beginIndex>,<nif:endIndex>" in line for line in found)


def test_streamed_validation_equals_whole_dataset_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    datasets = golden_copies(4)
    graphs = _named_graphs(datasets)
    broken = graphs[f"{Namespaces().base_iri}graph/article/bench0002"]
    mention = next(broken.subjects(NIF.anchorOf, None))
    broken.set((mention, NIF.anchorOf, Literal("falsch")))
    path = write_graph_file(tmp_path / "graph.trig", datasets)
    whole = Dataset()
    for name, graph in graphs.items():
        target = whole.graph(URIRef(name))
        for triple in graph:
            target.add(triple)
    expected = validate_dataset(whole)
    serial = validate_file(path)
    monkeypatch.setattr(validation_module, "PARALLEL_MIN_BYTES", 0)
    parallel = validate_file(path, workers=2)
    for result in (serial, parallel):
        assert not result.conforms
        assert sorted(result.violations) == sorted(expected.violations)
        assert result.per_graph == expected.per_graph


def test_publish_file_equals_publish_and_replaces_on_rerun(tmp_path: Path) -> None:
    datasets = golden_copies(3)
    path = write_graph_file(tmp_path / "graph.trig", datasets)
    whole = Dataset()
    for name, graph in _named_graphs(datasets).items():
        target = whole.graph(URIRef(name))
        for triple in graph:
            target.add(triple)
    with EmbeddedStore(tmp_path / "a") as a, EmbeddedStore(tmp_path / "b") as b:
        counts = a.publish(whole)
        streamed = b.publish_file(path, batch_quads=50)  # several transactions of whole graphs
        assert streamed == counts
        assert a.graph_names() == b.graph_names()
        for name in a.graph_names():
            assert isomorphic(a.graph(name), b.graph(name))
        rerun = b.publish_file(path)
        assert rerun["replaced"] == rerun["graphs"] and b.triple_count() == a.triple_count()


def test_publish_file_refuses_default_graph_triples_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "bad.nq"
    path.write_text(
        "<http://a> <http://b> <http://c> <http://g1> .\n<http://a> <http://b> <http://c> .\n", encoding="utf-8"
    )
    with EmbeddedStore(tmp_path / "s") as store:
        with pytest.raises(PublishError, match="default graph"):
            store.publish_file(path)
        assert store.triple_count() == 0
