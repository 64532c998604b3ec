"""Collect one night's raw documents from all sources; a failing page is recorded, never fatal.

For each HTTP source the night discovers article URLs (feed, sitemap or a fixed list), adds the
URLs the retry ledger still owes, drops repeats by canonical URL, and fetches the rest in parallel
(the fetcher keeps each host's rate limit and concurrency cap). Each page's bytes go into the
content-addressed raw store first; only then are they decoded and checked. Every URL gets a
:class:`FetchRecord` saying what happened, and a document is emitted once per article:

- a page already collected on an earlier night and unchanged since (304, or the same bytes) is
  ``unchanged`` and not emitted again, unless cleanup failed on it and the retry ledger still owes
  it another try (then it is emitted again, as it was collected);
- a rerun of a night emits the documents of the earlier run again (from the scraper's memory),
  even when the page now fails, so reruns are idempotent and never lose an article.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from pipelines.days import http_date_utc
from pipelines.domain import RawDocument
from pipelines.scraping.decode import DecodedPage, PageError, inspect_page, load_language_model_beside
from pipelines.scraping.discovery import DiscoveryError, parse_feed, parse_sitemap
from pipelines.scraping.fetch import FEED_TYPES, FetchError, FetchResult, HttpFetcher, Validators
from pipelines.scraping.ledger import LedgerEntry, RetryPolicy
from pipelines.scraping.memory import PageVersion
from pipelines.scraping.politeness import origin_of
from pipelines.scraping.rawstore import RawPageStore
from pipelines.scraping.sources import Source
from pipelines.scraping.state import ScrapeState
from pipelines.scraping.urls import canonicalize_url, doc_id_for

REPLAY_TYPES = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}
MANIFEST_NAME = "manifest.yaml"
MAX_CHILD_SITEMAPS = 50
# Outcomes that are not failures: collected, unchanged since an earlier night, a repeat of another
# URL, skipped because given up earlier, or kept from an earlier run of the same night.
OK_OUTCOMES = frozenset({"ok", "unchanged", "duplicate", "skipped", "kept"})


@dataclass(frozen=True)
class FetchRecord:
    """What happened when one URL (or replayed file) was collected."""

    source: str
    url: str
    outcome: str  # one of OK_OUTCOMES or a failure reason such as http_500, timeout, too_large
    detail: str = ""
    final_url: str | None = None
    status: int | None = None
    elapsed_s: float = 0.0
    bytes: int = 0
    content_hash: str | None = None
    at: str = ""
    kind: str = "page"  # page | feed | sitemap | replay
    doc_id: str | None = None
    charset: str | None = None  # codec the page was decoded with, and where that came from
    charset_source: str | None = None
    attempts: int = 0  # HTTP attempts tonight
    nights_failed: int = 0  # nights this URL has failed so far (retry ledger)
    retry: str = ""  # "next_night" or "given_up" for a failed page

    @property
    def failed(self) -> bool:
        return self.outcome not in OK_OUTCOMES

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FetchRecord:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class CollectResult:
    documents: list[RawDocument] = field(default_factory=list)
    records: list[FetchRecord] = field(default_factory=list)

    @property
    def failures(self) -> list[FetchRecord]:
        return [r for r in self.records if r.failed]

    @property
    def outcomes(self) -> dict[str, int]:
        return dict(Counter(r.outcome for r in self.records).most_common())


@dataclass(frozen=True)
class _Planned:
    url: str
    key: str  # canonical URL
    validators: Validators | None
    known: bool  # collected on an earlier night (a fetch only checks for changes)


@dataclass(frozen=True)
class _Fetched:
    result: FetchResult | None = None
    page: DecodedPage | None = None
    digest: str | None = None
    error: FetchError | PageError | None = None
    at: str = ""


class _Night:
    """One collection run: what was emitted so far, and the state it reads and updates."""

    def __init__(
        self,
        raw_store: RawPageStore,
        fetcher: HttpFetcher | None,
        now: datetime,
        partition: str,
        state: ScrapeState,
        workers: int,
        on_document: Callable[[RawDocument], None] | None = None,
    ) -> None:
        self.raw_store = raw_store
        self.on_document = on_document
        self.fetcher = fetcher
        self.now = now
        self.partition = partition
        self.state = state
        self.workers = workers
        self.result = CollectResult()
        self.earlier = state.pages.night_documents(partition)  # this night's documents from earlier runs
        self.emitted: dict[str, RawDocument] = {}  # doc_id -> document
        self.by_hash: dict[str, str] = {}  # content hash -> url of the document emitted with it
        self.planned: set[str] = set()  # canonical URLs already planned tonight

    def stamp(self) -> str:
        return datetime.now(self.now.tzinfo).isoformat(timespec="seconds")

    def emit(self, document: RawDocument) -> None:
        self.emitted[document.doc_id] = document
        self.by_hash[document.content_hash] = document.url
        self.result.documents.append(document)
        if self.on_document is not None:
            self.on_document(document)


# Fetches in flight at once over all hosts. Each host keeps its own limit (1 request/s, at most 2 at once,
# robots Crawl-delay), so these threads mostly wait; enough of them keep every host whose turn has come busy.
FETCH_WORKERS = 16


def collect(
    sources: Sequence[Source],
    raw_store: RawPageStore,
    fetcher: HttpFetcher | None,
    now: datetime,
    *,
    partition: str | None = None,
    state: ScrapeState | None = None,
    workers: int = FETCH_WORKERS,
    on_document: Callable[[RawDocument], None] | None = None,
) -> CollectResult:
    """Read every source into the raw store; each article is emitted once per night.

    ``state`` (``ScrapeState.open(<home>/state)``) carries conditional-GET validators, page versions
    and the retry ledger across nights; without it the run remembers nothing beyond itself.
    ``partition`` (default: ``now``'s date) names the night. ``on_document`` is called with each document
    as it is emitted, in the order of the result's documents, so later stages can start on it.
    """
    own_state = state is None
    night = _Night(
        raw_store,
        fetcher,
        now,
        partition or now.date().isoformat(),
        state or ScrapeState.in_memory(),
        workers,
        on_document,
    )
    try:
        for source in sources:
            if source.kind == "directory":
                _replay_directory(source, night)
                continue
            if fetcher is None:
                raise ValueError(f"source {source.name!r} needs HTTP but no fetcher was configured")
            _collect_http(source, night)
        for doc_id, document in night.earlier.items():
            if doc_id not in night.emitted:
                night.emit(document)
                night.result.records.append(
                    FetchRecord(
                        document.source,
                        document.url,
                        "kept",
                        "collected by an earlier run of this night; kept although not collected again now",
                        content_hash=document.content_hash,
                        at=night.stamp(),
                        doc_id=doc_id,
                    )
                )
    finally:
        if own_state:
            night.state.close()
    return night.result


def collect_night(
    sources: Sequence[Source],
    raw_store: RawPageStore,
    fetcher: HttpFetcher | None,
    now: datetime,
    *,
    partition: str,
    state_dir: Path,
    policy: RetryPolicy | None = None,
    workers: int = FETCH_WORKERS,
    on_document: Callable[[RawDocument], None] | None = None,
) -> CollectResult:
    """:func:`collect` with the scraper's state opened from ``state_dir`` (``<home>/state``) and closed after."""
    with ScrapeState.open(state_dir, policy) as state:
        return collect(
            sources,
            raw_store,
            fetcher,
            now,
            partition=partition,
            state=state,
            workers=workers,
            on_document=on_document,
        )


# --- HTTP sources ---------------------------------------------------------------------------


def _collect_http(source: Source, night: _Night) -> None:
    load_language_model_beside()  # ready by the time discovery and the hosts' robots.txt are done
    links = _discover(source, night)
    pending = [entry.url for entry in night.state.ledger.pending(source.name)]
    plan: list[_Planned] = []
    for url, listed in [*((u, True) for u in links), *((u, False) for u in pending)]:
        key = canonicalize_url(url)
        if key in night.planned:
            if listed:
                night.result.records.append(
                    FetchRecord(source.name, url, "duplicate", f"same canonical URL as {key}", at=night.stamp())
                )
            continue
        night.planned.add(key)
        entry = night.state.ledger.entry(key)
        if entry is not None and _given_up_before(entry, night.partition):
            night.result.records.append(
                FetchRecord(
                    source.name,
                    url,
                    "skipped",
                    f"given up on {entry.last_partition} after {entry.attempts} night(s): {entry.last_reason}",
                    at=night.stamp(),
                    nights_failed=entry.attempts,
                    retry="given_up",
                )
            )
            continue
        known = night.state.pages.page(key)
        validators = known.validators if known and known.content_hash in night.raw_store else None
        plan.append(_Planned(url, key, validators, known is not None))
    plan = _cap(plan, source, night)
    with ThreadPoolExecutor(max_workers=max(1, night.workers), thread_name_prefix="fetch") as pool:
        for url in _first_of_each_origin(plan):  # queued first, so every host's pace starts at once
            pool.submit(_prepare_host, source, url, night)
        for planned, fetched in zip(plan, pool.map(lambda p: _fetch_page(source, p, night), plan), strict=True):
            _absorb(source, planned, fetched, night)


def _first_of_each_origin(plan: list[_Planned]) -> list[str]:
    first: dict[str, str] = {}
    for planned in plan:
        first.setdefault(origin_of(planned.key), planned.key)
    return list(first.values())


def _prepare_host(source: Source, url: str, night: _Night) -> None:
    """Runs in a worker thread: the host's robots.txt read before its pages are (see HttpFetcher.prepare)."""
    assert night.fetcher is not None
    night.fetcher.prepare(
        url,
        allowed_hosts=source.allowed_hosts,
        allow_private_network=source.allow_private_network,
        rate_limit_per_s=source.rate_limit_per_s,
    )


def _given_up_before(entry: LedgerEntry, partition: str) -> bool:
    """Given up on an earlier night (a rerun of that night tries once more). A page cleanup gave up on is
    still fetched: a new version of it may clean."""
    return entry.given_up and not entry.after_collection and entry.last_partition != partition


def _cap(plan: list[_Planned], source: Source, night: _Night) -> list[_Planned]:
    """At most ``max_articles`` fetches: URLs never collected before go first, listing order is kept."""
    if len(plan) <= source.max_articles:
        return plan
    ranked = sorted(range(len(plan)), key=lambda i: plan[i].known)  # stable: new ones first
    chosen = set(ranked[: source.max_articles])
    left = len(plan) - len(chosen)
    night.result.records.append(
        FetchRecord(
            source.name,
            source.urls[0] if source.kind != "urls" else plan[ranked[-1]].url,
            "skipped",
            f"{left} more article links than max_articles={source.max_articles}: not fetched tonight "
            f"(not yet collected ones went first)",
            at=night.stamp(),
            kind=source.kind if source.kind != "urls" else "page",
        )
    )
    return [planned for i, planned in enumerate(plan) if i in chosen]


def _fetch_page(source: Source, planned: _Planned, night: _Night) -> _Fetched:
    """Runs in a worker thread; one page's surprise must not end the night, so it becomes a record."""
    try:
        return _fetch_and_inspect(source, planned, night)
    except Exception as exc:  # a bug or an environment fault: recorded loudly, retried next night
        detail = f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return _Fetched(error=FetchError(planned.url, "internal_error", detail), at=night.stamp())


def _fetch_and_inspect(source: Source, planned: _Planned, night: _Night) -> _Fetched:
    """Fetch, store the bytes, then look at them (no state access: this runs in a worker thread)."""
    assert night.fetcher is not None
    at = night.stamp()
    try:
        result = night.fetcher.fetch(
            planned.key,  # the canonical form: no tracking parameters sent to the site
            allowed_hosts=source.allowed_hosts,
            allow_private_network=source.allow_private_network,
            rate_limit_per_s=source.rate_limit_per_s,
            validators=planned.validators,
        )
    except FetchError as exc:
        return _Fetched(error=exc, at=at)
    if result.not_modified:
        return _Fetched(result=result, at=at)
    digest = night.raw_store.put(result.content)  # stored before anything else touches it
    try:
        page = inspect_page(
            result.content,
            result.content_type,
            result.charset,
            base_url=result.final_url,
            expected_language=source.language,
        )
    except PageError as exc:
        return _Fetched(result=result, digest=digest, error=exc, at=at)
    return _Fetched(result=result, page=page, digest=digest, at=at)


def _absorb(source: Source, planned: _Planned, fetched: _Fetched, night: _Night) -> None:
    """Runs in the main thread: decide what the fetch means, record it, update the state."""
    result, key = fetched.result, planned.key
    base: dict[str, Any] = {
        "source": source.name,
        "url": planned.url,
        "at": fetched.at,
        "final_url": result.final_url if result else None,
        "status": result.status if result else None,
        "elapsed_s": round(result.elapsed_s, 4) if result else 0.0,
        "bytes": len(result.content) if result else 0,
        "content_hash": fetched.digest,
        "attempts": result.attempts if result else 0,
    }
    if fetched.error is not None:
        _record_failure(source, planned, fetched.error, base, night)
        return
    assert result is not None
    known = night.state.pages.page(key)
    if result.not_modified:
        assert known is not None, "a 304 answers a conditional GET, which needs a remembered page"
        _same_version(source, planned, known, result, base, night, "not modified (304)")
        return
    page, digest = fetched.page, fetched.digest
    assert page is not None and digest is not None
    if known is not None and known.content_hash == digest:
        _same_version(source, planned, known, result, base, night, "same bytes as before")
        return
    doc_url = _document_url(key, result.final_url, page.canonical_url, source)
    doc_id = doc_id_for(doc_url)
    base.update(doc_id=doc_id, charset=page.charset, charset_source=page.charset_source)
    duplicate_of = night.emitted[doc_id].url if doc_id in night.emitted else night.by_hash.get(digest)
    if duplicate_of is not None:
        # remembered too, so that on later nights this URL is "unchanged" rather than a new article
        night.state.pages.remember_page(
            PageVersion(key, result.etag, result.last_modified, digest, doc_id, night.partition, fetched.at)
        )
        night.state.ledger.record_collected(key, night.partition)
        what = "article" if doc_id in night.emitted else "content"
        night.result.records.append(FetchRecord(**base, outcome="duplicate", detail=f"same {what} as {duplicate_of}"))
        return
    document = RawDocument(
        doc_id=doc_id,
        url=doc_url,
        source=source.name,
        content_type=result.content_type or "text/html",
        content_hash=digest,
        fetched_at=fetched.at,
        outlet=source.outlet,
        language=source.language,
        final_url=result.final_url if canonicalize_url(result.final_url) != doc_url else None,
        charset=page.charset,
        last_modified=http_date_utc(result.last_modified),
    )
    night.emit(document)
    night.state.pages.save_document(night.partition, document)
    night.state.pages.remember_page(
        PageVersion(key, result.etag, result.last_modified, digest, doc_id, night.partition, fetched.at)
    )
    recovered = night.state.ledger.entry(key)
    night.state.ledger.record_collected(key, night.partition)
    detail = ""
    if recovered is not None and recovered.pending and not recovered.after_collection:
        detail = f"recovered after failing on {recovered.attempts} night(s)"
    night.result.records.append(FetchRecord(**base, outcome="ok", detail=detail))


def _same_version(
    source: Source,
    planned: _Planned,
    known: PageVersion,
    result: FetchResult,
    base: dict[str, Any],
    night: _Night,
    why: str,
) -> None:
    """The page is as it was when collected: re-emit it if this night collected it or cleanup still owes it
    a try, else it is unchanged."""
    night.state.pages.remember_page(
        PageVersion(
            known.url,
            result.etag or known.etag,
            result.last_modified or known.last_modified,
            known.content_hash,
            known.doc_id,
            known.partition,
            known.fetched_at,
        )
    )
    owed = night.state.ledger.entry(planned.key)
    night.state.ledger.record_collected(planned.key, night.partition)
    base.update(doc_id=known.doc_id, content_hash=known.content_hash)
    earlier = night.earlier.get(known.doc_id)
    if earlier is not None and known.doc_id not in night.emitted:
        night.emit(earlier)
        night.result.records.append(FetchRecord(**base, outcome="ok", detail=f"{why}; collected earlier tonight"))
    elif owed is not None and owed.pending and owed.after_collection and known.doc_id not in night.emitted:
        document = night.state.pages.document(known.partition, known.doc_id)
        if document is None:  # remembered under another URL's article: that one carries it
            night.result.records.append(
                FetchRecord(**base, outcome="unchanged", detail=f"{why}; collected on {known.partition}")
            )
            return
        night.emit(document)
        night.state.pages.save_document(night.partition, document)  # so a rerun of this night emits it too
        again = f"{why}; again after {owed.last_reason} on {owed.last_partition}"
        night.result.records.append(FetchRecord(**base, outcome="ok", detail=again, nights_failed=owed.attempts))
    elif known.doc_id in night.emitted:
        night.result.records.append(
            FetchRecord(**base, outcome="duplicate", detail=f"same article as {night.emitted[known.doc_id].url}")
        )
    else:
        night.result.records.append(
            FetchRecord(**base, outcome="unchanged", detail=f"{why}; collected on {known.partition}")
        )


def _record_failure(
    source: Source, planned: _Planned, error: FetchError | PageError, base: dict[str, Any], night: _Night
) -> None:
    if isinstance(error, FetchError):
        base.update(
            final_url=error.final_url, status=error.status, attempts=error.attempts, elapsed_s=round(error.elapsed_s, 4)
        )
    known = night.state.pages.page(planned.key)
    detail = error.detail
    retry, nights = "", 0
    if known is None:
        entry = night.state.ledger.record_failure(planned.key, source.name, error.reason, detail, night.partition)
        retry, nights = ("given_up" if entry.given_up else "next_night"), entry.attempts
    else:
        detail += f" (an earlier version was collected on {known.partition})"
    night.result.records.append(
        FetchRecord(**base, outcome=error.reason, detail=detail, retry=retry, nights_failed=nights)
    )


def _document_url(key: str, final_url: str, canonical: str | None, source: Source) -> str:
    """The article's identity: its own canonical link if on an allowed host, else where it was found."""
    for candidate in (canonical, final_url):
        if candidate and urlsplit(candidate).scheme in ("http", "https"):
            host = (urlsplit(candidate).hostname or "").lower()
            if host in source.allowed_hosts:
                return canonicalize_url(candidate)
    return key


def _discover(source: Source, night: _Night) -> list[str]:
    """Article URLs of a source: its list, its feed's items, or its sitemap's (and child sitemaps') URLs."""
    if source.kind == "urls":
        return list(source.urls)
    queue = [source.urls[0]]
    seen: set[str] = set()
    links: list[str] = []
    while queue and len(seen) <= MAX_CHILD_SITEMAPS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        content, record = _fetch_listing(source, url, night)
        if content is None:
            night.result.records.append(record)
            continue
        try:
            if source.kind == "feed":
                found, children = [link.url for link in parse_feed(content, record.final_url or url)], []
            else:
                sitemap = parse_sitemap(content, record.final_url or url)
                found, children = [link.url for link in sitemap.articles], sitemap.children
        except DiscoveryError as exc:
            night.result.records.append(_replace(record, outcome=exc.reason, detail=exc.detail))
            continue
        links.extend(found)
        queue.extend(children)
        what = f"{len(found)} article links" + (f", {len(children)} child sitemaps" if children else "")
        night.result.records.append(_replace(record, detail=what))
    return links


def _fetch_listing(source: Source, url: str, night: _Night) -> tuple[bytes | None, FetchRecord]:
    assert night.fetcher is not None
    kind = source.kind
    at = night.stamp()
    try:
        result = night.fetcher.fetch(
            url,
            allowed_hosts=source.allowed_hosts,
            allow_private_network=source.allow_private_network,
            rate_limit_per_s=source.rate_limit_per_s,
            accept=FEED_TYPES,
        )
    except FetchError as exc:
        return None, FetchRecord(
            source.name,
            url,
            exc.reason,
            exc.detail,
            exc.final_url,
            exc.status,
            round(exc.elapsed_s, 4),
            at=at,
            kind=kind,
            attempts=exc.attempts,
        )
    digest = night.raw_store.put(result.content)
    return result.content, FetchRecord(
        source.name,
        url,
        "ok",
        "",
        result.final_url,
        result.status,
        round(result.elapsed_s, 4),
        len(result.content),
        digest,
        at,
        kind=kind,
        attempts=result.attempts,
    )


def _replace(record: FetchRecord, **changes: Any) -> FetchRecord:
    return FetchRecord(**{**record.to_dict(), **changes})


# --- replayed directories -------------------------------------------------------------------


def _replay_directory(source: Source, night: _Night) -> None:
    assert source.path is not None
    manifest = _load_manifest(source.path)
    defaults = manifest.get("defaults", {}) or {}
    entries = manifest.get("files", {}) or {}
    for path in sorted(p for p in source.path.iterdir() if p.suffix.lower() in REPLAY_TYPES):
        meta = {**defaults, **(entries.get(path.name) or {})}
        url = meta.get("url") or f"urn:newsgraph:{source.name}:{path.stem}"
        started = time.monotonic()
        content = path.read_bytes()
        digest = night.raw_store.put(content)
        doc_id = doc_id_for(url)
        record = FetchRecord(
            source=source.name,
            url=url,
            outcome="ok",
            detail=f"replayed {path.name}",
            final_url=url,
            elapsed_s=round(time.monotonic() - started, 4),
            bytes=len(content),
            content_hash=digest,
            at=night.now.isoformat(),
            kind="replay",
            doc_id=doc_id,
        )
        if doc_id in night.emitted:
            night.result.records.append(_replace(record, outcome="duplicate", detail=f"same URL as {url}"))
            continue
        night.result.records.append(record)
        night.emit(
            RawDocument(
                doc_id=doc_id,
                url=canonicalize_url(url),
                source=source.name,
                content_type=meta.get("content_type") or REPLAY_TYPES[path.suffix.lower()],
                content_hash=digest,
                fetched_at=night.now.isoformat(),
                outlet=meta.get("outlet", source.outlet),
                language=meta.get("language") or source.language,
                captured=str(meta["captured"]) if meta.get("captured") else None,
            )
        )


def _load_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with 'defaults' and 'files'")
    return data
