"""What the web server asks a query worker to do: one typed request per kind, sent over a pipe."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rdflib.term import Node

QueryKind = Literal["protocol", "select", "table", "construct"]
"""``protocol``: serialised for the SPARQL endpoint; ``select``/``table``: rows of rdflib terms for pages
(a table also says whether rows were left off); ``construct``: N-Triples bytes for pages and descriptions."""


@dataclass(frozen=True)
class QueryRequest:
    """A SPARQL query with its bindings, dataset and output limits."""

    kind: QueryKind
    sparql: str
    substitutions: Mapping[str, Node] | None = None
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    results_format: str = "json"
    graph_format: str = "turtle"
    limit: int | None = None  # rows or triples; the server's limit where None
    max_bytes: int | None = None  # the server's limit where None


@dataclass(frozen=True)
class CountRequest:
    """The number of triples in the store."""


@dataclass(frozen=True)
class DumpRequest:
    """Write ``graphs`` (every graph where None) gzip-compressed to ``path`` in ``format`` (nquads or trig)."""

    path: Path
    format: str
    graphs: tuple[str, ...] | None = None


WorkerRequest = QueryRequest | CountRequest | DumpRequest


def describe(request: WorkerRequest) -> str:
    """A request's kind, for the event log."""
    return request.kind if isinstance(request, QueryRequest) else type(request).__name__.removesuffix("Request").lower()
