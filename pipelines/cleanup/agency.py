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
    r"Quellen?:|Von)\s+(?P<tag>[\w ,/&.-]{2,60})$"
)


def _agency(tag: str) -> str | None:
    tokens = [t.strip().lower() for t in re.split(r"[/,;]|\bund\b", tag) if t.strip()]
    for token in tokens:
        if token in AGENCIES and token != "red":
            return token
    return None


_NOT_TAGS = frozenset({"sic", "ebd", "ca", "vgl", "bzw", "usw", "etc", "ua", "li", "re", "mitte"})


def _is_tag(tag: str) -> bool:
    """Agency tags name an agency; otherwise only short lower-case initials count ("(lvz)", "(dl/mz)")."""
    raw = [t.strip() for t in re.split(r"[/,;]", tag) if t.strip()]
    tokens = [t.lower() for t in raw]
    if not tokens or any(len(t) > 12 for t in tokens):
        return False
    if any(t in AGENCIES for t in tokens):
        return True
    return len(raw) <= 3 and all(t.islower() and 2 <= len(t) <= 5 and t not in _NOT_TAGS for t in raw)


def split_trailing_tag(text: str) -> tuple[str, str | None, str | None]:
    """(text without the tag, the tag as written, the agency) for a paragraph ending in "(afp/dl)"."""
    m = _TRAILING.search(text)
    if not m or not _is_tag(m.group("tag")):
        return text, None, None
    return text[: m.start()].rstrip(), text[m.start() :].strip(), _agency(m.group("tag"))


def standalone_tag(line: str) -> str | None:
    """For a line that is nothing but an agency tag ("dpa/AFP", "(rtr)", "Mit Material von dpa", "(lvz)"):
    the agency ("" when it names only initials); None for any other line."""
    stripped = line.strip()
    m = _STANDALONE.match(stripped)
    if m and _is_tag(m.group("tag")) and (stripped.startswith("(") or _agency(m.group("tag"))):
        return _agency(m.group("tag")) or ""
    m = _SOURCE_NOTE.match(stripped)
    if m and (agency := _agency(m.group("tag"))):
        return agency
    return None


def dateline_agency(paragraph: str) -> str | None:
    """The agency named in an opening dateline "Berlin (dpa) - …" (the text itself stays)."""
    m = _DATELINE.match(paragraph)
    return _agency(m.group("tag")) if m else None
