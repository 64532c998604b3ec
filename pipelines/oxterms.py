"""Term conversion between rdflib (where graphs are built) and pyoxigraph (where they are stored)."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node


class TermConversionError(ValueError):
    """A term that the store cannot hold (e.g. an IRI with spaces)."""


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (which checks IRIs and language tags strictly)."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise TermConversionError(f"cannot store term {str(term)!r}: {exc}") from exc
    raise TermConversionError(f"cannot store term of type {type(term).__name__}: {term!r}")


def to_rdflib(term: object) -> Node | None:
    """A pyoxigraph term as an rdflib term; ``xsd:string`` literals become plain literals."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language:
            return Literal(term.value, lang=term.language)
        if datatype == str(XSD.string):
            return Literal(term.value)
        if datatype == str(RDF.langString):  # pragma: no cover - always has a language
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TermConversionError(f"cannot convert {term!r} (RDF-star triples are not used by newsgraph)")


def remembering_to_ox() -> Callable[[Node], ox.NamedNode | ox.BlankNode | ox.Literal]:
    """:func:`to_ox` that converts each IRI once (use one per batch of graphs): predicates, classes and a
    graph's own nodes recur in most of its triples, and checking an IRI costs four times a dictionary look-up.
    Literals are converted each time (hashing an rdflib literal costs about as much as converting it)."""
    named: dict[str, ox.NamedNode] = {}

    def convert(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if type(term) is URIRef:
            node = named.get(term)
            if node is None:
                converted = to_ox(term)
                assert isinstance(converted, ox.NamedNode)
                node = named[term] = converted
            return node
        return to_ox(term)

    return convert


def remembering_to_rdflib() -> Callable[[object], Node | None]:
    """:func:`to_rdflib` that makes each distinct term once (use one per query result): an article, a
    speaker or a day repeats on many rows, and making an rdflib term costs more than reading it from the store."""
    made: dict[object, Node | None] = {}

    def convert(term: object) -> Node | None:
        if term is None:
            return None
        node = made.get(term)
        if node is None:
            node = made[term] = to_rdflib(term)
        return node

    return convert
