"""The configured sources of a night (data/sources.yaml), validated on load with clear errors.

Every key is checked: an unknown key is refused (a typo such as ``rate_limit`` would otherwise be
silently ignored and the night would hammer a site), and each message names the file and the entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from pipelines.scraping.urls import http_url

SUPPORTED_KINDS = ("directory", "urls", "feed", "sitemap")
COMMON_KEYS = frozenset(
    {
        "name",
        "kind",
        "language",
        "allowed_hosts",
        "allow_private_network",
        "rate_limit_per_s",
        "profile",
        "outlet",
        "max_articles",
    }
)
KIND_KEYS = {
    "directory": frozenset({"path"}),
    "urls": frozenset({"urls"}),
    "feed": frozenset({"url"}),
    "sitemap": frozenset({"url"}),
}
DEFAULT_MAX_ARTICLES = 500


class SourcesError(ValueError):
    """The sources file is missing, unreadable or has an invalid entry."""


@dataclass(frozen=True)
class Source:
    """One place articles come from."""

    name: str
    kind: str  # directory | urls | feed | sitemap
    language: str
    path: Path | None = None  # kind=directory
    urls: tuple[str, ...] = ()  # kind=urls: the articles; kind=feed/sitemap: the one feed or sitemap URL
    allowed_hosts: tuple[str, ...] = ()
    allow_private_network: bool = False
    rate_limit_per_s: float | None = None
    profile: str | None = None
    outlet: str | None = None
    max_articles: int = DEFAULT_MAX_ARTICLES
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def is_http(self) -> bool:
        return self.kind != "directory"


def load_sources(path: Path) -> list[Source]:
    """Parse and validate a sources file; errors name the file and the entry."""
    if not path.is_file():
        raise SourcesError(f"{path}: sources file not found")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid YAML ({exc.__class__.__name__}: {exc})".splitlines()[0]) from None
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise SourcesError(f"{path}: expected a top-level 'sources:' list")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, item in enumerate(document["sources"]):
        where = f"{path}: sources[{index}]"
        source = _parse_source(item, where, path.parent)
        if source.name in seen:
            raise SourcesError(f"{where}: duplicate source name {source.name!r}")
        seen.add(source.name)
        sources.append(source)
    return sources


def _parse_source(item: Any, where: str, base_dir: Path) -> Source:
    if not isinstance(item, dict):
        raise SourcesError(f"{where}: expected a mapping with name, kind and language")
    for key in ("name", "kind", "language"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise SourcesError(f"{where}: missing or empty '{key}'")
    name, kind, language = item["name"].strip(), item["kind"].strip(), item["language"].strip()
    where = f"{where} ({name})"
    if kind not in SUPPORTED_KINDS:
        raise SourcesError(f"{where}: unknown kind {kind!r} (supported: {', '.join(SUPPORTED_KINDS)})")
    known = COMMON_KEYS | KIND_KEYS[kind]
    unknown = sorted(str(k) for k in item if k not in known)
    if unknown:
        raise SourcesError(f"{where}: unknown key {unknown[0]!r} for kind '{kind}' (known: {', '.join(sorted(known))})")
    path: Path | None = None
    urls: tuple[str, ...] = ()
    if kind == "directory":
        if not isinstance(item.get("path"), str):
            raise SourcesError(f"{where}: kind 'directory' needs 'path:'")
        path = (base_dir / item["path"]).resolve()
        if not path.is_dir():
            raise SourcesError(f"{where}: directory {path} does not exist")
    elif kind == "urls":
        raw_urls = item.get("urls")
        if not isinstance(raw_urls, list) or not raw_urls:
            raise SourcesError(f"{where}: kind 'urls' needs a non-empty 'urls:' list")
        urls = tuple(_check_url(url, where) for url in raw_urls)
    else:
        if not isinstance(item.get("url"), str):
            raise SourcesError(f"{where}: kind '{kind}' needs 'url:' (the {kind}'s address)")
        urls = (_check_url(item["url"], where),)
    allowed = item.get("allowed_hosts")
    if allowed is None:
        allowed = sorted({urlsplit(u).hostname or "" for u in urls} - {""})
    if not isinstance(allowed, list) or not all(isinstance(h, str) and h.strip() for h in allowed):
        raise SourcesError(f"{where}: 'allowed_hosts' must be a list of host names")
    rate = item.get("rate_limit_per_s")
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0):
        raise SourcesError(f"{where}: 'rate_limit_per_s' must be a positive number")
    private = item.get("allow_private_network", False)
    if not isinstance(private, bool):
        raise SourcesError(f"{where}: 'allow_private_network' must be true or false")
    max_articles = item.get("max_articles", DEFAULT_MAX_ARTICLES)
    if isinstance(max_articles, bool) or not isinstance(max_articles, int) or max_articles <= 0:
        raise SourcesError(f"{where}: 'max_articles' must be a positive whole number")
    for key in ("profile", "outlet"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise SourcesError(f"{where}: '{key}' must be a string")
    return Source(
        name=name,
        kind=kind,
        language=language,
        path=path,
        urls=urls,
        allowed_hosts=tuple(h.strip().lower() for h in allowed),
        allow_private_network=private,
        rate_limit_per_s=float(rate) if rate is not None else None,
        profile=item.get("profile"),
        outlet=item.get("outlet"),
        max_articles=max_articles,
        options={"outlet": item["outlet"]} if item.get("outlet") else {},
    )


def _check_url(url: Any, where: str) -> str:
    if not isinstance(url, str) or http_url(url) is None:
        raise SourcesError(f"{where}: {url!r} is not an http(s) URL")
    return url.strip()
