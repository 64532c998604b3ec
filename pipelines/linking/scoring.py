"""How a candidate's features combine into a score, and a score into a confidence.

score = name match × (0.37 + 0.35 × type agreement + 0.18 × popularity prior + 0.1 × context)

where a weak name match (below 0.75: another language's alias, an acronym) is raised towards 0.82 as
far as the context supports the item, and not at all without it.

Context (the item's country named in the article, words shared with its description) weighs enough
to tell namesakes apart: "Grüne" beside "Deutschland" is the German party, not the Austrian one.
The name match is the weight of the matched name's kind (German label 1.0 … weak alias 0.4) times 0.95
for a morphological variant or the given-name similarity for a spelling variant. Weak aliases alone,
and items of unknown type that nobody links to, stay below the default NIL threshold of 0.5: a forced
wrong QID is worse than NIL.
"""

from __future__ import annotations

from dataclasses import dataclass

NIL_THRESHOLD = 0.5


PROMINENT = 0.6  # prior of countries, capitals and large cities (Natural Earth) and leaders
ACTING_PLACE = 0.7  # prior of a place prominent enough to act as its government ("Wien verlangt")


def compatible(ner_label: str, kb_type: str | None) -> bool:
    """Whether a mention of this NER type may mean an item of this type at all.

    A person is never a place or an organisation, nor the other way round: "Obama" tagged PER does
    not link to the Japanese city, "Engel" tagged PER not to a place of that name. MISC and untyped
    items are left to the score.
    """
    if kb_type is None or ner_label == "MISC" or kb_type == "MISC":
        return True
    return (ner_label == "PER") == (kb_type == "PER")


def type_agreement(ner_label: str, kb_type: str | None, prior: float = 0.0) -> float:
    """PER ↔ human, LOC ↔ country/city/region, ORG ↔ organisation.

    An ORG mention of a prominent place is the government acting through it ("Russland fordert",
    "Moskau verlangt", typed ORG by some NER): mild. An ORG mention of a minor place is more likely a
    club or company named after it ("Bavaria", "Bayern" the football club): strong mismatch.
    """
    if kb_type is None:
        return 0.2
    if ner_label == kb_type:
        return 1.0
    if {ner_label, kb_type} == {"LOC", "ORG"}:
        return 0.6 if (kb_type == "ORG" or prior >= ACTING_PLACE) else 0.1
    if ner_label == "MISC" or kb_type == "MISC":
        return 0.5
    return 0.1


@dataclass
class Scored:
    """One candidate with the features that produced its score."""

    qid: str
    label: str
    kb_type: str | None
    name_match: float
    type_score: float
    prior: float
    context: float
    foreign_name: bool = False  # matched only by another language's name of an item with a German one

    @property
    def score(self) -> float:
        value = self.trusted_name_match * (0.37 + 0.35 * self.type_score + 0.18 * self.prior + 0.1 * self.context)
        return round(min(1.0, max(0.0, value)), 4)

    @property
    def trusted_name_match(self) -> float:
        """A weak name (an acronym or alias from another language: "AKP", "Wifo") counts as a strong
        one only as far as the article supports the item (names its country, shares words with its
        description): "AKP" in a story about Turkey is not Azerbaijan's communist party."""
        if self.name_match >= WEAK_NAME:
            return self.name_match
        return self.name_match + (WEAK_NAME_SUPPORTED - self.name_match) * self.context


WEAK_NAME = 0.75
WEAK_NAME_SUPPORTED = 0.82


def confidence(best: float, runner_up: float | None) -> float:
    """The best score, lowered where a different item scored close behind it."""
    if runner_up is None:
        return round(best, 4)
    penalty = max(0.0, runner_up - best + 0.3) * 0.5
    return round(max(0.0, best - penalty), 4)
