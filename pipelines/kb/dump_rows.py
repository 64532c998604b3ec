"""One Wikidata dump entity → one KB row (the JSONL format pipelines/kb/sources.py reads), or None.

Kept: items with a German, English or "mul" (all languages) label whose P31 names a class of the
class list. The row keeps what linking needs (names, descriptions, P31, sitelink count), nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LICENCE = "CC0 (Wikidata)"
OTHER_LANGUAGES = ("fr", "es", "it", "nl", "pl", "ru", "uk")


def _label(names: Mapping[str, Any], language: str) -> str | None:
    item = names.get(language)
    value = item.get("value") if isinstance(item, dict) else None
    return value if isinstance(value, str) and value else None


def _aliases(aliases: Mapping[str, Any], language: str) -> list[str]:
    values = aliases.get(language)
    if not isinstance(values, list):
        return []
    return [a["value"] for a in values if isinstance(a, dict) and isinstance(a.get("value"), str) and a["value"]]


def p31_classes(claims: Mapping[str, Any]) -> list[str]:
    """Item ids of the P31 statements that are not deprecated (novalue/somevalue skipped)."""
    ids = []
    for claim in claims.get("P31") or ():
        if not isinstance(claim, dict) or claim.get("rank") == "deprecated":
            continue
        value = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value")
        if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"] not in ids:
            ids.append(value["id"])
    return ids


def row_from_entity(
    entity: Mapping[str, Any], classes: Mapping[str, tuple[str, str]], source: str
) -> tuple[dict[str, Any], str] | None:
    """(row, group) for an item worth keeping; None otherwise."""
    qid = entity.get("id")
    if not isinstance(qid, str) or not qid.startswith("Q"):
        return None
    instance_of = p31_classes(entity.get("claims") or {})
    match = next((classes[c] for c in instance_of if c in classes), None)
    if match is None:
        return None
    labels = entity.get("labels") or {}
    shared = _label(labels, "mul")
    label_de = _label(labels, "de") or shared
    label_en = _label(labels, "en") or shared
    if not (label_de or label_en):
        return None
    aliases = entity.get("aliases") or {}
    others = []
    for language in OTHER_LANGUAGES:
        value = _label(labels, language)
        if value and value not in (label_de, label_en) and f"{language}:{value}" not in others:
            others.append(f"{language}:{value}")
    descriptions = entity.get("descriptions") or {}
    sitelinks = entity.get("sitelinks")
    row = {
        "qid": qid,
        "label_de": label_de,
        "label_en": label_en,
        "aliases_de": _aliases(aliases, "de"),
        "aliases_en": _aliases(aliases, "en"),
        "aliases_other": others,
        "description_de": _label(descriptions, "de"),
        "description_en": _label(descriptions, "en"),
        "instance_of": instance_of,
        "type": match[0],
        "popularity": {"sitelinks": len(sitelinks) if isinstance(sitelinks, dict) else 0},
        "source": source,
        "sources": [source],
        "licence": LICENCE,
    }
    return row, match[1]
