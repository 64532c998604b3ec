"""The published SPARQL store (embedded pyoxigraph) and the validated publish gate."""

from pipelines.store.convert import TermConversionError
from pipelines.store.embedded import (
    EmbeddedStore,
    PublishError,
    SelectResult,
    StoreError,
    StoreQueryError,
)
from pipelines.store.gate import ValidationFailedError, publish_validated
from pipelines.store.queries import NamedQuery, UnknownQueryError, load_query, named_queries

__all__ = [
    "EmbeddedStore",
    "NamedQuery",
    "PublishError",
    "SelectResult",
    "StoreError",
    "StoreQueryError",
    "TermConversionError",
    "UnknownQueryError",
    "ValidationFailedError",
    "load_query",
    "named_queries",
    "publish_validated",
]
