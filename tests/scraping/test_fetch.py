"""Fetching against a real HTTP server on 127.0.0.1."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.scraping import FetchError, HttpFetcher, RawPageStore, Source, collect
from pipelines.settings import DEFAULT_USER_AGENT
from tests.support.httpserver import Response, serve
from tests.support.samples import as_html_page, sample_files

HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def fetcher() -> HttpFetcher:
    return HttpFetcher(
        DEFAULT_USER_AGENT, timeout_s=0.5, retries=2, backoff_s=0.01, max_bytes=100_000, default_rate_per_s=200
    )


def test_fetch_sends_the_product_user_agent(fetcher: HttpFetcher) -> None:
    with serve({"/a": Response(200, b"<p>Hallo</p>", HTML)}) as server:
        result = fetcher.fetch(server.url("/a"), allow_private_network=True)
        assert result.content == b"<p>Hallo</p>"
        assert result.content_type == "text/html"
        assert result.charset == "utf-8"
        assert server.requests[0][1]["User-Agent"].startswith("newsgraph/")


def test_loopback_is_refused_unless_the_source_allows_it(fetcher: HttpFetcher) -> None:
    with serve({"/a": Response(200, b"x", HTML)}) as server, pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/a"))
    assert info.value.reason == "private_address"


def test_retries_a_server_error_then_succeeds(fetcher: HttpFetcher) -> None:
    calls = []

    def flaky(_handler: object) -> Response:
        calls.append(1)
        return Response(500, b"oops") if len(calls) == 1 else Response(200, b"<p>ok</p>", HTML)

    with serve({"/flaky": flaky}) as server:
        assert fetcher.fetch(server.url("/flaky"), allow_private_network=True).content == b"<p>ok</p>"
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Response(404, b"gone"), "http_404"),
        (Response(200, b"x" * 200_000, HTML), "too_large"),
        (Response(200, b"\x89PNG", {"Content-Type": "image/png"}), "unsupported_content_type"),
        (Response(302, b"", {"Location": "http://elsewhere.invalid/x"}), "forbidden_host"),
        (Response(302, b"", {"Location": "file:///etc/passwd"}), "forbidden_scheme"),
        (Response(200, b"late", HTML, delay_s=1.5), "timeout"),
    ],
)
def test_failures_have_a_reason(fetcher: HttpFetcher, route: Response, reason: str) -> None:
    with serve({"/p": route}) as server, pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/p"), allowed_hosts=["127.0.0.1"], allow_private_network=True)
    assert info.value.reason == reason
    assert server.base_url in str(info.value)


def test_redirect_loop_is_cut(fetcher: HttpFetcher) -> None:
    with serve({"/loop": Response(302, b"", {"Location": "/loop"})}) as server, pytest.raises(FetchError) as info:
        fetcher.fetch(server.url("/loop"), allow_private_network=True)
    assert info.value.reason == "too_many_redirects"


def test_collect_scrapes_the_samples_as_html_pages(tmp_path: Path, fetcher: HttpFetcher) -> None:
    routes = {
        f"/artikel/{p.stem}.html": Response(200, as_html_page(p.read_text(encoding="utf-8"), p.stem), HTML)
        for p in sample_files()
    }
    with serve(routes) as server:
        first = next(iter(routes))
        urls = [server.url(path) for path in routes] + [server.url("/missing.html"), server.url(first + "#x")]
        source = Source(
            name="local-site",
            kind="urls",
            language="de",
            urls=tuple(urls),
            allowed_hosts=("127.0.0.1",),
            allow_private_network=True,
        )
        result = collect([source], RawPageStore(tmp_path / "raw"), fetcher, datetime.now(UTC))
    assert len(result.documents) == 5  # the fragment variant is the same article
    assert [f.outcome for f in result.failures] == ["http_404"]
    store = RawPageStore(tmp_path / "raw")
    for document in result.documents:
        assert document.content_type == "text/html"
        assert b"<article>" in store.get(document.content_hash)


def test_a_source_rate_above_the_default_is_honoured_after_robots_txt() -> None:
    """robots.txt is fetched through the host's gate; that must not pin the host to the default pace."""
    from pipelines.scraping.politeness import HostGates

    gates = HostGates(max_concurrent=2, default_rate_per_s=1.0)
    fast = gates.gate("news.example", 50.0)
    assert gates.gate("news.example") is fast  # robots.txt fetch: no rate of its own
    assert fast.interval_s == pytest.approx(0.02)
    gates.gate("news.example", 10.0)  # a second, slower source on the same host
    assert fast.interval_s == pytest.approx(0.1)


ROBOTS = Response(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})


def test_every_hosts_robots_txt_is_read_before_the_first_page(tmp_path: Path, fetcher: HttpFetcher) -> None:
    """Each origin's first request is robots.txt and its pace starts there; asking all of them first
    lets the hosts' paces run side by side instead of one after another. One fetch thread makes the
    order exact."""
    bodies = [as_html_page(p.read_text(encoding="utf-8"), p.stem) for p in sample_files()[:2]]
    routes = {
        "/robots.txt": ROBOTS,
        "/a.html": Response(200, bodies[0], HTML),
        "/b.html": Response(200, bodies[1], HTML),
    }
    with serve(routes) as one, serve(routes) as two, serve(routes) as three:
        servers = (one, two, three)
        source = Source(
            name="three-sites",
            kind="urls",
            language="de",
            urls=tuple(s.url(path) for path in ("/a.html", "/b.html") for s in servers),
            allowed_hosts=("127.0.0.1",),
            allow_private_network=True,
        )
        result = collect([source], RawPageStore(tmp_path / "raw"), fetcher, datetime.now(UTC), workers=1)
    assert not result.failures
    seen = sorted((request.at, request.path) for server in servers for request in server.seen)
    assert [path for _, path in seen[:3]] == ["/robots.txt"] * 3
    assert sorted(path for _, path in seen[3:]) == ["/a.html"] * 3 + ["/b.html"] * 3


def test_robots_txt_is_not_asked_of_a_host_the_source_may_not_fetch_from(tmp_path: Path, fetcher: HttpFetcher) -> None:
    body = as_html_page(sample_files()[0].read_text(encoding="utf-8"), "a")
    routes = {"/robots.txt": ROBOTS, "/a.html": Response(200, body, HTML)}
    with serve(routes) as allowed, serve(routes) as other:
        source = Source(
            name="one-site",
            kind="urls",
            language="de",
            urls=(allowed.url("/a.html"), other.url("/a.html").replace("127.0.0.1", "localhost")),
            allowed_hosts=("127.0.0.1",),
            allow_private_network=True,
        )
        result = collect([source], RawPageStore(tmp_path / "raw"), fetcher, datetime.now(UTC))
    assert len(result.documents) == 1
    assert [f.outcome for f in result.failures] == ["forbidden_host"]
    assert other.seen == []
    assert [r.path for r in allowed.seen] == ["/robots.txt", "/a.html"]
