"""Live Wikidata access (search, entities, SPARQL) with politeness, retries and a disk cache."""

from pipelines.wikidata.cache import ResponseCache
from pipelines.wikidata.client import SearchHit, WikidataClient, qids_of, sparql_row
from pipelines.wikidata.errors import WikidataAPIError, WikidataError, WikidataUnavailable

__all__ = [
    "ResponseCache",
    "SearchHit",
    "WikidataAPIError",
    "WikidataClient",
    "WikidataError",
    "WikidataUnavailable",
    "qids_of",
    "sparql_row",
]
