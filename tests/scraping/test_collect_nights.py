"""How one URL's fate carries across runs and nights: kept on a failing rerun, recovered, changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pipelines.scraping import HttpFetcher, RawPageStore, ScrapeState, Source, collect
from pipelines.scraping.collect import CollectResult
from pipelines.settings import DEFAULT_USER_AGENT
from tests.support.httpserver import LocalServer, Response, serve
from tests.support.site import HTML_UTF8, article_html


def night(server: LocalServer, tmp: Path, partition: str, paths: list[str], **source: object) -> CollectResult:
    fetcher = HttpFetcher(DEFAULT_USER_AGENT, timeout_s=0.3, retries=1, backoff_s=0.01, default_rate_per_s=500)
    src = Source(
        name="site",
        kind="urls",
        language="de",
        urls=tuple(server.url(p) for p in paths),
        allowed_hosts=("127.0.0.1",),
        allow_private_network=True,
        **source,  # type: ignore[arg-type]
    )
    try:
        with ScrapeState.open(tmp / "state") as state:
            return collect(
                [src], RawPageStore(tmp / "raw"), fetcher, datetime.now(UTC), partition=partition, state=state
            )
    finally:
        fetcher.close()


def outcomes(result: CollectResult) -> list[str]:
    return [r.outcome for r in result.records]


def test_a_rerun_keeps_an_article_whose_page_now_fails(tmp_path: Path) -> None:
    routes = {"/a": Response(200, article_html(1, "A").encode(), HTML_UTF8)}
    with serve(routes) as server:
        first = night(server, tmp_path, "2026-11-20", ["/a"])
        routes["/a"] = Response(503, b"down")
        rerun = night(server, tmp_path, "2026-11-20", ["/a"])
        next_night = night(server, tmp_path, "2026-11-21", ["/a"])
    assert [d.to_dict() for d in rerun.documents] == [d.to_dict() for d in first.documents]
    assert outcomes(rerun) == ["http_503", "kept"]
    assert rerun.records[0].retry == ""  # collected before: nothing for the ledger to chase
    assert "earlier version was collected on 2026-11-20" in rerun.records[0].detail
    assert next_night.documents == []


def test_a_url_that_failed_is_retried_and_recovers_the_next_night(tmp_path: Path) -> None:
    routes = {"/a": Response(200, article_html(1, "A").encode(), HTML_UTF8), "/b": Response(502, b"bad gateway")}
    with serve(routes) as server:
        first = night(server, tmp_path, "2026-11-20", ["/a", "/b"])
        routes["/b"] = Response(200, article_html(2, "B").encode(), HTML_UTF8)
        second = night(server, tmp_path, "2026-11-21", ["/a"])  # /b is no longer listed: the ledger brings it back
    assert [r.retry for r in first.failures] == ["next_night"]
    assert [d.url.removeprefix(server.base_url) for d in second.documents] == ["/b"]
    recovered = next(r for r in second.records if r.url.endswith("/b"))
    assert recovered.outcome == "ok" and "recovered after failing on 1 night" in recovered.detail


def test_a_changed_article_is_collected_again(tmp_path: Path) -> None:
    routes = {"/a": Response(200, article_html(1, "A").encode(), HTML_UTF8, etag=True)}
    with serve(routes) as server:
        first = night(server, tmp_path, "2026-11-20", ["/a"])
        unchanged = night(server, tmp_path, "2026-11-21", ["/a"])
        routes["/a"] = Response(200, article_html(1, "A (aktualisiert)").encode(), HTML_UTF8, etag=True)
        changed = night(server, tmp_path, "2026-11-22", ["/a"])
    assert outcomes(unchanged) == ["unchanged"] and unchanged.records[0].status == 304
    (updated,) = changed.documents
    assert updated.doc_id == first.documents[0].doc_id
    assert updated.content_hash != first.documents[0].content_hash


def test_one_article_under_several_urls_is_one_document(tmp_path: Path) -> None:
    page = article_html(1, "A", canonical="/artikel/a").encode()
    routes = {
        "/artikel/a": Response(200, page, HTML_UTF8),
        "/print/a": Response(200, page, HTML_UTF8),
        "/amp/a": Response(200, page.replace(b"<nav>", b"<nav>AMP"), HTML_UTF8),
    }
    with serve(routes) as server:
        paths = ["/artikel/a?utm_medium=social", "/artikel/a#top", "/print/a", "/amp/a"]
        result = night(server, tmp_path, "2026-11-20", paths)
    assert len(result.documents) == 1
    assert result.documents[0].url == server.url("/artikel/a")
    assert outcomes(result) == ["duplicate", "ok", "duplicate", "duplicate"]


def test_max_articles_caps_a_night_new_articles_first(tmp_path: Path) -> None:
    routes = {f"/{i}": Response(200, article_html(i, str(i)).encode(), HTML_UTF8) for i in range(5)}
    with serve(routes) as server:
        first = night(server, tmp_path, "2026-11-20", ["/0", "/1"])
        capped = night(server, tmp_path, "2026-11-21", list(routes), max_articles=3)
    assert len(first.documents) == 2
    assert [d.url.removeprefix(server.base_url) for d in capped.documents] == ["/2", "/3", "/4"]
    (summary,) = [r for r in capped.records if r.outcome == "skipped"]
    assert "2 more article links than max_articles=3" in summary.detail


def test_an_unexpected_fault_is_recorded_and_the_night_goes_on(tmp_path: Path) -> None:
    blocked = tmp_path / "raw"
    blocked.write_text("a file where the raw store's folder should be")  # every put() fails with an OSError
    routes = {"/a": Response(200, article_html(1, "A").encode(), HTML_UTF8)}
    with serve(routes) as server:
        fetcher = HttpFetcher(DEFAULT_USER_AGENT, timeout_s=0.3, default_rate_per_s=500)
        source = Source(
            name="site",
            kind="urls",
            language="de",
            urls=(server.url("/a"),),
            allowed_hosts=("127.0.0.1",),
            allow_private_network=True,
        )
        result = collect([source], RawPageStore(blocked), fetcher, datetime.now(UTC))
    (record,) = result.records
    assert result.documents == []
    assert record.outcome == "internal_error" and record.retry == "next_night"
    assert "Error" in record.detail
