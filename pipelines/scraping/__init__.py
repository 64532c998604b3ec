"""Getting raw pages: configured sources, polite HTTP fetching, and the content-addressed raw store."""

from pipelines.scraping.collect import CollectResult, FetchRecord, collect
from pipelines.scraping.fetch import FetchError, FetchResult, HttpFetcher
from pipelines.scraping.rawstore import RawPageStore
from pipelines.scraping.sources import Source, SourcesError, load_sources
from pipelines.scraping.urls import canonicalize_url, doc_id_for

__all__ = [
    "CollectResult",
    "FetchError",
    "FetchRecord",
    "FetchResult",
    "HttpFetcher",
    "RawPageStore",
    "Source",
    "SourcesError",
    "canonicalize_url",
    "collect",
    "doc_id_for",
    "load_sources",
]
