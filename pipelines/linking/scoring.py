"""How a candidate's features combine into a score, and a score into a confidence.

score = name match × (0.4 + 0.35 × type agreement + 0.2 × popularity prior + 0.05 × context)

The name match is the weight of the matched name's kind (German label 1.0 … weak alias 0.4) times 0.95
for a morphological variant or the given-name similarity for a spelling variant. Weak aliases alone,
and items of unknown type that nobody links to, stay below the default NIL threshold of 0.5: a forced
wrong QID is worse than NIL.
"""

from __future__ import annotations

from dataclasses import dataclass

NIL_THRESHOLD = 0.5


PROMINENT = 0.6  # prior of countries, capitals and large cities (Natural Earth) and leaders


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
        return 0.6 if (kb_type == "ORG" or prior >= PROMINENT) else 0.1
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

    @property
    def score(self) -> float:
        value = self.name_match * (0.4 + 0.35 * self.type_score + 0.2 * self.prior + 0.05 * self.context)
        return round(min(1.0, max(0.0, value)), 4)


def confidence(best: float, runner_up: float | None) -> float:
    """The best score, lowered where a different item scored close behind it."""
    if runner_up is None:
        return round(best, 4)
    penalty = max(0.0, runner_up - best + 0.3) * 0.5
    return round(max(0.0, best - penalty), 4)
