"""The local SQLite index of Wikidata items the linker reads (built by ``newsgraph kb build``).

Tables: ``entities`` (one row per QID), ``names`` (normalised name key → QID, with the kind of name
and its weight), ``person_names`` (surname key → person, for spelling variants of given names),
``spellings`` (romanisation skeleton → QID, for Lawrow/Lavrov) and ``meta`` (version, sources,
counts). The version is a hash of the content, so a graph can record exactly which index linked it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.domain import EntityInfo
from pipelines.kb.entry import NAME_KIND_WEIGHT, KBEntry
from pipelines.kb.errors import KBIndexError
from pipelines.kb.names import name_key, romanisation_key
from pipelines.kb.sources import (
    iter_jsonl_entities,
    iter_natural_earth_countries,
    iter_rigour_territories,
    iter_source,
)

DEFAULT_CURATED = Path(__file__).resolve().parents[2] / "data" / "kb" / "curated.jsonl"
SCHEMA_VERSION = "2"
_MIN_KEY_LENGTH = 2

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entities (
    qid TEXT PRIMARY KEY, label_de TEXT, label_en TEXT, description_de TEXT, description_en TEXT,
    type TEXT, prior REAL NOT NULL, instance_of TEXT NOT NULL, country TEXT, sources TEXT NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL, qid TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, weight REAL NOT NULL,
    PRIMARY KEY (key, qid)
) WITHOUT ROWID;
CREATE TABLE spellings (key TEXT NOT NULL, qid TEXT NOT NULL, PRIMARY KEY (key, qid)) WITHOUT ROWID;
CREATE TABLE person_names (
    surname TEXT NOT NULL, qid TEXT NOT NULL, given TEXT NOT NULL, PRIMARY KEY (surname, qid, given)
) WITHOUT ROWID;
"""


SourceReader = Callable[[], Iterable[KBEntry]]


def _file_reader(path: Path) -> SourceReader:
    return lambda: iter_source(path)


def default_sources(curated: Path | None = DEFAULT_CURATED) -> list[tuple[str, SourceReader]]:
    """The sources of a fresh machine: curated domain file, Natural Earth countries, rigour territories."""
    sources: list[tuple[str, SourceReader]] = []
    if curated is not None:
        curated_path = curated
        sources.append((f"curated:{curated.name}", lambda: iter_jsonl_entities(curated_path)))
    sources.append(("natural-earth-admin0", iter_natural_earth_countries))
    sources.append(("rigour-territories", iter_rigour_territories))
    return sources


def build_index(
    out: Path,
    *,
    extra_sources: Sequence[Path] = (),
    include_defaults: bool = True,
    curated: Path | None = DEFAULT_CURATED,
) -> dict[str, object]:
    """Build the SQLite index at ``out`` (atomically replacing it) and return its statistics.

    Sources earlier in the list win for labels and type; names and popularity are merged from all.
    ``extra_sources`` are JSONL files in the ../shared/kb/entities.jsonl format or Wikidata JSON dumps.
    """
    started = time.monotonic()
    sources = default_sources(curated) if include_defaults else []
    for path in extra_sources:
        sources.append((f"file:{Path(path).name}", _file_reader(Path(path))))
    entries: dict[str, KBEntry] = {}
    per_source: dict[str, int] = {}
    for name, read in sources:
        count = 0
        for entry in read():
            count += 1
            if entry.qid in entries:
                entries[entry.qid].merge(entry)
            else:
                entries[entry.qid] = entry
        per_source[name] = count
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=out.name, suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        version, name_rows = _write(tmp, entries.values(), per_source)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    types: dict[str, int] = {}
    for entry in entries.values():
        types[entry.type or "none"] = types.get(entry.type or "none", 0) + 1
    return {
        "path": str(out),
        "version": version,
        "entities": len(entries),
        "names": name_rows,
        "types": types,
        "sources": per_source,
        "size_bytes": out.stat().st_size,
        "seconds": round(time.monotonic() - started, 2),
    }


def ensure_index(path: Path, **build_options: object) -> KnowledgeBase:
    """Open the index at ``path``, building it first where it is missing (a fresh machine)."""
    if not Path(path).is_file():
        build_index(Path(path), **build_options)  # type: ignore[arg-type]
    return KnowledgeBase(path)


def _person_parts(name: str) -> tuple[str, str] | None:
    tokens = name_key(name).split(" ")
    if len(tokens) < 2:
        return None
    return tokens[-1], " ".join(tokens[:-1])


