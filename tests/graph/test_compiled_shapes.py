"""The compiled shapes report exactly what pyshacl reports: on every example, a realistic night and mutated graphs.

pyshacl alone (the full shapes graph, on the same kind of data graph the validator gives it) is the
reference; each mutation must change what the reference reports, so every case tests a violation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, XSD
from rdflib.term import Node

from pipelines.graph import load_shapes, validate_dataset, validate_graph
from pipelines.graph.shape_compiler import compile_shapes
from pipelines.graph.validation import _PreparedQueryGraph, _pyshacl_lines, compiled_shapes
from pipelines.namespaces import ITSRDF, NG, NIF, SCHEMA, WD, Namespaces
from tests.graph.samples import golden_copies

EXAMPLES = Path(__file__).resolve().parents[2] / "ontology" / "examples"
NGSH = "https://w3id.org/newsgraph/shapes#"


def _reference(graph: Graph, shapes: Graph | None = None) -> list[str]:
    """pyshacl alone with the whole shapes graph, on a copy of the graph as the validator holds it."""
    data = _PreparedQueryGraph()
    for triple in graph:
        data.add(triple)
    return sorted(_pyshacl_lines(data, shapes if shapes is not None else load_shapes(), "g"))


def _copy(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(triple)
    return out


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*/*.ttl")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_example_gives_pyshacls_lines(example: Path) -> None:
    data = Graph().parse(example, format="turtle")
    expected = _reference(data)
    assert validate_graph(data, name="g") == expected
    assert bool(expected) == example.stem.startswith("invalid")


def _golden_article() -> Graph:
    ds = golden_copies(1)[0]
    return ds.graph(URIRef(f"{Namespaces().base_iri}graph/article/bench0000"))


def _base() -> Graph:
    """The golden article graph with every valid example: each shape has focus nodes in it."""
    base = _copy(_golden_article())
    for example in sorted(EXAMPLES.glob("*/valid.ttl")):
        base.parse(example, format="turtle")
    return base


def _first(graph: Graph, cls: URIRef) -> URIRef:
    found = sorted((s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)), key=str)
    assert found, f"no {cls} in the base graph"
    return found[0]


def _rename(graph: Graph, old: URIRef, new: URIRef) -> None:
    for s, p, o in list(graph.triples((old, None, None))):
        graph.remove((s, p, o))
        graph.add((new, p, o))
    for s, p, o in list(graph.triples((None, None, old))):
        graph.remove((s, p, o))
        graph.add((s, p, new))


def _mention(g: Graph) -> URIRef:
    return _first(g, NIF.Phrase)


def _context(g: Graph) -> URIRef:
    return next(o for o in g.objects(_mention(g), NIF.referenceContext) if isinstance(o, URIRef))


def _article(g: Graph) -> URIRef:
    return _first(g, SCHEMA.NewsArticle)


def _quote(g: Graph) -> URIRef:
    return _first(g, SCHEMA.Quotation)


def _linked(g: Graph) -> URIRef:
    return next(o for o in g.objects(_mention(g), ITSRDF.taIdentRef) if isinstance(o, URIRef))


def _value(g: Graph, subject: Node, predicate: URIRef) -> Node:
    value = g.value(subject, predicate)
    assert value is not None, f"{subject} has no {predicate}"
    return value


MUTATIONS: dict[str, Callable[[Graph], object]] = {
    "mention without context": lambda g: g.remove((_mention(g), NIF.referenceContext, None)),
    "mention with two anchors": lambda g: g.add((_mention(g), NIF.anchorOf, Literal("zwei"))),
    "anchor with a language": lambda g: g.set(
        (_mention(g), NIF.anchorOf, Literal(str(g.value(_mention(g), NIF.anchorOf)), lang="de"))
    ),
    "empty anchor": lambda g: g.set((_mention(g), NIF.anchorOf, Literal(""))),
    "anchor with a backslash": lambda g: g.set((_mention(g), NIF.anchorOf, Literal("a\\d"))),
    "class ref outside the list": lambda g: g.set((_mention(g), ITSRDF.taClassRef, SCHEMA.Event)),
    "confidence above one": lambda g: g.set((_mention(g), NG.linkingConfidence, Literal(1.5))),
    "confidence as text": lambda g: g.set((_mention(g), NG.linkingConfidence, Literal("0.5"))),
    "entity as a literal": lambda g: g.set((_mention(g), ITSRDF.taIdentRef, Literal("Q1"))),
    "entity as a blank node": lambda g: g.set((_mention(g), ITSRDF.taIdentRef, BNode("e1"))),
    "mention IRI without its offsets": lambda g: _rename(g, _mention(g), URIRef(str(_mention(g)) + "x")),
    "begin after end": lambda g: g.set((_mention(g), NIF.beginIndex, _value(g, _mention(g), NIF.endIndex))),
    "end index as text": lambda g: g.set((_mention(g), NIF.endIndex, Literal("12"))),
    "ill-typed begin index": lambda g: g.set((_mention(g), NIF.beginIndex, Literal("abc", datatype=XSD.integer))),
    "negative begin index": lambda g: g.set((_mention(g), NIF.beginIndex, Literal(-3, datatype=XSD.integer))),
    "ill-typed begin, end past the text": lambda g: (
        g.set((_mention(g), NIF.beginIndex, Literal("abc", datatype=XSD.integer))),
        g.set((_mention(g), NIF.endIndex, Literal(10**6, datatype=XSD.nonNegativeInteger))),
    ),
    "context length wrong": lambda g: g.set((_context(g), NIF.endIndex, Literal(5, datatype=XSD.nonNegativeInteger))),
    "context end index as text": lambda g: g.set((_context(g), NIF.endIndex, Literal("5"))),
    "context IRI without its length": lambda g: _rename(g, _context(g), URIRef(str(_context(g)) + "/x")),
    "context text with a language": lambda g: g.set(
        (_context(g), NIF.isString, Literal(str(g.value(_context(g), NIF.isString)), lang="de"))
    ),
    "body differs from the context": lambda g: g.set((_article(g), SCHEMA.articleBody, Literal("anders"))),
    "linked entity not listed": lambda g: g.remove((_article(g), SCHEMA.mentions, _linked(g))),
    "language code in capitals": lambda g: g.set((_article(g), SCHEMA.inLanguage, Literal("DE"))),
    "publisher not an organisation": lambda g: g.remove(
        (g.value(_article(g), SCHEMA.publisher), RDF.type, SCHEMA.Organization)
    ),
    "publisher without a name": lambda g: g.remove((g.value(_article(g), SCHEMA.publisher), SCHEMA.name, None)),
    "content hash in capitals": lambda g: g.set((_first(g, NG.RawPage), NG.contentHash, Literal("AB" * 32))),
    "label without a language": lambda g: g.add((_linked(g), RDFS.label, Literal("Ohne Sprache"))),
    "two German labels": lambda g: g.add((_linked(g), RDFS.label, Literal("Zweiter Name", lang="de"))),
    "entity neither Wikidata nor NIL": lambda g: g.add(
        (_article(g), SCHEMA.mentions, URIRef("https://example.org/entity/x"))
    ),
    "NIL entity with a Wikidata IRI": lambda g: g.add((_linked(g), RDF.type, NG.NilEntity)),
    "NIL entity untyped": lambda g: [
        g.remove((nil, RDF.type, t))
        for nil in list(g.subjects(RDF.type, NG.NilEntity))
        for t in (SCHEMA.Person, SCHEMA.Place, SCHEMA.Organization, NG.Miscellaneous)
    ],
    "quote text differs": lambda g: g.set((_quote(g), SCHEMA.text, Literal("Es eilte."))),
    "quote kind unknown": lambda g: g.set((_quote(g), NG.quoteKind, Literal("shouted"))),
    "quote past the text": lambda g: g.set((_quote(g), NIF.endIndex, Literal(500, datatype=XSD.nonNegativeInteger))),
    "role holder not a person": lambda g: g.set((_first(g, NG.RoleStatement), NG.roleHolder, WD.Q7184)),
    "run ends before it starts": lambda g: g.set(
        (_first(g, NG.NightlyRun), PROV.endedAtTime, Literal("2000-01-01T00:00:00", datatype=XSD.dateTime))
    ),
    "removal on line zero": lambda g: g.set((_first(g, NG.Removal), NG.sourceLine, Literal(0, datatype=XSD.integer))),
    "story of one article": lambda g: g.remove(
        (_first(g, NG.Story), NG.storyArticle, sorted(g.objects(_first(g, NG.Story), NG.storyArticle), key=str)[0])
    ),
    "tally count negative": lambda g: g.set(
        (_first(g, NG.OutletDayTally), NG.articleCount, Literal(-1, datatype=XSD.integer))
    ),
    "a subclass of phrase": lambda g: (
        g.add((URIRef("https://example.org/Span"), RDFS.subClassOf, NIF.Phrase)),
        g.add((URIRef("https://example.org/span/1"), RDF.type, URIRef("https://example.org/Span"))),
    ),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_each_kind_of_violation_gives_pyshacls_lines(mutation: str) -> None:
    base = _base()
    graph = _copy(base)
    MUTATIONS[mutation](graph)
    expected = _reference(graph)
    assert expected != _reference(base), "the mutation must change what pyshacl reports"
    assert validate_graph(graph, name="g") == expected


def test_a_night_gives_pyshacls_lines_per_graph() -> None:
    datasets = golden_copies(3)
    night = datasets[0]
    for ds in datasets[1:]:
        for graph in ds.graphs():
            target = night.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    broken = night.graph(URIRef(f"{Namespaces().base_iri}graph/article/bench0001"))
    MUTATIONS["body differs from the context"](broken)
    MUTATIONS["entity as a blank node"](broken)
    result = validate_dataset(night)
    assert not result.conforms
    expected = {
        str(g.identifier): [line.replace("g: ", "", 1) for line in _reference(g)] for g in night.graphs() if len(g)
    }
    assert {name: count for name, count in result.per_graph.items()} == {n: len(v) for n, v in expected.items()}
    found = sorted(line.split(": ", 1)[1] for line in result.violations)
    assert found == sorted(line for lines in expected.values() for line in lines)


def test_the_shipped_shapes_compile_whole() -> None:
    shapes = load_shapes()
    compiled = compile_shapes(shapes)
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    targeted = {s for t in targets for s in shapes.subjects(t)}
    assert compiled.fallback == {}
    assert compiled.pyshacl_shapes is None
    assert {t.shape.spec.node for t in compiled.targeted} == targeted


def test_a_graph_the_checks_cannot_decide_goes_to_pyshacl_whole(caplog: pytest.LogCaptureFixture) -> None:
    graph = _copy(_base())
    MUTATIONS["context text with a language"](graph)
    compiled = compiled_shapes(load_shapes())
    before = compiled.graphs_to_pyshacl
    assert validate_graph(graph, name="g") == _reference(graph)
    assert compiled.graphs_to_pyshacl == before + 1
    assert "graph g is validated by pyshacl" in caplog.text


def _shapes_copy() -> Graph:
    copy = Graph()
    shapes = load_shapes()
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    for triple in shapes:
        copy.add(triple)
    return copy


def test_an_unknown_component_leaves_its_shape_to_pyshacl(caplog: pytest.LogCaptureFixture) -> None:
    shapes = _shapes_copy()
    story = URIRef(NGSH + "StoryShape")
    shapes.add((story, SH.hasValue, Literal("nie")))
    compiled = compile_shapes(shapes)
    assert set(compiled.fallback) == {story}
    assert "hasValue" in compiled.fallback[story]
    assert f"SHACL shape {story} is validated by pyshacl, not compiled" in caplog.text
    assert compiled.pyshacl_shapes is not None
    graph = _base()
    expected = _reference(graph, shapes)
    assert any("StoryShape" in line or "nie" in line for line in expected)
    assert validate_graph(graph, shapes, name="g") == expected


def test_an_edited_sparql_constraint_leaves_its_shape_to_pyshacl() -> None:
    shapes = _shapes_copy()
    constraint = next(o for o in shapes.objects(None, SH.sparql) if "anchorOf" in str(shapes.value(o, SH.select)))
    shapes.set((constraint, SH.select, Literal(str(shapes.value(constraint, SH.select)) + " LIMIT 5")))
    compiled = compile_shapes(shapes)
    assert set(compiled.fallback) == {URIRef(NGSH + "MentionShape")}
    assert "twin" in compiled.fallback[URIRef(NGSH + "MentionShape")]
    graph = _copy(_base())
    MUTATIONS["anchor with a language"](graph)
    assert validate_graph(graph, shapes, name="g") == _reference(graph, shapes)


def test_a_changed_prefix_leaves_the_sparql_constraints_to_pyshacl() -> None:
    shapes = _shapes_copy()
    declaration = next(d for d in shapes.objects(None, SH.declare) if str(shapes.value(d, SH.prefix)) == "nif")
    shapes.set((declaration, SH.namespace, Literal("https://example.org/nif#", datatype=XSD.anyURI)))
    compiled = compile_shapes(shapes)
    assert URIRef(NGSH + "MentionShape") in compiled.fallback
    graph = _base()
    assert validate_graph(graph, shapes, name="g") == _reference(graph, shapes)


def test_an_edited_datatype_alternative_is_checked_as_pyshacl_checks_it() -> None:
    """Every ``sh:or`` member of the offsets gets an upper bound: the compiled form follows the edit."""
    shapes = _shapes_copy()
    members = sorted(
        (m for _s, _p, o in shapes.triples((None, SH["or"], None)) for m in shapes.items(o)),
        key=lambda m: str(shapes.value(m, SH.datatype)),
    )
    for member in members:
        if (member, SH.datatype, None) in shapes:
            shapes.add((member, SH.maxInclusive, Literal(100)))
    assert compile_shapes(shapes).fallback == {}
    graph = _base()
    expected = _reference(graph, shapes)
    assert expected != _reference(graph)
    assert validate_graph(graph, shapes, name="g") == expected
