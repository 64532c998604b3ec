"""Term conversion between rdflib (where graphs are built) and pyoxigraph (where they are stored)."""

from __future__ import annotations

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
