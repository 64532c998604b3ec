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
import re
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines import progress
from pipelines.domain import EntityInfo, entity_label
from pipelines.kb.entry import KBEntry
from pipelines.kb.errors import KBIndexError, KBIndexOutdated, KBSourceError
from pipelines.kb.export import EXTRACT_NAME
from pipelines.kb.names import fold_accents, name_key, romanisation_key
from pipelines.kb.sources import (
    country_codes,
    iter_jsonl_entities,
    iter_natural_earth_countries,
    iter_rigour_territories,
    iter_source,
    iter_wikidata_dump,
    looks_like_dump,
)
from pipelines.shipped import data_dir

DEFAULT_CURATED = data_dir() / "kb" / "curated.jsonl"
DEFAULT_EXTRACT = DEFAULT_CURATED.with_name(EXTRACT_NAME)
SCHEMA_VERSION = "5"
_MIN_KEY_LENGTH = 2

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entities (
    qid TEXT PRIMARY KEY, label_de TEXT, label_en TEXT, description_de TEXT, description_en TEXT,
    type TEXT, prior REAL NOT NULL, instance_of TEXT NOT NULL, country TEXT, sources TEXT NOT NULL,
    name TEXT
);
CREATE TABLE names (
    key TEXT NOT NULL, qid TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, weight REAL NOT NULL,
    PRIMARY KEY (key, qid)
) WITHOUT ROWID;
CREATE TABLE spellings (key TEXT NOT NULL, qid TEXT NOT NULL, PRIMARY KEY (key, qid)) WITHOUT ROWID;
CREATE TABLE name_ends (
    token TEXT NOT NULL, side TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (token, side, key)
) WITHOUT ROWID;
CREATE TABLE person_names (
    surname TEXT NOT NULL, qid TEXT NOT NULL, given TEXT NOT NULL, PRIMARY KEY (surname, qid, given)
) WITHOUT ROWID;
CREATE INDEX person_given ON person_names (given);
"""


SourceReader = Callable[[], Iterable[KBEntry]]


def _file_reader(path: Path) -> SourceReader:
    return lambda: iter_source(path)


def default_sources(
    curated: Path | None = DEFAULT_CURATED, extract: Path | None = DEFAULT_EXTRACT
) -> list[tuple[str, SourceReader]]:
    """The sources of a fresh machine: the curated domain file, the shipped Wikidata extract (see
    pipelines.kb.export), Natural Earth countries and rigour territories."""
    sources: list[tuple[str, SourceReader]] = []
    if curated is not None:
        curated_path = curated
        sources.append((f"curated:{curated.name}", lambda: iter_jsonl_entities(curated_path)))
    if extract is not None:
        extract_path = extract
        if not extract_path.is_file():
            raise KBSourceError(f"{extract_path}: the shipped KB extract is missing (run `make kb-data`)")
        sources.append((f"extract:{extract_path.name}", lambda: iter_jsonl_entities(extract_path)))
    sources.append(("natural-earth-admin0", iter_natural_earth_countries))
    sources.append(("rigour-territories", iter_rigour_territories))
    return sources


def build_index(
    out: Path,
    *,
    extra_sources: Sequence[Path] = (),
    include_defaults: bool = True,
    curated: Path | None = DEFAULT_CURATED,
    extract: Path | None = DEFAULT_EXTRACT,
) -> dict[str, object]:
    """Build the SQLite index at ``out`` (atomically replacing it) and return its statistics.

    Sources earlier in the list win for labels and type; names and popularity are merged from all.
    ``extra_sources`` are JSONL files in the ../shared/kb/entities.jsonl format or Wikidata JSON dumps.
    Dumps are streamed into the index (an item already known from another source is merged into it),
    so a large dump never has to fit in memory.
    """
    started = time.monotonic()
    sources = default_sources(curated, extract) if include_defaults else []
    streamed: list[tuple[str, Path]] = []
    for path in map(Path, extra_sources):
        if not path.is_file():
            raise KBSourceError(f"{path}: knowledge-base source file not found")
        if looks_like_dump(path):
            streamed.append((f"file:{path.name}", path))
        else:
            sources.append((f"file:{path.name}", _file_reader(path)))
    entries: dict[str, KBEntry] = {}
    per_source: dict[str, int] = {}
    for name, read in sources:
        count = 0
        for entry in progress.track(read(), f"read {name}", unit="entities"):
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
        writer = _IndexWriter(tmp)
        try:
            for name, path in streamed:
                count = 0
                for entry in progress.track(iter_wikidata_dump(path), f"read {name}", unit="entities"):
                    count += 1
                    if entry.qid in entries:
                        entries[entry.qid].merge(entry)
                    else:
                        writer.add(entry, first_wins=True)
                per_source[name] = count
            for entry in progress.track(sorted(entries.values(), key=lambda e: e.qid), "index", unit="entities"):
                writer.add(entry, first_wins=False)
            stats = writer.finish(per_source)
        finally:
            writer.close()
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return {
        "path": str(out),
        **stats,
        "sources": per_source,
        "size_bytes": out.stat().st_size,
        "seconds": round(time.monotonic() - started, 2),
    }


def ensure_index(path: Path, **build_options: object) -> KnowledgeBase:
    """Open the index at ``path``, building it first where it is missing (a fresh machine) or was
    built by an older version of this code."""
    if Path(path).is_file():
        try:
            return KnowledgeBase(path)
        except KBIndexOutdated:
            pass
    build_index(Path(path), **build_options)  # type: ignore[arg-type]
    return KnowledgeBase(path)


def _person_parts(name: str) -> tuple[str, str] | None:
    tokens = name_key(name).split(" ")
    if len(tokens) < 2:
        return None
    return tokens[-1], " ".join(tokens[:-1])


_ARTICLES = ("die ", "der ", "das ", "the ")
DERIVED_FACTOR = 0.95
# German short forms of the European bodies: "Europäische Kommission" → "EU-Kommission".
_DESCRIPTION_WORD = re.compile(r"\w{5,}")


def common_description_words(conn: sqlite3.Connection, share: float = 0.01, sample: int = 50_000) -> frozenset[str]:
    """Words (five letters or more, casefolded) in more than ``share`` of the first ``sample``
    described items of an index."""
    counts: Counter[str] = Counter()
    described = 0
    for de, en in conn.execute(
        "SELECT description_de, description_en FROM entities "
        "WHERE description_de IS NOT NULL OR description_en IS NOT NULL ORDER BY rowid LIMIT ?",
        (sample,),
    ):
        described += 1
        counts.update({w.casefold() for w in _DESCRIPTION_WORD.findall(f"{de or ''} {en or ''}")})
    limit = max(1.0, share * described)
    return frozenset(w for w, n in counts.items() if n > limit)


_EUROPEAN = re.compile(r"^Europäisch(?:e|er|es) (?P<head>[A-ZÄÖÜ][a-zäöüß]+)$")
_QUALIFIED = re.compile(r"^(?P<name>[^()]{2,}?) \((?P<qualifier>[^()]+)\)$")


def _derived_names(name: str, entry: KBEntry) -> Iterator[str]:
    """Forms German news writes a known name in, derived by rule (never invented per item):
    without its leading article ("Die Grünen" → "Grünen", "Die Linke" → "Linke"), without a
    parenthesised qualifier for an organisation ("Google (United States)" → "Google"; a place's
    "(Oder)" is part of its name), without accents
    foreign to German ("Erdoğan" → "Erdogan", "Đoković" → "Dokovic"), and "EU-…" for an organisation
    whose German name is "Europäische/r/s …", and the part after a slash that names the whole
    ("Bündnis 90/Die Grünen" → "Die Grünen", "Grünen")."""
    lowered = name.casefold()
    for article in _ARTICLES:
        if lowered.startswith(article) and len(name) > len(article) + 2 and name[len(article)].isupper():
            yield name[len(article) :]
    head, slash, tail = name.rpartition("/")
    if slash and head and tail.casefold().startswith(("die ", "der ")):  # "Bündnis 90/Die Grünen"
        yield tail
        yield tail.split(" ", 1)[1]
    qualified = _QUALIFIED.match(name)
    if qualified and entry.type == "ORG":  # "Google (United States)": a registry's disambiguation
        yield qualified.group("name")
    folded = fold_accents(name)
    if folded != name:
        yield folded
    match = _EUROPEAN.match(name)
    if match and entry.type == "ORG":
        yield f"EU-{match.group('head')}"


def _weighted_names(entry: KBEntry) -> Iterator[tuple[str, str, float]]:
    """(name, kind, weight) of an entry: its own names, then the derived forms a little lower."""
    for name, kind in entry.names():
        weight = entry.name_weight(kind)
        yield name, kind, weight
        for derived in _derived_names(name, entry):
            yield derived, kind, round(weight * DERIVED_FACTOR, 4)


def _display_name(entry: KBEntry) -> str | None:
    """A name to show for an item with neither a German nor an English label."""
    return next((name for name, _ in entry.names()), None)


class _IndexWriter:
    """Writes entries into a fresh index in batches; a name seen for an item twice keeps its best kind."""

    _BATCH = 5000
    _NAME_KINDS = ("label_de", "label_en", "alias_de", "alias_en")

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.executescript(_SCHEMA)
        self.digest = hashlib.sha256(SCHEMA_VERSION.encode())
        self.entities: list[tuple[object, ...]] = []
        self.names: list[tuple[str, str, str, str, float]] = []
        self.persons: set[tuple[str, str, str]] = set()
        self.spellings: set[tuple[str, str]] = set()
        self.ends: set[tuple[str, str, str]] = set()
        self.codes = country_codes()

    def add(self, entry: KBEntry, *, first_wins: bool) -> None:
        if entry.country and len(entry.country) <= 3:
            entry.country = self.codes.get(entry.country.upper(), entry.country)
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
            _display_name(entry),
        )
        self.digest.update(json.dumps(row[:9], ensure_ascii=False).encode())
        self.entities.append((first_wins, *row))
        best: dict[str, tuple[str, str, float]] = {}
        for name, kind, weight in _weighted_names(entry):
            key = name_key(name)
            if len(key) < _MIN_KEY_LENGTH or key.isdigit():
                continue
            if key not in best or best[key][2] < weight:
                best[key] = (name, kind, weight)
            if kind in self._NAME_KINDS and entry.type is not None:
                skeleton = romanisation_key(name)
                if skeleton:
                    self.spellings.add((skeleton, entry.qid))
                words = key.split(" ")
                if len(words) > 1:  # for extending a truncated NER span to the whole name
                    self.ends.add((words[0], "first", key))
                    self.ends.add((words[-1], "last", key))
            if entry.type == "PER" and kind in self._NAME_KINDS:
                parts = _person_parts(name)
                if parts:
                    self.persons.add((parts[0], entry.qid, parts[1]))
        for key, (name, kind, weight) in best.items():
            self.digest.update(f"{key}\t{entry.qid}\t{kind}".encode())
            self.names.append((key, entry.qid, name, kind, weight))
        if len(self.entities) >= self._BATCH or len(self.names) >= 4 * self._BATCH:
            self._flush()

    def _flush(self) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO entities VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (row[1:] for row in self.entities if row[0]),
        )
        self.conn.executemany(
            "INSERT OR REPLACE INTO entities VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (row[1:] for row in self.entities if not row[0]),
        )
        self.conn.executemany(
            "INSERT INTO names VALUES (?,?,?,?,?) ON CONFLICT (key, qid) DO UPDATE SET "
            "name = excluded.name, kind = excluded.kind, weight = excluded.weight "
            "WHERE excluded.weight > names.weight",
            self.names,
        )
        self.conn.executemany("INSERT OR IGNORE INTO person_names VALUES (?,?,?)", sorted(self.persons))
        self.conn.executemany("INSERT OR IGNORE INTO spellings VALUES (?,?)", sorted(self.spellings))
        self.conn.executemany("INSERT OR IGNORE INTO name_ends VALUES (?,?,?)", sorted(self.ends))
        self.entities, self.names = [], []
        self.persons, self.spellings, self.ends = set(), set(), set()

    def finish(self, per_source: dict[str, int]) -> dict[str, object]:
        self._flush()
        version = self.digest.hexdigest()[:16]
        count = int(self.conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0])
        names = int(self.conn.execute("SELECT COUNT(*) FROM names").fetchone()[0])
        types = {
            (kb_type or "none"): int(n)
            for kb_type, n in self.conn.execute("SELECT type, COUNT(*) FROM entities GROUP BY type ORDER BY type")
        }
        meta = {
            "common_description_words": json.dumps(sorted(common_description_words(self.conn)), ensure_ascii=False),
            "schema": SCHEMA_VERSION,
            "version": version,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "sources": json.dumps(per_source),
            "entities": str(count),
        }
        self.conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        self.conn.commit()
        self.conn.execute("VACUUM")
        return {"version": version, "entities": count, "names": names, "types": types}

    def close(self) -> None:
        self.conn.close()


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
    name: str | None = None  # what to show where the item has no German or English label

    @property
    def label(self) -> str:
        return self.label_de or self.label_en or self.name or self.qid

    def info(self) -> EntityInfo:
        return EntityInfo(
            qid=self.qid,
            label_de=self.label_de,
            label_en=self.label_en,
            type=entity_label(self.type),
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
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise KBIndexError(f"{self.path}: not a knowledge-base index ({exc})") from exc
        if meta.get("schema") != SCHEMA_VERSION:
            raise KBIndexOutdated(
                f"{self.path}: index schema {meta.get('schema')!r}, expected {SCHEMA_VERSION} "
                "(rebuild with `newsgraph kb build`)"
            )
        self._meta = meta
        self._records: dict[str, KBRecord | None] = {}
        self._names: dict[str, list[NameMatch]] = {}
        self._given: dict[str, bool] = {}
        self._common_words: frozenset[str] | None = None
        self._ends: dict[tuple[str, str], list[str]] = {}
        self._lock = threading.Lock()

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one read query (the connection is shared by threads, so one at a time)."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

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

    def common_description_words(self) -> frozenset[str]:
        """Words in more than 1 % of the items' descriptions ("politiker", "partei", "district"): they
        say what kind of item it is, not which one. Counted when the index was built."""
        if self._common_words is None:
            stored = self._meta.get("common_description_words")
            if stored is not None:
                self._common_words = frozenset(json.loads(stored))
            else:
                with self._lock:
                    self._common_words = common_description_words(self._conn)
        return self._common_words

    def record(self, qid: str) -> KBRecord | None:
        if qid not in self._records:
            rows = self._query(
                "SELECT qid, label_de, label_en, description_de, description_en, type, prior, instance_of,"
                " country, sources, name FROM entities WHERE qid = ?",
                (qid,),
            )
            row = rows[0] if rows else None
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
                    name=row[10],
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
            rows = self._query(
                "SELECT qid, name, kind, weight FROM names WHERE key = ? ORDER BY weight DESC, qid", (key,)
            )
            self._names[key] = [NameMatch(*row) for row in rows]
        return self._names[key]

    def persons_with_surname(
        self, surname: str, *, limit: int | None = None, min_prior: float | None = None
    ) -> list[tuple[str, str]]:
        """(qid, given-names key) of persons whose full name ends in ``surname``: at most ``limit`` of
        them, only those with a prior of at least ``min_prior`` (a common surname in a dump-sized index
        has thousands of bearers; callers ask only what they need)."""
        sql = "SELECT p.qid, p.given FROM person_names p"
        params: list[object] = []
        if min_prior is not None:
            sql += " JOIN entities e ON e.qid = p.qid WHERE p.surname = ? AND e.prior >= ?"
            params += [name_key(surname), min_prior]
        else:
            sql += " WHERE p.surname = ?"
            params.append(name_key(surname))
        sql += " ORDER BY p.qid, p.given"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._query(sql, tuple(params))
        return [(row[0], row[1]) for row in rows]

    def is_common_given_name(self, name: str, *, at_least: int = 3) -> bool:
        """Whether ``name`` is the first name of several persons ("Martin", "Maria", "Mohammed")."""
        key = name_key(name)
        if key not in self._given:
            rows = self._query(
                "SELECT COUNT(*) FROM (SELECT 1 FROM person_names WHERE given = ? OR given LIKE ? LIMIT ?)",
                (key, key + " %", at_least),
            )
            self._given[key] = int(rows[0][0]) >= at_least
        return self._given[key]

    def names_around(self, word: str, side: str) -> list[str]:
        """Keys of multi-word names (of typed items) whose first or last word (``side``) is ``word``."""
        key = (name_key(word), side)
        if key not in self._ends:
            rows = self._query("SELECT key FROM name_ends WHERE token = ? AND side = ?", key)
            self._ends[key] = [row[0] for row in rows]
        return self._ends[key]

    def same_spelling(self, name: str) -> list[str]:
        """Items with a name that has the same romanisation skeleton ("Sergej Lawrow" ~ "Sergey Lavrov")."""
        skeleton = romanisation_key(name)
        if not skeleton:
            return []
        rows = self._query("SELECT qid FROM spellings WHERE key = ? ORDER BY qid", (skeleton,))
        return [row[0] for row in rows]

    def iter_records(self) -> Iterator[KBRecord]:
        for (qid,) in self._query("SELECT qid FROM entities ORDER BY qid"):
            record = self.record(qid)
            if record:
                yield record
