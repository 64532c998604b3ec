"""The streamed night's work besides NER, done in worker processes while the main process tags.

Two kinds of task: cleaning a page, and building an article's graph (with its quotes) and
validating it. The worker serializes every article as the graph file will hold it and validates its
triples in the file's order, so both the bytes and the violations are the ones the graph and validate
stages give when run one after the other (tests/test_streamed_night.py, tests/graph/test_triple_graph.py).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pipelines import heap
from pipelines.domain import CleanDocument, EntityInfo, LinkedMention, RawDocument, RunInfo, StageFailure
from pipelines.graph.parallel import ArticleInput, _Context, build_article, build_failure
from pipelines.graph.stream import STREAM_FORMATS, serialize_named_graphs
from pipelines.graph.terms import GraphBuildError
from pipelines.graph.validation import compiled_shapes, load_shapes, validate_graph_triples
from pipelines.namespaces import Namespaces

if TYPE_CHECKING:
    from pipelines.cleanup.profiles import ProfileRegistry
    from pipelines.cleanup.site_lines import SiteLines

T = TypeVar("T")

BUILDER_NICE = 10  # graph builders yield the CPU to NER (a nice of 10 weighs ~1/10 of the default)


@dataclass(frozen=True)
class CheckedArticle:
    """One article's quotes, serialized graphs with their triple counts and violations, or why it has none."""

    doc_id: str
    quotes: dict[str, Any] | None = None  # ArticleQuotes.to_dict()
    data: bytes = b""
    graphs: dict[str, int] = field(default_factory=dict)
    mentions: int = 0
    violations: list[tuple[str, list[str]]] = field(default_factory=list)  # (graph IRI, readable lines)
    failure: StageFailure | None = None


@dataclass(frozen=True)
class Cleaned:
    """One page's cleanup: the document as the later stages read it, or what went wrong."""

    doc_id: str
    clean: CleanDocument | None = None
    error: Exception | None = None


@dataclass(frozen=True)
class WorkSettings:
    """What every task shares (picklable: it goes to each worker once)."""

    run: RunInfo  # article graphs use only its id and partition, known before the night ends
    ns: Namespaces
    suffix: str  # the graph file's suffix, which says its format
    prefixes: Mapping[str, str] | None
    raw_dir: Path
    profiles: ProfileRegistry
    budget_s: float | None
    shapes_dir: Path | None = None


def clean_one(raw: RawDocument, site: SiteLines | None, settings: WorkSettings) -> Cleaned:
    """Clean one page within its budget (in a worker, the budget's timer runs in its main thread)."""
    from pipelines import nightly
    from pipelines.cleanup import CleanupError
    from pipelines.scraping import RawPageStore

    try:
        clean = nightly.clean_page(raw, RawPageStore(settings.raw_dir), settings.profiles, site, settings.budget_s)
    except (CleanupError, FileNotFoundError) as exc:
        return Cleaned(raw.doc_id, error=exc)
    return Cleaned(raw.doc_id, CleanDocument.from_dict(clean.to_dict()))  # as later stages read clean.jsonl


def build_and_check(
    items: Sequence[tuple[RawDocument, CleanDocument, list[LinkedMention]]],
    entities: Mapping[str, EntityInfo],
    settings: WorkSettings,
) -> list[CheckedArticle]:
    """Find each article's quotes, then build, serialize and validate its graph on its own; one that
    cannot be built is recorded. The graph is validated as its file will hold it (its triples in the
    file's order), so the violations are the ones the validate stage finds reading the file."""
    from pipelines.quotes.positions import positions_at
    from pipelines.quotes.records import ArticleQuotes
    from pipelines.quotes.stage import article_quotes

    compiled = compiled_shapes(load_shapes(settings.shapes_dir))
    context = _Context(entities, settings.run, settings.ns, settings.suffix, settings.prefixes)
    fmt = STREAM_FORMATS[settings.suffix]
    positions = positions_at()
    out = []
    for raw, clean, linked in items:
        found = article_quotes(raw.doc_id, clean, linked, positions).to_dict()
        item = ArticleInput(raw, clean, linked, ArticleQuotes.from_dict(found))
        try:
            graph = build_article(item, context)
        except GraphBuildError as exc:
            out.append(CheckedArticle(raw.doc_id, found, failure=build_failure(item, exc)))
            continue
        data, counts = serialize_named_graphs([graph], fmt, settings.prefixes)
        violations = validate_graph_triples([(graph.identifier, graph.in_file_order())], compiled) if counts else []
        out.append(CheckedArticle(raw.doc_id, found, data, counts, len(linked), violations))
    return out


_SETTINGS: WorkSettings | None = None


def _init_worker(settings: WorkSettings, builds: bool, nice: int, cleans: bool) -> None:
    global _SETTINGS
    _SETTINGS = settings
    if nice:
        _lower_priority(nice)
    if builds:
        from pipelines.quotes.positions import positions_at

        compiled_shapes(load_shapes(settings.shapes_dir))  # compiled while the parent still scrapes and tags
        positions_at()
    if cleans:
        _warm_up()
    heap.settle()  # what the worker keeps is loaded: its collections walk only the tasks' objects


def _settings() -> WorkSettings:
    if _SETTINGS is None:  # pragma: no cover - the pool's initializer always runs first
        raise RuntimeError("worker started without its settings")
    return _SETTINGS


