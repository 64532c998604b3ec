"""Live Wikidata access (search, entities, SPARQL) with politeness, retries and a disk cache."""

from pipelines.wikidata.cache import ResponseCache
from pipelines.wikidata.client import SearchHit, WikidataClient, qids_of, sparql_row
from pipelines.wikidata.entities import CLASS_TYPES, entry_from_entity
from pipelines.wikidata.errors import WikidataAPIError, WikidataError, WikidataUnavailable

__all__ = [
    "CLASS_TYPES",
    "ResponseCache",
    "SearchHit",
    "WikidataAPIError",
    "WikidataClient",
    "WikidataError",
    "WikidataUnavailable",
    "entry_from_entity",
    "qids_of",
    "sparql_row",
]
