"""Wikidata's entity JSON (wbgetentities / Special:EntityData / the JSON dump) → KBEntry.

The type of an item comes from its P31 (instance of) classes where the class is known, else from
tell-tale properties: a date of birth (P569, datatype "time" in the recorded Q7747 response) means a
person, a coordinate location (P625, "globe-coordinate" in the recorded Q2112 response) a place.
Both the dump ingestion (:mod:`pipelines.kb.sources`) and the live client (:mod:`pipelines.wikidata`)
read this JSON, so it lives with the KB entries it becomes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipelines.kb.entry import KBEntry

# P31 classes → NER type. Every QID here was read from a recorded source, noted per line.
CLASS_TYPES: dict[str, str] = {
    "Q5": "PER",  # human: P31 of Q7747 in ../shared/wikidata-api/nomenklatura__wbgetentities_Q7747_full.json
    "Q3624078": "LOC",  # sovereign state: every-politician world-leaders SPARQL (../shared/kb/SOURCES.md)
    "Q15634554": "LOC",  # state with limited recognition: same query (later versions)
    # P31 classes of the city Bielefeld in ../shared/wikidata-api/wikibase-sdk__Q2112.json:
    "Q1549591": "LOC",
    "Q1187811": "LOC",
    "Q42744322": "LOC",
    "Q1964689": "LOC",
    "Q707813": "LOC",
    "Q85635630": "LOC",
}
LANGUAGES_OTHER = ("fr", "es", "it", "nl", "pl", "ru", "uk")


def claim_item_ids(entity: Mapping[str, Any], prop: str) -> list[str]:
    """Item ids of the values of one property (skipping novalue/somevalue and deprecated claims)."""
    ids: list[str] = []
    for claim in (entity.get("claims") or {}).get(prop, []) or []:
        if claim.get("rank") == "deprecated":
            continue
        value = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value")
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            ids.append(value["id"])
    return ids


def entity_type(entity: Mapping[str, Any], class_types: Mapping[str, str] = CLASS_TYPES) -> str | None:
    for cls in claim_item_ids(entity, "P31"):
        if cls in class_types:
            return class_types[cls]
    claims = entity.get("claims") or {}
    if "P569" in claims:
        return "PER"
    if "P625" in claims:
        return "LOC"
    return None


def _value(mapping: Mapping[str, Any] | None, language: str) -> str | None:
    item = (mapping or {}).get(language)
    return item.get("value") if isinstance(item, dict) else None


def _aliases(entity: Mapping[str, Any], language: str) -> list[str]:
    return [a["value"] for a in (entity.get("aliases") or {}).get(language, []) or [] if a.get("value")]


def entry_from_entity(
    entity: Mapping[str, Any], *, source: str, class_types: Mapping[str, str] = CLASS_TYPES
) -> KBEntry | None:
    """One entity object → KBEntry; None for missing items, non-items, and items without any label."""
    qid = entity.get("id")
    if not isinstance(qid, str) or not qid.startswith("Q") or "missing" in entity:
        return None
    labels = entity.get("labels") or {}
    label_de, label_en = _value(labels, "de"), _value(labels, "en")
    others = [v for lang in LANGUAGES_OTHER if (v := _value(labels, lang))]
    if not (label_de or label_en or others):
        return None
    sitelinks = entity.get("sitelinks") or {}
    return KBEntry(
        qid=qid,
        label_de=label_de,
        label_en=label_en,
        aliases_de=_aliases(entity, "de"),
        aliases_en=_aliases(entity, "en"),
        aliases_other=list(dict.fromkeys(others)),
        description_de=_value(entity.get("descriptions"), "de"),
        description_en=_value(entity.get("descriptions"), "en"),
        instance_of=claim_item_ids(entity, "P31"),
        type=entity_type(entity, class_types),
        popularity={"sitelinks": len(sitelinks)} if sitelinks else {},
        country=next(iter(claim_item_ids(entity, "P17")), None),
        sources=[source],
    )
