"""Words around a mention that say it is only part of a longer name the NER cut.

"FC [[Sevilla]]", "Red Bull [[Salzburg]]": a place name after a club prefix is the club. "[[Bank]]
Austria", "Red [[Bull]]", "Berlin [[Babylon]]": a mention with a known name directly beside it (one
space, same sentence) is one word of a name nobody tagged whole. German puts common nouns before
names too ("der Technologieriese Siemens", "Strategieplan Wien"); those are not names in the index,
so they do not count.

Hyphen-coupled names work the same way: in "[[Red]]-Bull-Akademie" and "[[Max]]-Planck-Institut" the
mention and its capitalised neighbour inside the compound are one name ("Red Bull"), while the last
element is the compound's head ("Trump-Anhänger" is Trump). A word with capitals inside it ("iPad
[[Pro]]") is a brand name by its shape. An institution noun before a place ("Universität [[Tel
Aviv]]" tagged as an organisation) makes the place part of the institution's name; "Staatsanwaltschaft
[[Graz]]" tagged as a place is the place.
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


# Prefixes German hyphenates before a name without forming a longer name with it ("Ex-Grünen-Chefin").
_HYPHEN_PREFIXES = frozenset(
    w.casefold() for w in ("Ex", "Anti", "Pro", "Pre", "Prä", "Post", "Vize", "Nicht", "Neo", "Pseudo", "Super")
)
_HYPHEN_BEFORE = re.compile(r"(\w+)[-\u2010\u2011]$")
_HYPHEN_AFTER = re.compile(r"[-\u2010\u2011](\w+)([-\u2010\u2011]\w)?")
# Nouns of institutions named after their place (matched as word endings: "Landesbank", "Stadtwerke").
INSTITUTION_NOUNS = (
    "universität",
    "hochschule",
    "klinikum",
    "krankenhaus",
    "spital",
    "klinik",
    "bank",
    "sparkasse",
    "stadtwerke",
    "verkehrsbetriebe",
    "feuerwehr",
    "staatsanwaltschaft",
    "theater",
    "oper",
    "museum",
    "zoo",
    "flughafen",
    "messe",
    "bistum",
    "diözese",
    "akademie",
    "institut",
)


class Surroundings(Enum):
    CLUB = "after a club prefix"
    JOINED = "beside another name"
    INSTITUTION = "after an institution noun"


def part_of_longer_name(text: str, mention: Mention, is_name: Callable[[str], bool]) -> Surroundings | None:
    """Why ``mention`` (LOC or ORG) is likely a fragment of a longer name, or None."""
    if mention.label not in ("LOC", "ORG"):
        return None
    if _in_hyphen_chain(text, mention):
        return Surroundings.JOINED
    before = _WORD_BEFORE.search(text, max(0, mention.start - 40), mention.start)
    after = _WORD_AFTER.match(text, mention.end, min(len(text), mention.end + 40))
    words = [m.group(1) for m in (before, after) if m is not None]
    if before is not None and before.group(1).casefold() in CLUB_PREFIXES:
        return Surroundings.CLUB
    if (
        mention.label == "ORG"
        and before is not None
        and _is_institution_noun(before.group(1))
        and not is_name(before.group(1))
    ):
        return Surroundings.INSTITUTION
    for word in words:
        if _is_brand_shaped(word):
            return Surroundings.JOINED
        key = word.casefold()
        if not word[:1].isupper() or key in _FUNCTION_WORDS or key in TITLES or key in DESCRIPTORS:
            continue
        if is_name(word):
            return Surroundings.JOINED
    return None


def _is_institution_noun(word: str) -> bool:
    key = word.casefold()
    return word[:1].isupper() and (key == "uni" or key.endswith(INSTITUTION_NOUNS))


def _is_brand_shaped(word: str) -> bool:
    """A word with a capital after a lower-case start ("iPad", "eBay"): a product or brand name."""
    return len(word) > 2 and word[0].islower() and any(c.isupper() for c in word[1:])


def _in_hyphen_chain(text: str, mention: Mention) -> bool:
    """The mention and a capitalised neighbour inside a hyphen compound form one name: a neighbour
    before it, or one after it that is not the compound's last element (its head)."""
    if " " in mention.text.strip():
        return False
    before = _HYPHEN_BEFORE.search(text, max(0, mention.start - 40), mention.start)
    if before is not None and before.group(1)[:1].isupper() and before.group(1).casefold() not in _HYPHEN_PREFIXES:
        return True
    after = _HYPHEN_AFTER.match(text, mention.end, min(len(text), mention.end + 40))
    return after is not None and after.group(2) is not None and after.group(1)[:1].isupper()
