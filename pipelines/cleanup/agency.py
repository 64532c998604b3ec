"""News-agency tags: a trailing "(afp/dl)" or "(dpa)" is removed from the text and kept as metadata."""

from __future__ import annotations

import re

# News agencies and editorial marks seen in German-language news (lower case).
AGENCIES: frozenset[str] = frozenset(
    {
        "afp",
        "dpa",
        "ap",
        "rtr",
        "reuters",
        "kna",
        "epd",
        "sid",
        "dts",
        "apa",
        "sda",
        "ddp",
        "ots",
        "dapd",
        "idea",
        "efe",
        "ansa",
        "tass",
        "ria",
        "upi",
        "bloomberg",
        "aerzteblatt",
        "red",
        "afp-tv",
        "dpa-afx",
        "awp",
        "keystone-sda",
    }
)
_TAG = r"[A-Za-zÄÖÜäöü-]{2,12}(?:\s*[/,;]\s*[A-Za-zÄÖÜäöü-]{1,12}){0,5}"
_TRAILING = re.compile(r"(?<=[.!?“”\"»«)…])\s*\((?P<tag>" + _TAG + r")\)\s*$")
_STANDALONE = re.compile(r"^\(?(?P<tag>" + _TAG + r")\)?$")
_DATELINE = re.compile(r"^[A-ZÄÖÜ][\wäöüß./ -]{1,40}\s\((?P<tag>" + _TAG + r")\)\s*[-–—]\s")
_SOURCE_NOTE = re.compile(
    r"^(?:Mit Material (?:von|der|aus)(?: Nachrichtenagenturen?)?|Mit Informationen (?:von|der)|[Mm]it|"
    r"Quellen?:)\s+(?P<tag>[\w ,/&-]{2,60})$"
)


def _agency(tag: str) -> str | None:
    tokens = [t.strip().lower() for t in re.split(r"[/,;]|\bund\b", tag) if t.strip()]
    for token in tokens:
        if token in AGENCIES and token != "red":
            return token
    return None


def _is_tag(tag: str) -> bool:
    tokens = [t.strip().lower() for t in re.split(r"[/,;]", tag) if t.strip()]
    return bool(tokens) and any(t in AGENCIES for t in tokens) and all(len(t) <= 12 for t in tokens)


def split_trailing_tag(text: str) -> tuple[str, str | None, str | None]:
    """(text without the tag, the tag as written, the agency) for a paragraph ending in "(afp/dl)"."""
    m = _TRAILING.search(text)
    if not m or not _is_tag(m.group("tag")):
        return text, None, None
    return text[: m.start()].rstrip(), text[m.start() :].strip(), _agency(m.group("tag"))


def standalone_tag(line: str) -> str | None:
    """The agency of a line that is nothing but an agency tag ("dpa/AFP", "(rtr)", "Mit Material von dpa")."""
    stripped = line.strip()
    m = _STANDALONE.match(stripped)
    if m and _is_tag(m.group("tag")) and (stripped.startswith("(") or m.group("tag").lower() != "red"):
        return _agency(m.group("tag")) or "red"
    m = _SOURCE_NOTE.match(stripped)
    if m and (agency := _agency(m.group("tag"))):
        return agency
    return None


def dateline_agency(paragraph: str) -> str | None:
    """The agency named in an opening dateline "Berlin (dpa) - …" (the text itself stays)."""
    m = _DATELINE.match(paragraph)
    return _agency(m.group("tag")) if m else None
