"""Finding article URLs in feeds (RSS 2.0, RSS 1.0/RDF, Atom) and sitemaps (news sitemaps, indexes).

XML is parsed with lxml without DTDs, entities or network access, so a hostile feed cannot read
local files or expand itself; anything that is not such XML raises :class:`DiscoveryError` with the
reason ``feed_not_xml`` / ``sitemap_not_xml`` or ``not_a_feed`` / ``not_a_sitemap``.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass

from lxml import etree

from pipelines.scraping.urls import http_url

MAX_XML_BYTES = 50 * 1024 * 1024  # a sitemap may hold 50,000 URLs in 50 MB


class DiscoveryError(ValueError):
    """A feed or sitemap that cannot be read; ``reason`` is a short machine-readable outcome."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ArticleLink:
    """An article URL as a feed or sitemap announced it."""

    url: str
    title: str | None = None
    published: str | None = None  # as written in the feed (RFC 822 or ISO 8601)


@dataclass(frozen=True)
class Sitemap:
    articles: list[ArticleLink]
    children: list[str]  # further sitemaps listed by a sitemap index


def _parse_xml(content: bytes, what: str) -> etree._Element:
    if content[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(content)) as handle:
                content = handle.read(MAX_XML_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise DiscoveryError(f"{what}_not_xml", f"broken gzip data ({exc})") from None
        if len(content) > MAX_XML_BYTES:
            raise DiscoveryError("too_large", f"{what} unpacks to more than {MAX_XML_BYTES} bytes")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(content.lstrip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        start = content.lstrip()[:40].decode("utf-8", errors="replace")
        raise DiscoveryError(f"{what}_not_xml", f"{message} (starts with {start!r})") from None
    if root is None:
        raise DiscoveryError(f"{what}_not_xml", "no root element")
    return root


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if _local(child) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _http_url(url: str | None, base_url: str) -> str | None:
    return http_url(url, base_url) if url else None


def parse_feed(content: bytes, base_url: str) -> list[ArticleLink]:
    """The article links of an RSS or Atom feed, in feed order, without repeats."""
    root = _parse_xml(content, "feed")
    kind = _local(root)
    links: list[ArticleLink] = []
    if kind in ("rss", "rdf"):
        for item in root.iter():
            if _local(item) != "item":
                continue
            about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            url = _http_url(_child_text(item, "link") or about or _guid_link(item), base_url)
            if url:
                published = _child_text(item, "pubdate") or _child_text(item, "date")
                links.append(ArticleLink(url, _child_text(item, "title"), published))
    elif kind == "feed":
        for entry in root:
            if _local(entry) != "entry":
                continue
            url = _http_url(_atom_link(entry), base_url)
            if url:
                published = _child_text(entry, "published") or _child_text(entry, "updated")
                links.append(ArticleLink(url, _child_text(entry, "title"), published))
    else:
        raise DiscoveryError("not_a_feed", f"root element <{kind or '?'}> is neither RSS nor Atom")
    return _unique(links)


def _guid_link(item: etree._Element) -> str | None:
    for child in item:
        if _local(child) == "guid" and (child.get("isPermaLink") or "true").lower() == "true":
            return (child.text or "").strip() or None
    return None


def _atom_link(entry: etree._Element) -> str | None:
    fallback = None
    for child in entry:
        if _local(child) != "link" or not child.get("href"):
            continue
        rel = (child.get("rel") or "alternate").lower()
        if rel == "alternate":
            return child.get("href")
        fallback = fallback or child.get("href")
    return fallback


def parse_sitemap(content: bytes, base_url: str) -> Sitemap:
    """A sitemap's article URLs (with news:title / news:publication_date where given) or its child sitemaps."""
    root = _parse_xml(content, "sitemap")
    kind = _local(root)
    if kind == "urlset":
        articles = []
        for entry in root:
            if _local(entry) != "url":
                continue
            url = _http_url(_child_text(entry, "loc"), base_url)
            if not url:
                continue
            title = published = None
            for child in entry:
                if _local(child) == "news":
                    title = _child_text(child, "title")
                    published = _child_text(child, "publication_date")
            articles.append(ArticleLink(url, title, published or _child_text(entry, "lastmod")))
        return Sitemap(_unique(articles), [])
    if kind == "sitemapindex":
        children = [_http_url(_child_text(e, "loc"), base_url) for e in root if _local(e) == "sitemap"]
        return Sitemap([], list(dict.fromkeys(c for c in children if c)))
    raise DiscoveryError("not_a_sitemap", f"root element <{kind or '?'}> is neither <urlset> nor <sitemapindex>")


def _unique(links: list[ArticleLink]) -> list[ArticleLink]:
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    return unique
