"""The configured sources of a night (data/sources.yaml), validated on load with clear errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

SUPPORTED_KINDS = ("directory", "urls")
PLANNED_KINDS = ("feed", "sitemap")


class SourcesError(ValueError):
    """The sources file is missing, unreadable or has an invalid entry."""


@dataclass(frozen=True)
class Source:
    """One place articles come from."""

    name: str
    kind: str  # directory | urls
    language: str
    path: Path | None = None  # kind=directory
    urls: tuple[str, ...] = ()  # kind=urls
    allowed_hosts: tuple[str, ...] = ()
    allow_private_network: bool = False
    rate_limit_per_s: float | None = None
    profile: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


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
    if kind in PLANNED_KINDS:
        raise SourcesError(f"{where}: kind '{kind}' is not supported yet (supported: {', '.join(SUPPORTED_KINDS)})")
    if kind not in SUPPORTED_KINDS:
        raise SourcesError(f"{where}: unknown kind {kind!r} (supported: {', '.join(SUPPORTED_KINDS)})")
    path: Path | None = None
    urls: tuple[str, ...] = ()
    if kind == "directory":
        if not isinstance(item.get("path"), str):
            raise SourcesError(f"{where}: kind 'directory' needs 'path:'")
        path = (base_dir / item["path"]).resolve()
        if not path.is_dir():
            raise SourcesError(f"{where}: directory {path} does not exist")
    else:
        raw_urls = item.get("urls")
        if not isinstance(raw_urls, list) or not raw_urls:
            raise SourcesError(f"{where}: kind 'urls' needs a non-empty 'urls:' list")
        for url in raw_urls:
            if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
                raise SourcesError(f"{where}: {url!r} is not an http(s) URL")
        urls = tuple(raw_urls)
    allowed = item.get("allowed_hosts") or sorted({urlsplit(u).hostname or "" for u in urls} - {""})
    if not isinstance(allowed, list) or not all(isinstance(h, str) for h in allowed):
        raise SourcesError(f"{where}: 'allowed_hosts' must be a list of host names")
    rate = item.get("rate_limit_per_s")
    if rate is not None and (not isinstance(rate, int | float) or rate <= 0):
        raise SourcesError(f"{where}: 'rate_limit_per_s' must be a positive number")
    private = item.get("allow_private_network", False)
    if not isinstance(private, bool):
        raise SourcesError(f"{where}: 'allow_private_network' must be true or false")
    return Source(
        name=name,
        kind=kind,
        language=language,
        path=path,
        urls=urls,
        allowed_hosts=tuple(h.lower() for h in allowed),
        allow_private_network=private,
        rate_limit_per_s=float(rate) if rate is not None else None,
        profile=item.get("profile"),
    )
