"""A name cut out of a compound takes the type the same article gives that name.

The model types "Trump" in "Trump-Anhänger" from the compound alone (ORG, as for "Nato-Staaten"),
while the article names him as a person elsewhere ("Donald Trump", "Trump sagte"). Mentions that
stand alone carry the stronger evidence, so a name part whose text the article also uses as a whole
mention, or as the surname of a multi-word person, takes the type most of those mentions have.
One exception: a place name before a club role ("Köln-Trainer", ``club_role_heads.txt``) names the
club, so an ORG the model read from that head does not become a place.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib import resources

from pipelines.ner.compounds import INFLECTION_ENDINGS

Span3 = tuple[int, int, str]


@cache
def default_club_role_heads() -> frozenset[str]:
    text = resources.files("pipelines.ner").joinpath("club_role_heads.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_club_role(head: str, roles: frozenset[str] | None = None) -> bool:
    """Whether a compound head names a member or follower of a sports club ("Trainer", "Fans")."""
    known = default_club_role_heads() if roles is None else roles
    word = head.lower()
    return any(
        word.endswith(role + ending) for ending in INFLECTION_ENDINGS for role in known if len(word) >= len(role)
    )


def article_types(text: str, whole: list[Span3]) -> dict[str, Counter[str]]:
    """Name → how often the article's whole mentions give it each type (surnames of persons too)."""
    votes: dict[str, Counter[str]] = {}
    for start, end, label in whole:
        name = text[start:end]
        votes.setdefault(name, Counter())[label] += 1
        words = name.split()
        if label == "PER" and len(words) > 1:
            votes.setdefault(words[-1], Counter())[label] += 1
    return votes


def consistent_part_type(name: str, label: str, head: str, votes: dict[str, Counter[str]]) -> str:
    """The type the article's whole mentions agree on for ``name`` (a clear majority), else ``label``.

    ``head`` is the compound's head: before a club role an ORG part does not become a place.
    """
    counts = votes.get(name)
    if not counts:
        return label
    ranked = counts.most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return label
    best = ranked[0][0]
    if label == "ORG" and best == "LOC" and is_club_role(head):
        return label
    return best


def retype_parts(text: str, mentions: list[Span3], parts: dict[int, str]) -> list[Span3]:
    """``mentions`` with each name part (index → its compound's head) typed as its article types the name."""
    votes = article_types(text, [m for i, m in enumerate(mentions) if i not in parts])
    return [
        (start, end, consistent_part_type(text[start:end], label, parts[i], votes) if i in parts else label)
        for i, (start, end, label) in enumerate(mentions)
    ]
