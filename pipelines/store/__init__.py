"""The published SPARQL store (embedded pyoxigraph, or a remote SPARQL server) and the validated publish gate."""

from pipelines.store.convert import TermConversionError
from pipelines.store.embedded import (
    EmbeddedStore,
    PublishError,
    SelectResult,
    StoreError,
    StoreQueryError,
    StoreUnreachableError,
)
from pipelines.store.gate import ValidationFailedError, publish_validated
from pipelines.store.queries import NamedQuery, UnknownQueryError, load_query, named_queries
from pipelines.store.remote import GraphStore, RemoteStore

__all__ = [
    "EmbeddedStore",
    "GraphStore",
    "NamedQuery",
    "PublishError",
    "RemoteStore",
    "SelectResult",
    "StoreError",
    "StoreQueryError",
    "StoreUnreachableError",
    "TermConversionError",
    "UnknownQueryError",
    "ValidationFailedError",
    "load_query",
    "named_queries",
    "publish_validated",
]
