"""Nights over a local site that misbehaves on purpose: nothing lost, nothing duplicated, every failure explained."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.scraping import HttpFetcher, RawPageStore, Source, collect_night, inspect_page
from pipelines.scraping.collect import CollectResult, FetchRecord
from pipelines.settings import DEFAULT_USER_AGENT
from pipelines.status import night_status, render_status
from pipelines.workspace import PartitionWorkspace
from tests.support.httpserver import LocalServer, serve
from tests.support.site import BAD, DUPLICATES, FEED_NOT_XML, GOOD, build_site

NIGHTS = ("2026-11-20", "2026-11-21", "2026-11-22")


@pytest.fixture(scope="module")
def site() -> Iterator[LocalServer]:
    with serve(build_site().routes) as server:
        yield server


def make_fetcher() -> HttpFetcher:
    return HttpFetcher(
        DEFAULT_USER_AGENT,
        timeout_s=0.3,
        total_timeout_s=0.6,
        retries=2,
        backoff_s=0.01,
        max_retry_after_s=2,
        max_bytes=300_000,
        default_rate_per_s=500,
        max_per_host=4,
    )


def site_sources(server: LocalServer) -> list[Source]:
    common = {"language": "de", "allowed_hosts": ("127.0.0.1",), "allow_private_network": True}
    return [
        Source(name="beispiel-feed", kind="feed", urls=(server.url("/feed.xml"),), **common),  # type: ignore[arg-type]
        Source(name="beispiel-sitemap", kind="sitemap", urls=(server.url("/sitemap.xml"),), **common),  # type: ignore[arg-type]
        Source(name="kaputt", kind="feed", urls=(server.url(FEED_NOT_XML),), **common),  # type: ignore[arg-type]
    ]


def run_night(server: LocalServer, tmp: Path, partition: str) -> CollectResult:
    fetcher = make_fetcher()
    try:
        return collect_night(
            site_sources(server),
            RawPageStore(tmp / "raw"),
            fetcher,
            datetime.now(UTC),
            partition=partition,
            state_dir=tmp / "state",
            workers=6,
        )
    finally:
        fetcher.close()


def path_of(server: LocalServer, url: str) -> str:
    return url.removeprefix(server.base_url)


def by_path(server: LocalServer, result: CollectResult, kind: str = "page") -> dict[str, FetchRecord]:
    """The first record of each page (a URL listed by both feed and sitemap is recorded twice)."""
    records: dict[str, FetchRecord] = {}
    for record in result.records:
        if record.kind == kind:
            records.setdefault(path_of(server, record.url), record)
    return records


@dataclass(frozen=True)
class SiteNights:
    """The results of each night's runs, and the home folder they collected into."""

    runs: dict[str, list[CollectResult]]
    folder: Path

    def __getitem__(self, partition: str) -> list[CollectResult]:
        return self.runs[partition]


