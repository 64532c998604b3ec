"""Every shape file has a valid and invalid examples; each invalid one fails exactly as its comments say.

An invalid example declares what it must violate in lines ``# expect: <constraint component> <path or ->``.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from pipelines.graph import load_shapes
from pipelines.namespaces import PREFIXES

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"
SHAPE_FILES = sorted(p.stem for p in (ONTOLOGY / "shapes").glob("*.ttl") if p.stem != "prefixes")
EXAMPLES = sorted((ONTOLOGY / "examples").glob("*/*.ttl"))


def _qname(node: object) -> str:
    if node is None:
        return "-"
    text = str(node)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"


def _violations(data: Graph) -> tuple[bool, set[tuple[str, str]]]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=load_shapes(), inference="none")
    assert isinstance(report, Graph)
    found = {
        (_qname(report.value(r, SH.sourceConstraintComponent)), _qname(report.value(r, SH.resultPath)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    return bool(conforms), found


def _expected(path: Path) -> set[tuple[str, str]]:
    lines = [
        line.split()[2:4] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# expect:")
    ]
    return {(component, target) for component, target in lines}


def test_shapes_are_split_by_concern() -> None:
    assert SHAPE_FILES == ["article", "context", "entity", "mention", "quote", "role", "run", "story", "tally"]


@pytest.mark.parametrize("shape", SHAPE_FILES)
def test_each_shape_file_has_valid_and_invalid_examples(shape: str) -> None:
    folder = ONTOLOGY / "examples" / shape
    assert (folder / "valid.ttl").is_file()
    assert list(folder.glob("invalid-*.ttl")), f"no invalid example for {shape}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_example_validates_as_declared(example: Path) -> None:
    data = Graph().parse(example, format="turtle")
    conforms, found = _violations(data)
    if example.stem == "valid":
        assert conforms, f"{example} should conform but violates {sorted(found)}"
        assert not _expected(example)
    else:
        expected = _expected(example)
        assert expected, f"{example} declares no '# expect:' lines"
        assert not conforms
        assert found == expected, f"{example}: expected {sorted(expected)}, got {sorted(found)}"


def test_shapes_graph_passes_meta_shacl() -> None:
    conforms, _report, text = pyshacl.validate(Graph(), shacl_graph=load_shapes(), meta_shacl=True)
    assert conforms, text


def test_meta_shacl_does_reject_a_broken_shape() -> None:
    broken = Graph()
    for triple in load_shapes():
        broken.add(triple)
    shape = URIRef("https://w3id.org/newsgraph/shapes#Broken")
    broken.add((shape, RDF.type, SH.NodeShape))
    broken.add((shape, SH.minCount, URIRef("https://example.org/not-a-number")))
    with pytest.raises(ReportableRuntimeError, match="MetaSHACL"):
        pyshacl.validate(Graph(), shacl_graph=broken, meta_shacl=True)
