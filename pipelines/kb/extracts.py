"""Named SPARQL extracts (data/kb/extracts/*.rq) → KB rows (``newsgraph kb update``).

Each ``.rq`` file is a WDQS SELECT with one row per item and the variables ``item``, ``label_de``,
``label_en``, ``description_de``, ``description_en``, ``aliases_de``/``aliases_en``/``classes``
(``|``-separated) and ``sitelinks``; its header comments give ``title``, ``type`` and ``page-size``.
The client pages it with LIMIT/OFFSET, retries (Retry-After, 429, 5xx) and caches the answers under
NEWSGRAPH_HOME, so a second run within ``max_age_s`` asks the endpoint nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.kb.dump_rows import LICENCE
from pipelines.kb.entry import normalise_type
from pipelines.kb.errors import KBSourceError
from pipelines.kb.local import ROW_SUFFIX, extracts_dir
from pipelines.settings import DATA_DIR, Settings
from pipelines.wikidata.client import WikidataClient

EXTRACTS = DATA_DIR / "kb" / "extracts"
CACHE_FILE = "kb-extracts.sqlite"
WDQS_TIMEOUT_S = 65.0  # WDQS stops a query itself after 60 s; waiting less would drop answers
_HEADER_KEYS = ("title", "type", "page-size")


@dataclass(frozen=True)
class Extract:
    name: str
    title: str
    type: str
    page_size: int
    query: str
    path: Path


def load_extracts(directory: Path = EXTRACTS) -> dict[str, Extract]:
    """Every ``*.rq`` in ``directory`` by name (the file stem), checked for the header and no LIMIT."""
    extracts = {}
    for path in sorted(directory.glob("*.rq")):
        extracts[path.stem] = parse_extract(path)
    if not extracts:
        raise KBSourceError(f"{directory}: no SPARQL extracts (*.rq)")
    return extracts


def parse_extract(path: Path) -> Extract:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        key, colon, value = line[1:].strip().partition(":")
        if colon and key in _HEADER_KEYS:
            if key in header:
                raise KBSourceError(f"{path}:{line_no}: '{key}' given twice")
            header[key] = value.strip()
    missing = [key for key in _HEADER_KEYS if key not in header]
    if missing:
        raise KBSourceError(f"{path}: header comment needs '# {missing[0]}: …'")
    if normalise_type(header["type"]) is None:
        raise KBSourceError(f"{path}: type {header['type']!r} is not PER, ORG, LOC, GPE or MISC")
    if not header["page-size"].isdigit() or int(header["page-size"]) < 1:
        raise KBSourceError(f"{path}: page-size {header['page-size']!r} is not a positive number")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    if "?item" not in body or "ORDER BY" not in body.upper():
        raise KBSourceError(f"{path}: the query must select ?item and ORDER BY (pages are cut with LIMIT/OFFSET)")
    tail = body.upper().rsplit("ORDER BY", 1)[1]
    if "LIMIT" in tail or "OFFSET" in tail:
        raise KBSourceError(f"{path}: no LIMIT/OFFSET in the file; `kb update` adds them page by page")
    return Extract(path.stem, header["title"], header["type"], int(header["page-size"]), text, path)


def _split(value: str | None) -> list[str]:
    return [part for part in (value or "").split("|") if part]


def rows_from_bindings(extract: Extract, bindings: Iterable[dict[str, str]]) -> list[dict[str, Any]]:
    """sparql() rows → KB rows, one per QID (rows of the same item are merged), sorted by QID number."""
    source = f"wikidata-sparql:{extract.name}.rq"
    rows: dict[str, dict[str, Any]] = {}
    for binding in bindings:
        qid = binding.get("item", "")
        if not (qid.startswith("Q") and qid[1:].isdigit()):
            continue
        row = rows.setdefault(
            qid,
            {
                "qid": qid,
                "label_de": None,
                "label_en": None,
                "aliases_de": [],
                "aliases_en": [],
                "aliases_other": [],
                "description_de": None,
                "description_en": None,
                "instance_of": [],
                "type": extract.type,
                "popularity": {},
                "source": source,
                "sources": [source],
                "licence": LICENCE,
            },
        )
        for key in ("label_de", "label_en", "description_de", "description_en"):
            row[key] = row[key] or binding.get(key) or None
        for key, values in (
            ("aliases_de", _split(binding.get("aliases_de"))),
            ("aliases_en", _split(binding.get("aliases_en"))),
            ("instance_of", [c for c in _split(binding.get("classes")) if c.startswith("Q")]),
        ):
            row[key] += [v for v in values if v not in row[key]]
        links = binding.get("sitelinks", "")
        if links.isdigit():
            row["popularity"]["sitelinks"] = max(int(links), row["popularity"].get("sitelinks", 0))
    kept = [row for row in rows.values() if row["label_de"] or row["label_en"]]
    return sorted(kept, key=lambda row: int(row["qid"][1:]))


def write_rows(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    """JSONL, written beside and renamed into place, so a failed update leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def extract_client(settings: Settings, *, max_age_s: float | None) -> WikidataClient:
    """The polite client for WDQS: User-Agent from settings, disk cache under NEWSGRAPH_HOME."""
    return WikidataClient(
        settings.user_agent,
        api_url=settings.wikidata_api_url,
        sparql_url=settings.wikidata_sparql_url,
        cache_path=settings.cache_dir / CACHE_FILE,
        cache_max_age=max_age_s,
        timeout=max(settings.http_timeout_s, WDQS_TIMEOUT_S),
    )


def update_extracts(
    settings: Settings,
    extracts: Sequence[Extract],
    *,
    max_age_s: float | None = 7 * 86400,
    page_size: int | None = None,
    client: WikidataClient | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, dict[str, Any]]:
    """Fetch each extract and write NEWSGRAPH_HOME/kb/extracts/<name>.jsonl; per-extract statistics."""
    client = client or extract_client(settings, max_age_s=max_age_s)
    report = {}
    for extract in extracts:
        started = time.monotonic()
        requests_before, hits_before = client.requests_made, client.cache.hits
        size = page_size or extract.page_size
        bindings: list[dict[str, str]] = []
        pages = 0
        for page in client.sparql_pages(extract.query, page_size=size):
            pages += 1
            bindings += page
            log(f"{extract.name}: page {pages} ({len(bindings)} rows)")
        rows = rows_from_bindings(extract, bindings)
        out = extracts_dir(settings.kb_dir) / f"{extract.name}{ROW_SUFFIX}"
        write_rows(out, rows)
        report[extract.name] = {
            "path": str(out),
            "rows": len(bindings),
            "items": len(rows),
            "pages": pages,
            "requests": client.requests_made - requests_before,
            "cache_hits": client.cache.hits - hits_before,
            "seconds": round(time.monotonic() - started, 3),
        }
    return report
