"""Words around a mention that say it is only part of a longer name the NER cut.

"FC [[Sevilla]]", "Red Bull [[Salzburg]]": a place name after a club prefix is the club. "[[Bank]]
Austria", "Red [[Bull]]", "Berlin [[Babylon]]": a mention with a known name directly beside it (one
space, same sentence) is one word of a name nobody tagged whole. German puts common nouns before
names too ("der Technologieriese Siemens", "Strategieplan Wien"); those are not names in the index,
so they do not count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

from pipelines.domain import Mention
from pipelines.linking.compounds import DESCRIPTORS, TITLES

# Prefixes of sports clubs (the word before a place that makes it the club's name).
CLUB_PREFIXES = frozenset(
    w.casefold()
    for w in (
        "FC",
        "SC",
        "SV",
        "SK",
        "AC",
        "AS",
        "FK",
        "SSC",
        "VfB",
        "VfL",
        "TSV",
        "SpVgg",
        "Zenit",
        "Dynamo",
        "Bull",
        "Klub",
        "Club",
        "Verein",
        "Fußballklub",
        "Fußballverein",
    )
)
# Words that stand capitalised before a name without being part of it (sentence starts, articles).
_FUNCTION_WORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "dem",
        "den",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "im",
        "in",
        "am",
        "an",
        "auf",
        "aus",
        "bei",
        "für",
        "mit",
        "nach",
        "von",
        "vom",
        "zu",
        "zum",
        "zur",
        "und",
        "oder",
        "sowohl",
        "als",
        "auch",
        "wie",
        "wo",
        "wenn",
        "dass",
        "aber",
        "doch",
        "so",
        "nur",
        "noch",
        "schon",
    ]
)
_WORD_BEFORE = re.compile(r"([^\s,.;:!?()\"„“”»«–—-]+) $")
_WORD_AFTER = re.compile(r" ([^\s,.;:!?()\"„“”»«–—-]+)")


class Surroundings(Enum):
    CLUB = "after a club prefix"
    JOINED = "beside another name"


def part_of_longer_name(text: str, mention: Mention, is_name: Callable[[str], bool]) -> Surroundings | None:
    """Why ``mention`` (LOC or ORG) is likely a fragment of a longer name, or None."""
    if mention.label not in ("LOC", "ORG"):
        return None
    before = _WORD_BEFORE.search(text, max(0, mention.start - 40), mention.start)
    after = _WORD_AFTER.match(text, mention.end, min(len(text), mention.end + 40))
    words = [m.group(1) for m in (before, after) if m is not None]
    if before is not None and before.group(1).casefold() in CLUB_PREFIXES:
        return Surroundings.CLUB
    for word in words:
        key = word.casefold()
        if not word[:1].isupper() or key in _FUNCTION_WORDS or key in TITLES or key in DESCRIPTORS:
            continue
        if is_name(word):
            return Surroundings.JOINED
    return None
