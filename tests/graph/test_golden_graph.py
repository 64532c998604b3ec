"""The graph of a small fixed input equals tests/graph/golden/expected.trig, graph by graph.

If the model changes on purpose, regenerate the file with
``python -m tests.graph.regenerate_golden`` and review the diff like code.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from pipelines.graph import validate_dataset
from pipelines.namespaces import Namespaces
from tests.graph.samples import GOLDEN_DIR, golden_dataset


def _named_graphs(ds: Dataset) -> dict[URIRef, Graph]:
    return {g.identifier: g for g in ds.graphs() if len(g) and g.identifier != ds.default_graph.identifier}  # type: ignore[misc]


def _difference(expected: Graph, actual: Graph) -> str:
    _both, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = [f"- {' '.join(t.n3() for t in triple)}" for triple in sorted(only_expected)]
    lines += [f"+ {' '.join(t.n3() for t in triple)}" for triple in sorted(only_actual)]
    return "\n".join(lines)


def test_golden_dataset_matches_expected_trig_graph_by_graph() -> None:
    expected = Dataset()
    expected.parse(GOLDEN_DIR / "expected.trig", format="trig")
    actual = golden_dataset()
    expected_graphs, actual_graphs = _named_graphs(expected), _named_graphs(actual)
    assert sorted(actual_graphs) == sorted(expected_graphs), "named graphs differ"
    for name, graph in expected_graphs.items():
        assert isomorphic(graph, actual_graphs[name]), (
            f"graph <{name}> differs:\n{_difference(graph, actual_graphs[name])}"
        )


def test_golden_graph_is_valid_and_stable_across_builds() -> None:
    first, second = golden_dataset(), golden_dataset()
    assert validate_dataset(first).conforms
    first_graphs, second_graphs = _named_graphs(first), _named_graphs(second)
    for name, graph in first_graphs.items():
        assert isomorphic(graph, second_graphs[name])


def test_base_iri_parameter_moves_data_iris_but_not_vocabulary() -> None:
    other = golden_dataset(Namespaces("https://data.example.org/ng/"))
    names = {str(n) for n in _named_graphs(other)}
    assert names == {
        "https://data.example.org/ng/graph/article/golden0001",
        "https://data.example.org/ng/graph/run/2026-11-20",
    }
    subjects = {str(s) for s, _p, _o, _g in other.quads((None, None, None, None))}
    assert not any(s.startswith("https://w3id.org/newsgraph/id/") for s in subjects)
    predicates = {str(p) for _s, p, _o, _g in other.quads((None, None, None, None))}
    assert "https://w3id.org/newsgraph/ontology#linkingConfidence" in predicates
    assert validate_dataset(other).conforms
