"""One night's document stages overlapped instead of queued behind each other.

Run one after the other, the stages leave the CPU idle while the scrape waits on each host's turn,
and NER waits for the last page before it starts. Here a fetch thread hands every page to the main
thread as it is collected; the main thread cleans it and tags it (NER in batches), links it and
finds its quotes; a worker process builds each batch's article graphs and validates them while NER
reads the next batch. The night as a whole (site lines of text dumps, stories, the run's graph) is
done once the last page is in.

Text dumps are cleaned with the lines their site repeats tonight (``cleanup.site_lines``), which
are known only once the night's pages are in. A dump is therefore cleaned and carried through with
the lines of its site's pages so far, and cleaned again at the end: where that changes its text or
blocks it goes through NER again, where it changes only what was removed its graph is built again.
HTML pages go to NER without the paragraphs their site's HTML pages so far repeat; the paragraphs a site
repeats across all of them (``cleanup.site_paragraphs``) are known once every page is cleaned, and a page
whose cleanup then differs from the one NER read goes through NER again (a site's first pages, mostly).

The files are the ones :func:`pipelines.night.run_night` leaves, byte for byte
(tests/test_streamed_night.py): outputs are written in the night's order once it is done, so a
rerun replaces them as it would, and a failure before the end leaves the earlier night's files.
"""

from __future__ import annotations

import dataclasses
import os
import queue
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent import futures
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines import __version__, heap, nightly
from pipelines.days import utc_now
from pipelines.domain import CleanDocument, EntityInfo, LinkedMention, Mention, RawDocument, RunInfo, StageFailure
from pipelines.nightly import StageReport
from pipelines.stages import NightFile

if TYPE_CHECKING:
    from pipelines.cleanup.site_lines import SiteLines
    from pipelines.graph import ValidationResult
    from pipelines.linking import Linker
    from pipelines.night import NightParts, StageResult
    from pipelines.night_workers import CheckedArticle, Cleaned, NightWorkers
    from pipelines.quotes.records import ArticleQuotes
    from pipelines.stages import Stage
    from pipelines.workspace import PartitionWorkspace

NER_BATCH = 32  # pages tagged together: big enough for nlp.pipe, small enough that graphs follow closely
IDLE_S = 0.2  # with no page arriving for this long, a part batch is tagged rather than left waiting
FIRST_DUMPS = 4  # a site's first text dumps wait for this many, so their first cleanup already sees its lines


@dataclass
class _Page:
    """One collected page on its way through the stages."""

    raw: RawDocument
    site: str | None = None
    lines: frozenset[str] | None = None  # a text dump's lines (keys), whose site's lines are known at the end
    speculative: bool = False  # cleaned with the site's lines so far: cleaned again at the end
    first_pass: CleanDocument | None = None  # an HTML page's cleanup, before its site's paragraphs are known
    first_clean: tuple[str, str] | None = None  # that first cleanup, which NER read: _fingerprints
    clean: CleanDocument | None = None
    cleanup_error: Exception | None = None
    mentions: list[Mention] | None = None
    linked: list[LinkedMention] | None = None
    link_failure: StageFailure | None = None
    quotes: ArticleQuotes | None = None
    checked: CheckedArticle | None = None  # without its graph's bytes, which are in the spool
    spooled: tuple[int, int] | None = None  # (offset, length) of its graph's bytes in the spool file
    version: int = 0  # of the inputs last given for its graph: a result for older inputs is dropped
    queued: bool = False  # cleaned, waiting in the NER batch

    def forget_tags(self) -> None:
        self.mentions = self.linked = self.quotes = self.link_failure = None


@dataclass(frozen=True)
class Progress:
    """How far a streamed night is: pages collected, tagged by NER, and with their graph built and checked."""

    collected: int
    tagged: int
    checked: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.collected} pages collected, {self.tagged} tagged, {self.checked} graphs built and validated "
            f"after {self.seconds:.0f} s"
        )


@dataclass
class StreamedNight:
    """What each stage of a streamed night reported, and where the main thread spent its time."""

    results: dict[Stage, StageResult] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # dumps cleaned before their site's lines were known

    @property
    def validation(self) -> ValidationResult:
        from pipelines.graph import ValidationResult

        result = self.results["validate"]
        assert isinstance(result, ValidationResult)
        return result


