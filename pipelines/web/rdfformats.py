"""The RDF serialisations the server writes, how they are asked for, and the writers.

Every format rdflib can write is offered except RDF Patch (a change log, not a representation)
and "long Turtle" (Turtle again, under the same media type). pyoxigraph writes Turtle, N-Triples,
N3, N-Quads and TriG fast; rdflib writes RDF/XML (it refuses a predicate it cannot split into a
namespace and a name instead of emitting broken XML), JSON-LD (compacted with our context), TriX
and HexTuples. The dataset formats write the default graph: linked-data clients (Comunica among
them) query a dereferenced document's default graph, and would see nothing in a named one; the
dumps keep the named graphs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import NamespaceManager

from pipelines.namespaces import FORMATS, ONTOLOGY_DIR, PREFIXES
from pipelines.web.results import Serialized


@dataclass(frozen=True)
class RdfFormat:
    name: str  # what ``format=`` and the code call it
    media_types: tuple[str, ...]  # the first is the one we answer with
    suffixes: tuple[str, ...]  # file extensions a resource URL may end in
    title: str
    w3c: str | None = None  # its name in http://www.w3.org/ns/formats/, when it has one
    datasets: bool = False  # a dataset format (written with the triples in its default graph)

    @property
    def iri(self) -> URIRef | None:
        return FORMATS[self.w3c] if self.w3c else None


RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", ("text/turtle", "application/x-turtle", "application/turtle"), ("ttl",), "Turtle", "Turtle"),
    RdfFormat("ntriples", ("application/n-triples", "text/plain"), ("nt",), "N-Triples", "N-Triples"),
    RdfFormat(
        "jsonld",
        ("application/ld+json", "application/json", "application/x-json+ld"),
        ("jsonld",),
        "JSON-LD",
        "JSON-LD",
    ),
    RdfFormat("rdfxml", ("application/rdf+xml", "application/xml", "text/xml"), ("rdf", "xml"), "RDF/XML", "RDF_XML"),
    RdfFormat("n3", ("text/n3", "text/rdf+n3", "application/n3"), ("n3",), "N3", "N3"),
    RdfFormat("nquads", ("application/n-quads", "text/x-nquads"), ("nq",), "N-Quads", "N-Quads", datasets=True),
    RdfFormat("trig", ("application/trig",), ("trig",), "TriG", "TriG", datasets=True),
    RdfFormat("trix", ("application/trix",), ("trix",), "TriX", datasets=True),
    RdfFormat("hext", ("application/hex+x-ndjson",), ("hext",), "HexTuples", datasets=True),
)
BY_NAME = {f.name: f for f in RDF_FORMATS}
BY_SUFFIX = {suffix: f for f in RDF_FORMATS for suffix in f.suffixes}
# format name -> the media types that ask for it, for content negotiation
GRAPH_FORMATS: dict[str, tuple[str, ...]] = {f.name: f.media_types for f in RDF_FORMATS}

_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "n3": ox.RdfFormat.N3,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
_PREFIXED = {"turtle", "n3", "trig", "rdfxml"}


class UnwritableGraphError(ValueError):
    """The graph cannot be written in the asked format (RDF/XML cannot name every predicate)."""


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object of ontology/context.jsonld (inlined into every JSON-LD answer)."""
    data = json.loads((ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))
    return dict(data["@context"])


def serialize_triples(triples: list[ox.Triple], fmt: str, prefixes: dict[str, str] | None = None) -> Serialized:
    """Triples in format ``fmt``; pyoxigraph's writers and HexTuples give the same bytes for the same graph."""
    if fmt not in BY_NAME:
        raise ValueError(f"unknown RDF format {fmt!r}; use one of {sorted(BY_NAME)}")
    spec = BY_NAME[fmt]
    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    used = _used_prefixes(triples, prefixes) if fmt in _PREFIXED else {}
    if fmt in _OX_FORMATS:
        default = ox.DefaultGraph()
        items = [ox.Quad(t.subject, t.predicate, t.object, default) for t in triples] if spec.datasets else triples
        body = ox.serialize(items, format=_OX_FORMATS[fmt], prefixes=used or None) or b""
        return Serialized(spec.media_types[0], body)
    rdf = _rdflib_graph(triples, fmt)
    if fmt == "jsonld":
        text = rdf.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    elif fmt == "rdfxml":
        for prefix, namespace in used.items():
            rdf.bind(prefix, namespace)
        try:
            text = rdf.serialize(format="xml")
        except ValueError as exc:
            raise UnwritableGraphError(f"this graph cannot be written as RDF/XML: {exc}") from exc
    elif fmt == "hext":  # one self-contained line per triple, in rdflib's (hash) order: sorted
        text = "".join(sorted(rdf.serialize(format=fmt).splitlines(keepends=True)))
    else:
        text = rdf.serialize(format=fmt)
    return Serialized(spec.media_types[0], text.encode("utf-8"))


def _used_prefixes(triples: list[ox.Triple], extra: dict[str, str] | None) -> dict[str, str]:
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return {k: v for k, v in {**PREFIXES, **(extra or {})}.items() if f"<{v}".encode() in text}


def _rdflib_graph(triples: list[ox.Triple], fmt: str) -> Graph:
    """An rdflib graph to write; for TriX a Dataset whose one graph has a blank name, which TriX leaves unnamed.

    (rdflib names a Dataset's default graph ``urn:x-rdflib:default`` in TriX; it also lists that
    graph, empty, beside the unnamed one.)
    """
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    if fmt != "trix":
        plain = Graph(bind_namespaces="core")
        plain.parse(data=data, format="nt")
        return plain
    dataset = Dataset()
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="core")
    dataset.graph(BNode()).parse(data=data, format="nt")
    return dataset
