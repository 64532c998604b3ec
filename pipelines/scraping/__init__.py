"""Getting raw pages: configured sources, polite HTTP fetching, page checks, and the raw store.

``collect(...)`` runs one night over all sources; ``ScrapeState`` is what it remembers between
nights (conditional-GET validators, page versions, each night's documents, the retry ledger).
"""

from pipelines.scraping.collect import OK_OUTCOMES, CollectResult, FetchRecord, collect, collect_night
from pipelines.scraping.decode import DecodedPage, PageError, detect_charset, inspect_page, sniff_binary
from pipelines.scraping.discovery import ArticleLink, DiscoveryError, parse_feed, parse_sitemap
from pipelines.scraping.fetch import FetchError, FetchResult, HttpFetcher, Validators, is_transient
from pipelines.scraping.ledger import LedgerEntry, RetryLedger, RetryPolicy
from pipelines.scraping.rawstore import RawPageStore
from pipelines.scraping.sources import Source, SourcesError, load_sources
from pipelines.scraping.state import ScrapeState
from pipelines.scraping.urls import canonicalize_url, doc_id_for

__all__ = [
    "OK_OUTCOMES",
    "ArticleLink",
    "CollectResult",
    "DecodedPage",
    "DiscoveryError",
    "FetchError",
    "FetchRecord",
    "FetchResult",
    "HttpFetcher",
    "LedgerEntry",
    "PageError",
    "RawPageStore",
    "RetryLedger",
    "RetryPolicy",
    "ScrapeState",
    "Source",
    "SourcesError",
    "Validators",
    "canonicalize_url",
    "collect",
    "collect_night",
    "detect_charset",
    "doc_id_for",
    "inspect_page",
    "is_transient",
    "load_sources",
    "parse_feed",
    "parse_sitemap",
    "sniff_binary",
]
