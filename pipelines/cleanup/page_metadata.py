"""Article metadata from an HTML page's own declarations: JSON-LD, Open Graph and <meta> tags, with
htmldate for the publication date. Lighter than a full metadata extractor, and the page's own
statements are what we want anyway (title, description, author, date, site)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from htmldate import find_date
from lxml.etree import _Element

_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")


def _clean(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _names(value: Any) -> list[str]:
    """Author names from JSON-LD (a string, an object with "name", or a list of either)."""
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        name = _clean(value.get("name"))
        return [name] if name else []
    name = _clean(value)
    return [name] if name and not name.startswith("http") else []


def _json_ld_articles(tree: _Element) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("@graph"), list):
                stack.extend(item["@graph"])
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                found.append(item)
    return found


def _meta(tree: _Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = _clean(meta.get("content"))
        if key and content and key not in values:
            values[key] = content
    return values


_BYLINE_XPATH = (
    "//*[contains(@class,'author') or contains(@class,'byline') or contains(@class,'autor')"
    " or @rel='author' or @itemprop='author']"
)
_PERSON = re.compile(r"^[A-ZÄÖÜ][\w.'’-]+(?:\s+(?:von\s+|van\s+|de\s+)?[A-ZÄÖÜ][\w.'’-]+){1,3}$")


def _byline_authors(tree: _Element) -> list[str]:
    """Names in the page's byline elements ("Von Jonas Feldmann", "Jonas Feldmann")."""
    from pipelines.cleanup.bylines import byline_hit

    for element in tree.xpath(_BYLINE_XPATH)[:5]:
        text = _clean(element.text_content())
        if not text or len(text) > 80:
            continue
        hit = byline_hit(text)
        if hit is not None:
            return [hit.metadata["author"]]
        if _PERSON.match(text):
            return [text]
    return []


def host_name(url: str | None) -> str | None:
    """The site as its host name ("www.tagesschau.de" → "tagesschau.de") when the page names none."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.removeprefix("www.") or None


def page_metadata(tree: _Element, url: str | None = None) -> dict[str, str]:
    """title, description, author, date (YYYY-MM-DD) and site as the page declares them."""
    meta = _meta(tree)
    articles = _json_ld_articles(tree)
    article = articles[0] if articles else {}
    publisher = article.get("publisher")
    authors = _names(article.get("author"))
    meta_author = meta.get("author") or meta.get("article:author")
    if not authors and meta_author and not meta_author.startswith("http"):
        authors = [meta_author]
    if not authors:
        authors = _byline_authors(tree)
    title_element = next(tree.iter("title"), None)
    page_title = _clean(title_element.text_content()) if title_element is not None else None
    site = _clean(publisher.get("name")) if isinstance(publisher, dict) else None
    site = site or meta.get("og:site_name")
    title = _clean(article.get("headline")) or meta.get("og:title") or meta.get("twitter:title")
    if not title and page_title:
        title = _TITLE_SUFFIX.sub("", page_title)
    result = {
        "title": title,
        "description": _clean(article.get("description")) or meta.get("description") or meta.get("og:description"),
        "author": "; ".join(dict.fromkeys(authors)) or None,
        "date": find_date(tree, url=url, extensive_search=False, original_date=True),
        "site": site,
    }
    return {key: value for key, value in result.items() if value}
