"""One night's stages wired once: what each stage is given, in which order they run.

The Dagster assets (one stage each, parts from their resources), the benchmark and the tests (all
stages, parts from :class:`Settings`) call :func:`run_stage` or :func:`run_night`, so there is one
place that says how a stage gets its model, linker, store or fetcher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING, Protocol, TypeAlias

from pipelines import __version__, nightly
from pipelines.days import utc_now
from pipelines.domain import Mention
from pipelines.nightly import StageReport
from pipelines.stages import STAGES, Stage
from pipelines.workspace import PartitionWorkspace

if TYPE_CHECKING:
    from pathlib import Path

    from pipelines.cleanup.profiles import ProfileRegistry
    from pipelines.graph import ValidationResult
    from pipelines.linking import Linker
    from pipelines.namespaces import Namespaces
    from pipelines.scraping import HttpFetcher, RawPageStore, Source
    from pipelines.settings import Settings
    from pipelines.store import GraphStore


class NightParts(Protocol):
    """What the stages work with. A stage asks only for its own parts, so a model is loaded, a store
    opened or a fetcher made only by the stage that uses it."""

    def workspace(self, partition: str) -> PartitionWorkspace: ...
    def sources(self) -> Sequence[Source]: ...
    def fetcher(self) -> HttpFetcher: ...
    def raw_store(self) -> RawPageStore: ...
    def state_dir(self) -> Path: ...
    def profiles(self) -> ProfileRegistry: ...
    def cleanup_budget_s(self) -> float: ...
    def find_mentions(self, texts: Sequence[str]) -> list[list[Mention]]: ...
    def ner_model(self) -> tuple[str, str]: ...
    def linker(self) -> Linker: ...
    def namespaces(self) -> Namespaces: ...
    def open_store(self) -> GraphStore: ...


StageResult: TypeAlias = "StageReport | ValidationResult"


def run_stage(stage: Stage, ws: PartitionWorkspace, parts: NightParts, *, now: datetime | None = None) -> StageResult:
    """Run one stage of the night in ``ws``; ``now`` is the scrape's time (default: the clock)."""
    if stage == "scrape":
        sources = parts.sources()
        fetcher = parts.fetcher() if any(s.kind != "directory" for s in sources) else None
        try:
            return nightly.scrape(
                ws, sources, parts.raw_store(), fetcher, now or utc_now(), state_dir=parts.state_dir()
            )
        finally:
            if fetcher is not None:
                fetcher.close()
    if stage == "cleanup":
        return nightly.cleanup(
            ws, parts.raw_store(), parts.profiles(), budget_s=parts.cleanup_budget_s(), state_dir=parts.state_dir()
        )
    if stage == "ner":
        return nightly.recognize(ws, parts.find_mentions)
    if stage == "linking":
        linker = parts.linker()
        return nightly.link(ws, lambda text, mentions: list(linker.link(text, mentions)), linker.entity_info)
    if stage == "quotes":
        return nightly.find_quotes(ws, parts.namespaces())
    if stage == "graph":
        model, model_version = parts.ner_model()
        run = nightly.run_info(
            ws,
            ended_at=utc_now(),
            code_version=__version__,
            ner_model=model,
            ner_model_version=model_version,
            kb_version=str(parts.linker().kb.version),
        )
        return nightly.build_graph(ws, run, parts.namespaces())
    if stage == "validate":
        return nightly.validate(ws)
    with parts.open_store() as store:
        return nightly.publish(ws, store, parts.namespaces())


Measure: TypeAlias = "Callable[[str, Callable[[], StageResult]], StageResult]"


def _unmeasured(name: str, step: Callable[[], StageResult]) -> StageResult:
    return step()


@dataclass
class NightRun:
    """What each stage of a night reported, in the order they ran."""

    partition: str
    results: dict[Stage, StageResult] = field(default_factory=dict)

    @property
    def reports(self) -> dict[Stage, StageReport]:
        return {stage: r for stage, r in self.results.items() if isinstance(r, StageReport)}

    @property
    def validation(self) -> ValidationResult | None:
        result = self.results.get("validate")
        return None if result is None or isinstance(result, StageReport) else result


def run_night(
    parts: NightParts,
    partition: str,
    *,
    stages: Sequence[Stage] = STAGES,
    now: datetime | None = None,
    measure: Measure = _unmeasured,
) -> NightRun:
    """Run ``stages`` of one night in order; ``measure`` wraps each (the benchmark times them).

    A night whose graph does not conform is not published: ``publish`` refuses it
    (:class:`~pipelines.nightly.PublicationRefused`), as the Dagster check blocks it.
    """
    ws = parts.workspace(partition)
    night = NightRun(partition)
    for stage in STAGES:
        if stage in stages:
            night.results[stage] = measure(stage, partial(run_stage, stage, ws, parts, now=now))
    return night


class SettingsParts:
    """The night's parts built from :class:`Settings` (the CLI, the benchmark, the tests), each once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def workspace(self, partition: str) -> PartitionWorkspace:
        return PartitionWorkspace(self.settings.partitions_dir, partition)

    def sources(self) -> Sequence[Source]:
        from pipelines.scraping import load_sources

        return load_sources(self.settings.sources_file)

    def fetcher(self) -> HttpFetcher:
        from pipelines import factory

        return factory.fetcher(self.settings)

    @cached_property
    def _raw_store(self) -> RawPageStore:
        from pipelines import factory

        return factory.raw_store(self.settings)

    def raw_store(self) -> RawPageStore:
        return self._raw_store

    def state_dir(self) -> Path:
        return self.settings.state_dir

    @cached_property
    def _profiles(self) -> ProfileRegistry:
        from pipelines import factory

        return factory.profiles(self.settings)

    def profiles(self) -> ProfileRegistry:
        return self._profiles

    def cleanup_budget_s(self) -> float:
        return self.settings.cleanup_budget_s

    def find_mentions(self, texts: Sequence[str]) -> list[list[Mention]]:
        from pipelines import factory
        from pipelines.ner import find_mentions

        return list(find_mentions(factory.ner_for(self.settings), texts))

    def ner_model(self) -> tuple[str, str]:
        from pipelines import factory

        return factory.model_meta(factory.ner_for(self.settings), self.settings.ner_model)

    @cached_property
    def _linker(self) -> Linker:
        from pipelines import factory

        return factory.linker(self.settings)

    def linker(self) -> Linker:
        return self._linker

    def namespaces(self) -> Namespaces:
        from pipelines import factory

        return factory.namespaces(self.settings)

    def open_store(self) -> GraphStore:
        from pipelines import factory

        return factory.store(self.settings)
