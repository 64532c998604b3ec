"""The shipped knowledge-base extract: ../shared/kb filtered to shippable rows and compacted.

``newsgraph kb export`` (``make kb-data``) reads ``entities.jsonl`` and ``entities_extra.jsonl.gz``
and writes ``data/kb/wikidata-extract.jsonl.gz`` byte for byte the same on every machine (rows sorted
by QID, gzip without a timestamp), so a fresh clone without ../shared links as well as a developer's.

What goes in and why:

- only rows with at least one CC0, MIT or CC BY licence part (an ``unknown`` or non-commercial part
  alone never); rows of ``entities.jsonl`` carry Wikidata facts (CC0) or rigour (MIT) and Natural Earth
  (public domain) data, recorded as such;
- a row of the extra file that ``adds_to_existing`` is folded into the row it adds German names to;
- names stay what the source says they are: ``label_de_candidate`` (a German-or-English Wikidata
  label the source does not certify as German) becomes ``names_any``, never ``label_de``; OCR surface
  forms from German newspapers annotated with the item (``mentions_de``) are kept only where they
  look like words and the item has no German label (for a person only full names: the papers
  annotate a bare "Engel" too);
- aliases in non-Latin scripts are dropped (German news writes names in Latin script), at most
  ``MAX_OTHER_ALIASES`` other aliases are kept, and long source lists are cut to their distinct files.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines import progress
from pipelines.kb.errors import KBSourceError

BASE_FILE = "entities.jsonl"
EXTRA_FILE = "entities_extra.jsonl.gz"
EXTRACT_NAME = "wikidata-extract.jsonl.gz"
MAX_OTHER_ALIASES = 12
MAX_SOURCES = 4
SHIPPABLE = ("cc0", "mit", "cc-by", "public-domain")

_NON_COMMERCIAL = re.compile(r"(?<![a-z])nc(?![a-z])")
_LANGUAGE_PREFIX = re.compile(r"^([a-z]{2,3})(?:-[a-z]+)*:(?=\S)")
_COMMIT = re.compile(r"@[0-9a-f]{7,40}")
_WORDLIKE = re.compile(r"^[A-ZÄÖÜ][\w\-]*(?: [A-ZÄÖÜa-zäöü][\w\-]*){0,3}$")


@dataclass
class ExportReport:
    """What the export read, kept and dropped (printed by ``newsgraph kb export``)."""

    rows_read: Counter[str] = field(default_factory=Counter)
    rows_written: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    licences: Counter[str] = field(default_factory=Counter)
    with_label_de: int = 0
    sha256: str = ""
    size_bytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows_read": dict(sorted(self.rows_read.items())),
            "rows_written": self.rows_written,
            "with_label_de": self.with_label_de,
            "types": dict(sorted(self.types.items())),
            "licences": dict(sorted(self.licences.items())),
            "dropped": dict(sorted(self.dropped.items())),
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
        }


def licence_classes(licence: str) -> set[str]:
    """The classes of each " | "-separated part of a row's licence ("cc0", "cc-by", "nc", "unknown" …)."""
    classes = set()
    for part in licence.split("|"):
        text = part.strip().casefold()
        if not text:
            continue
        if _NON_COMMERCIAL.search(text):
            classes.add("nc")
        elif text.startswith("cc0"):
            classes.add("cc0")
        elif text.startswith("mit"):
            classes.add("mit")
        elif text.startswith(("cc-by", "cc by")):
            classes.add("cc-by")
        elif text.startswith("public domain"):
            classes.add("public-domain")
        else:
            classes.add("unknown")
    return classes


def base_row_licence(row: dict[str, Any]) -> str:
    """Licence of an entities.jsonl row, from where its QID was read (see ../shared/kb/SOURCES.md)."""
    source = str(row.get("source") or "")
    if "rigour" in source:
        return "MIT (rigour, OpenSanctions territories)"
    if "Natural Earth" in source or "natural-earth" in source:
        return "public domain (Natural Earth)"
    return "CC0 (Wikidata facts)"


def short_licence(licence: str) -> str:
    """The shippable parts of a licence, for the row (the NOTICE names the CC BY sources in full)."""
    kept = []
    for part in licence.split("|"):
        part = part.strip()
        classes = licence_classes(part)
        if classes and classes <= set(SHIPPABLE) and part not in kept:
            kept.append(part)
    return " | ".join(kept)


