"""Dagster resources: each wraps one external system and is built from :class:`Settings`.

- ``state``: NEWSGRAPH_HOME (raw pages, partition workspaces).
- ``sources``: where articles come from; local directory replay or live HTTP through requests.
- ``cleanup``: outlet profiles for boilerplate removal.
- ``ner``: the spaCy pipeline named in configuration.
- ``wikidata``: the local knowledge-base index (offline) or the live Wikidata API (online/auto).
- ``triple_store``: the published store, embedded or remote.

Every resource carries the settings as typed config fields (what the UI shows of a run). Secrets
never do: the store password is a ``dg.EnvVar`` that Dagster resolves from the environment of the
process that runs the step, so the UI shows only the variable's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import PrivateAttr

from pipelines import factory
from pipelines.domain import LinkedMention, Mention
from pipelines.scraping import HttpFetcher, RawPageStore, Source, load_sources
from pipelines.settings import Settings
from pipelines.workspace import PartitionWorkspace

PASSWORD_VARIABLE = "NEWSGRAPH_STORE_PASSWORD"
_PATHS = {"home", "data_dir", "sources_file", "profiles_dir"}
_SECRET = {"store_password"}


class SettingsResource(dg.ConfigurableResource):
    """Base: the settings this resource works with, one typed field per setting (secrets as EnvVar)."""

    home: str
    data_dir: str
    sources_file: str
    profiles_dir: str
    ner_model: str
    ner_workers: int
    kb_extra_sources: list[str]
    kb_index: str | None
    wikidata_mode: str
    wikidata_api_url: str
    wikidata_sparql_url: str
    user_agent: str
    http_timeout_s: float
    cleanup_budget_s: float
    base_iri: str
    store_kind: str
    store_query_url: str | None
    store_update_url: str | None
    store_graph_url: str | None
    store_user: str | None
    store_password: str | None = None  # only ever a dg.EnvVar
    query_timeout_s: float
    query_max_results: int
    serve_workers: int
    public_url: str | None
    dagster_url: str = Settings.dagster_url
    federation_allowed: list[str]
    query_max_length: int
    query_max_depth: int
    serve_per_client: int
    query_max_bytes: int
    worker_memory_mb: int
    schedule_running: bool
    shared_dir: str | None
    _settings: Settings | None = PrivateAttr(default=None)

    def settings(self) -> Settings:
        if self._settings is None:
            values: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(Settings) if f.name != "extra"}
            for name in _PATHS:
                values[name] = Path(values[name])
            values["kb_extra_sources"] = tuple(Path(p) for p in self.kb_extra_sources)
            values["kb_index"] = Path(self.kb_index) if self.kb_index else None
            values["federation_allowed"] = tuple(self.federation_allowed)
            password = self.store_password
            values["store_password"] = password.get_value() if isinstance(password, dg.EnvVar) else password
            extra = {"shared_dir": self.shared_dir} if self.shared_dir else {}
            self._settings = Settings(**values, extra=extra)
        return self._settings


def resource_config(settings: Settings) -> dict[str, Any]:
    """The typed config of every resource: each setting but the secrets, which go as EnvVar."""
    config: dict[str, Any] = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if f.name == "extra" or f.name in _SECRET:
            continue
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = [str(v) for v in value]
        config[f.name] = value
    config["shared_dir"] = settings.extra.get("shared_dir")
    if settings.store_password is not None:
        config["store_password"] = dg.EnvVar(PASSWORD_VARIABLE)
    return config


class StateResource(SettingsResource):
    """Runtime state under NEWSGRAPH_HOME."""

    def workspace(self, partition: str) -> PartitionWorkspace:
        return PartitionWorkspace(self.settings().partitions_dir, partition)

    def raw_store(self) -> RawPageStore:
        return factory.raw_store(self.settings())


class SourcesResource(SettingsResource):
    """The configured sources; URL sources are fetched live with requests, directories replayed locally."""

    def load(self) -> list[Source]:
        return load_sources(self.settings().sources_file)

    def fetcher(self) -> HttpFetcher:
        return factory.fetcher(self.settings())


class CleanupResource(SettingsResource):
    def profiles(self) -> Any:
        return factory.profiles(self.settings())


class NerResource(SettingsResource):
    """The spaCy NER pipeline: "default", "fast", a path or an installed package name."""

    def find_mentions(self, texts: Sequence[str]) -> list[list[Mention]]:
        from pipelines.ner import find_mentions

        settings = self.settings()
        return list(find_mentions(factory.ner_for(settings), texts))

    def model_meta(self) -> tuple[str, str]:
        settings = self.settings()
        model = settings.ner_model
        meta = factory.ner_for(settings).meta
        return f"{meta.get('lang', 'de')}_{meta.get('name', model)}", str(meta.get("version", "0"))


class WikidataResource(SettingsResource):
    """Entity linking against the local KB (offline) or the live Wikidata API (online / auto)."""

    _linker: Any = PrivateAttr(default=None)

    @property
    def mode(self) -> str:
        return self.settings().wikidata_mode

    def linker(self) -> Any:
        if self._linker is None:
            self._linker = factory.linker(self.settings())
        return self._linker

    def link(self, text: str, mentions: Sequence[Mention]) -> list[LinkedMention]:
        return list(self.linker().link(text, mentions))

    def kb_version(self) -> str:
        return str(self.linker().kb.version)


class TripleStoreResource(SettingsResource):
    """The published store: embedded pyoxigraph on disk, or a remote SPARQL 1.1 server."""

    def open(self) -> Any:
        return factory.store(self.settings())

    def namespaces(self) -> Any:
        return factory.namespaces(self.settings())


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    config = resource_config(settings)
    return {
        "state": StateResource(**config),
        "sources": SourcesResource(**config),
        "cleanup": CleanupResource(**config),
        "ner": NerResource(**config),
        "wikidata": WikidataResource(**config),
        "triple_store": TripleStoreResource(**config),
    }
