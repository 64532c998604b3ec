"""Queries of a published store in tests, narrowed to the result kind the test asked for."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib.term import Node

from pipelines.store import GraphStore, SelectResult


def select(store: GraphStore, sparql: str, substitutions: Mapping[str, Node] | None = None) -> SelectResult:
    """The rows of a SELECT query; anything else (ASK, CONSTRUCT) fails the test."""
    result = store.query(sparql, substitutions)
    assert isinstance(result, SelectResult), f"not a SELECT result: {result!r}"
    return result
