"""What the night, the web server and the tools use of a published store, whichever it is.

:class:`~pipelines.store.embedded.EmbeddedStore` (pyoxigraph on disk) and
:class:`~pipelines.store.remote.RemoteStore` (a SPARQL 1.1 server) both implement
:class:`GraphStore`; ``tests/store/test_store_contract.py`` runs one set of tests against each.
The errors and result types here are part of that interface: both stores raise and return them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal
from rdflib.term import Node

from pipelines.store.layout import StoreLayout


class StoreError(ValueError):
    """The store could not be opened or written (says which store and why)."""


class StoreBusyError(StoreError):
    """A store that a writer is rewriting at this moment: trying again shortly succeeds."""


class StoreUnreachableError(StoreError):
    """A remote store that does not answer (network, DNS, refused connection)."""


class StoreQueryError(StoreError):
    """A malformed or failing SPARQL query, with the parser's position and message."""


class PublishError(StoreError):
    """A dataset that cannot be published as it is; the store is left unchanged."""


@dataclass
class SelectResult:
    """Rows of a SELECT query as rdflib terms (``None`` where a variable is unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def python(self) -> list[dict[str, Any]]:
        """Rows as plain Python values (``Literal.toPython()``, IRIs as strings)."""
        return [
            {
                name: (value.toPython() if isinstance(value, Literal) else value and str(value))
                for name, value in row.items()
            }
            for row in self.dicts()
        ]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)


QueryResult = SelectResult | bool | Graph
"""What :meth:`GraphStore.query` returns: SELECT rows, an ASK answer, or a CONSTRUCT/DESCRIBE graph."""

RawResult = ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]
"""What :meth:`GraphStore.raw_query` returns: pyoxigraph's own objects, for streaming serialisers."""

PublishCounts = dict[str, int]
"""``graphs`` published, ``replaced`` (graphs that existed), ``descriptions`` (description graphs written,
see ``store.layout``), ``triples`` written, ``previous_triples`` (held before by the graphs written)."""


@dataclass(frozen=True)
class CompactionReport:
    """What :meth:`GraphStore.compact` did to the store's files (all zero with ``note`` when it did nothing)."""

    files_before: int = 0
    files_after: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    seconds: float = 0.0
    note: str = ""  # why nothing was done, e.g. a remote server keeps its own files

    def counts(self) -> dict[str, int | float]:
        return {
            "files_before": self.files_before,
            "files_after": self.files_after,
            "bytes_before": self.bytes_before,
            "bytes_after": self.bytes_after,
            "seconds": round(self.seconds, 3),
        }


@runtime_checkable
class GraphStore(Protocol):
    """A store of named graphs that the pipeline publishes to and the web server reads from."""

    read_only: bool
    layout: StoreLayout  # where what it publishes is placed

    def publish(self, ds: Dataset) -> PublishCounts:
        """Replace each named graph of ``ds`` (an empty one deletes it), all or nothing."""
        ...

    def publish_file(self, path: Path, *, validated: bool = False) -> PublishCounts:
        """Replace each named graph of a TriG or N-Quads file (a night's graph file); ``validated``: the
        file is one validation read, which a store may take as leave to read it only once."""
        ...

    def remove_graphs(self, graph_iris: list[str]) -> None: ...

    def query(
        self, sparql: str, substitutions: Mapping[str, Node] | None = None, union_default_graph: bool = True
    ) -> QueryResult:
        """SELECT, ASK, CONSTRUCT or DESCRIBE; ``substitutions`` binds variables to terms."""
        ...

    def raw_query(
        self,
        sparql: str,
        substitutions: Mapping[str, Node] | None = None,
        default_graph: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
    ) -> RawResult:
        """A query with the SPARQL protocol's dataset (``default-graph-uri``/``named-graph-uri``)."""
        ...

    def query_serialized(
        self,
        sparql: str,
        result_format: str = "json",
        substitutions: Mapping[str, Node] | None = None,
        union_default_graph: bool = True,
    ) -> bytes: ...

    def triple_count(self) -> int: ...
    def graph_count(self) -> int: ...
    def graph_names(self) -> list[str]: ...
    def graph(self, graph_iri: str) -> Graph: ...
    def quads(self, graph_iris: Iterable[str] | None = None) -> Iterable[ox.Quad]: ...
    def dump(self, path: Path, format: str = "nquads") -> int: ...
    def flush(self) -> None: ...

    def compact(self) -> CompactionReport:
        """Merge the store's files so queries read fewer of them (maintenance, never part of a night)."""
        ...

    def close(self) -> None: ...
    def __enter__(self) -> GraphStore: ...
    def __exit__(self, *exc_info: object) -> None: ...