@pytest.fixture(scope="module")
def nights(site: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> SiteNights:
    """Night 1 three times (reruns), then nights 2 and 3 once each."""
    tmp = tmp_path_factory.mktemp("site")
    runs = {NIGHTS[0]: [run_night(site, tmp, NIGHTS[0]) for _ in range(3)]}
    for partition in NIGHTS[1:]:
        runs[partition] = [run_night(site, tmp, partition)]
    return SiteNights(runs, tmp)


def test_every_good_article_is_collected_once_on_every_rerun(site: LocalServer, nights: SiteNights) -> None:
    for result in nights[NIGHTS[0]]:
        urls = [path_of(site, d.url) for d in result.documents]
        assert sorted(urls) == sorted(GOOD), "lost or extra articles"
        assert len({d.doc_id for d in result.documents}) == len(result.documents), "duplicates"
        assert len({d.content_hash for d in result.documents}) == len(result.documents)
    first, *reruns = nights[NIGHTS[0]]
    for rerun in reruns:
        assert [d.to_dict() for d in rerun.documents] == [d.to_dict() for d in first.documents]


def test_every_bad_page_is_recorded_with_its_reason(site: LocalServer, nights: SiteNights) -> None:
    for result in nights[NIGHTS[0]]:
        outcome = by_path(site, result)
        for path, reason in BAD.items():
            assert outcome[path].outcome == reason, (path, outcome[path].detail)
            assert outcome[path].detail
        for path in DUPLICATES:
            assert outcome[path].outcome == "duplicate"
        listings = {path_of(site, r.url): r for r in result.records if r.kind != "page"}
        assert listings[FEED_NOT_XML].outcome == "feed_not_xml"
        assert listings["/feed.xml"].outcome == listings["/sitemap-news.xml"].outcome == "ok"
        assert {r.outcome for r in result.failures} == {*BAD.values(), "feed_not_xml"}


def test_faults_that_heal_within_the_night(site: LocalServer, nights: SiteNights) -> None:
    first = by_path(site, nights[NIGHTS[0]][0])
    assert first["/artikel/ratenbegrenzt.html"].attempts == 2  # waited for Retry-After, then got it
    assert first["/artikel/wackelig.html"].attempts == 2
    assert first["/artikel/reset.html"].attempts == 3  # retries=2
    moved = first["/artikel/umgezogen.html"].final_url
    assert moved is not None and moved.endswith("/artikel/neu.html")
    assert site.hits("/robots.txt") == 5  # once per run (3 reruns + 2 nights), not once per page


def test_charsets_are_detected_whatever_the_headers_say(site: LocalServer, nights: SiteNights) -> None:
    records = by_path(site, nights[NIGHTS[0]][0])
    store = RawPageStore(nights.folder / "raw")
    wrong = records["/artikel/falscher-zeichensatz.html"]
    assert wrong.charset == "utf-8" and wrong.charset_source is not None
    assert "ISO-8859-1" in wrong.charset_source.upper()
    missing = records["/artikel/ohne-zeichensatz.html"]
    assert missing.charset_source is not None and missing.charset_source.startswith("detected")
    assert missing.content_hash is not None
    page = inspect_page(store.get(missing.content_hash), "text/html", None)
    assert "Bürgerentscheid" in page.visible_text


def test_later_nights_do_not_collect_unchanged_articles_again(site: LocalServer, nights: SiteNights) -> None:
    for partition in NIGHTS[1:]:
        (result,) = nights[partition]
        assert result.documents == []
        outcomes = {path: r.outcome for path, r in by_path(site, result).items()}
        for path in GOOD:
            source_path = "/artikel/umgezogen.html" if path == "/artikel/neu.html" else path
            assert outcomes[source_path] == "unchanged", path
    assert any(r.path == "/artikel/2.html" for r in site.seen)
    conditional = [r for r in site.seen if r.path == "/artikel/2.html" and "If-None-Match" in r.headers]
    assert len(conditional) >= 3  # the ETag page is only asked "has it changed?" after the first fetch


def test_failed_pages_are_retried_on_later_nights_then_given_up(site: LocalServer, nights: SiteNights) -> None:
    def retry_of(partition: str) -> dict[str, tuple[str, str, int]]:
        (result,) = nights[partition] if partition != NIGHTS[0] else nights[partition][-1:]
        return {path: (r.outcome, r.retry, r.nights_failed) for path, r in by_path(site, result).items()}

    night1, night2, night3 = (retry_of(p) for p in NIGHTS)
    # transient faults: retried on the next nights, given up on the third (max_attempts=3); reruns don't count
    for path in ("/artikel/reset.html", "/artikel/haengt.html"):
        assert night1[path][1:] == ("next_night", 1)
        assert night2[path][1:] == ("next_night", 2)
        assert night3[path][1:] == ("given_up", 3)
    # permanent faults are given up at once and then skipped, with the reason kept
    assert night1["/artikel/bild.html"][1:] == ("given_up", 1)
    assert night2["/artikel/bild.html"][0] == "skipped"
    assert night3["/artikel/english.html"][0] == "skipped"


def test_status_shows_what_failed_and_why(nights: SiteNights, site: LocalServer) -> None:
    tmp = nights.folder
    result = nights[NIGHTS[2]][0]
    ws = PartitionWorkspace(tmp / "partitions", NIGHTS[2])
    ws.write_jsonl("raw.jsonl", (d.to_dict() for d in result.documents))
    ws.write_jsonl("fetches.jsonl", (r.to_dict() for r in result.records))
    status = night_status(tmp / "partitions", NIGHTS[2], state_dir=tmp / "state")
    reasons = {f["url"].removeprefix(site.base_url): (f["reason"], f["retry"]) for f in status["scrape"]["failures"]}
    assert reasons["/artikel/reset.html"] == ("connection_error", "given_up")
    assert reasons[FEED_NOT_XML] == ("feed_not_xml", "")
    assert status["ledger"]["given_up"] == len(BAD)
    assert status["ledger"]["pending"] == 0
    text = render_status(status)
    assert "connection_error" in text and "GIVEN UP" in text and "/artikel/haengt.html" in text
    assert Counter(status["scrape"]["outcomes"])["unchanged"] == len(GOOD) + 1  # and the print version
