"""Article URLs from RSS, Atom and sitemaps; hostile or broken XML is refused with a reason."""

from __future__ import annotations

import gzip

import pytest

from pipelines.scraping import DiscoveryError, parse_feed, parse_sitemap

BASE = "https://news.example/feeds/all.xml"


def test_rss2_items_in_order_without_repeats() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
      <item><title>Eins</title><link>https://news.example/a</link>
        <pubDate>Fri, 20 Nov 2026 08:00:00 +0100</pubDate></item>
      <item><title>Zwei</title><guid isPermaLink="true">https://news.example/b</guid></item>
      <item><title>Relativ</title><link>/c</link></item>
      <item><title>Eins wieder</title><link>https://news.example/a</link></item>
      <item><title>Kein Web</title><link>mailto:redaktion@news.example</link></item>
    </channel></rss>"""
    links = parse_feed(rss, BASE)
    assert [link.url for link in links] == [
        "https://news.example/a",
        "https://news.example/b",
        "https://news.example/c",
    ]
    assert links[0].title == "Eins" and links[0].published == "Fri, 20 Nov 2026 08:00:00 +0100"


def test_atom_and_rdf_feeds() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
      <entry><title>A</title><link rel="self" href="/api/a"/><link href="/a"/><published>2026-11-20</published></entry>
      <entry><title>B</title><link rel="enclosure" href="/b.mp3"/></entry></feed>"""
    assert [link.url for link in parse_feed(atom, BASE)] == ["https://news.example/a", "https://news.example/b.mp3"]
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <item rdf:about="https://news.example/r"><title>R</title></item></rdf:RDF>"""
    assert [link.url for link in parse_feed(rdf, BASE)] == ["https://news.example/r"]


def test_news_sitemap_index_and_gzip() -> None:
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://news.example/a</loc><news:news><news:title>A</news:title>
        <news:publication_date>2026-11-20T08:00:00+01:00</news:publication_date></news:news></url>
      <url><loc>https://news.example/b</loc><lastmod>2026-11-19</lastmod></url></urlset>"""
    sitemap = parse_sitemap(gzip.compress(urlset), BASE)
    assert [(a.url, a.title, a.published) for a in sitemap.articles] == [
        ("https://news.example/a", "A", "2026-11-20T08:00:00+01:00"),
        ("https://news.example/b", None, "2026-11-19"),
    ]
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/s1.xml</loc></sitemap><sitemap><loc>/s2.xml.gz</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(index, BASE).children == ["https://news.example/s1.xml", "https://news.example/s2.xml.gz"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html><body>Wartung<br></body></html>", "feed_not_xml"),
        (b"", "feed_not_xml"),
        (b"\x1f\x8b\x08broken", "feed_not_xml"),
        (b"<html><body>ok</body></html>", "not_a_feed"),
        (b'{"items": []}', "feed_not_xml"),
    ],
)
def test_what_is_not_a_feed_says_so(content: bytes, reason: str) -> None:
    with pytest.raises(DiscoveryError) as info:
        parse_feed(content, BASE)
    assert info.value.reason == reason
    assert "\n" not in str(info.value)


def test_external_entities_are_not_resolved() -> None:
    hostile = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
      <rss version="2.0"><channel><item><title>&x;</title><link>https://news.example/a</link></item></channel></rss>"""
    (link,) = parse_feed(hostile, BASE)
    assert link.url == "https://news.example/a"
    assert "root:" not in (link.title or "")


def test_not_a_sitemap() -> None:
    with pytest.raises(DiscoveryError) as info:
        parse_sitemap(b"<rss version='2.0'/>", BASE)
    assert info.value.reason == "not_a_sitemap"
