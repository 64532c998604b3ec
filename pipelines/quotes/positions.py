"""Role texts to Wikidata positions: "Außenminister" of Germany is the KB's "Federal Minister for Foreign Affairs".

The positions come from the shipped KB extract (rows with ``"type": "POSITION"``, the format of
``pipelines/kb/sources.py``). Its labels are mostly English, so a German title is read as an office
(``OFFICES``: the English words its label must contain) and matched only where the jurisdiction is known
too: the organisation or country in the role phrase ("US-Präsident", "Estlands Ministerpräsidentin"), or a
position the KB lists for the person. A match is kept only when exactly one position fits.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipelines.quotes.records import Role
from pipelines.settings import DATA_DIR

DEFAULT_EXTRACT = DATA_DIR / "kb" / "wikidata-extract.jsonl.gz"
log = logging.getLogger(__name__)

# German office (end of the title word) -> words an English position label must all contain
OFFICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ministerpräsident", ("prime minister",)),
    ("premierminister", ("prime minister",)),
    ("regierungschef", ("prime minister",)),
    ("außenminister", ("foreign",)),
    ("verteidigungsminister", ("defen",)),
    ("finanzminister", ("financ",)),
    ("innenminister", ("interior",)),
    ("justizminister", ("justice",)),
    ("kanzler", ("chancellor",)),
    ("generalsekretär", ("secretary",)),
    ("präsident", ("president",)),
    ("bürgermeister", ("mayor",)),
    ("gouverneur", ("governor",)),
)
_SUBORDINATE = ("vice", "deputy", "shadow", "assistant", "under", "spokesperson", "candidate")
_GERMAN_SUBORDINATE = ("vize", "stellvertret", "staatssekretär", "kandidat", "sprecher", "ex-", "früher")


@dataclass(frozen=True)
class Position:
    qid: str
    labels: tuple[str, ...]  # English and German labels and aliases, lower case
    jurisdictions: frozenset[str]  # P1001 and country QIDs


@dataclass
class PositionIndex:
    positions: list[Position] = field(default_factory=list)
    held: Mapping[str, frozenset[str]] = field(default_factory=dict)  # person QID -> position labels, lower case
    _fitting: dict[tuple[str, ...], list[Position]] = field(default_factory=dict, init=False, repr=False)

    def __len__(self) -> int:
        return len(self.positions)

    def fitting(self, office: tuple[str, ...]) -> list[Position]:
        """The positions whose labels name the office (a few offices recur in every night's roles)."""
        if office not in self._fitting:
            self._fitting[office] = [p for p in self.positions if _names_office(p, office)]
        return self._fitting[office]

    def match(self, role_text: str, jurisdictions: set[str], person_qid: str | None) -> str | None:
        """The one position the role text names in one of ``jurisdictions`` (or that the person holds)."""
        office = _office(role_text)
        if office is None:
            return None
        fitting = self.fitting(office)
        in_place = {p.qid for p in fitting if p.jurisdictions & jurisdictions}
        if len(in_place) == 1:
            return next(iter(in_place))
        held = self.held.get(person_qid or "", frozenset())
        by_person = {p.qid for p in fitting if held & set(p.labels) and (not in_place or p.qid in in_place)}
        return next(iter(by_person)) if len(by_person) == 1 else None


def _office(role_text: str) -> tuple[str, ...] | None:
    word = role_text.split()[-1].lower()
    if any(w in role_text.lower() for w in _GERMAN_SUBORDINATE):
        return None
    head = word.split("-")[-1]
    head = re.sub(r"(?:in|innen|en|n|s)$", "", head) if not head.endswith(("präsident", "kanzler")) else head
    for german, english in OFFICES:
        if head.endswith(german):
            return english
    return None


def _names_office(position: Position, office: Sequence[str]) -> bool:
    for label in position.labels:
        if all(w in label for w in office) and not any(s in label for s in _SUBORDINATE):
            return True
    return False


_MARKERS = (b'"POSITION"', b'"positions"')  # what every row read_positions keeps contains


def _rows(path: Path, markers: Sequence[bytes] = _MARKERS) -> Iterator[dict[str, Any]]:
    """The extract's rows whose line contains one of ``markers``.

    The extract has some 240k rows and few of them are positions: parsing only the lines that name one
    is several times faster than parsing every row, and reading line by line keeps the decompressed
    extract out of memory (every night worker reads it: 300 MB at its peak when read whole).
    """
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as lines:
        for line in lines:
            if any(marker in line for marker in markers) and line.strip():
                yield json.loads(line)


def _labels(row: Mapping[str, Any]) -> tuple[str, ...]:
    names = [row.get("label_en"), row.get("label_de"), *(row.get("aliases_en") or []), *(row.get("aliases_de") or [])]
    return tuple(sorted({n.lower() for n in names if isinstance(n, str) and n}))


def read_positions(path: Path = DEFAULT_EXTRACT) -> PositionIndex:
    """POSITION rows of a KB extract (gzip or plain JSONL), and the positions its person rows hold."""
    if not path.is_file():
        log.warning("no KB extract at %s: roles are not mapped to Wikidata positions", path)
        return PositionIndex()
    positions: list[Position] = []
    held: dict[str, frozenset[str]] = {}
    for row in _rows(path):
        facts = row.get("facts") or {}
        if row.get("type") == "POSITION" and row.get("qid"):
            places = {*(facts.get("P1001_applies_to_jurisdiction") or []), facts.get("country") or ""} - {""}
            positions.append(Position(row["qid"], _labels(row), frozenset(places)))
        elif row.get("type") == "PER" and row.get("qid") and facts.get("positions"):
            held[row["qid"]] = frozenset(str(p.get("position", "")).lower() for p in facts["positions"])
    return PositionIndex(positions, held)


@lru_cache(maxsize=4)
def positions_at(path: Path = DEFAULT_EXTRACT) -> PositionIndex:
    """The index of ``path``, read once per process (the absence is logged once too)."""
    return read_positions(path)


def with_positions(roles: Sequence[Role], index: PositionIndex) -> list[Role]:
    """The roles, each with ``position_qid`` where its title and jurisdiction name exactly one position."""
    if not len(index):
        return list(roles)
    out = []
    for role in roles:
        places = {role.organisation_qid} if role.organisation_qid else set()
        qid = index.match(role.role_text.text, places, role.person_qid) if role.kind == "position" else None
        out.append(replace(role, position_qid=qid) if qid else role)
    return out