def _lower_priority(nice: int) -> None:
    if hasattr(os, "nice"):
        os.nice(nice)


def _warm_up() -> None:
    import pipelines.cleanup.document  # noqa: F401  (the cleanup's imports, before the first page)


def _clean_in_worker(raw: RawDocument, site: SiteLines | None) -> Cleaned:
    return clean_one(raw, site, _settings())


def _check_in_worker(
    items: Sequence[tuple[RawDocument, CleanDocument, list[LinkedMention]]], entities: Mapping[str, EntityInfo]
) -> list[CheckedArticle]:
    return build_and_check(items, entities, _settings())


class NightWorkers:
    """Cleanup and graph tasks in worker processes (or done at once in this one, with ``workers=0``);
    each call gives a future. With two or more workers, one cleans and the others build graphs, so a
    page's cleanup never queues behind a batch of graphs while NER waits for it.

    The graph builders run at a lower priority (``BUILDER_NICE``): NER, on the night's critical path,
    takes the CPU it needs and the builders take the rest. Graph batches wait here rather than in the
    pool's queue, at most ``IN_FLIGHT`` per pool, so that once the scrape is over
    (:meth:`pages_collected`) the batches still waiting are shared with the cleaning worker.
    """

    IN_FLIGHT = 2

    def __init__(self, settings: WorkSettings, *, workers: int = 2) -> None:
        self.settings = settings
        self._cleaners: ProcessPoolExecutor | None = None
        self._builders: ProcessPoolExecutor | None = None
        self._started: Future[None] = _done(None)
        self._queued: deque[tuple[_CheckTask, Future[list[CheckedArticle]]]] = deque()
        self._in_flight: dict[int, int] = {}  # per pool (id): batches given to it and not yet back
        self._building: list[ProcessPoolExecutor] = []
        self._lock = threading.Lock()
        if workers > 0:
            self._cleaners = self._builders = _pool(1, settings, builds=workers == 1, cleans=True)
            if workers > 1:
                self._builders = _pool(workers - 1, settings, builds=True, cleans=False, nice=BUILDER_NICE)
            self._started = self._cleaners.submit(_warm_up)
            self._building = [self._builders]

    @property
    def started(self) -> bool:
        """Whether the cleaning worker has started (a task given before waits for its imports, seconds)."""
        return self._started.done()

    def clean(self, raw: RawDocument, site: SiteLines | None) -> Future[Cleaned]:
        if self._cleaners is None:
            return _done(clean_one(raw, site, self.settings))
        return self._cleaners.submit(_clean_in_worker, raw, site)

    def check(
        self,
        items: Sequence[tuple[RawDocument, CleanDocument, list[LinkedMention]]],
        entities: Mapping[str, EntityInfo],
    ) -> Future[list[CheckedArticle]]:
        if self._builders is None:
            return _done(build_and_check(items, entities, self.settings))
        future: Future[list[CheckedArticle]] = Future()
        with self._lock:
            self._queued.append(((list(items), dict(entities)), future))
        self._dispatch()
        return future

    def pages_collected(self) -> None:
        """The scrape is over, so few pages are left to clean: the cleaning worker builds graphs too, at the
        builders' priority (a cleanup still given to it waits at most for one batch of graphs)."""
        if self._cleaners is not None and self._cleaners not in self._building:
            self._cleaners.submit(_lower_priority, BUILDER_NICE)
            with self._lock:
                self._building.append(self._cleaners)
            self._dispatch()

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                pool = next((p for p in self._building if self._in_flight.get(id(p), 0) < self.IN_FLIGHT), None)
                if pool is None or not self._queued:
                    return
                task, future = self._queued.popleft()
                self._in_flight[id(pool)] = self._in_flight.get(id(pool), 0) + 1
            try:
                done = pool.submit(_check_in_worker, *task)
            except RuntimeError as exc:  # the pool was shut down: the night is over
                future.set_exception(exc)
                return
            done.add_done_callback(functools.partial(self._returned, pool, future))

    def _returned(
        self, pool: ProcessPoolExecutor, future: Future[list[CheckedArticle]], done: Future[list[CheckedArticle]]
    ) -> None:
        with self._lock:
            self._in_flight[id(pool)] -= 1
        if future.done():  # cancelled by close()
            return
        if done.cancelled():
            future.cancel()
        elif (error := done.exception()) is not None:
            future.set_exception(error)
        else:
            future.set_result(done.result())
        self._dispatch()

    def close(self) -> None:
        with self._lock:
            queued, self._queued = list(self._queued), deque()
        for _task, future in queued:
            future.cancel()
        for pool in {id(p): p for p in (self._cleaners, self._builders) if p is not None}.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._cleaners = self._builders = None

    def __enter__(self) -> NightWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_CheckTask = tuple[list[tuple[RawDocument, CleanDocument, list[LinkedMention]]], dict[str, EntityInfo]]


def _pool(workers: int, settings: WorkSettings, *, builds: bool, cleans: bool, nice: int = 0) -> ProcessPoolExecutor:
    spawn = multiprocessing.get_context("spawn")  # no fork: the parent runs fetch threads and NER
    return ProcessPoolExecutor(
        workers, mp_context=spawn, initializer=_init_worker, initargs=(settings, builds, nice, cleans)
    )


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future
