"""The night's parts as a Dagster asset has them: from the resources the asset declares.

An asset runs its stage through :func:`pipelines.night.run_stage`, the same wiring the benchmark and the
tests use; a part whose resource the asset did not declare is a programming error, said plainly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipelines.domain import Mention
from pipelines.scraping import HttpFetcher, RawPageStore, Source
from pipelines.workspace import PartitionWorkspace

if TYPE_CHECKING:
    from pipelines.cleanup.profiles import ProfileRegistry
    from pipelines.defs.resources import (
        CleanupResource,
        NerResource,
        SourcesResource,
        StateResource,
        TripleStoreResource,
        WikidataResource,
    )
    from pipelines.linking import Linker
    from pipelines.namespaces import Namespaces
    from pipelines.store import GraphStore

R = TypeVar("R")


class MissingResourceError(RuntimeError):
    """A stage asked for a part whose resource its asset does not declare."""


@dataclass(frozen=True)
class ResourceParts:
    """:class:`pipelines.night.NightParts` over an asset's resources."""

    state: StateResource
    sources_resource: SourcesResource | None = None
    cleanup: CleanupResource | None = None
    ner: NerResource | None = None
    wikidata: WikidataResource | None = None
    triple_store: TripleStoreResource | None = None

    def workspace(self, partition: str) -> PartitionWorkspace:
        return self.state.workspace(partition)

    def sources(self) -> Sequence[Source]:
        return _needed(self.sources_resource, "sources").load()

    def fetcher(self) -> HttpFetcher:
        return _needed(self.sources_resource, "sources").fetcher()

    def raw_store(self) -> RawPageStore:
        return self.state.raw_store()

    def state_dir(self) -> Path:
        return self.state.state_path

    def profiles(self) -> ProfileRegistry:
        return _needed(self.cleanup, "cleanup").profiles()

    def cleanup_budget_s(self) -> float:
        return _needed(self.cleanup, "cleanup").budget_s

    def find_mentions(self, texts: Sequence[str]) -> list[list[Mention]]:
        return _needed(self.ner, "ner").find_mentions(texts)

    def ner_model(self) -> tuple[str, str]:
        return _needed(self.ner, "ner").model_meta()

    def linker(self) -> Linker:
        return _needed(self.wikidata, "wikidata").linker()

    def namespaces(self) -> Namespaces:
        return _needed(self.triple_store, "triple_store").namespaces()

    def open_store(self) -> GraphStore:
        return _needed(self.triple_store, "triple_store").open()


def _needed(resource: R | None, name: str) -> R:
    if resource is None:
        raise MissingResourceError(f"this asset declares no {name!r} resource, which its stage needs")
    return resource
