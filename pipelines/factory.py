"""Builds the pipeline's working parts from :class:`Settings` (shared by Dagster resources and the CLI).

Anything missing under NEWSGRAPH_HOME that a command needs (the knowledge-base index, the store)
is built on demand here.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from pipelines.namespaces import DEFAULT_BASE_IRI, Namespaces
from pipelines.scraping import HttpFetcher, RawPageStore
from pipelines.settings import Settings, StoreKind, WikidataMode

if TYPE_CHECKING:
    from spacy.language import Language

    from pipelines.cleanup.profiles import ProfileRegistry
    from pipelines.kb import KnowledgeBase
    from pipelines.linking import Linker
    from pipelines.store import GraphStore
    from pipelines.store.guard import QueryPolicy
    from pipelines.web import WebConfig


def raw_store(settings: Settings) -> RawPageStore:
    return RawPageStore(settings.raw_dir)


def fetcher(settings: Settings) -> HttpFetcher:
    return HttpFetcher(settings.user_agent, timeout_s=settings.http_timeout_s)


def namespaces(settings: Settings) -> Namespaces:
    return Namespaces(settings.base_iri)


def profiles(settings: Settings) -> ProfileRegistry:
    from pipelines.cleanup import load_profiles

    return load_profiles(settings.profiles_dir)


def ner_for(settings: Settings) -> Language:
    """The configured NER pipeline (a named model is looked up in the settings' data folder)."""
    return ner_pipeline(settings.ner_model, settings.ner_workers, settings.models_dir)


@lru_cache(maxsize=4)
def ner_pipeline(model: str, workers: int = 0, models_dir: Path | None = None) -> Language:
    """The spaCy pipeline for ``model``, loaded once per process (loading costs seconds)."""
    from pipelines.ner import load_ner
    from pipelines.ner.loading import MODELS_DIR

    return load_ner(model, workers=workers, models_dir=models_dir or MODELS_DIR)


def model_meta(nlp: Language, model: str) -> tuple[str, str]:
    """The NER model's name and version as a run's provenance records them (``de_newsgraph_e5``, ``1.2.0``)."""
    meta = nlp.meta
    return f"{meta.get('lang', 'de')}_{meta.get('name', model)}", str(meta.get("version", "0"))


def knowledge_base(settings: Settings, *, rebuild: bool = False) -> KnowledgeBase:
    """Open the KB index, building it first if it is missing, outdated (or ``rebuild``)."""
    return open_knowledge_base(
        settings.kb_index_path,
        settings.kb_extra_sources,
        settings.kb_dir,
        kb_shipped_sources(settings.kb_data_dir),
        rebuild=rebuild,
    )


def open_knowledge_base(
    index: Path, extra_sources: Sequence[Path], kb_dir: Path, shipped: ShippedKB, *, rebuild: bool = False
) -> KnowledgeBase:
    """The KB index at ``index`` over the ``shipped`` sources, ``extra_sources`` and what ``kb_dir`` holds."""
    from pipelines.kb import KnowledgeBase, build_index, ensure_index
    from pipelines.kb.local import local_sources

    index.parent.mkdir(parents=True, exist_ok=True)
    extra = [*extra_sources, *local_sources(kb_dir)]  # what kb build/update fetched
    if rebuild:
        build_index(index, extra_sources=extra, **shipped)
        return KnowledgeBase(index)
    return ensure_index(index, extra_sources=extra, **shipped)


class ShippedKB(TypedDict):
    """The ``build_index`` options naming the KB files of a data folder."""

    curated: Path
    extract: Path


def kb_shipped_sources(kb_data_dir: Path) -> ShippedKB:
    """The curated rows and the Wikidata extract in a data folder's ``kb``."""
    from pipelines.kb.export import EXTRACT_NAME

    return ShippedKB(curated=kb_data_dir / "curated.jsonl", extract=kb_data_dir / EXTRACT_NAME)


def linker(settings: Settings) -> Linker:
    return open_linker(
        knowledge_base(settings),
        settings.wikidata_mode,
        api_url=settings.wikidata_api_url,
        sparql_url=settings.wikidata_sparql_url,
        user_agent=settings.user_agent,
        cache_dir=settings.cache_dir,
        timeout_s=settings.http_timeout_s,
    )


def open_linker(
    kb: KnowledgeBase,
    mode: WikidataMode,
    *,
    api_url: str,
    sparql_url: str,
    user_agent: str,
    cache_dir: Path,
    timeout_s: float,
) -> Linker:
    """The linker over ``kb``; in online and auto mode with a Wikidata client caching under ``cache_dir``."""
    from pipelines.linking import Linker

    client = None
    if mode != "offline":
        from pipelines.wikidata import WikidataClient

        client = WikidataClient(
            api_url=api_url,
            sparql_url=sparql_url,
            user_agent=user_agent,
            cache_dir=cache_dir / "wikidata",
            timeout=timeout_s,
        )
    return Linker(kb, client=client, mode=mode)


def store(settings: Settings, *, read_only: bool = False) -> GraphStore:
    """The published store (embedded or remote); a reader opens it read-only."""
    return open_store(
        settings.store_kind,
        settings.store_path,
        query_url=settings.store_query_url,
        update_url=settings.store_update_url,
        graph_url=settings.store_graph_url,
        auth=_store_auth(settings),
        timeout_s=settings.http_timeout_s,
        read_only=read_only,
        base_iri=settings.base_iri,
    )


def open_store(
    kind: StoreKind,
    path: Path,
    *,
    query_url: str | None,
    update_url: str | None,
    graph_url: str | None,
    auth: tuple[str, str] | None,
    timeout_s: float,
    read_only: bool = False,
    base_iri: str = DEFAULT_BASE_IRI,
) -> GraphStore:
    """The embedded store at ``path``, or the remote one at ``query_url`` (and its update and graph URLs),
    placing what it publishes under the data's base IRI (``store.layout``)."""
    from pipelines.store import EmbeddedStore, RemoteStore
    from pipelines.store.layout import StoreLayout

    layout = StoreLayout(Namespaces(base_iri))
    if kind == "remote":
        if query_url is None:
            raise ValueError("a remote store needs its query URL")
        return RemoteStore(
            query_url, update_url, graph_url, timeout_s=timeout_s, auth=auth, read_only=read_only, layout=layout
        )
    return EmbeddedStore(path, read_only=read_only, layout=layout)


def store_exists(settings: Settings) -> bool:
    """Whether there is anything to query yet (a remote store always counts as there)."""
    return settings.store_kind == "remote" or settings.store_path.exists()


def _store_auth(settings: Settings) -> tuple[str, str] | None:
    return store_auth(settings.store_user, settings.store_password)


def store_auth(user: str | None, password: str | None) -> tuple[str, str] | None:
    """HTTP basic credentials for a remote store, when a user is configured."""
    return None if user is None else (user, password or "")


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
