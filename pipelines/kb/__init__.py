"""Knowledge base: the local SQLite index of Wikidata items (build, open, look up)."""

from pipelines.kb.entry import KBEntry, popularity_prior
from pipelines.kb.errors import KBError, KBIndexError, KBIndexOutdated, KBSourceError
from pipelines.kb.index import (
    DEFAULT_CURATED,
    DEFAULT_EXTRACT,
    KBRecord,
    KnowledgeBase,
    NameMatch,
    build_index,
    ensure_index,
)
from pipelines.kb.names import name_key

__all__ = [
    "DEFAULT_CURATED",
    "DEFAULT_EXTRACT",
    "KBEntry",
    "KBError",
    "KBIndexError",
    "KBIndexOutdated",
    "KBRecord",
    "KBSourceError",
    "KnowledgeBase",
    "NameMatch",
    "build_index",
    "ensure_index",
    "name_key",
    "popularity_prior",
]
