"""Article graphs built and SHACL-validated together, off the main process, while NER reads on.

The streamed night (:mod:`pipelines.streamed`) hands each batch of linked articles to a worker
process. The worker serializes every article as the graph file will hold it and validates it from
those bytes, so both the bytes and the violations are the ones the graph and validate stages give
when run one after the other (tests/test_streamed_night.py).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.domain import EntityInfo, RunInfo, StageFailure
from pipelines.graph.parallel import ArticleInput, _Context, build_chunk
from pipelines.graph.stream import STREAM_FORMATS, iter_serialized_graph_triples
from pipelines.graph.validation import compiled_shapes, load_shapes, validate_graph_triples
from pipelines.namespaces import Namespaces


@dataclass(frozen=True)
class CheckedArticle:
    """One article's serialized graphs with their triple counts and violations, or why it has none."""

    doc_id: str
    data: bytes = b""
    graphs: dict[str, int] = field(default_factory=dict)
    mentions: int = 0
    violations: list[tuple[str, list[str]]] = field(default_factory=list)  # (graph IRI, readable lines)
    failure: StageFailure | None = None


@dataclass(frozen=True)
class CheckSettings:
    """What every article's build and check share (picklable: it goes to the worker once)."""

    run: RunInfo  # article graphs use only its id and partition, known before the night ends
    ns: Namespaces
    suffix: str  # the graph file's suffix, which says its format
    prefixes: Mapping[str, str] | None
    shapes_dir: Path | None = None


def build_and_check(
    items: Sequence[ArticleInput], entities: Mapping[str, EntityInfo], settings: CheckSettings
) -> list[CheckedArticle]:
    """Build, serialize and validate each article on its own; one that cannot be built is recorded."""
    compiled = compiled_shapes(load_shapes(settings.shapes_dir))
    context = _Context(entities, settings.run, settings.ns, settings.suffix, settings.prefixes)
    fmt = STREAM_FORMATS[settings.suffix]
    out = []
    for item in items:
        chunk = build_chunk([item], context)
        if chunk.failures:
            out.append(CheckedArticle(item.raw.doc_id, failure=chunk.failures[0]))
            continue
        graphs = iter_serialized_graph_triples(chunk.data, fmt, f"the graph of {item.raw.doc_id}")
        out.append(
            CheckedArticle(
                item.raw.doc_id, chunk.data, chunk.graphs, chunk.mentions, validate_graph_triples(graphs, compiled)
            )
        )
    return out


_SETTINGS: CheckSettings | None = None


def _init_worker(settings: CheckSettings) -> None:
    global _SETTINGS
    _SETTINGS = settings
    compiled_shapes(load_shapes(settings.shapes_dir))  # compiled while the parent still scrapes and tags


def _check_in_worker(items: Sequence[ArticleInput], entities: Mapping[str, EntityInfo]) -> list[CheckedArticle]:
    if _SETTINGS is None:  # pragma: no cover - the pool's initializer always runs first
        raise RuntimeError("worker started without its settings")
    return build_and_check(items, entities, _SETTINGS)


class ArticleChecker:
    """Batches of articles built and checked in one worker process (or inline with ``workers=0``),
    results taken back in the order the batches were given."""

    def __init__(self, settings: CheckSettings, *, workers: int = 1) -> None:
        self.settings = settings
        self._pending: deque[Future[list[CheckedArticle]]] = deque()
        self._inline: list[CheckedArticle] = []
        self._pool: ProcessPoolExecutor | None = None
        if workers > 0:
            spawn = multiprocessing.get_context("spawn")  # no fork: the parent runs fetch threads and NER
            self._pool = ProcessPoolExecutor(workers, mp_context=spawn, initializer=_init_worker, initargs=(settings,))

    def submit(self, items: Sequence[ArticleInput], entities: Mapping[str, EntityInfo]) -> None:
        if not items:
            return
        if self._pool is None:
            self._inline.extend(build_and_check(items, entities, self.settings))
        else:
            self._pending.append(self._pool.submit(_check_in_worker, list(items), dict(entities)))

    def ready(self) -> list[CheckedArticle]:
        """The articles of the batches finished so far (in order), without waiting."""
        out, self._inline = self._inline, []
        while self._pending and self._pending[0].done():
            out.extend(self._pending.popleft().result())
        return out

    def finish(self) -> list[CheckedArticle]:
        """Wait for every batch given; the rest of the articles, in order."""
        out = self.ready()
        while self._pending:
            out.extend(self._pending.popleft().result())
        return out

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ArticleChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
