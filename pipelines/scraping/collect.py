"""Collect one night's raw documents from all sources; a failing page is recorded, never fatal."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from pipelines.domain import RawDocument
from pipelines.scraping.fetch import FetchError, HttpFetcher
from pipelines.scraping.rawstore import RawPageStore
from pipelines.scraping.sources import Source
from pipelines.scraping.urls import canonicalize_url, doc_id_for

REPLAY_TYPES = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}
MANIFEST_NAME = "manifest.yaml"


@dataclass(frozen=True)
class FetchRecord:
    """What happened when one URL (or replayed file) was collected."""

    source: str
    url: str
    outcome: str  # "ok" or a failure reason such as http_500, timeout, too_large
    detail: str = ""
    final_url: str | None = None
    status: int | None = None
    elapsed_s: float = 0.0
    bytes: int = 0
    content_hash: str | None = None
    at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CollectResult:
    documents: list[RawDocument] = field(default_factory=list)
    records: list[FetchRecord] = field(default_factory=list)

    @property
    def failures(self) -> list[FetchRecord]:
        return [r for r in self.records if r.outcome != "ok"]


def collect(
    sources: Sequence[Source], raw_store: RawPageStore, fetcher: HttpFetcher | None, now: datetime
) -> CollectResult:
    """Read every source into the raw store; duplicates (same canonical URL) are kept once."""
    result = CollectResult()
    seen: set[str] = set()
    for source in sources:
        if source.kind == "directory":
            items = _replay_directory(source, raw_store, now)
        else:
            if fetcher is None:
                raise ValueError(f"source {source.name!r} needs HTTP but no fetcher was configured")
            items = _fetch_urls(source, raw_store, fetcher, now)
        for document, record in items:
            result.records.append(record)
            if document is None:
                continue
            key = canonicalize_url(document.url)
            if key in seen:
                continue
            seen.add(key)
            result.documents.append(document)
    return result


def _replay_directory(
    source: Source, raw_store: RawPageStore, now: datetime
) -> list[tuple[RawDocument | None, FetchRecord]]:
    assert source.path is not None
    manifest = _load_manifest(source.path)
    defaults = manifest.get("defaults", {}) or {}
    entries = manifest.get("files", {}) or {}
    items: list[tuple[RawDocument | None, FetchRecord]] = []
    for path in sorted(p for p in source.path.iterdir() if p.suffix.lower() in REPLAY_TYPES):
        meta = {**defaults, **(entries.get(path.name) or {})}
        url = meta.get("url") or f"urn:newsgraph:{source.name}:{path.stem}"
        started = time.monotonic()
        content = path.read_bytes()
        digest = raw_store.put(content)
        record = FetchRecord(
            source=source.name,
            url=url,
            outcome="ok",
            detail=f"replayed {path.name}",
            final_url=url,
            elapsed_s=time.monotonic() - started,
            bytes=len(content),
            content_hash=digest,
            at=now.isoformat(),
        )
        document = RawDocument(
            doc_id=doc_id_for(url),
            url=canonicalize_url(url),
            source=source.name,
            content_type=meta.get("content_type") or REPLAY_TYPES[path.suffix.lower()],
            content_hash=digest,
            fetched_at=now.isoformat(),
            outlet=meta.get("outlet"),
            language=meta.get("language") or source.language,
            captured=str(meta["captured"]) if meta.get("captured") else None,
        )
        items.append((document, record))
    return items


def _fetch_urls(
    source: Source, raw_store: RawPageStore, fetcher: HttpFetcher, now: datetime
) -> list[tuple[RawDocument | None, FetchRecord]]:
    items: list[tuple[RawDocument | None, FetchRecord]] = []
    for url in source.urls:
        try:
            fetched = fetcher.fetch(
                url, allowed_hosts=source.allowed_hosts, allow_private_network=source.allow_private_network
            )
        except FetchError as exc:
            items.append((None, FetchRecord(source.name, url, exc.reason, exc.detail, at=now.isoformat())))
            continue
        digest = raw_store.put(fetched.content)
        record = FetchRecord(
            source=source.name,
            url=url,
            outcome="ok",
            final_url=fetched.final_url,
            status=fetched.status,
            elapsed_s=round(fetched.elapsed_s, 4),
            bytes=len(fetched.content),
            content_hash=digest,
            at=now.isoformat(),
        )
        document = RawDocument(
            doc_id=doc_id_for(url),
            url=canonicalize_url(url),
            source=source.name,
            content_type=fetched.content_type,
            content_hash=digest,
            fetched_at=now.isoformat(),
            outlet=source.options.get("outlet"),
            language=source.language,
            final_url=fetched.final_url if fetched.final_url != url else None,
        )
        items.append((document, record))
    return items


def _load_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with 'defaults' and 'files'")
    return data
