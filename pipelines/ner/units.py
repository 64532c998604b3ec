"""Currency and unit words are never entities ("100 Euro", "2 Prozent", "US-Dollar").

Models trained on GermEval tag currencies as MISC (GermEval's OTH), so on news they mark "Euro"
and "Dollar" dozens of times per night; the linker can do nothing useful with them. The words are
a small data list (``unit_words.txt``) matched on the whole mention, so names that merely contain
one ("Euro-Zone", "Dollar General") stay.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

PLURAL_ENDINGS = ("", "s", "n", "en", "e")
_HYPHENS = re.compile("[\u2010\u2011]")
_SPACES = re.compile(r"\s+")


def parse_unit_words(text: str) -> frozenset[str]:
    """The lower-case words and phrases of a unit list (one a line, ``#`` comments)."""
    return frozenset(_normal(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def default_unit_words() -> frozenset[str]:
    return parse_unit_words(resources.files("pipelines.ner").joinpath("unit_words.txt").read_text(encoding="utf-8"))


def _normal(text: str) -> str:
    return _SPACES.sub(" ", _HYPHENS.sub("-", text.strip().lower()))


def is_unit_mention(text: str, words: frozenset[str] | None = None) -> bool:
    """Whether the whole mention is a currency or unit word, in the singular or a plural form."""
    known = default_unit_words() if words is None else words
    word = _normal(text)
    return any(word.endswith(ending) and word[: len(word) - len(ending)] in known for ending in PLURAL_ENDINGS)
