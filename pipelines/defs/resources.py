"""Dagster resources: each wraps one external system and carries only the settings it works with.

- ``state``: NEWSGRAPH_HOME (partition workspaces, raw pages, the scraper's memory).
- ``sources``: where articles come from; local directory replay or live HTTP through requests.
- ``cleanup``: outlet profiles for boilerplate removal, and the time a page may take.
- ``ner``: the spaCy pipeline named in configuration.
- ``wikidata``: the local knowledge-base index (offline) or the live Wikidata API (online/auto).
- ``triple_store``: the published store, embedded or remote.

:func:`build_resources` fills the fields from :class:`Settings` (what the UI shows of a run).
Secrets never are fields' values: the store password is a ``dg.EnvVar`` that Dagster resolves from
the environment of the process that runs the step, so the UI shows only the variable's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
from pydantic import PrivateAttr

from pipelines import factory
from pipelines.domain import LinkedMention, Mention
from pipelines.namespaces import Namespaces
from pipelines.scraping import HttpFetcher, RawPageStore, Source, load_sources
from pipelines.settings import Settings, StoreKind, WikidataMode
from pipelines.workspace import PartitionWorkspace

if TYPE_CHECKING:
    from spacy.language import Language

    from pipelines.cleanup.profiles import ProfileRegistry
    from pipelines.linking import Linker
    from pipelines.store import GraphStore

PASSWORD_VARIABLE = "NEWSGRAPH_STORE_PASSWORD"


class StateResource(dg.ConfigurableResource):
    """Runtime state under NEWSGRAPH_HOME."""

    partitions_dir: str
    raw_dir: str
    state_dir: str  # the scraper's memory across nights (conditional GET, the retry ledger)

    def workspace(self, partition: str) -> PartitionWorkspace:
        return PartitionWorkspace(Path(self.partitions_dir), partition)

    def raw_store(self) -> RawPageStore:
        return RawPageStore(Path(self.raw_dir))

    @property
    def state_path(self) -> Path:
        return Path(self.state_dir)


class SourcesResource(dg.ConfigurableResource):
    """The configured sources; URL sources are fetched live with requests, directories replayed locally."""

    sources_file: str
    user_agent: str
    http_timeout_s: float

    def load(self) -> list[Source]:
        return load_sources(Path(self.sources_file))

    def fetcher(self) -> HttpFetcher:
        return HttpFetcher(self.user_agent, timeout_s=self.http_timeout_s)


class CleanupResource(dg.ConfigurableResource):
    """Outlet profiles, and the seconds cleanup may spend on one page."""

    profiles_dir: str
    budget_s: float

    def profiles(self) -> ProfileRegistry:
        from pipelines.cleanup import load_profiles

        return load_profiles(Path(self.profiles_dir))


class NerResource(dg.ConfigurableResource):
    """The spaCy NER pipeline: "default", "fast", a path or an installed package name."""

    model: str
    workers: int  # documents tagged at once; 0 = one per usable CPU
    models_dir: str  # where a named model ("default", "fast") is found

    def find_mentions(self, texts: Sequence[str]) -> list[list[Mention]]:
        from pipelines.ner import find_mentions

        return list(find_mentions(self.pipeline(), texts))

    def pipeline(self) -> Language:
        return factory.ner_pipeline(self.model, self.workers, Path(self.models_dir))

    def model_meta(self) -> tuple[str, str]:
        return factory.model_meta(self.pipeline(), self.model)


class WikidataResource(dg.ConfigurableResource):
    """Entity linking against the local KB (offline) or the live Wikidata API (online / auto)."""

    mode: WikidataMode
    kb_index: str
    kb_extra_sources: list[str]
    kb_dir: str  # KB rows fetched onto this machine (dump rows, SPARQL extracts)
    kb_data_dir: str  # the shipped KB files (curated rows, the Wikidata extract)
    api_url: str
    sparql_url: str
    user_agent: str
    http_timeout_s: float
    cache_dir: str
    _linker: Linker | None = PrivateAttr(default=None)

    def linker(self) -> Linker:
        if self._linker is None:
            kb = factory.open_knowledge_base(
                Path(self.kb_index),
                [Path(p) for p in self.kb_extra_sources],
                Path(self.kb_dir),
                factory.kb_shipped_sources(Path(self.kb_data_dir)),
            )
            self._linker = factory.open_linker(
                kb,
                self.mode,
                api_url=self.api_url,
                sparql_url=self.sparql_url,
                user_agent=self.user_agent,
                cache_dir=Path(self.cache_dir),
                timeout_s=self.http_timeout_s,
            )
        return self._linker

    def link(self, text: str, mentions: Sequence[Mention]) -> list[LinkedMention]:
        return list(self.linker().link(text, mentions))

    def kb_version(self) -> str:
        return str(self.linker().kb.version)


class TripleStoreResource(dg.ConfigurableResource):
    """The published store: embedded pyoxigraph on disk, or a remote SPARQL 1.1 server."""

    kind: StoreKind
    path: str  # the embedded store
    query_url: str | None
    update_url: str | None
    graph_url: str | None
    user: str | None
    password: str | None = None  # only ever a dg.EnvVar
    http_timeout_s: float
    base_iri: str

    def auth(self) -> tuple[str, str] | None:
        password = self.password
        if isinstance(password, dg.EnvVar):  # a resource used outside a Dagster run
            password = password.get_value()
        return factory.store_auth(self.user, password)

    def open(self) -> GraphStore:
        return factory.open_store(
            self.kind,
            Path(self.path),
            query_url=self.query_url,
            update_url=self.update_url,
            graph_url=self.graph_url,
            auth=self.auth(),
            timeout_s=self.http_timeout_s,
            base_iri=self.base_iri,
        )

    def location(self) -> str:
        """Where the store is, for people: its directory or its query URL."""
        return (self.query_url or "") if self.kind == "remote" else self.path

    def namespaces(self) -> Namespaces:
        return Namespaces(self.base_iri)


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """Each resource with its own settings; the store password as an EnvVar, never as a value."""
    return {
        "state": StateResource(
            partitions_dir=str(settings.partitions_dir),
            raw_dir=str(settings.raw_dir),
            state_dir=str(settings.state_dir),
        ),
        "sources": SourcesResource(
            sources_file=str(settings.sources_file),
            user_agent=settings.user_agent,
            http_timeout_s=settings.http_timeout_s,
        ),
        "cleanup": CleanupResource(profiles_dir=str(settings.profiles_dir), budget_s=settings.cleanup_budget_s),
        "ner": NerResource(model=settings.ner_model, workers=settings.ner_workers, models_dir=str(settings.models_dir)),
        "wikidata": WikidataResource(
            mode=settings.wikidata_mode,
            kb_index=str(settings.kb_index_path),
            kb_extra_sources=[str(p) for p in settings.kb_extra_sources],
            kb_dir=str(settings.kb_dir),
            kb_data_dir=str(settings.kb_data_dir),
            api_url=settings.wikidata_api_url,
            sparql_url=settings.wikidata_sparql_url,
            user_agent=settings.user_agent,
            http_timeout_s=settings.http_timeout_s,
            cache_dir=str(settings.cache_dir),
        ),
        "triple_store": TripleStoreResource(
            kind=settings.store_kind,
            path=str(settings.store_path),
            query_url=settings.store_query_url,
            update_url=settings.store_update_url,
            graph_url=settings.store_graph_url,
            user=settings.store_user,
            password=dg.EnvVar(PASSWORD_VARIABLE) if settings.store_password is not None else None,
            http_timeout_s=settings.http_timeout_s,
            base_iri=settings.base_iri,
        ),
    }
