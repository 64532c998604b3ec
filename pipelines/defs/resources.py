"""Dagster resources: each wraps one external system and is built from :class:`Settings`.

- ``state``: NEWSGRAPH_HOME (raw pages, partition workspaces).
- ``sources``: where articles come from; local directory replay or live HTTP through requests.
- ``cleanup``: outlet profiles for boilerplate removal.
- ``ner``: the spaCy pipeline named in configuration.
- ``wikidata``: the local knowledge-base index (offline) or the live Wikidata API (online/auto).
- ``triple_store``: the published SPARQL store.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import PrivateAttr

from pipelines import factory
from pipelines.domain import LinkedMention, Mention
from pipelines.scraping import HttpFetcher, RawPageStore, Source, load_sources
from pipelines.settings import Settings
from pipelines.workspace import PartitionWorkspace


class SettingsResource(dg.ConfigurableResource):
    """Base: every resource carries the NEWSGRAPH_HOME it works in, and rebuilds Settings from it."""

    home: str

    def settings(self) -> Settings:
        return Settings.from_env({**_settings_env(self)})


def _settings_env(resource: Any) -> dict[str, str]:
    env = {"NEWSGRAPH_HOME": resource.home}
    for field, variable in _FIELD_TO_ENV.items():
        value = getattr(resource, field, None)
        if value not in (None, ""):
            env[variable] = str(value)
    return env


_FIELD_TO_ENV = {
    "sources_file": "NEWSGRAPH_SOURCES",
    "profiles_dir": "NEWSGRAPH_PROFILES",
    "model": "NEWSGRAPH_NER_MODEL",
    "mode": "NEWSGRAPH_WIKIDATA_MODE",
    "api_url": "NEWSGRAPH_WIKIDATA_API",
    "sparql_url": "NEWSGRAPH_WIKIDATA_SPARQL",
    "user_agent": "NEWSGRAPH_USER_AGENT",
    "kb_sources": "NEWSGRAPH_KB_SOURCES",
    "base_iri": "NEWSGRAPH_BASE_IRI",
}


class StateResource(SettingsResource):
    """Runtime state under NEWSGRAPH_HOME."""

    def workspace(self, partition: str) -> PartitionWorkspace:
        return PartitionWorkspace(self.settings().partitions_dir, partition)

    def raw_store(self) -> RawPageStore:
        return factory.raw_store(self.settings())


class SourcesResource(SettingsResource):
    """The configured sources; URL sources are fetched live with requests, directories replayed locally."""

    sources_file: str
    user_agent: str = ""

    def load(self) -> list[Source]:
        return load_sources(Path(self.sources_file))

    def fetcher(self) -> HttpFetcher:
        return factory.fetcher(self.settings())


class CleanupResource(SettingsResource):
    profiles_dir: str

    def profiles(self) -> Any:
        return factory.profiles(self.settings())


class NerResource(SettingsResource):
    """The spaCy NER pipeline: "default", "fast", a path or an installed package name."""

    model: str = "default"

    def find_mentions(self, texts: Sequence[str]) -> list[list[Mention]]:
        from pipelines.ner import find_mentions

        return list(find_mentions(factory.ner_pipeline(self.model), texts))

    def model_meta(self) -> tuple[str, str]:
        meta = factory.ner_pipeline(self.model).meta
        return f"{meta.get('lang', 'de')}_{meta.get('name', self.model)}", str(meta.get("version", "0"))


class WikidataResource(SettingsResource):
    """Entity linking against the local KB (offline) or the live Wikidata API (online / auto)."""

    mode: str = "offline"
    api_url: str = ""
    sparql_url: str = ""
    user_agent: str = ""
    kb_sources: str = ""  # os.pathsep-separated extra KB files
    _linker: Any = PrivateAttr(default=None)

    def linker(self) -> Any:
        if self._linker is None:
            self._linker = factory.linker(self.settings())
        return self._linker

    def link(self, text: str, mentions: Sequence[Mention]) -> list[LinkedMention]:
        return list(self.linker().link(text, mentions))

    def kb_version(self) -> str:
        return str(self.linker().kb.version)


class TripleStoreResource(SettingsResource):
    """The published SPARQL store (embedded pyoxigraph on disk)."""

    base_iri: str = ""

    def open(self) -> Any:
        return factory.store(self.settings())

    def namespaces(self) -> Any:
        return factory.namespaces(self.settings())


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    home = str(settings.home)
    return {
        "state": StateResource(home=home),
        "sources": SourcesResource(home=home, sources_file=str(settings.sources_file), user_agent=settings.user_agent),
        "cleanup": CleanupResource(home=home, profiles_dir=str(settings.profiles_dir)),
        "ner": NerResource(home=home, model=settings.ner_model),
        "wikidata": WikidataResource(
            home=home,
            mode=settings.wikidata_mode,
            api_url=settings.wikidata_api_url,
            sparql_url=settings.wikidata_sparql_url,
            user_agent=settings.user_agent,
            kb_sources=":".join(str(p) for p in settings.kb_extra_sources),
        ),
        "triple_store": TripleStoreResource(home=home, base_iri=settings.base_iri),
    }
