"""Our vocabulary, the namespace module and the JSON-LD context say the same thing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from pipelines.namespaces import NG, PREFIXES, VOCAB_IRI
from tests.graph.samples import golden_dataset

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"


def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "newsgraph.ttl", format="turtle")


def _defined_terms() -> set[str]:
    return {str(s)[len(VOCAB_IRI) :] for s in _ontology().subjects() if str(s).startswith(VOCAB_IRI)}


def test_namespace_module_declares_exactly_the_ontology_terms() -> None:
    declared = {name for name in NG.__annotations__ if not name.startswith("_")}
    assert declared == _defined_terms()


def test_every_term_is_typed_labelled_and_explained() -> None:
    graph = _ontology()
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for name in _defined_terms():
        term = URIRef(VOCAB_IRI + name)
        assert kinds & set(graph.objects(term, RDF.type)), f"ng:{name} has no OWL type"
        assert any(isinstance(x, Literal) and x.language == "en" for x in graph.objects(term, RDFS.label)), name
        assert graph.value(term, RDFS.comment) is not None, f"ng:{name} has no rdfs:comment"


def test_shapes_queries_examples_and_context_use_only_defined_terms() -> None:
    defined = _defined_terms()
    files = [
        *ONTOLOGY.glob("shapes/*.ttl"),
        *ONTOLOGY.glob("queries/*.rq"),
        *ONTOLOGY.glob("examples/*/*.ttl"),
    ]
    files.append(ONTOLOGY / "context.jsonld")
    for path in files:
        text = path.read_text(encoding="utf-8")
        used = set(re.findall(r"\bng:([A-Za-z]+)", text)) | set(re.findall(re.escape(VOCAB_IRI) + r"([A-Za-z]+)", text))
        assert used <= defined, f"{path.name} uses undefined ng: terms {sorted(used - defined)}"


def _context() -> dict[str, object]:
    context = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert isinstance(context, dict)
    return context


def test_context_prefixes_match_the_namespace_module() -> None:
    context = _context()
    for prefix, namespace in PREFIXES.items():
        if prefix in context:
            assert context[prefix] == namespace, prefix


def test_context_covers_every_class_and_property_the_graph_uses() -> None:
    context = _context()
    expanded = set()
    for key, value in context.items():
        target = value["@id"] if isinstance(value, dict) else value
        if isinstance(target, str) and ":" in target and not key.startswith("@"):
            prefix, local = target.split(":", 1)
            if prefix in context and isinstance(context[prefix], str):
                expanded.add(str(context[prefix]) + local)
    ds = golden_dataset()
    used = {str(p) for _s, p, _o, _g in ds.quads((None, None, None, None)) if p != RDF.type}
    used |= {str(o) for _s, p, o, _g in ds.quads((None, RDF.type, None, None))}
    assert used <= expanded, f"context.jsonld lacks terms for {sorted(used - expanded)}"


def test_graphs_round_trip_through_json_ld_with_the_context() -> None:
    context = _context()
    ds = golden_dataset()
    for named in ds.graphs():
        if not len(named):
            continue
        graph = Graph()
        for triple in named:
            graph.add(triple)
        document = graph.serialize(format="json-ld", context=context, auto_compact=True)
        compacted = json.loads(document)
        assert "@graph" in compacted and all("@id" in node for node in compacted["@graph"])
        back = Graph().parse(data=document, format="json-ld")
        assert isomorphic(graph, back), f"JSON-LD round trip changed <{named.identifier}>"
