"""Dagster resources: each wraps one external system and is built from :class:`Settings`.

- ``state``: NEWSGRAPH_HOME (raw pages, partition workspaces).
- ``sources``: where articles come from; local directory replay or live HTTP through requests.
- ``cleanup``: outlet profiles for boilerplate removal.
- ``ner``: the spaCy pipeline named in configuration.
- ``wikidata``: the local knowledge-base index (offline) or the live Wikidata API (online/auto).
- ``triple_store``: the published store, embedded or remote.

Every resource carries the whole settings as its config (``Settings.to_env()``), so a setting made
in the environment reaches the assets unchanged, and the UI shows what a run used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dagster as dg
from pydantic import PrivateAttr

from pipelines import factory
from pipelines.domain import LinkedMention, Mention
from pipelines.scraping import HttpFetcher, RawPageStore, Source, load_sources
from pipelines.settings import Settings
from pipelines.workspace import PartitionWorkspace


class SettingsResource(dg.ConfigurableResource):
    """Base: the ``NEWSGRAPH_*`` settings this resource works with."""

    newsgraph_env: dict[str, str]  # (not "env": Dagster reads a config key "env" as an EnvVar)
    _settings: Settings | None = PrivateAttr(default=None)

    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = Settings.from_env(self.newsgraph_env)
        return self._settings


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
        return list(find_mentions(factory.ner_pipeline(settings.ner_model, settings.ner_workers), texts))

    def model_meta(self) -> tuple[str, str]:
        settings = self.settings()
        model = settings.ner_model
        meta = factory.ner_pipeline(model, settings.ner_workers).meta
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
    env = settings.to_env()
    return {
        "state": StateResource(newsgraph_env=env),
        "sources": SourcesResource(newsgraph_env=env),
        "cleanup": CleanupResource(newsgraph_env=env),
        "ner": NerResource(newsgraph_env=env),
        "wikidata": WikidataResource(newsgraph_env=env),
        "triple_store": TripleStoreResource(newsgraph_env=env),
    }