def _write(path: Path, entries: Iterable[KBEntry], per_source: dict[str, int]) -> tuple[str, int]:
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    conn = sqlite3.connect(path)
    try:
        conn.executescript(_SCHEMA)
        name_rows: dict[tuple[str, str], tuple[str, str, float]] = {}
        person_rows: set[tuple[str, str, str]] = set()
        spelling_rows: set[tuple[str, str]] = set()
        entity_rows = []
        for entry in sorted(entries, key=lambda e: e.qid):
            row = (
                entry.qid,
                entry.label_de,
                entry.label_en,
                entry.description_de,
                entry.description_en,
                entry.type,
                entry.prior,
                json.dumps(entry.instance_of),
                entry.country,
                json.dumps(entry.sources, ensure_ascii=False),
            )
            entity_rows.append(row)
            digest.update(json.dumps(row[:9], ensure_ascii=False).encode())
            for name, kind in entry.names():
                key = name_key(name)
                if len(key) < _MIN_KEY_LENGTH or key.isdigit():
                    continue
                weight = NAME_KIND_WEIGHT[kind]
                known = name_rows.get((key, entry.qid))
                if known is None or known[2] < weight:
                    name_rows[(key, entry.qid)] = (name, kind, weight)
                if kind in ("label_de", "label_en", "alias_de", "alias_en") and entry.type is not None:
                    skeleton = romanisation_key(name)
                    if skeleton:
                        spelling_rows.add((skeleton, entry.qid))
                if entry.type == "PER" and kind in ("label_de", "label_en", "alias_de", "alias_en"):
                    parts = _person_parts(name)
                    if parts:
                        person_rows.add((parts[0], entry.qid, parts[1]))
        for (key, qid), (_, kind, _) in sorted(name_rows.items()):
            digest.update(f"{key}\t{qid}\t{kind}".encode())
        conn.executemany("INSERT INTO entities VALUES (?,?,?,?,?,?,?,?,?,?)", entity_rows)
        conn.executemany(
            "INSERT INTO names VALUES (?,?,?,?,?)",
            ((k, q, n, kind, w) for (k, q), (n, kind, w) in name_rows.items()),
        )
        conn.executemany("INSERT INTO person_names VALUES (?,?,?)", sorted(person_rows))
        conn.executemany("INSERT INTO spellings VALUES (?,?)", sorted(spelling_rows))
        version = digest.hexdigest()[:16]
        meta = {
            "schema": SCHEMA_VERSION,
            "version": version,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "sources": json.dumps(per_source),
            "entities": str(len(entity_rows)),
        }
        conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()
    return version, len(name_rows)


@dataclass(frozen=True)
class KBRecord:
    """Everything the index knows about one item (richer than EntityInfo, for ranking)."""

    qid: str
    label_de: str | None
    label_en: str | None
    description_de: str | None
    description_en: str | None
    type: str | None
    prior: float
    instance_of: tuple[str, ...]
    country: str | None
    sources: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.label_de or self.label_en or self.qid

    def info(self) -> EntityInfo:
        return EntityInfo(
            qid=self.qid,
            label_de=self.label_de,
            label_en=self.label_en,
            type=self.type,
            description=self.description_de or self.description_en,
        )


@dataclass(frozen=True)
class NameMatch:
    """An item one name key points at: the name as the source spelled it, its kind and weight."""

    qid: str
    name: str
    kind: str
    weight: float


class KnowledgeBase:
    """Read-only access to an index built by build_index (lookups are memoised per instance)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise KBIndexError(f"{self.path}: no knowledge-base index here (run `newsgraph kb build`)")
        try:
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise KBIndexError(f"{self.path}: not a knowledge-base index ({exc})") from exc
        if meta.get("schema") != SCHEMA_VERSION:
            raise KBIndexError(f"{self.path}: index schema {meta.get('schema')!r}, expected {SCHEMA_VERSION}")
        self._meta = meta
        self._records: dict[str, KBRecord | None] = {}
        self._names: dict[str, list[NameMatch]] = {}

    @property
    def version(self) -> str:
        return self._meta["version"]

    @property
    def meta(self) -> dict[str, str]:
        return dict(self._meta)

    def __len__(self) -> int:
        return int(self._meta.get("entities", "0"))

    def close(self) -> None:
        self._conn.close()

    def record(self, qid: str) -> KBRecord | None:
        if qid not in self._records:
            row = self._conn.execute(
                "SELECT qid, label_de, label_en, description_de, description_en, type, prior, instance_of,"
                " country, sources FROM entities WHERE qid = ?",
                (qid,),
            ).fetchone()
            self._records[qid] = (
                None
                if row is None
                else KBRecord(
                    qid=row[0],
                    label_de=row[1],
                    label_en=row[2],
                    description_de=row[3],
                    description_en=row[4],
                    type=row[5],
                    prior=row[6],
                    instance_of=tuple(json.loads(row[7])),
                    country=row[8],
                    sources=tuple(json.loads(row[9])),
                )
            )
        return self._records[qid]

    def get(self, qid: str) -> EntityInfo | None:
        record = self.record(qid)
        return record.info() if record else None

    def lookup(self, name: str) -> list[NameMatch]:
        """Items whose label or alias has the same key as ``name`` (exact after normalisation)."""
        key = name_key(name)
        if key not in self._names:
            rows = self._conn.execute(
                "SELECT qid, name, kind, weight FROM names WHERE key = ? ORDER BY weight DESC, qid", (key,)
            ).fetchall()
            self._names[key] = [NameMatch(*row) for row in rows]
        return self._names[key]

    def persons_with_surname(self, surname: str) -> list[tuple[str, str]]:
        """(qid, given-names key) of persons whose full name ends in ``surname``."""
        rows = self._conn.execute(
            "SELECT qid, given FROM person_names WHERE surname = ?", (name_key(surname),)
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def same_spelling(self, name: str) -> list[str]:
        """Items with a name that has the same romanisation skeleton ("Sergej Lawrow" ~ "Sergey Lavrov")."""
        skeleton = romanisation_key(name)
        if not skeleton:
            return []
        rows = self._conn.execute("SELECT qid FROM spellings WHERE key = ? ORDER BY qid", (skeleton,))
        return [row[0] for row in rows]

    def iter_records(self) -> Iterator[KBRecord]:
        for (qid,) in self._conn.execute("SELECT qid FROM entities ORDER BY qid"):
            record = self.record(qid)
            if record:
                yield record
