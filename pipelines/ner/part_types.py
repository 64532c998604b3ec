"""A name cut out of a compound takes the type the same article gives that name.

The model types "Trump" in "Trump-Anhänger" from the compound alone (ORG, as for "Nato-Staaten"),
while the article names him as a person elsewhere ("Donald Trump", "Trump sagte"). Mentions that
stand alone carry the stronger evidence, so a name part whose text the article also uses as a whole
mention, or as the surname of a multi-word person, takes the type most of those mentions have.
"""

from __future__ import annotations

from collections import Counter

Span3 = tuple[int, int, str]


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


def consistent_part_type(name: str, label: str, votes: dict[str, Counter[str]]) -> str:
    """The type the article's whole mentions agree on for ``name`` (a clear majority), else ``label``."""
    counts = votes.get(name)
    if not counts:
        return label
    ranked = counts.most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return label
    return ranked[0][0]


def retype_parts(text: str, mentions: list[Span3], parts: set[int]) -> list[Span3]:
    """``mentions`` with each name part (index in ``parts``) typed as its article's whole mentions type it."""
    votes = article_types(text, [m for i, m in enumerate(mentions) if i not in parts])
    return [
        (start, end, consistent_part_type(text[start:end], label, votes) if i in parts else label)
        for i, (start, end, label) in enumerate(mentions)
    ]
