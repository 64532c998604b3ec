"""The night's stages as plain functions over a partition workspace (no Dagster here).

Each stage reads its upstream files, writes its own, and returns a :class:`StageReport` that the
Dagster assets turn into UI metadata. A document a stage cannot handle is recorded in
``failures-<stage>.jsonl`` with its reason; it never fails the night.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset

from pipelines.domain import CleanDocument, EntityInfo, LinkedMention, Mention, RawDocument, RunInfo, StageFailure
from pipelines.scraping import HttpFetcher, RawPageStore, RetryLedger, ScrapeState, Source, collect, collect_night
from pipelines.stages import DocumentStage, NightFile
from pipelines.workspace import PartitionWorkspace, WorkspaceError

if TYPE_CHECKING:
    from pipelines.cleanup.profiles import ProfileRegistry
    from pipelines.cleanup.site_lines import SiteLines
    from pipelines.graph import ValidationResult
    from pipelines.graph.parallel import BuildTotals
    from pipelines.graph.stream import GraphFileWriter
    from pipelines.namespaces import Namespaces
    from pipelines.quotes.records import ArticleQuotes
    from pipelines.store import GraphStore

PREVIEW_ROWS = 5


@dataclass
class StageReport:
    """What a stage did, for people: counts, a few example rows, and what failed and why."""

    stage: str
    counts: dict[str, int] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)
    failures: list[StageFailure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def stage_workers(workers: int | None = None) -> int:
    """Worker processes for the CPU-bound stages after NER (graph building, validation): one per CPU, at most 4."""
    return workers if workers is not None else min(4, os.cpu_count() or 1)


def _record_failures(ws: PartitionWorkspace, stage: DocumentStage, failures: list[StageFailure]) -> None:
    ws.write_jsonl(NightFile.failures(stage), (f.to_dict() for f in failures))


def load_raw(ws: PartitionWorkspace) -> list[RawDocument]:
    return [RawDocument.from_dict(row) for row in ws.read_jsonl(NightFile.RAW)]


def load_clean(ws: PartitionWorkspace) -> dict[str, CleanDocument]:
    return {row["doc_id"]: CleanDocument.from_dict(row["clean"]) for row in ws.read_jsonl(NightFile.CLEAN)}


def load_linked(ws: PartitionWorkspace) -> dict[str, list[LinkedMention]]:
    return {
        row["doc_id"]: [LinkedMention.from_dict(m) for m in row["mentions"]] for row in ws.read_jsonl(NightFile.LINKED)
    }


# --- scraping -------------------------------------------------------------------------------


def scrape(
    ws: PartitionWorkspace,
    sources: Sequence[Source],
    raw_store: RawPageStore,
    fetcher: HttpFetcher | None,
    now: datetime,
    *,
    state_dir: Path | None = None,
    on_document: Callable[[RawDocument], None] | None = None,
) -> StageReport:
    """Collect every source's pages into the raw store and list them for the partition.

    With ``state_dir`` the scraper remembers across nights (conditional GET, failed URLs retried on
    later nights up to a limit); without it every night starts afresh. ``on_document`` gets each
    document as soon as it is collected, in the order of ``raw.jsonl``.
    """
    if state_dir is not None:
        result = collect_night(
            sources, raw_store, fetcher, now, partition=ws.partition, state_dir=state_dir, on_document=on_document
        )
    else:
        result = collect(sources, raw_store, fetcher, now, partition=ws.partition, on_document=on_document)
    ws.write_jsonl(NightFile.RAW, (d.to_dict() for d in result.documents))
    ws.write_jsonl(NightFile.FETCHES, (r.to_dict() for r in result.records))
    failures = [
        StageFailure("scrape", r.outcome, url=r.url, source=r.source, detail=r.detail, retry=r.retry)
        for r in result.failures
    ]
    _record_failures(ws, "scrape", failures)
    ws.write_json(NightFile.RUN, {"started_at": now.isoformat()})
    return StageReport(
        stage="scrape",
        counts={
            "documents": len(result.documents),
            "fetched": len(result.records),
            "failed": len(failures),
            "bytes": sum(r.bytes for r in result.records),
            **{f"outcome_{k}": v for k, v in result.outcomes.items()},
        },
        preview=[
            {"doc_id": d.doc_id, "url": d.url, "outlet": d.outlet or "", "type": d.content_type}
            for d in result.documents[:PREVIEW_ROWS]
        ],
        failures=failures,
    )


# --- cleanup --------------------------------------------------------------------------------


def cleanup(
    ws: PartitionWorkspace,
    raw_store: RawPageStore,
    profiles: ProfileRegistry,
    *,
    budget_s: float | None = None,
    state_dir: Path | None = None,
) -> StageReport:
    """Remove boilerplate from every raw document; keep the removal report next to the clean text.

    Each page gets ``budget_s`` seconds (default: the cleanup module's); one over it is a failure
    with that reason, so a pathological page never holds up the rest of the night. With
    ``state_dir`` failures go into the scraper's retry ledger, so the next nights bring the page
    back (a bounded number of times) although it has not changed. What a site repeats across its
    pages tonight goes too: lines of its text dumps (``cleanup.site_lines``) and paragraphs of its
    HTML pages (``cleanup.site_paragraphs``).
    """
    with ScrapeState.open(state_dir) if state_dir is not None else nullcontext() as state:
        return _cleanup(ws, raw_store, profiles, budget_s, state.ledger if state is not None else None)


def _sorted_pages(raws: list[RawDocument], raw_store: RawPageStore) -> tuple[dict[str, SiteLines], set[str]]:
    """The lines each site repeats across tonight's text dumps (``cleanup.site_lines``), and the doc ids
    of the HTML pages, both read only for sites with enough pages to repeat anything; a page that cannot
    be read is left to the cleanup itself, which records why."""
    from pipelines.cleanup import CleanupError
    from pipelines.cleanup.document import read_document
    from pipelines.cleanup.site_lines import MIN_PAGES, site_of

    pages = Counter(site_of(raw.url) for raw in raws)
    html: set[str] = set()

    def dumps() -> Iterator[tuple[str, str]]:
        for raw in raws:
            site = site_of(raw.url)
            if site is None or pages[site] < MIN_PAGES:
                continue
            try:
                text, is_html = read_document(raw_store.get(raw.content_hash), raw.content_type_header)
            except (CleanupError, FileNotFoundError):
                continue
            if is_html:
                html.add(raw.doc_id)
            else:
                yield site, text

    return site_lines_of(pages, dumps()), html


def site_lines_of(pages: Mapping[str | None, int], dumps: Iterable[tuple[str, str]]) -> dict[str, SiteLines]:
    """The repeated lines of the sites with enough pages tonight (``pages``: all pages per site), from
    their text dumps in the night's order."""
    from pipelines.cleanup.site_lines import MIN_PAGES, count_sites

    return count_sites((site, text) for site, text in dumps if pages[site] >= MIN_PAGES)


def clean_page(
    raw: RawDocument,
    raw_store: RawPageStore,
    profiles: ProfileRegistry,
    site: SiteLines | None,
    budget_s: float | None,
) -> CleanDocument:
    """One page cleaned within its time budget; raises ``CleanupError`` or ``FileNotFoundError``."""
    from pipelines.cleanup import clean_document
    from pipelines.cleanup.budget import page_budget

    content = raw_store.get(raw.content_hash)
    with page_budget(budget_s):
        return clean_document(content, raw.content_type_header, url=raw.url, profiles=profiles, site=site)


def cleanup_failure(raw: RawDocument, exc: Exception, ledger: RetryLedger | None, partition: str) -> StageFailure:
    """The failure of one page's cleanup, entered in the retry ledger where there is one."""
    outcome = _cleanup_outcome(exc)
    failure = StageFailure("cleanup", str(exc), doc_id=raw.doc_id, url=raw.url, outcome=outcome)
    if ledger is None:
        return failure
    entry = ledger.record_failure(raw.url, raw.source, outcome, str(exc), partition)
    return dataclasses.replace(
        failure, retry="given_up" if entry.given_up else "next_night", nights_failed=entry.attempts
    )


def _cleanup(
    ws: PartitionWorkspace,
    raw_store: RawPageStore,
    profiles: ProfileRegistry,
    budget_s: float | None,
    ledger: RetryLedger | None,
) -> StageReport:
    from pipelines.cleanup import CleanupError
    from pipelines.cleanup.site_lines import site_of

    cleaned: list[tuple[str, CleanDocument]] = []
    failures: list[StageFailure] = []
    raws = list(load_raw(ws))
    sites, html = _sorted_pages(raws, raw_store)
    for raw in raws:
        try:
            clean = clean_page(raw, raw_store, profiles, sites.get(site_of(raw.url) or ""), budget_s)
        except (CleanupError, FileNotFoundError) as exc:
            failures.append(cleanup_failure(raw, exc, ledger, ws.partition))
            continue
        if ledger is not None:
            ledger.record_success(raw.url, ws.partition)
        cleaned.append((raw.doc_id, clean))
    urls = {raw.doc_id: raw.url for raw in raws}
    html_urls = {doc_id: urls[doc_id] for doc_id, _clean in cleaned if doc_id in html}
    return finish_cleanup(ws, without_site_paragraphs(cleaned, html_urls), failures)


def without_site_paragraphs(
    cleaned: Sequence[tuple[str, CleanDocument]], html_urls: Mapping[str, str]
) -> list[tuple[str, CleanDocument]]:
    """The night's cleaned pages without the paragraphs their site repeats across its HTML pages
    (``cleanup.site_paragraphs``); ``html_urls``: the URL of each page cleaned from HTML."""
    from pipelines.cleanup.site_lines import site_of
    from pipelines.cleanup.site_paragraphs import drop_repeated, repeated_paragraphs

    sites = {doc_id: site for doc_id, url in html_urls.items() if (site := site_of(url)) is not None}
    repeated = repeated_paragraphs((sites[doc_id], clean) for doc_id, clean in cleaned if doc_id in sites)
    return [
        (doc_id, drop_repeated(clean, sites[doc_id], repeated[sites[doc_id]]))
        if sites.get(doc_id) in repeated
        else (doc_id, clean)
        for doc_id, clean in cleaned
    ]


def finish_cleanup(
    ws: PartitionWorkspace, cleaned: Sequence[tuple[str, CleanDocument]], failures: list[StageFailure]
) -> StageReport:
    """Write the night's clean texts and cleanup failures (in the night's order) and report them."""
    removed_by_category: Counter[str] = Counter()
    examples: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for doc_id, clean in cleaned:
        for removal in clean.removed:
            removed_by_category[removal.category] += 1
            examples.setdefault(removal.category, removal.text[:80])
        rows.append({"doc_id": doc_id, "clean": clean.to_dict()})
    ws.write_jsonl(NightFile.CLEAN, rows)
    _record_failures(ws, "cleanup", failures)
    return StageReport(
        stage="cleanup",
        counts={
            "articles": len(rows),
            "failed": len(failures),
            "removed": sum(removed_by_category.values()),
            "kept_chars": sum(len(clean.text) for _doc_id, clean in cleaned),
        },
        preview=[
            {
                "doc_id": r["doc_id"],
                "title": (r["clean"].get("title") or "")[:60],
                "blocks": len(r["clean"]["blocks"]),
                "removed": len(r["clean"]["removed"]),
            }
            for r in rows[:PREVIEW_ROWS]
        ],
        failures=failures,
        details={
            "removed_by_category": dict(removed_by_category.most_common()),
            "removal_examples": examples,
        },
    )


def _cleanup_outcome(exc: Exception) -> str:
    """The retry ledger's reason for a cleanup failure (one of ``CLEANUP_REASONS``)."""
    from pipelines.cleanup.budget import OverBudgetError

    if isinstance(exc, FileNotFoundError):
        return "cleanup_raw_missing"
    return "cleanup_over_budget" if isinstance(exc, OverBudgetError) else "cleanup_refused"


# --- NER ------------------------------------------------------------------------------------


def recognize(ws: PartitionWorkspace, find: Callable[[Sequence[str]], list[list[Mention]]]) -> StageReport:
    """Find entity mentions in every clean text (``find`` wraps the configured spaCy pipeline)."""
    clean = load_clean(ws)
    doc_ids = list(clean)
    return finish_recognize(ws, doc_ids, find([clean[d].text for d in doc_ids]))


def finish_recognize(ws: PartitionWorkspace, doc_ids: Sequence[str], found: Sequence[list[Mention]]) -> StageReport:
    """Write every article's mentions (in the night's order) and report them."""
    ws.write_jsonl(
        NightFile.MENTIONS,
        ({"doc_id": d, "mentions": [m.to_dict() for m in ms]} for d, ms in zip(doc_ids, found, strict=True)),
    )
    labels = Counter(m.label for ms in found for m in ms)
    _record_failures(ws, "ner", [])
    return StageReport(
        stage="ner",
        counts={
            "articles": len(doc_ids),
            "mentions": sum(labels.values()),
            **{f"label_{k}": v for k, v in labels.items()},
        },
        preview=[
            {"doc_id": d, "mention": m.text, "label": m.label, "start": m.start}
            for d, ms in zip(doc_ids, found, strict=True)
            for m in ms[:2]
        ][:PREVIEW_ROWS],
    )


# --- linking --------------------------------------------------------------------------------


def link(
    ws: PartitionWorkspace,
    link_mentions: Callable[[str, Sequence[Mention]], list[LinkedMention]],
    entity_info: Callable[[str], EntityInfo | None],
) -> StageReport:
    """Link every mention to a Wikidata item or NIL, and keep what the KB says about each item."""
    clean = load_clean(ws)
    linked: list[tuple[str, list[LinkedMention]]] = []
    failures: list[StageFailure] = []
    for row in ws.read_jsonl(NightFile.MENTIONS):
        doc_id = row["doc_id"]
        try:
            linked.append((doc_id, link_mentions(clean[doc_id].text, [Mention(**m) for m in row["mentions"]])))
        except ValueError as exc:
            failures.append(StageFailure("linking", str(exc), doc_id=doc_id))
    return finish_link(ws, linked, failures, entity_info)


def finish_link(
    ws: PartitionWorkspace,
    linked: Sequence[tuple[str, list[LinkedMention]]],
    failures: list[StageFailure],
    entity_info: Callable[[str], EntityInfo | None],
) -> StageReport:
    """Write the linked mentions and what the KB says of each linked item (in the night's order)."""
    rows: list[dict[str, Any]] = []
    entities: dict[str, dict[str, Any]] = {}
    linked_count = nil_count = 0
    for doc_id, mentions in linked:
        for mention in mentions:
            if mention.qid is None:
                nil_count += 1
                continue
            linked_count += 1
            if mention.qid not in entities:
                info = entity_info(mention.qid)
                if info is not None:
                    entities[mention.qid] = info.__dict__.copy()
        rows.append({"doc_id": doc_id, "mentions": [m.to_dict() for m in mentions]})
    ws.write_jsonl(NightFile.LINKED, rows)
    ws.write_json(NightFile.ENTITIES, entities)
    _record_failures(ws, "linking", failures)
    return StageReport(
        stage="linking",
        counts={
            "articles": len(rows),
            "linked_mentions": linked_count,
            "nil_mentions": nil_count,
            "distinct_entities": len(entities),
            "failed": len(failures),
        },
        preview=[
            {
                "doc_id": r["doc_id"],
                "mention": m["text"],
                "qid": m["qid"] or "NIL",
                "confidence": round(m["confidence"], 3),
            }
            for r in rows
            for m in r["mentions"][:2]
        ][:PREVIEW_ROWS],
        failures=failures,
    )


# --- quotes ---------------------------------------------------------------------------------


def find_quotes(ws: PartitionWorkspace, ns: Namespaces) -> StageReport:
    """Quotes and roles of every article (``quotes.jsonl``), then the night's stories (``stories.json``)."""
    from pipelines.quotes.positions import positions_at
    from pipelines.quotes.stage import article_quotes

    clean = load_clean(ws)
    linked = load_linked(ws)
    positions = positions_at()
    found = {d: article_quotes(d, clean[d], mentions, positions) for d, mentions in linked.items()}
    return finish_quotes(ws, clean, linked, found, ns)


def finish_quotes(
    ws: PartitionWorkspace,
    clean: Mapping[str, CleanDocument],
    linked: Mapping[str, list[LinkedMention]],
    found: Mapping[str, ArticleQuotes],
    ns: Namespaces,
) -> StageReport:
    """Write every article's quotes (in the night's order), then group the night's stories with the
    articles of the nights before, and report both."""
    from pipelines.quotes.stage import night_stories

    ws.write_jsonl(NightFile.QUOTES, (f.to_dict() for f in found.values()))
    night = date.fromisoformat(ws.partition)
    earlier = _earlier_nights(ws, night)
    docs = {**earlier.clean, **{d: clean[d] for d in linked}}
    days = {**earlier.days, **dict.fromkeys(linked, night)}
    grouped = night_stories(docs, {**earlier.linked, **linked}, {**earlier.found, **found}, ns, night, days)
    stories = [s for s in grouped if any(d in linked for d in s.articles)]  # tonight's; earlier ones are published
    ws.write_json(
        NightFile.STORIES,
        [
            {
                "story_id": s.story_id,
                "articles": s.articles,
                "entities": s.entities,
                "first_day": s.first_day.isoformat() if s.first_day else None,
            }
            for s in stories
        ],
    )
    kinds = Counter(q.kind for f in found.values() for q in f.quotes)
    _record_failures(ws, "quotes", [])
    return StageReport(
        stage="quotes",
        counts={
            "articles": len(found),
            "quotes": sum(kinds.values()),
            **{f"kind_{k}": v for k, v in sorted(kinds.items())},
            "attributed": sum(1 for f in found.values() for q in f.quotes if q.speaker is not None),
            "roles": sum(len(f.roles) for f in found.values()),
            "stories": len(stories),
        },
        preview=[
            {
                "doc_id": f.doc_id,
                "quote": q.text[:60],
                "kind": q.kind,
                "speaker": q.speaker.span.text if q.speaker else "",
            }
            for f in found.values()
            for q in f.quotes[:1]
        ][:PREVIEW_ROWS],
    )


# --- graph ----------------------------------------------------------------------------------


def run_info(
    ws: PartitionWorkspace,
    *,
    ended_at: datetime,
    code_version: str,
    ner_model: str,
    ner_model_version: str,
    kb_version: str,
) -> RunInfo:
    """The provenance record of this partition's run (a rerun of the night replaces it)."""
    started = ws.read_json(NightFile.RUN)["started_at"] if ws.exists(NightFile.RUN) else ended_at.isoformat()
    return RunInfo(
        run_id=ws.partition,
        partition=ws.partition,
        started_at=started,
        ended_at=ended_at.isoformat(),
        code_version=code_version,
        ner_model=ner_model,
        ner_model_version=ner_model_version,
        kb_version=kb_version,
    )


def build_graph(ws: PartitionWorkspace, run: RunInfo, ns: Namespaces, *, workers: int | None = None) -> StageReport:
    """Build one named graph per article plus the run's graph, saved as ``graph.trig``.

    Articles are built and appended to the file in the night's order, chunk by chunk, and the linked
    mentions are read line by line, so memory stays that of a few chunks however big the night. A
    big night is built in ``workers`` processes (default: one per CPU, at most 4); the file is the
    same. ``triples`` counts the triples written over all named graphs.
    """
    from pipelines.graph.parallel import PARALLEL_MIN_ARTICLES, ArticleInput, build_articles
    from pipelines.graph.stream import GraphFileWriter
    from pipelines.namespaces import PREFIXES

    raws = {r.doc_id: r for r in load_raw(ws)}
    clean = load_clean(ws)
    entities = {q: EntityInfo(**e) for q, e in ws.read_json(NightFile.ENTITIES).items()}
    workers = stage_workers(workers) if len(clean) >= PARALLEL_MIN_ARTICLES else 1
    quotes = _load_quotes(ws)
    items = (
        ArticleInput(
            raws[row["doc_id"]],
            clean[row["doc_id"]],
            [LinkedMention.from_dict(m) for m in row["mentions"]],
            quotes.get(row["doc_id"]),
        )
        for row in ws.read_jsonl(NightFile.LINKED)
    )
    with GraphFileWriter(ws.path(NightFile.GRAPH), PREFIXES) as out:  # own IRIs in full: prefixed, they need escapes
        built = build_articles(items, entities, run, ns, out, workers=workers)
        return finish_graph(ws, out, built, run, ns, clean)


def finish_graph(
    ws: PartitionWorkspace,
    out: GraphFileWriter,
    built: BuildTotals,
    run: RunInfo,
    ns: Namespaces,
    clean: Mapping[str, CleanDocument],
) -> StageReport:
    """Append the run's graph and the night's stories after the article graphs ``built`` wrote to ``out``
    (still open), and record what publishing will replace."""
    for ds in night_graphs(ws, built, run, ns, clean):
        out.add(ds)
    return graph_report(ws, out, built)


def night_graphs(
    ws: PartitionWorkspace,
    built: BuildTotals,
    run: RunInfo,
    ns: Namespaces,
    clean: Mapping[str, CleanDocument],
) -> list[Dataset]:
    """The graphs of the night as a whole, written after its articles: the run's and the stories'."""
    from pipelines.graph import build_run_graph

    graphs = [build_run_graph(run, ns, {"articles": built.articles, "mentions": built.mentions})]
    stories = _story_graph(ws, clean, run, ns)
    if stories is not None:
        graphs.append(stories)
    return graphs


def graph_report(ws: PartitionWorkspace, out: GraphFileWriter, built: BuildTotals) -> StageReport:
    """Record the graph stage's failures and the file's named graphs (what publishing replaces)."""
    _record_failures(ws, "graph", built.failures)
    graphs = sorted(out.graphs)
    ws.write_json(NightFile.GRAPHS, graphs)  # what publishing replaces (and whose runs' tallies it refreshes)
    return StageReport(
        stage="graph",
        counts={
            "triples": sum(out.graphs.values()),
            "named_graphs": len(graphs),
            "failed": len(built.failures),
            "articles": built.articles,
            "mentions": built.mentions,
        },
        preview=[{"graph": g} for g in graphs[:PREVIEW_ROWS]],
        failures=built.failures,
    )


STORY_NIGHTS = 2  # an article joins a story of the nights before it (stories.py: MAX_DAYS)


@dataclass
class _EarlierNights:
    clean: dict[str, CleanDocument] = field(default_factory=dict)
    linked: dict[str, list[LinkedMention]] = field(default_factory=dict)
    found: dict[str, ArticleQuotes] = field(default_factory=dict)
    days: dict[str, date] = field(default_factory=dict)


def _earlier_nights(ws: PartitionWorkspace, night: date) -> _EarlierNights:
    """The articles of the previous nights whose quote stage has run, so tonight's can join their stories.

    Their files are read, never written: rerunning tonight gives the same stories, with the IRIs those
    nights gave them (a story's id is its earliest article's).
    """
    from datetime import timedelta

    out = _EarlierNights()
    for back in range(STORY_NIGHTS, 0, -1):
        day = night - timedelta(days=back)
        other = PartitionWorkspace(ws.dir.parent, day.isoformat())
        if not all(other.exists(n) for n in (NightFile.CLEAN, NightFile.LINKED, NightFile.QUOTES)):
            continue
        linked = load_linked(other)
        clean = load_clean(other)
        out.clean.update({d: clean[d] for d in linked if d in clean})
        out.linked.update(linked)
        out.found.update(_load_quotes(other))
        out.days.update(dict.fromkeys(linked, day))
    return out


def _load_quotes(ws: PartitionWorkspace) -> dict[str, ArticleQuotes]:
    """The quote stage's findings per article (none for a workspace the stage has not run on)."""
    from pipelines.quotes.records import ArticleQuotes

    if not ws.exists(NightFile.QUOTES):
        return {}
    return {row["doc_id"]: ArticleQuotes.from_dict(row) for row in ws.read_jsonl(NightFile.QUOTES)}


def _story_graph(
    ws: PartitionWorkspace, clean: Mapping[str, CleanDocument], run: RunInfo, ns: Namespaces
) -> Dataset | None:
    from pipelines.graph.quotes import build_story_graph
    from pipelines.quotes.stories import Story

    if not ws.exists(NightFile.STORIES):
        return None
    stories = [
        Story(
            s["story_id"], s["articles"], s["entities"], date.fromisoformat(s["first_day"]) if s["first_day"] else None
        )
        for s in ws.read_json(NightFile.STORIES)
    ]
    if not stories:
        return None
    headlines = {d: c.title or "" for d, c in clean.items()}
    return build_story_graph(stories, headlines, run, ns)


def load_graph(ws: PartitionWorkspace) -> Dataset:
    from pipelines.graph import load_dataset

    if not ws.exists(NightFile.GRAPH):
        raise WorkspaceError(f"{ws.path(NightFile.GRAPH)} is missing: build the article graph first")
    return load_dataset(ws.path(NightFile.GRAPH))


def validate(ws: PartitionWorkspace, shapes_dir: Path | None = None, *, workers: int | None = None) -> ValidationResult:
    """SHACL-validate the partition's graph and keep the result next to it.

    A graph file the same shapes have already validated (the streamed night validates each article
    as it is built, :mod:`pipelines.streamed`) is not validated again: its recorded result is
    returned. Big nights are validated in ``workers`` processes (default: one per CPU, at most 4).
    """
    from pipelines.graph.validation import validate_file

    if not ws.exists(NightFile.GRAPH):
        raise WorkspaceError(f"{ws.path(NightFile.GRAPH)} is missing: build the article graph first")
    recorded = recorded_validation(ws, shapes_dir)
    if recorded is not None:
        return recorded
    # one article graph at a time
    result = validate_file(ws.path(NightFile.GRAPH), shapes_dir, workers=stage_workers(workers))
    record_validation(ws, result, shapes_dir)
    return result


def _validated_inputs(ws: PartitionWorkspace, shapes_dir: Path | None) -> dict[str, str]:
    """What a validation result holds for: the graph file's and the shapes' digests."""
    import hashlib

    from pipelines.graph.validation import shapes_digest

    with ws.path(NightFile.GRAPH).open("rb") as handle:
        graph = hashlib.file_digest(handle, "sha256").hexdigest()
    return {"graph_sha256": graph, "shapes_sha256": shapes_digest(shapes_dir)}


def record_validation(ws: PartitionWorkspace, result: ValidationResult, shapes_dir: Path | None = None) -> None:
    """Keep a validation result next to the graph file it holds for (publication reads it)."""
    ws.write_json(
        NightFile.VALIDATION,
        {
            "conforms": result.conforms,
            "violation_count": result.violation_count,
            "violations": result.violations[:50],
            "validated": _validated_inputs(ws, shapes_dir),
            "per_graph": result.per_graph,
        },
    )


def recorded_validation(ws: PartitionWorkspace, shapes_dir: Path | None = None) -> ValidationResult | None:
    """The recorded result if it holds for tonight's graph file and the current shapes, else None."""
    from pipelines.graph import ValidationResult

    if not ws.exists(NightFile.VALIDATION):
        return None
    status = ws.read_json(NightFile.VALIDATION)
    if status.get("validated") != _validated_inputs(ws, shapes_dir) or status.get("violations") is None:
        return None
    if status["violation_count"] > len(status["violations"]):
        return None  # only the first violations were kept: validate again to report them all
    return ValidationResult(
        conforms=bool(status["conforms"]),
        violation_count=int(status["violation_count"]),
        violations=list(status["violations"]),
        per_graph={str(name): int(n) for name, n in (status.get("per_graph") or {}).items()},
    )


class PublicationRefused(RuntimeError):
    """The partition's graph has not passed validation, so it is not published."""


def publish(ws: PartitionWorkspace, store: GraphStore, ns: Namespaces) -> StageReport:
    """Upsert the partition's named graphs into the store (only if validated), then refresh the night
    tallies of every run whose articles changed: this night's, and earlier nights' whose article
    graphs it replaced (see :mod:`pipelines.store.tallies`).

    Articles the store holds from another night stay there when that night is newer or holds the same
    page (:mod:`pipelines.store.ownership`): running an older night after a newer one moves nothing.
    """
    from pipelines.graph.stream import copy_without_graphs, graph_names
    from pipelines.namespaces import PREFIXES
    from pipelines.store.ownership import articles_kept_elsewhere
    from pipelines.store.tallies import publish_with_tallies

    status = ws.read_json(NightFile.VALIDATION) if ws.exists(NightFile.VALIDATION) else None
    if not status or not status.get("conforms"):
        raise PublicationRefused(
            f"partition {ws.partition}: graph has not passed SHACL validation; nothing was published"
        )
    if not ws.exists(NightFile.GRAPH):
        raise WorkspaceError(f"{ws.path(NightFile.GRAPH)} is missing: build the article graph first")
    # written by the graph stage; a workspace from an older version has only the file to read them from
    graphs = ws.read_json(NightFile.GRAPHS) if ws.exists(NightFile.GRAPHS) else graph_names(ws.path(NightFile.GRAPH))
    raws = load_raw(ws) if ws.exists(NightFile.RAW) else []
    versions = {str(ns.article_graph_iri(r.doc_id)): r.content_hash for r in raws}
    kept = articles_kept_elsewhere(store, ws.partition, {g: versions[g] for g in graphs if g in versions})
    night_file = ws.path(NightFile.GRAPH)
    if kept:
        night_file = ws.path(NightFile.PUBLISH)
        copy_without_graphs(ws.path(NightFile.GRAPH), night_file, kept, PREFIXES)
        graphs = [g for g in graphs if g not in kept]

    validated = recorded_validation(ws) is not None  # the file is the one validated: read it once
    counts = publish_with_tallies(
        store, graphs, lambda: store.publish_file(night_file, validated=validated), ns, night_file=night_file
    )
    counts["kept_with_other_nights"] = len(kept)
    return StageReport(
        stage="publish",
        counts={k: int(v) for k, v in counts.items()},
        details={"kept_by_night": dict(sorted(kept.items()))} if kept else {},
    )


def summarize_failures(reports: Mapping[str, StageReport]) -> list[StageFailure]:
    return [f for report in reports.values() for f in report.failures]