def _latin(text: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text)


def _clean_list(values: Iterable[Any]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if isinstance(value, str):
            text = " ".join(value.split())
            if text and text not in seen:
                seen.append(text)
    return seen


def _other_aliases(values: Iterable[Any], taken: set[str]) -> list[str]:
    kept = []
    for alias in _clean_list(_LANGUAGE_PREFIX.sub("", v) for v in values if isinstance(v, str)):
        if alias not in taken and _latin(alias) and len(alias) <= 80:
            kept.append(alias)
            taken.add(alias)
        if len(kept) >= MAX_OTHER_ALIASES:
            break
    return kept


def _sources(row: dict[str, Any]) -> list[str]:
    """Distinct source files of a row (versions of one file in a repository's history count once)."""
    kept: list[str] = []
    seen: set[str] = set()
    for value in [row.get("source"), *(row.get("sources") or [])]:
        if not isinstance(value, str) or not value:
            continue
        key = _COMMIT.sub("", value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept[:MAX_SOURCES]


def _country(facts: dict[str, Any]) -> str | None:
    for key in ("country_name", "country", "country_iso3", "rigour_parent"):
        value = facts.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _popularity(popularity: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in sorted(popularity.items())
        if isinstance(v, bool) or (isinstance(v, int | float) and not isinstance(v, bool))
    }


def _label_languages(row: dict[str, Any]) -> int:
    """Languages the item has a label or alias in (aliases_other are written "xx:name")."""
    languages = {lang for lang in ("de", "en") if row.get(f"label_{lang}")}
    for alias in row.get("aliases_other") or []:
        match = _LANGUAGE_PREFIX.match(alias) if isinstance(alias, str) else None
        if match:
            languages.add(match.group(1))
    return len(languages)


def _mention_names(row: dict[str, Any]) -> list[str]:
    return [m for m in _clean_list(row.get("mentions_de") or []) if _WORDLIKE.match(m) and len(m) >= 4]


def compact_row(row: dict[str, Any], licence: str) -> dict[str, Any]:
    """The shipped form of one row (the format ``iter_jsonl_entities`` reads)."""
    label_de = row.get("label_de") or None
    label_en = row.get("label_en") or None
    aliases_de = _clean_list(row.get("aliases_de") or [])
    aliases_en = _clean_list(row.get("aliases_en") or [])
    taken = {n for n in [label_de, label_en, *aliases_de, *aliases_en] if n}
    out: dict[str, Any] = {
        "qid": row["qid"],
        "type": row.get("type"),
        "label_de": label_de,
        "label_en": label_en,
        "aliases_de": aliases_de,
        "aliases_en": aliases_en,
        "aliases_other": _other_aliases(row.get("aliases_other") or [], set(taken)),
    }
    candidate = row.get("label_de_candidate")
    if isinstance(candidate, str) and candidate.strip() and candidate.strip() not in taken:
        out["names_any"] = [" ".join(candidate.split())]
    elif not (label_de or label_en or candidate):
        # No label at all: the first name the row lists without a language is its name (a registry's
        # display name such as ROR's "Google (United States)").
        plain = [a for a in _clean_list(row.get("aliases_other") or []) if not _LANGUAGE_PREFIX.match(a) and _latin(a)]
        if plain:
            out["names_any"] = plain[:1]
            out["aliases_other"] = [a for a in out["aliases_other"] if a != plain[0]]
    if not label_de:
        mentions = [m for m in _mention_names(row) if m not in taken and (row.get("type") != "PER" or " " in m)]
        if mentions:
            out["mentions_de"] = mentions
    out["description_de"] = row.get("description_de") or None
    out["description_en"] = row.get("description_en") or None
    out["instance_of"] = sorted({q for v in row.get("instance_of") or [] for q in str(v).split("|") if q})
    out["popularity"] = _popularity(row.get("popularity") or {})
    languages = _label_languages(row)
    if languages > 2 and "sitelinks" not in out["popularity"]:
        out["popularity"]["label_languages"] = languages
    country = _country(row.get("facts") or {})
    if country:
        out["country"] = country
    out["confidence"] = row.get("confidence") or "high"
    out["source"] = (_sources(row) or ["unknown"])[0]
    out["sources"] = _sources(row)
    out["licence"] = licence
    return out


def _fold(base: dict[str, Any], extra: dict[str, Any]) -> None:
    """An extra row that adds German names to an entities.jsonl row: names and sources join the row."""
    if not base.get("label_de") and extra.get("label_de"):
        base["label_de"] = extra["label_de"]
    elif extra.get("label_de") and extra["label_de"] != base.get("label_de"):
        base["aliases_de"] = [*(base.get("aliases_de") or []), extra["label_de"]]
    base["aliases_de"] = _clean_list([*(base.get("aliases_de") or []), *(extra.get("aliases_de") or [])])
    for key in ("description_de", "label_en", "description_en", "type"):
        base[key] = base.get(key) or extra.get(key)
    if base.get("confidence") == "low" and extra.get("confidence") in ("high", "medium"):
        base["confidence"] = extra["confidence"]
    merged_popularity = dict(extra.get("popularity") or {})
    merged_popularity.update(base.get("popularity") or {})
    base["popularity"] = merged_popularity
    base["instance_of"] = [*(base.get("instance_of") or []), *(extra.get("instance_of") or [])]
    base["facts"] = {**(extra.get("facts") or {}), **(base.get("facts") or {})}
    base["sources"] = [*_sources(base), *_sources(extra)]


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    try:
        handle = opener(path, "rt", encoding="utf-8")
    except OSError as exc:
        raise KBSourceError(f"{path}: cannot read ({exc.strerror})") from exc
    with handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise KBSourceError(f"{path}:{line_no}: invalid JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not str(row.get("qid", "")).startswith("Q"):
                raise KBSourceError(f"{path}:{line_no}: a row needs a 'qid' like 'Q183'")
            yield line_no, row


def collect_rows(shared_kb: Path, report: ExportReport) -> dict[str, tuple[dict[str, Any], str]]:
    """QID → (row, licence) of every shippable row of the two files."""
    base_path, extra_path = shared_kb / BASE_FILE, shared_kb / EXTRA_FILE
    for path in (base_path, extra_path):
        if not path.is_file():
            raise KBSourceError(f"{path}: knowledge-base file not found (is ../shared/kb there?)")
    rows: dict[str, tuple[dict[str, Any], str]] = {}
    for _, row in progress.track(_read_jsonl(base_path), f"read {BASE_FILE}", unit="rows"):
        report.rows_read[BASE_FILE] += 1
        rows[row["qid"]] = (row, base_row_licence(row))
    for _, row in progress.track(_read_jsonl(extra_path), f"read {EXTRA_FILE}", unit="rows"):
        report.rows_read[EXTRA_FILE] += 1
        licence = str(row.get("licence") or "")
        if not licence_classes(licence) & set(SHIPPABLE):
            report.dropped["licence not CC0/MIT/CC BY"] += 1
            continue
        qid = row["qid"]
        if qid in rows:
            base, base_licence = rows[qid]
            _fold(base, row)
            rows[qid] = (base, f"{base_licence} | {short_licence(licence)}")
        else:
            rows[qid] = (row, short_licence(licence))
    return rows


def export_kb(shared_kb: Path, out: Path) -> ExportReport:
    """Write the shipped extract to ``out`` (deterministic bytes) and return what was kept."""
    report = ExportReport()
    rows = collect_rows(Path(shared_kb), report)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        for qid in progress.track(sorted(rows, key=_qid_order), "write extract", unit="rows"):
            row, licence = rows[qid]
            if row.get("confidence", "high") not in ("high", "medium"):
                report.dropped["confidence low"] += 1
                continue
            compact = compact_row(row, licence)
            if not any(compact.get(k) for k in ("label_de", "label_en", "aliases_de", "names_any", "mentions_de")):
                report.dropped["no usable name"] += 1
                continue
            report.rows_written += 1
            report.types[str(compact["type"])] += 1
            report.with_label_de += bool(compact["label_de"])
            for cls in sorted(licence_classes(licence) & set(SHIPPABLE)):
                report.licences[cls] += 1
            gz.write(json.dumps(compact, ensure_ascii=False, sort_keys=False).encode() + b"\n")
    data = buffer.getvalue()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    report.sha256 = hashlib.sha256(data).hexdigest()
    report.size_bytes = len(data)
    return report


def _qid_order(qid: str) -> tuple[int, str]:
    digits = qid[1:]
    return (int(digits), qid) if digits.isdigit() else (1 << 62, qid)