class _ScrapeThread(threading.Thread):
    """The scrape stage in a thread, each collected page put on ``pages`` as it comes; ``None`` ends."""

    def __init__(self, ws: PartitionWorkspace, parts: NightParts, now: datetime, pages: queue.Queue) -> None:
        super().__init__(name="scrape", daemon=True)
        self.ws, self.parts, self.now, self.pages = ws, parts, now, pages
        self.report: StageReport | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        sources = self.parts.sources()
        fetcher = self.parts.fetcher() if any(s.kind != "directory" for s in sources) else None
        try:
            self.report = nightly.scrape(
                self.ws,
                sources,
                self.parts.raw_store(),
                fetcher,
                self.now,
                state_dir=self.parts.state_dir(),
                on_document=self.pages.put,
            )
        except BaseException as exc:  # re-raised in the main thread once the pages so far are through
            self.error = exc
        finally:
            if fetcher is not None:
                fetcher.close()
            self.pages.put(None)


def run_streamed(
    ws: PartitionWorkspace,
    parts: NightParts,
    *,
    now: datetime | None = None,
    workers: int | None = None,
    shapes_dir: Path | None = None,
    progress: Callable[[Progress], None] | None = None,
    progress_every_s: float = 30.0,
) -> StreamedNight:
    """Scrape, clean, tag, link, find quotes, build and validate one night, overlapped (not published).

    ``workers``: processes that clean pages and build and validate article graphs (0: all in the main
    thread; default: :func:`streamed_workers`). ``progress`` is told how far the night is, every
    ``progress_every_s`` seconds and once at the end: a night is one long step for its orchestrator.
    """
    night = _Night(ws, parts, streamed_workers() if workers is None else workers, shapes_dir)
    night.progress, night.progress_every_s = progress, progress_every_s
    pages: queue.Queue[RawDocument | None] = queue.Queue()
    scrape = _ScrapeThread(ws, parts, now or utc_now(), pages)
    started = time.perf_counter()
    scrape.start()
    try:
        parts.ner_model()  # loaded while the first pages arrive, so that it is settled with the rest
        with night, heap.settled():
            while True:
                try:
                    if len(night.batch) >= NER_BATCH:  # NER has work: look for pages, do not wait for them
                        raw = pages.get_nowait()
                    else:
                        with night.timed("waiting_for_pages"):
                            raw = pages.get(timeout=IDLE_S)
                except queue.Empty:
                    night.collect()
                    night.tag()  # the scrape waits on a host: tag what is there
                    continue
                arrived = [raw, *_waiting(pages)]  # all that came while NER read: cleaned ahead of it
                for each in arrived:
                    if each is not None:
                        night.take(each)
                if arrived[-1] is None:
                    night.collected = True
                    break
                night.collect()
                night.report_progress()
            night.seconds["other"] = round(time.perf_counter() - started - sum(night.seconds.values()), 3)
            if scrape.error is not None:
                raise scrape.error
            assert scrape.report is not None
            night.results["scrape"] = scrape.report
            night.finish()
            night.report_progress(final=True)
    finally:
        scrape.join()
    return StreamedNight(night.results, night.seconds, dict(night.counts))


