"""Builds the pipeline's working parts from :class:`Settings` (shared by Dagster resources and the CLI).

Anything missing under NEWSGRAPH_HOME that a command needs (the knowledge-base index, the store)
is built on demand here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from pipelines.scraping import HttpFetcher, RawPageStore
from pipelines.settings import Settings

if TYPE_CHECKING:
    from pipelines.kb import KnowledgeBase
    from pipelines.linking import Linker
    from pipelines.namespaces import Namespaces
    from pipelines.store import GraphStore
    from pipelines.store.guard import QueryPolicy
    from pipelines.web import WebConfig


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


def ner_for(settings: Settings) -> Any:
    """The configured NER pipeline (a named model is looked up in the settings' data folder)."""
    return ner_pipeline(settings.ner_model, settings.ner_workers, settings.models_dir)


@lru_cache(maxsize=4)
def ner_pipeline(model: str, workers: int = 0, models_dir: Path | None = None) -> Any:
    """The spaCy pipeline for ``model``, loaded once per process (loading costs seconds)."""
    from pipelines.ner import load_ner
    from pipelines.ner.loading import MODELS_DIR

    return load_ner(model, workers=workers, models_dir=models_dir or MODELS_DIR)


def knowledge_base(settings: Settings, *, rebuild: bool = False) -> KnowledgeBase:
    """Open the KB index, building it first if it is missing, outdated (or ``rebuild``)."""
    from pipelines.kb import KnowledgeBase, build_index, ensure_index
    from pipelines.kb.local import local_sources

    path = settings.kb_index_path
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = [*settings.kb_extra_sources, *local_sources(settings.kb_dir)]  # what kb build/update fetched
    shipped = kb_shipped_sources(settings)
    if rebuild:
        build_index(path, extra_sources=extra, **shipped)
        return KnowledgeBase(path)
    return ensure_index(path, extra_sources=extra, **shipped)


class ShippedKB(TypedDict):
    """The ``build_index`` options naming the KB files of a data folder."""

    curated: Path
    extract: Path


def kb_shipped_sources(settings: Settings) -> ShippedKB:
    """The curated rows and the Wikidata extract in the settings' data folder."""
    from pipelines.kb.export import EXTRACT_NAME

    return ShippedKB(curated=settings.kb_data_dir / "curated.jsonl", extract=settings.kb_data_dir / EXTRACT_NAME)


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


def store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The published store (embedded or remote); a reader opens it read-only."""
    from pipelines.store import EmbeddedStore, RemoteStore

    if settings.store_kind == "remote":
        assert settings.store_query_url is not None  # checked by Settings
        return RemoteStore(
            settings.store_query_url,
            settings.store_update_url,
            settings.store_graph_url,
            timeout_s=settings.http_timeout_s,
            auth=_store_auth(settings),
            read_only=read_only,
        )
    return EmbeddedStore(settings.store_path, read_only=read_only)


def store_exists(settings: Settings) -> bool:
    """Whether there is anything to query yet (a remote store always counts as there)."""
    return settings.store_kind == "remote" or settings.store_path.exists()


def _store_auth(settings: Settings) -> tuple[str, str] | None:
    if settings.store_user is None:
        return None
    return (settings.store_user, settings.store_password or "")


def web_config(settings: Settings) -> WebConfig:
    """The server's configuration: which store, limits, base IRI."""
    from pipelines.web import StoreSpec, WebConfig

    if settings.store_kind == "remote":
        spec = StoreSpec(
            kind="remote",
            query_url=settings.store_query_url,
            graph_store_url=settings.store_graph_url,
            auth=_store_auth(settings),
        )
    else:
        spec = StoreSpec(kind="embedded", path=settings.store_path)
    return WebConfig(
        spec,
        dumps_dir=settings.dumps_dir,
        base_iri=settings.base_iri,
        query_timeout_s=settings.query_timeout_s,
        max_results=settings.query_max_results,
        workers=settings.serve_workers,
        public_url=settings.public_url,
        query_policy=query_policy(settings),
        per_client=settings.serve_per_client,
        max_bytes=settings.query_max_bytes,
        worker_memory_mb=settings.worker_memory_mb,
    )


def query_policy(settings: Settings) -> QueryPolicy:
    """What a SPARQL query may be, for the endpoint and ``newsgraph query`` alike."""
    from pipelines.store.guard import QueryPolicy

    return QueryPolicy(
        max_length=settings.query_max_length,
        max_depth=settings.query_max_depth,
        allowed_services=frozenset(settings.federation_allowed),
    )
