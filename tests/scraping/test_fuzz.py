"""Generated malformed pages, headers and feeds: nothing crashes, and every refusal says why."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.scraping import (
    DiscoveryError,
    FetchError,
    HttpFetcher,
    PageError,
    inspect_page,
    parse_feed,
    parse_sitemap,
)
from pipelines.settings import DEFAULT_USER_AGENT
from tests.support.httpserver import Response, serve

# NEWSGRAPH_FUZZ_SCALE=20 runs twenty times as many examples (a longer hunt, outside the normal suite)
SCALE = int(os.environ.get("NEWSGRAPH_FUZZ_SCALE", "1"))
PAGE_REASONS = {"binary_content", "empty_page", "wrong_language"}
FETCH_REASONS = {
    "timeout",
    "connection_error",
    "too_large",
    "unsupported_content_type",
    "bad_redirect",
    "too_many_redirects",
    "forbidden_host",
    "forbidden_scheme",
    "private_address",
    "robots_disallowed",
    "robots_unavailable",
    "bad_content_encoding",
    "bad_url",
    "bad_response",
}
LOCATIONS = [
    "",
    "/p",
    "/elsewhere",
    "http://[::1",
    "http://127.0.0.1:99999/",
    "file:///etc/passwd",
    "javascript:x",
    "//other.example/",
    "http://127.0.0.1:1/closed",
    "\x00",
    "http://user@127.0.0.1/",
]
PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x89PNG\r\n\x1a\n",
    b"%PDF-1.4",
    b"\x1f\x8b\x08",
    b"<?xml version='1.0' encoding='utf-16'?>",
    b"\x00\x00\x00",
    b"   \n",
]
METAS = [
    '<meta charset="utf-8">',
    '<meta charset="x-unknown-8">',
    "<meta charset=utf-16>",
    '<meta charset="">',
    '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    "<meta charset='big5'>",
    "",
]
PIECES = [
    "<html>",
    "<html lang='en'>",
    "<html lang=''>",
    "<head>",
    "<body>",
    "</div>",
    "<p>",
    "<script>",
    "<style>",
    "<!--",
    "<![CDATA[",
    "]]>",
    "<link rel=canonical href='javascript:alert(1)'>",
    "<link rel='canonical' href='//other.example/x'>",
    "<link rel=canonical href='http://[::1'>",
    "&#0;",
    "&#xD800;",
    "&nbsp;",
    "<",
    ">",
    "\x00",
    "\ufffd",
    "Straße über Brücken",
    "Die Regierung in Berlin",
    "The government in London",
    "<table><tr><td>",
    "<html><html><body><body>",
    "\r\n",
]
ENCODINGS = ["utf-8", "cp1252", "utf-16", "latin-1", "ascii"]


@st.composite
def malformed_pages(draw: st.DrawFn) -> bytes:
    prefix = draw(st.sampled_from(PREFIXES))
    meta = draw(st.sampled_from(METAS))
    parts = draw(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=30))
    text = meta + "".join(parts)
    encoded = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    noise = draw(st.binary(max_size=64))
    body = prefix + encoded + (noise if draw(st.booleans()) else b"")
    cut = draw(st.integers(min_value=0, max_value=len(body)))
    return body[:cut] if draw(st.booleans()) else body


def check_page(content: bytes, media_type: str, charset: str | None) -> None:
    try:
        page = inspect_page(content, media_type, charset, base_url="http://127.0.0.1/x", expected_language="de")
    except PageError as exc:
        assert exc.reason in PAGE_REASONS and exc.detail
        return
    assert page.visible_text.strip()
    assert content.decode(page.charset, errors="replace") == page.text
    assert page.canonical_url is None or isinstance(page.canonical_url, str)


@settings(max_examples=300 * SCALE, deadline=None)
@given(
    content=st.one_of(malformed_pages(), st.binary(max_size=2000)),
    media_type=st.sampled_from(["text/html", "text/plain", "application/xhtml+xml", ""]),
    charset=st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "utf-16", "nonsense", "", "UTF8", "cp1252"])),
)
def test_decode_and_sniff_never_crash(content: bytes, media_type: str, charset: str | None) -> None:
    check_page(content, media_type, charset)


CONTENT_TYPES = [
    "text/html",
    "text/html; charset=utf-8",
    "TEXT/HTML;CHARSET=ISO-8859-1",
    "text/html; charset=",
    'text/html; charset="utf-8',
    "text/html; charset=utf-8; charset=latin1",
    "text/plain; charset=x-junk",
    "application/octet-stream",
    "image/png",
    "",
    ";;;",
    "text/html; boundary=;;",
]


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=malformed_pages(),
    content_type=st.sampled_from(CONTENT_TYPES),
    status=st.sampled_from([200, 200, 200, 203, 404, 410, 500, 301, 302, 307, 418]),
    gzip_claim=st.booleans(),
    location=st.sampled_from(LOCATIONS),
)
def test_fetch_and_inspect_explain_every_failure(
    body: bytes, content_type: str, status: int, gzip_claim: bool, location: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    if location and 300 <= status < 400:
        headers["Location"] = location
    if gzip_claim:
        headers["Content-Encoding"] = "gzip"  # a lie unless the body happens to be gzip
    routes = {"/p": Response(status, body, headers)}
    with serve(routes) as server:
        fetcher = HttpFetcher(
            DEFAULT_USER_AGENT, timeout_s=0.5, retries=1, backoff_s=0.001, max_bytes=50_000, default_rate_per_s=1000
        )
        try:
            result = fetcher.fetch(server.url("/p"), allowed_hosts=["127.0.0.1"], allow_private_network=True)
        except FetchError as exc:
            assert exc.reason in FETCH_REASONS or re.fullmatch(r"http_\d{3}", exc.reason), exc.reason
            assert exc.detail and server.base_url in str(exc)
            return
        finally:
            fetcher.close()
    assert 200 <= result.status < 300
    check_page(result.content, result.content_type, result.charset)


FEED_PIECES = [
    "<rss version='2.0'>",
    "<channel>",
    "<item>",
    "<link>",
    "http://a.example/x",
    "</link>",
    "</item>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>",
    "<entry>",
    "<link href='/y'/>",
    "<urlset>",
    "<url>",
    "<loc>",
    "</loc>",
    "<sitemapindex>",
    "<sitemap>",
    "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    "&a;",
    "&b;",
    "<?xml version='1.0'?>",
    "<![CDATA[x]]>",
    "</channel></rss>",
    "<",
    "&",
]


@settings(max_examples=300 * SCALE, deadline=None)
@given(
    parts=st.lists(st.one_of(st.sampled_from(FEED_PIECES), st.text(max_size=20)), max_size=25),
    noise=st.binary(max_size=16),
)
def test_feed_and_sitemap_parsing_never_crash(parts: list[str], noise: bytes) -> None:
    content = "".join(parts).encode("utf-8") + noise
    for parse in (parse_feed, parse_sitemap):
        try:
            found = parse(content, "http://a.example/feed")
        except DiscoveryError as exc:
            assert exc.reason in {"feed_not_xml", "sitemap_not_xml", "not_a_feed", "not_a_sitemap", "too_large"}
            assert exc.detail and "\n" not in str(exc)
            continue
        urls = [link.url for link in found] if isinstance(found, list) else [a.url for a in found.articles]
        assert all(url.startswith(("http://", "https://")) for url in urls)
