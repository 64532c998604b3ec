"""The fetcher against a server that misbehaves on purpose, checked from the server's side too."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler

import pytest

from pipelines.scraping import FetchError, HttpFetcher, Validators
from pipelines.scraping.fetch import _retry_after_s, is_transient
from pipelines.settings import DEFAULT_USER_AGENT
from tests.support.httpserver import Response, repeat, sequence, serve

HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = Response(200, "<p>Grüße aus Köln</p>".encode(), HTML)


def fetcher(**overrides: float) -> HttpFetcher:
    options: dict = {
        "timeout_s": 0.3,
        "total_timeout_s": 0.6,
        "retries": 2,
        "backoff_s": 0.01,
        "max_retry_after_s": 2,
        "max_bytes": 100_000,
        "default_rate_per_s": 500,
        "max_per_host": 2,
    }
    options.update(overrides)
    return HttpFetcher(DEFAULT_USER_AGENT, **options)


def test_retry_after_is_honoured() -> None:
    route = sequence(Response(429, b"slow down", {"Retry-After": "1"}), PAGE)
    with serve({"/p": route}) as server:
        result = fetcher().fetch(server.url("/p"), allow_private_network=True)
    first, second = (r.at for r in server.seen if r.path == "/p")
    assert result.attempts == 2
    assert second - first >= 0.9  # waited as long as the server asked, not the 10 ms backoff


def test_a_long_retry_after_is_left_for_the_next_night() -> None:
    with serve({"/p": Response(503, b"maintenance", {"Retry-After": "3600"})}) as server:
        with pytest.raises(FetchError) as info:
            fetcher().fetch(server.url("/p"), allow_private_network=True)
        assert server.hits("/p") == 1
    assert info.value.reason == "http_503"
    assert "next night" in info.value.detail
    assert is_transient(info.value.reason)


def test_retry_after_as_an_http_date() -> None:
    assert _retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: retry now
    assert _retry_after_s("120") == 120.0
    assert _retry_after_s("soon") is None


def test_connection_reset_is_retried_then_reported() -> None:
    with serve({"/p": Response(reset=True)}) as server:
        with pytest.raises(FetchError) as info:
            fetcher().fetch(server.url("/p"), allow_private_network=True)
        assert server.hits("/p") == 3  # first try and two retries
    assert info.value.reason == "connection_error"
    assert info.value.attempts == 3
    assert "reset" in info.value.detail.lower()


def test_a_reset_that_heals_is_not_a_failure() -> None:
    with serve({"/p": sequence(Response(reset=True), PAGE)}) as server:
        result = fetcher().fetch(server.url("/p"), allow_private_network=True)
    assert result.content == PAGE.body and result.attempts == 2


@pytest.mark.parametrize(
    ("route", "detail"),
    [
        (Response(200, headers=HTML, stream=repeat(b"<p>x", 10**9), chunk_delay_s=0.05), "not finished"),
        (Response(200, headers=HTML, stream=repeat(b"<p>x", 4), delay_s=1.0), "no answer"),
    ],
    ids=["trickles-forever", "never-answers"],
)
def test_a_page_that_never_finishes_times_out(route: Response, detail: str) -> None:
    with serve({"/p": route}) as server, pytest.raises(FetchError) as info:
        fetcher().fetch(server.url("/p"), allow_private_network=True)
    assert info.value.reason == "timeout"
    assert detail in info.value.detail


def test_a_50_mb_page_is_cut_off_at_the_cap() -> None:
    streamed = Response(200, headers=HTML, stream=repeat(b"a" * 65536, 50 * 1024 * 1024))
    declared = Response(200, b"x", {**HTML, "Content-Length": str(50 * 1024 * 1024)})
    with serve({"/streamed": streamed}) as server, pytest.raises(FetchError) as info:
        fetcher().fetch(server.url("/streamed"), allow_private_network=True)
    assert (info.value.reason, info.value.detail) == ("too_large", "more than 100000 bytes")
    with serve({"/declared": declared}) as server, pytest.raises(FetchError) as info:
        fetcher().fetch(server.url("/declared"), allow_private_network=True)
    assert info.value.reason == "too_large" and "Content-Length" in info.value.detail


def test_redirects_stay_on_allowed_hosts() -> None:
    routes = {
        "/old": Response(301, b"", {"Location": "/new"}),
        "/new": PAGE,
        "/away": Response(302, b"", {"Location": "http://example.invalid/"}),
        "/nowhere": Response(302, b""),
    }
    with serve(routes) as server:
        client = fetcher()
        assert client.fetch(server.url("/old"), allow_private_network=True).final_url == server.url("/new")
        for path, reason in (("/away", "forbidden_host"), ("/nowhere", "bad_redirect")):
            with pytest.raises(FetchError) as info:
                client.fetch(server.url(path), allow_private_network=True)
            assert info.value.reason == reason


def test_private_addresses_are_refused_even_when_listed() -> None:
    with pytest.raises(FetchError) as info:
        HttpFetcher._check_target("http://10.1.2.3/x", "http://news.example/a", {"10.1.2.3"}, False)
    assert info.value.reason == "private_address"
    with pytest.raises(FetchError) as info:
        HttpFetcher._check_target("file:///etc/passwd", "http://news.example/a", {"news.example"}, True)
    assert info.value.reason == "forbidden_scheme"


def test_conditional_get_with_etag() -> None:
    with serve({"/p": Response(200, PAGE.body, HTML, etag=True)}) as server:
        client = fetcher()
        first = client.fetch(server.url("/p"), allow_private_network=True)
        assert first.etag and first.status == 200
        again = client.fetch(server.url("/p"), allow_private_network=True, validators=Validators(first.etag))
    assert again.not_modified and again.content == b""
    assert server.seen[-1].headers["If-None-Match"] == first.etag


def test_robots_txt_is_read_once_and_obeyed() -> None:
    robots = Response(200, b"User-agent: newsgraph\nDisallow: /privat/\n\nUser-agent: *\nDisallow: /", {})
    with serve({"/robots.txt": robots, "/a": PAGE, "/b": PAGE, "/privat/c": PAGE}) as server:
        client = fetcher()
        client.fetch(server.url("/a"), allow_private_network=True)
        client.fetch(server.url("/b"), allow_private_network=True)
        with pytest.raises(FetchError) as info:
            client.fetch(server.url("/privat/c"), allow_private_network=True)
        assert server.hits("/robots.txt") == 1
        assert server.hits("/privat/c") == 0
    assert info.value.reason == "robots_disallowed"


def test_unreachable_robots_txt_leaves_the_host_alone() -> None:
    with serve({"/robots.txt": Response(500, b"oops"), "/a": PAGE}) as server:
        with pytest.raises(FetchError) as info:
            fetcher().fetch(server.url("/a"), allow_private_network=True)
        assert server.hits("/a") == 0
    assert info.value.reason == "robots_unavailable" and is_transient("robots_unavailable")


def test_per_host_concurrency_cap_and_rate_limit() -> None:
    slow = Response(200, PAGE.body, HTML, delay_s=0.1)
    with serve({f"/{i}": slow for i in range(8)}) as server:
        client = fetcher(max_per_host=2)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: client.fetch(server.url(f"/{i}"), allow_private_network=True), range(8)))
        assert server.max_in_flight <= 2
    with serve({f"/{i}": PAGE for i in range(5)}) as server:
        client = fetcher(max_per_host=4)
        with ThreadPoolExecutor(4) as pool:
            list(
                pool.map(
                    lambda i: client.fetch(server.url(f"/{i}"), allow_private_network=True, rate_limit_per_s=20),
                    range(5),
                )
            )
        starts = sorted(r.at for r in server.seen if r.path != "/robots.txt")
    # 20 per second: five requests take at least 4 x 50 ms (measured on arrival, so allow for jitter)
    assert starts[-1] - starts[0] >= 0.17


def test_conditional_get_with_last_modified() -> None:
    stamp = "Fri, 20 Nov 2026 08:00:00 GMT"

    def route(handler: BaseHTTPRequestHandler) -> Response:
        if handler.headers.get("If-Modified-Since") == stamp:
            return Response(304)
        return Response(200, PAGE.body, {**HTML, "Last-Modified": stamp})

    with serve({"/p": route}) as server:
        client = fetcher()
        first = client.fetch(server.url("/p"), allow_private_network=True)
        again = client.fetch(
            server.url("/p"), allow_private_network=True, validators=Validators(last_modified=first.last_modified)
        )
    assert first.last_modified == stamp and first.content == PAGE.body
    assert again.not_modified
