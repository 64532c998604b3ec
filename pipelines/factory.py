"""Builds the pipeline's working parts from :class:`Settings` (shared by Dagster resources and the CLI).

Anything missing under NEWSGRAPH_HOME that a command needs (the knowledge-base index, the store)
is built on demand here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pipelines.scraping import HttpFetcher, RawPageStore
from pipelines.settings import Settings

if TYPE_CHECKING:
    from pipelines.kb import KnowledgeBase
    from pipelines.linking import Linker
    from pipelines.namespaces import Namespaces
    from pipelines.store import EmbeddedStore


def raw_store(settings: Settings) -> RawPageStore:
    return RawPageStore(settings.raw_dir)


def fetcher(settings: Settings) -> HttpFetcher:
    return HttpFetcher(settings.user_agent, timeout_s=settings.http_timeout_s)


def namespaces(settings: Settings) -> Namespaces:
    from pipelines.namespaces import Namespaces

    return Namespaces(settings.base_iri)


def profiles(settings: Settings) -> Any:
    from pipelines.cleanup import load_profiles

    return load_profiles(settings.profiles_dir)


@lru_cache(maxsize=4)
def ner_pipeline(model: str) -> Any:
    """The spaCy pipeline for ``model``, loaded once per process (loading costs seconds)."""
    from pipelines.ner import load_ner

    return load_ner(model)


def knowledge_base(settings: Settings, *, rebuild: bool = False) -> KnowledgeBase:
    """Open the KB index, building it first if it is missing, outdated (or ``rebuild``)."""
    from pipelines.kb import KnowledgeBase, build_index, ensure_index

    path = settings.kb_index_path
    path.parent.mkdir(parents=True, exist_ok=True)
    if rebuild:
        build_index(path, extra_sources=settings.kb_extra_sources)
        return KnowledgeBase(path)
    return ensure_index(path, extra_sources=settings.kb_extra_sources)


def linker(settings: Settings) -> Linker:
    from pipelines.linking import Linker

    client = None
    if settings.wikidata_mode != "offline":
        from pipelines.wikidata import WikidataClient

        client = WikidataClient(
            api_url=settings.wikidata_api_url,
            sparql_url=settings.wikidata_sparql_url,
            user_agent=settings.user_agent,
            cache_dir=settings.cache_dir / "wikidata",
            timeout=settings.http_timeout_s,
        )
    return Linker(knowledge_base(settings), client=client, mode=settings.wikidata_mode)


def store(settings: Settings, *, read_only: bool = False) -> EmbeddedStore:
    """The published store; a reader opens it read-only so it can run beside a writing night."""
    from pipelines.store import EmbeddedStore

    return EmbeddedStore(settings.store_path, read_only=read_only)