class _Night:
    def __init__(self, ws: PartitionWorkspace, parts: NightParts, workers: int, shapes_dir: Path | None) -> None:
        from pipelines.namespaces import PREFIXES
        from pipelines.night_workers import NightWorkers, WorkSettings

        self.ws, self.parts, self.shapes_dir = ws, parts, shapes_dir
        self.pages: list[_Page] = []
        self.by_id: dict[str, _Page] = {}
        self.dumps: list[_Page] = []  # text dumps of a site, in the night's order
        self.waiting: dict[str, list[_Page]] = {}  # a site's first dumps, until it has FIRST_DUMPS of them
        self.site_lines: dict[str, SiteLines] = {}  # each site's lines over its dumps so far
        self.site_paragraphs: dict[str, SiteLines] = {}  # each site's paragraphs over its HTML pages so far
        self.cleaning: dict[Future[Cleaned], tuple[_Page, bool]] = {}  # (page, final cleanup of a dump)
        self.checking: list[tuple[Future[list[CheckedArticle]], dict[str, int]]] = []  # with each page's version
        self.batch: list[_Page] = []  # cleaned, for NER
        self.ready: list[_Page] = []  # dumps tagged before their final cleanup, which kept their text
        self.results: dict[Stage, StageResult] = {}
        self.seconds: dict[str, float] = {}
        self.counts: Counter[str] = Counter()
        self.progress: Callable[[Progress], None] | None = None
        self.progress_every_s = 30.0
        self.started = self.reported = time.perf_counter()
        self.raw_store = parts.raw_store()
        self.linker: Linker = parts.linker()
        self.ns = parts.namespaces()
        self.entities: dict[str, EntityInfo | None] = {}
        self.collected = False  # the scrape is over: every page has been given to the cleanup
        ws.dir.mkdir(parents=True, exist_ok=True)
        self.spool = tempfile.TemporaryFile(dir=ws.dir, prefix=".graph-spool-")  # noqa: SIM115 (closed on exit)
        settings = WorkSettings(
            self._run_stub(),
            self.ns,
            ws.path(NightFile.GRAPH).suffix,
            PREFIXES,
            self.raw_store.root,
            parts.profiles(),
            parts.cleanup_budget_s(),
            shapes_dir,
        )
        self.workers: NightWorkers = NightWorkers(settings, workers=workers)

    def report_progress(self, *, final: bool = False) -> None:
        now = time.perf_counter()
        if self.progress is None or (not final and now - self.reported < self.progress_every_s):
            return
        self.reported = now
        tagged = sum(1 for p in self.pages if p.mentions is not None)
        checked = sum(1 for p in self.pages if p.checked is not None)
        self.progress(Progress(len(self.pages), tagged, checked, round(now - self.started, 1)))

    def __enter__(self) -> _Night:
        return self

    def __exit__(self, *exc: object) -> None:
        self.workers.close()
        self.spool.close()

    def _run_stub(self) -> RunInfo:
        """The run as its article graphs see it: only its id and partition, known before the night ends."""
        partition = self.ws.partition
        return RunInfo(
            run_id=partition,
            partition=partition,
            started_at="",
            ended_at="",
            code_version=__version__,
            ner_model="",
            ner_model_version="",
            kb_version="",
        )

    @contextmanager
    def timed(self, part: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[part] = round(self.seconds.get(part, 0.0) + time.perf_counter() - started, 4)

    # --- as pages arrive ----------------------------------------------------------------------

    def take(self, raw: RawDocument) -> None:
        from pipelines.cleanup import CleanupError
        from pipelines.cleanup.document import read_document
        from pipelines.cleanup.site_lines import page_keys, site_of

        page = _Page(raw, site_of(raw.url))
        self.pages.append(page)
        self.by_id[raw.doc_id] = page
        with self.timed("sort"):
            if page.site is not None:
                try:
                    text, is_html = read_document(self.raw_store.get(raw.content_hash), raw.content_type_header)
                except (CleanupError, FileNotFoundError):
                    is_html = True  # the cleanup fails on it in the same way, and records why
                if not is_html:
                    page.lines = page_keys(text)
                    self._take_dump(page, page.site)
                    return
            self._clean(page, None)

    def _take_dump(self, page: _Page, site: str) -> None:
        """Count the dump's lines for its site; clean it (and the site's waiting ones) with the lines so far."""
        from pipelines.cleanup.site_lines import with_page

        self.dumps.append(page)
        assert page.lines is not None
        lines = self.site_lines[site] = with_page(self.site_lines.get(site), site, page.lines)
        waiting = self.waiting.setdefault(site, [])
        waiting.append(page)
        if lines.pages < FIRST_DUMPS:
            return
        for each in waiting:
            each.speculative = True
            self._clean(each, lines)
        waiting.clear()

    def _clean(self, page: _Page, lines: SiteLines | None, *, final: bool = False) -> None:
        """Clean the page in a worker; here while the workers are still starting, so NER can begin."""
        if not self.workers.started:
            from pipelines.night_workers import clean_one

            with self.timed("cleanup_here"):
                self._cleaned(page, clean_one(page.raw, _lines_of(page, lines), self.workers.settings), final)
            return
        self.cleaning[self.workers.clean(page.raw, _lines_of(page, lines))] = (page, final)

    def collect(self, wait: bool = False) -> None:
        """Take the finished cleanups (into the NER batch) and graphs; ``wait`` for at least one."""
        pending: list[Future[Any]] = [*self.cleaning, *(f for f, _ in self.checking)]
        if wait and pending:
            with self.timed("wait"):
                futures.wait(pending, return_when=futures.FIRST_COMPLETED)
        for cleaning in [f for f in self.cleaning if f.done()]:
            page, final = self.cleaning.pop(cleaning)
            self._cleaned(page, cleaning.result(), final)
        if self.collected and not self.cleaning:
            self.workers.pages_collected()
        done = [(f, versions) for f, versions in self.checking if f.done()]
        self.checking = [(f, versions) for f, versions in self.checking if not f.done()]
        for checking, versions in done:
            for article in checking.result():
                if versions[article.doc_id] == self.by_id[article.doc_id].version:
                    self._checked(article)
        if len(self.batch) >= NER_BATCH:
            self.tag()
        if len(self.ready) >= NER_BATCH:
            self._check(self.ready)
            self.ready = []

    def _cleaned(self, page: _Page, cleaned: Cleaned, final: bool) -> None:
        page.clean, page.cleanup_error = cleaned.clean, cleaned.error
        if not final:
            if page.clean is not None:
                if page.lines is None and page.site is not None:
                    self._without_paragraphs_so_far(page, page.site, page.clean)
                self._queue(page)
            return
        first, page.first_clean, page.speculative = page.first_clean, None, False
        if page.queued:  # NER has not read the first cleanup: it reads this one when the page's turn comes
            self.counts["dumps_final_before_ner"] += 1
            if page.clean is None:
                self.batch.remove(page)
                page.queued = False
            return
        if page.clean is not None and first is not None and page.mentions is not None:
            self.counts["dumps_speculative"] += 1
            now = _fingerprints(page.clean)
            if first == now:
                return  # everything built from the first cleanup stands
            if first[0] == now[0]:  # the same text and blocks: NER and linking stand; the graph is built again
                self.counts["dumps_built_again"] += 1
                if page.linked is not None:
                    self.ready.append(page)
                return
            self.counts["dumps_tagged_again"] += 1
        page.forget_tags()
        if page.clean is not None:
            self._queue(page)

    def _without_paragraphs_so_far(self, page: _Page, site: str, clean: CleanDocument) -> None:
        """An HTML page goes to NER without the paragraphs its site's pages so far repeat (counted per page,
        not per story: only the end knows the stories), so few pages are tagged again at the end."""
        from pipelines.cleanup.site_lines import with_page
        from pipelines.cleanup.site_paragraphs import drop_repeated, paragraph_keys

        page.first_pass = clean
        keys = paragraph_keys(clean)
        so_far = self.site_paragraphs[site] = with_page(self.site_paragraphs.get(site), site, keys)
        repeated = frozenset(key for key in keys if so_far.repeated(key) is not None)
        if repeated:
            page.clean = drop_repeated(clean, site, repeated)

    def _queue(self, page: _Page) -> None:
        page.queued = True
        self.batch.append(page)

    def tag(self) -> None:
        """NER on the next batch (up to ``NER_BATCH`` pages), then linking per page; the pages go to the
        workers for their quotes and graphs."""
        batch, self.batch = self.batch[:NER_BATCH], self.batch[NER_BATCH:]
        if not batch:
            return
        for page in batch:
            page.queued = False
        with self.timed("ner"):
            found = self.parts.find_mentions([p.clean.text for p in batch if p.clean is not None])
        settled = []
        with self.timed("linking"):
            for page, mentions in zip(batch, found, strict=True):
                assert page.clean is not None
                page.mentions = mentions
                if page.speculative:
                    page.first_clean = _fingerprints(page.clean)
                try:
                    linked = self.linker.link(page.clean.text, [Mention(**m.to_dict()) for m in mentions])
                except ValueError as exc:
                    page.link_failure = StageFailure("linking", str(exc), doc_id=page.raw.doc_id)
                    continue
                page.linked = [LinkedMention.from_dict(m.to_dict()) for m in linked]
                settled.append(page)
        self._check(settled)

    def _check(self, pages: list[_Page]) -> None:
        if not pages:
            return
        items = []
        versions = {}
        for page in pages:
            assert page.clean is not None and page.linked is not None
            page.checked, page.quotes = None, None
            page.version += 1
            versions[page.raw.doc_id] = page.version
            items.append((page.raw, page.clean, page.linked))
        with self.timed("graph_submit"):
            self.checking.append((self.workers.check(items, self._entities_of(items)), versions))

    def _entities_of(
        self, items: list[tuple[RawDocument, CleanDocument, list[LinkedMention]]]
    ) -> dict[str, EntityInfo]:
        """What the knowledge base says of the batch's linked items, each asked once a night."""
        out = {}
        for _raw, _clean, linked in items:
            for mention in linked:
                if mention.qid is None:
                    continue
                if mention.qid not in self.entities:
                    self.entities[mention.qid] = self.linker.entity_info(mention.qid)
                info = self.entities[mention.qid]
                if info is not None:
                    out[mention.qid] = EntityInfo(**info.__dict__)
        return out

    def _checked(self, article: CheckedArticle) -> None:
        from pipelines.quotes.records import ArticleQuotes

        page = self.by_id[article.doc_id]
        page.spooled = (self.spool.tell(), len(article.data))
        self.spool.write(article.data)  # a night's graphs stay on disk until the graph file is written
        page.checked = dataclasses.replace(article, data=b"")
        page.quotes = ArticleQuotes.from_dict(article.quotes) if article.quotes is not None else None

    # --- once the last page is in -------------------------------------------------------------

    def finish(self) -> None:
        """Clean the dumps with their sites' final lines, known now that every page is in, beside NER on
        the pages still waiting for it: a dump NER has read already is tagged again if its text changed.
        Then, every page cleaned, the paragraphs sites repeat across their HTML pages go."""
        from pipelines.cleanup.site_lines import MIN_PAGES, count_keys

        pages = Counter(p.site for p in self.pages)  # as nightly.site_lines_of counts them
        sites = count_keys(
            (p.site, p.lines) for p in self.dumps if p.site and p.lines is not None and pages[p.site] >= MIN_PAGES
        )
        for page in self.dumps:
            self._clean(page, sites.get(page.site or ""), final=True)
        while self.cleaning:
            self.collect(wait=True)
            self.report_progress()
        self._drop_site_paragraphs()
        self._drain()
        self._check(self.ready)
        self.ready = []
        with self.timed("graph_wait"):
            futures.wait([f for f, _ in self.checking])
        self.collect()
        with self.timed("write"):
            self._write()

    def _drop_site_paragraphs(self) -> None:
        """The paragraphs a site repeats across its HTML pages (``nightly.without_site_paragraphs``), known
        once every page is cleaned: a page whose cleanup NER read differs is tagged again."""
        cleaned = [(p.raw.doc_id, p.first_pass) for p in self.pages if p.first_pass is not None]
        urls = {doc_id: self.by_id[doc_id].raw.url for doc_id, _clean in cleaned}
        for doc_id, clean in nightly.without_site_paragraphs(cleaned, urls):
            page = self.by_id[doc_id]
            if clean is not page.first_pass:
                self.counts["html_site_paragraphs"] += 1
            if clean == page.clean:
                continue  # what NER read (or will read) stands
            page.clean = clean
            if page.queued:  # NER reads this cleanup when the page's turn comes
                self.counts["html_final_before_ner"] += 1
                continue
            self.counts["html_tagged_again"] += 1
            page.forget_tags()
            self._queue(page)

    def _drain(self) -> None:
        """Every cleanup given so far taken and tagged."""
        while self.cleaning or len(self.batch) >= NER_BATCH:
            self.collect(wait=bool(self.cleaning))
            self.report_progress()
        self.tag()  # the last part batch

    def _write(self) -> None:
        from pipelines.scraping import ScrapeState

        ws = self.ws
        cleaned: list[tuple[str, CleanDocument]] = []
        failures: list[StageFailure] = []
        with ScrapeState.open(self.parts.state_dir()) as state:
            for page in self.pages:
                if page.cleanup_error is not None:
                    failures.append(nightly.cleanup_failure(page.raw, page.cleanup_error, state.ledger, ws.partition))
                    continue
                assert page.clean is not None
                state.ledger.record_success(page.raw.url, ws.partition)
                cleaned.append((page.raw.doc_id, page.clean))
        self.results["cleanup"] = nightly.finish_cleanup(ws, cleaned, failures)
        tagged = [p for p in self.pages if p.mentions is not None]
        self.results["ner"] = nightly.finish_recognize(
            ws, [p.raw.doc_id for p in tagged], [p.mentions or [] for p in tagged]
        )
        linked = [(p.raw.doc_id, p.linked) for p in tagged if p.linked is not None]
        link_failures = [p.link_failure for p in tagged if p.link_failure is not None]
        self.results["linking"] = nightly.finish_link(ws, linked, link_failures, self.linker.entity_info)
        clean = dict(cleaned)
        quotes = {p.raw.doc_id: p.quotes for p in tagged if p.quotes is not None}
        self.results["quotes"] = nightly.finish_quotes(ws, clean, dict(linked), quotes, self.ns)
        self._write_graph([p for p in tagged if p.linked is not None], clean)

    def _write_graph(self, pages: list[_Page], clean: dict[str, CleanDocument]) -> None:
        from pipelines.graph.parallel import BuildTotals
        from pipelines.graph.stream import GraphFileWriter, iter_serialized_graph_triples, serialize_graphs
        from pipelines.graph.validation import compiled_shapes, load_shapes, result_of, validate_graph_triples
        from pipelines.namespaces import PREFIXES

        model, model_version = self.parts.ner_model()
        run = nightly.run_info(
            self.ws,
            ended_at=utc_now(),
            code_version=__version__,
            ner_model=model,
            ner_model_version=model_version,
            kb_version=str(self.linker.kb.version),
        )
        built = BuildTotals()
        violations: list[tuple[str, list[str]]] = []
        with GraphFileWriter(self.ws.path(NightFile.GRAPH), PREFIXES) as out:
            for page in pages:
                checked = page.checked
                if checked is None:
                    raise RuntimeError(f"the graph of {page.raw.doc_id} was never built")
                if checked.failure is not None:
                    built.failures.append(checked.failure)
                    continue
                assert page.spooled is not None
                offset, length = page.spooled
                self.spool.seek(offset)
                out.add_serialized(self.spool.read(length), checked.graphs)
                violations.extend(checked.violations)
                built.articles += 1
                built.mentions += checked.mentions
            compiled = compiled_shapes(load_shapes(self.shapes_dir))
            for ds in nightly.night_graphs(self.ws, built, run, self.ns, clean):
                data, graphs = serialize_graphs(ds, out.format, out.prefixes)
                out.add_serialized(data, graphs)
                violations.extend(validate_graph_triples(iter_serialized_graph_triples(data, out.format), compiled))
            self.results["graph"] = nightly.graph_report(self.ws, out, built)
        result = result_of(violations)
        nightly.record_validation(self.ws, result, self.shapes_dir)
        self.results["validate"] = result


def _waiting(pages: queue.Queue[RawDocument | None]) -> list[RawDocument | None]:
    """The pages already in the queue, up to and with the end (None), without waiting for more."""
    out: list[RawDocument | None] = []
    while not out or out[-1] is not None:
        try:
            out.append(pages.get_nowait())
        except queue.Empty:
            break
    return out


def _lines_of(page: _Page, lines: SiteLines | None) -> SiteLines | None:
    """The site's lines as far as this page's cleanup asks about them (its own lines): a small message."""
    from pipelines.cleanup.site_lines import SiteLines

    if lines is None or page.lines is None:
        return None
    return SiteLines(lines.site, lines.pages, Counter({k: lines.counts[k] for k in page.lines if k in lines.counts}))


def _fingerprints(clean: CleanDocument) -> tuple[str, str]:
    """Digests of a cleanup: of what the later stages read (all but what was removed), and of all of it."""
    import hashlib
    import json

    whole = clean.to_dict()
    removed = whole.pop("removed")
    read = json.dumps(whole, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(read.encode()).hexdigest()
    return digest, hashlib.sha256((read + json.dumps(removed, ensure_ascii=False)).encode()).hexdigest()


def streamed_workers() -> int:
    """Graph workers for a streamed night: none on one CPU (built in the main thread), else two: mostly one
    works beside NER, and both build the graphs left when the last page is tagged."""
    return min(2, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0
