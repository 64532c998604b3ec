"""The knowledge-base record the index stores, and how a popularity prior and a type are derived."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipelines.domain import ENTITY_LABELS

# How strongly a kind of name points at its item (multiplies the name-match score).
NAME_KIND_WEIGHT: dict[str, float] = {
    "label_de": 1.0,
    "alias_de": 0.95,
    "label_en": 0.9,
    "alias_en": 0.85,
    "name_any": 0.85,  # a Wikidata label in German or English, the source does not say which
    "alias_strong": 0.8,  # rigour's "strong" names of a territory (many languages, German included)
    "mention_de": 0.85,  # a surface form German newspapers annotated with the item (no label given)
    "alias_other": 0.6,
    "alias_weak": 0.4,
}

# Source types other than the four NER labels.
_TYPE_MAP = {"GPE": "LOC", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


def normalise_type(kb_type: str | None) -> str | None:
    """KB type (PER/LOC/GPE/ORG/MISC/POSITION/None) → one of ENTITY_LABELS or None.

    GPE is a LOC for the NER labels; a POSITION (an office such as "Prime Minister") has no NER label,
    so it gets None and never wins a type-agreement bonus.
    """
    if kb_type is None:
        return None
    mapped = _TYPE_MAP.get(kb_type.upper())
    return mapped if mapped in ENTITY_LABELS else None


BASE_PRIOR = 0.05  # the prior of an item no source says anything about


def popularity_prior(popularity: Mapping[str, Any]) -> float:
    """A prior in [0, 1] from whatever popularity signals a source recorded.

    Signals (all optional): ``ne_pop_est``/``ne_pop_max`` (population, Natural Earth), ``ne_labelrank``
    (Natural Earth map prominence, 0 best), ``ep_mentions`` (how often EveryPolitician data mention
    the item), ``head_of_state_or_gov``, ``curated`` (0..1, set by hand for the domain), ``sitelinks``
    (Wikidata dumps), ``population`` (Who's On First), ``hipe_de_mentions`` (annotated mentions in
    German newspapers), ``label_languages`` (languages the item has a name in, a stand-in for sitelinks
    where the source gave none). The strongest signal wins, so sources with different signals stay comparable.
    Only heads of state or government and curated items reach 0.85: the linker trusts a bare surname
    for them alone.
    """
    scores = [BASE_PRIOR]
    pop = max(_num(popularity.get("ne_pop_est")), _num(popularity.get("ne_pop_max")))
    if pop > 0:
        scores.append(min(1.0, math.log10(pop + 1) / 9.0))
    rank = popularity.get("ne_labelrank")
    if isinstance(rank, int | float):
        scores.append(max(0.0, 1.0 - float(rank) / 10.0))
    mentions = _num(popularity.get("ep_mentions"))
    if mentions > 0:
        scores.append(min(0.75, math.log10(mentions + 1) / 3.5))
    if popularity.get("head_of_state_or_gov"):
        scores.append(0.85)
    sitelinks = _num(popularity.get("sitelinks"))
    if sitelinks > 0:
        scores.append(min(1.0, math.log10(sitelinks + 1) / 2.5))
    population = _num(popularity.get("population"))
    if population > 0:
        scores.append(min(0.8, math.log10(population + 1) / 9.0))
    newspapers = _num(popularity.get("hipe_de_mentions"))
    if newspapers > 0:
        scores.append(min(0.7, 0.3 + math.log10(newspapers + 1) / 5.0))
    languages = _num(popularity.get("label_languages"))
    if languages > 0:
        scores.append(min(0.75, math.log10(languages + 1) / 2.6))
    curated = _num(popularity.get("curated"))
    if curated > 0:
        scores.append(min(1.0, curated))
    return round(max(scores), 4)


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


@dataclass
class KBEntry:
    """One Wikidata item as the index keeps it. Names are grouped by kind (see NAME_KIND_WEIGHT)."""

    qid: str
    label_de: str | None = None
    label_en: str | None = None
    aliases_de: list[str] = field(default_factory=list)
    aliases_en: list[str] = field(default_factory=list)
    aliases_strong: list[str] = field(default_factory=list)
    aliases_other: list[str] = field(default_factory=list)
    aliases_weak: list[str] = field(default_factory=list)
    names_any: list[str] = field(default_factory=list)
    mentions_de: list[str] = field(default_factory=list)
    description_de: str | None = None
    description_en: str | None = None
    instance_of: list[str] = field(default_factory=list)
    type: str | None = None  # one of ENTITY_LABELS or None (see normalise_type)
    popularity: dict[str, Any] = field(default_factory=dict)
    country: str | None = None  # QID or name of the country the item belongs to, where known
    sources: list[str] = field(default_factory=list)

    @property
    def prior(self) -> float:
        return popularity_prior(self.popularity)

    def name_weight(self, kind: str) -> float:
        """How strongly a name of this kind points at this item.

        A person's name is the same in German: English labels and unlabelled names of people count
        as German ones.
        """
        if self.type == "PER" and kind in ("label_en", "name_any"):
            return NAME_KIND_WEIGHT["label_de"] if not self.label_de else NAME_KIND_WEIGHT["alias_de"]
        if self.type == "PER" and kind == "alias_en":
            return NAME_KIND_WEIGHT["alias_de"]
        return NAME_KIND_WEIGHT[kind]

    def names(self) -> Iterable[tuple[str, str]]:
        """(name, kind) pairs, best kind first."""
        if self.label_de:
            yield self.label_de, "label_de"
        for alias in self.aliases_de:
            yield alias, "alias_de"
        if self.label_en:
            yield self.label_en, "label_en"
        for alias in self.aliases_en:
            yield alias, "alias_en"
        for alias in self.names_any:
            yield alias, "name_any"
        for alias in self.aliases_strong:
            yield alias, "alias_strong"
        for alias in self.mentions_de:
            yield alias, "mention_de"
        for alias in self.aliases_other:
            yield alias, "alias_other"
        for alias in self.aliases_weak:
            yield alias, "alias_weak"

    def merge(self, other: KBEntry) -> None:
        """Fold another source's view of the same item into this one (first non-empty value wins)."""
        self.label_de = self.label_de or other.label_de
        self.label_en = self.label_en or other.label_en
        self.description_de = self.description_de or other.description_de
        self.description_en = self.description_en or other.description_en
        self.type = self.type or other.type
        self.country = self.country or other.country
        for mine, theirs in (
            (self.aliases_de, other.aliases_de),
            (self.aliases_en, other.aliases_en),
            (self.aliases_strong, other.aliases_strong),
            (self.aliases_other, other.aliases_other),
            (self.aliases_weak, other.aliases_weak),
            (self.names_any, other.names_any),
            (self.mentions_de, other.mentions_de),
            (self.instance_of, other.instance_of),
            (self.sources, other.sources),
        ):
            for value in theirs:
                if value not in mine:
                    mine.append(value)
        for key, value in other.popularity.items():
            current = self.popularity.get(key)
            if current is None or (_num(value) > _num(current)):
                self.popularity[key] = value
