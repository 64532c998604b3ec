"""The published SPARQL store: one interface (:class:`GraphStore`), embedded pyoxigraph or a remote server."""

from pipelines.oxterms import TermConversionError
from pipelines.store.embedded import EmbeddedStore
from pipelines.store.protocol import (
    CompactionReport,
    GraphStore,
    PublishCounts,
    PublishError,
    QueryResult,
    SelectResult,
    StoreBusyError,
    StoreError,
    StoreQueryError,
    StoreUnreachableError,
)
from pipelines.store.queries import NamedQuery, UnknownQueryError, load_query, named_queries
from pipelines.store.remote import RemoteStore

__all__ = [
    "CompactionReport",
    "EmbeddedStore",
    "GraphStore",
    "NamedQuery",
    "PublishCounts",
    "PublishError",
    "QueryResult",
    "RemoteStore",
    "SelectResult",
    "StoreBusyError",
    "StoreError",
    "StoreQueryError",
    "StoreUnreachableError",
    "TermConversionError",
    "UnknownQueryError",
    "load_query",
    "named_queries",
]
