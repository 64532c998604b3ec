"""Name normalisation shared by the index (at build time) and the linker (at lookup time).

Both sides must agree byte for byte, so the one function lives here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212\-]+")
_QUOTES = re.compile(r"[\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00ab\u00bb]")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero-width characters


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Lookup key of a name: NFKC, case-folded, hyphens and quotes as spaces, one space between words.

    "NATO", "Nato" and "nato" share a key, as do "Nato-Russland-Rat" and "Nato Russland Rat".
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    text = _DASHES.sub(" ", text)
    text = _QUOTES.sub("", text)
    text = text.casefold()
    return _SPACES.sub(" ", text).strip()


_GERMAN_LETTERS = frozenset("äöüÄÖÜß")


def fold_accents(name: str) -> str:
    """``name`` without the diacritics German does not write ("Erdoğan" → "Erdogan", "Đoković" →
    "Dokovic"); ä, ö, ü and ß stay."""
    if name.isascii():
        return name
    return "".join(_fold_char(char) for char in name)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _GERMAN_LETTERS:
        return char
    if char in _STROKED:
        return _STROKED[char]
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


_STROKED = {"Đ": "D", "đ": "d", "ł": "l", "Ł": "L", "Ø": "O", "ø": "o"}


def strip_language_prefix(alias: str) -> str:
    """``"es:Canadá"`` (how entities.jsonl marks a foreign alias) → ``"Canadá"``."""
    if len(alias) > 3 and alias[2] == ":" and alias[:2].isalpha() and alias[:2].islower():
        return alias[3:]
    return alias


# German and English romanise Russian and Ukrainian names differently (Lawrow/Lavrov, Selenskyj/
# Zelenskyy, Schoigu/Shoigu, Charkiw/Kharkiv). Both spellings reduce to the same skeleton.
_ROMANISATION = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("zh", "sh"),
    ("kh", "ch"),
    ("w", "v"),
    ("j", "y"),
    ("z", "s"),
    ("y", "i"),
)
_REPEATS = re.compile(r"(.)\1+")
_NOT_LETTERS = re.compile(r"[^a-z ]+")


def romanisation_key(name: str) -> str:
    """A spelling-insensitive skeleton of a name for cross-romanisation matching ("" when too short)."""
    text = unicodedata.normalize("NFKD", name_key(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    for old, new in _ROMANISATION:
        text = text.replace(old, new)
    text = _REPEATS.sub(r"\1", _NOT_LETTERS.sub("", text))
    return text if len(text.replace(" ", "")) >= 6 else ""
