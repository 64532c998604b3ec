"""Reading values back out of parsed RDF in tests."""

from __future__ import annotations

from rdflib import Literal
from rdflib.term import Node


def integer(node: Node | None) -> int:
    """The integer a literal holds; a missing value or an IRI fails the test."""
    assert isinstance(node, Literal), f"not a literal: {node!r}"
    value = node.toPython()
    assert isinstance(value, int), f"not an integer literal: {node!r}"
    return value
