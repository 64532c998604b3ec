"""Building a night's article graphs in worker processes, written to the graph file in night order.

Building an article's graph and serializing it is pure CPU work per article (about 9 ms),
so big nights spread chunks of articles over processes; each worker returns its chunk serialized
(:func:`pipelines.graph.stream.serialize_named_graphs`) and the parent appends chunks in the order the
articles came, so the file is the same as a serial build's. At most two chunks per worker are in
flight, so memory stays that of a few chunks however big the night.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from pipelines.domain import CleanDocument, EntityInfo, LinkedMention, RawDocument, RunInfo, StageFailure
from pipelines.graph.article import build_article_triples
from pipelines.graph.quotes import add_quotes
from pipelines.graph.stream import STREAM_FORMATS, GraphFileWriter, serialize_named_graphs
from pipelines.graph.terms import GraphBuildError
from pipelines.graph.triples import TripleGraph
from pipelines.namespaces import Namespaces
from pipelines.quotes.records import ArticleQuotes

CHUNK_ARTICLES = 50
# A worker process spends its first seconds importing rdflib and the namespaces; building one article's graph
# takes milliseconds (docs/benchmarks.md), so workers only pay off for a night of hundreds of articles.
PARALLEL_MIN_ARTICLES = 400


@dataclass(frozen=True)
class ArticleInput:
    """What one article's graph is built from."""

    raw: RawDocument
    clean: CleanDocument
    mentions: Sequence[LinkedMention]
    quotes: ArticleQuotes | None = None  # the quote stage's findings, where it ran


@dataclass
class BuiltChunk:
    """Serialized graphs of a run of articles, with what could not be built and why."""

    data: bytes = b""
    graphs: dict[str, int] = field(default_factory=dict)
    failures: list[StageFailure] = field(default_factory=list)
    articles: int = 0
    mentions: int = 0


@dataclass
class BuildTotals:
    """What a night's build did: articles and mentions written, and the articles that could not be built."""

    articles: int = 0
    mentions: int = 0
    failures: list[StageFailure] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    entities: Mapping[str, EntityInfo]
    run: RunInfo
    ns: Namespaces
    suffix: str  # the graph file's suffix, which says its format (pyoxigraph formats do not pickle)
    prefixes: Mapping[str, str] | None


def build_article(item: ArticleInput, context: _Context) -> TripleGraph:
    """One article's graph with its quotes (a :class:`GraphBuildError` says why its records cannot be one)."""
    graph = build_article_triples(item.raw, item.clean, item.mentions, context.entities, context.run, context.ns)
    if item.quotes is not None:
        add_quotes(graph, item.raw.doc_id, item.clean.text, item.quotes, context.run, context.ns)
    return graph


def build_failure(item: ArticleInput, exc: GraphBuildError) -> StageFailure:
    return StageFailure("graph", str(exc), doc_id=item.raw.doc_id, url=item.raw.url)


def build_chunk(items: Sequence[ArticleInput], context: _Context) -> BuiltChunk:
    """Build and serialize each article; one inconsistent article is recorded, never fails the chunk."""
    chunk = BuiltChunk()
    parts: list[bytes] = []
    for item in items:
        try:
            graph = build_article(item, context)
        except GraphBuildError as exc:
            chunk.failures.append(build_failure(item, exc))
            continue
        data, graphs = serialize_named_graphs([graph], STREAM_FORMATS[context.suffix], context.prefixes)
        parts.append(data)
        for name, count in graphs.items():
            chunk.graphs[name] = chunk.graphs.get(name, 0) + count
        chunk.articles += 1
        chunk.mentions += len(item.mentions)
    chunk.data = b"".join(parts)
    return chunk


_WORKER_CONTEXT: _Context | None = None


def _init_worker(context: _Context) -> None:
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = context


def _build_in_worker(items: Sequence[ArticleInput]) -> BuiltChunk:
    if _WORKER_CONTEXT is None:  # pragma: no cover - the pool's initializer always runs first
        raise RuntimeError("worker started without its build context")
    return build_chunk(items, _WORKER_CONTEXT)


def _chunks(items: Iterable[ArticleInput], size: int) -> Iterator[list[ArticleInput]]:
    chunk: list[ArticleInput] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build_articles(
    items: Iterable[ArticleInput],
    entities: Mapping[str, EntityInfo],
    run: RunInfo,
    ns: Namespaces,
    out: GraphFileWriter,
    *,
    workers: int = 1,
    chunk_articles: int = CHUNK_ARTICLES,
) -> BuildTotals:
    """Append every article's graph to ``out`` in the order of ``items`` (graph names and counts: ``out.graphs``).

    With ``workers > 1`` chunks are built in that many processes; the file is the same either way.
    """
    context = _Context(entities, run, ns, out.path.suffix, out.prefixes)
    total = BuildTotals()

    def take(chunk: BuiltChunk) -> None:
        out.add_serialized(chunk.data, chunk.graphs)
        total.failures.extend(chunk.failures)
        total.articles += chunk.articles
        total.mentions += chunk.mentions

    if workers <= 1:
        for items_chunk in _chunks(items, chunk_articles):
            take(build_chunk(items_chunk, context))
    else:
        spawn = multiprocessing.get_context("spawn")  # no fork: the parent may run NER or Dagster threads
        with ProcessPoolExecutor(workers, mp_context=spawn, initializer=_init_worker, initargs=(context,)) as pool:
            pending: deque[Future[BuiltChunk]] = deque()
            for items_chunk in _chunks(items, chunk_articles):
                pending.append(pool.submit(_build_in_worker, items_chunk))
                if len(pending) >= 2 * workers:
                    take(pending.popleft().result())
            while pending:
                take(pending.popleft().result())
    return total
