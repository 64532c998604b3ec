"""Regenerate data/kb/curated.jsonl, the domain's items that ship with the product.

Every QID is read from ../shared/kb/entities.jsonl (confidence high or medium; the row's ``source`` is
kept) or from rigour's territories; none is typed from memory. The hand-written part is German names
and aliases (names only, never titles), keyed by a QID that must exist in those sources, and the
domain prominence (``popularity.curated``) that helps the ranking. Run:

    python -m pipelines.kb.curate ../shared/kb/entities.jsonl data/kb/curated.jsonl
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipelines.kb.errors import KBSourceError
from pipelines.kb.sources import ACCEPTED_CONFIDENCE, RIGOUR_SOURCE, _package_version

# German names of the sample corpus' items and the domain around them (QIDs as found in the sources).
GERMAN_NAMES: dict[str, dict[str, Any]] = {
    "Q7184": {
        "label_de": "NATO",
        "aliases_de": ["Nato", "Nordatlantikpakt", "Organisation des Nordatlantikvertrags"],
    },
    "Q458": {"label_de": "Europäische Union", "aliases_de": ["EU"]},
    "Q81299": {
        "label_de": "Organisation für Sicherheit und Zusammenarbeit in Europa",
        "aliases_de": ["OSZE"],
    },
    "Q1065": {
        "label_de": "Vereinte Nationen",
        "aliases_de": ["UN", "UNO", "Vereinten Nationen"],
        "type": "ORG",  # the KB row types it LOC (a rigour territory); it is an organisation
    },
    "Q7159": {"label_de": "Afrikanische Union", "aliases_de": ["AU"]},
    "Q49768": {"label_de": "Sozialdemokratische Partei Deutschlands", "aliases_de": ["SPD"]},
    "Q130879": {"label_de": "Reuters", "aliases_de": ["Nachrichtenagentur Reuters"]},
    "Q30": {
        "label_de": "Vereinigte Staaten",
        "aliases_de": ["USA", "US", "Vereinigte Staaten von Amerika", "Vereinigten Staaten", "Amerika"],
    },
    "Q159": {"aliases_de": ["Russische Föderation"]},
    "Q183": {"aliases_de": ["Bundesrepublik Deutschland", "BRD"]},
    # Countries and regions whose usual German name differs from Natural Earth's NAME_DE.
    "Q145": {"aliases_de": ["Großbritannien", "UK"]},
    "Q184": {"aliases_de": ["Weißrussland"]},
    "Q217": {"aliases_de": ["Moldau", "Moldawien", "Moldova"]},
    "Q22": {"label_de": "Schottland"},
    "Q25": {"label_de": "Wales"},
    "Q26": {"label_de": "Nordirland"},
    "Q39760": {"label_de": "Gazastreifen", "aliases_de": ["Gaza-Streifen", "Gaza"], "type": "LOC"},
    "Q237": {"aliases_de": ["Vatikan"]},
    "Q813": {"aliases_de": ["Kirgistan"]},
    "Q61": {"label_de": "Washington", "aliases_de": ["Washington, D.C.", "Washington D.C."]},
    "Q1899": {"label_de": "Kiew", "aliases_de": ["Kyjiw"]},
    "Q15925436": {"label_de": "Krim"},
    "Q57665": {"aliases_de": ["Stoltenberg"]},
    "Q7747": {"aliases_de": ["Putin"]},
    "Q61053": {"label_de": "Olaf Scholz", "aliases_de": ["Scholz"]},
    "Q564328": {"label_de": "Annalena Baerbock", "aliases_de": ["Baerbock"]},
    "Q3052772": {"label_de": "Emmanuel Macron", "aliases_de": ["Macron"]},
    "Q7821917": {"label_de": "Antony Blinken", "aliases_de": ["Blinken", "Tony Blinken"]},
    "Q24025631": {"label_de": "Dmytro Kuleba", "aliases_de": ["Kuleba"]},
    "Q312901": {"label_de": "Josep Borrell", "aliases_de": ["Borrell"]},
    "Q60772": {"label_de": "Ursula von der Leyen", "aliases_de": ["von der Leyen"]},
    "Q11869065": {"label_de": "Kaja Kallas"},
    "Q4169153": {"label_de": "Wendy Sherman"},
    "Q3658303": {"aliases_de": ["Gruschko"]},
}
DOMAIN_PROMINENCE = 1.0  # popularity.curated of the hand-named items above
_LEADER_WORDS = ("Foreign", "foreign", "Secretary of State", "Chancellor", "President", "Prime Minister")


def _read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise KBSourceError(f"{path}:{line_no}: invalid JSON ({exc.msg})") from exc


def _is_domain_person(row: dict[str, Any]) -> bool:
    if row.get("type") != "PER":
        return False
    if (row.get("popularity") or {}).get("head_of_state_or_gov"):
        return True
    for position in (row.get("facts") or {}).get("positions") or []:
        recent = (position.get("end") or "9999") >= "2018"
        if recent and any(word in position.get("position", "") for word in _LEADER_WORDS):
            return True
    return False


def _rigour_rows() -> dict[str, dict[str, Any]]:
    from rigour import _core

    source = RIGOUR_SOURCE.format(version=_package_version("rigour"))
    rows = {}
    for line in _core.territories_jsonl().splitlines():
        territory = json.loads(line)
        if territory.get("qid"):
            rows[territory["qid"]] = {
                "qid": territory["qid"],
                "label_en": territory.get("name"),
                "label_de": None,
                "aliases_en": [],
                "aliases_de": [],
                "aliases_other": list(territory.get("names_strong") or []),
                "description_en": (territory.get("summary") or "").split(". ")[0] or None,
                "description_de": None,
                "instance_of": [],
                "type": "ORG" if territory.get("region") == "Supranational" else "LOC",
                "popularity": {},
                "source": source,
                "confidence": "high",
            }
    return rows


def curated_rows(shared_kb: Path) -> list[dict[str, Any]]:
    """Select and annotate the domain rows (see module docstring)."""
    shared = {row["qid"]: row for row in _read_jsonl(shared_kb) if row.get("confidence") in ACCEPTED_CONFIDENCE}
    rigour = _rigour_rows()
    selected: dict[str, dict[str, Any]] = {}
    for qid in GERMAN_NAMES:
        row = shared.get(qid) or rigour.get(qid)
        if row is None:
            raise KBSourceError(f"{qid}: not in {shared_kb} (high/medium) nor in rigour; not curated")
        selected[qid] = row
    for qid, row in shared.items():
        places = (row.get("facts") or {}).get("ne_featurecla")
        if places or _is_domain_person(row) or row.get("type") == "ORG":
            selected.setdefault(qid, row)
    out = []
    for qid in sorted(selected, key=lambda q: int(q[1:])):
        row = selected[qid]
        names = GERMAN_NAMES.get(qid, {})
        aliases_de = list(row.get("aliases_de") or [])
        for alias in names.get("aliases_de", []):
            if alias not in aliases_de:
                aliases_de.append(alias)
        popularity = dict(row.get("popularity") or {})
        if qid in GERMAN_NAMES:
            popularity["curated"] = DOMAIN_PROMINENCE
        facts = row.get("facts") or {}
        out.append(
            {
                "qid": qid,
                "label_de": names.get("label_de") or row.get("label_de"),
                "label_en": row.get("label_en"),
                "aliases_de": aliases_de,
                "aliases_en": list(row.get("aliases_en") or []),
                "aliases_other": list(row.get("aliases_other") or [])[:40],
                "description_de": row.get("description_de"),
                "description_en": row.get("description_en"),
                "instance_of": list(row.get("instance_of") or []),
                "type": names.get("type") or row.get("type"),
                "popularity": popularity,
                "facts": {k: facts[k] for k in ("country_name", "country", "rigour_parent") if k in facts},
                "source": row.get("source"),
                "confidence": row.get("confidence"),
                "curation": "German names added by hand" if names else "selected by rule",
            }
        )
    return out


def write_curated(shared_kb: Path, out: Path) -> int:
    rows = curated_rows(shared_kb)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
    return len(rows)


if __name__ == "__main__":  # pragma: no cover - maintenance command
    if len(sys.argv) != 3:
        sys.exit("usage: python -m pipelines.kb.curate SHARED_ENTITIES_JSONL OUT_JSONL")
    print(write_curated(Path(sys.argv[1]), Path(sys.argv[2])), "rows written")
