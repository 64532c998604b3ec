"""Bytes to text: a BOM, the declared charset, the page's own declaration, UTF-8, then a careful guess;
the text repaired where it was mis-decoded upstream and composed (NFC)."""

from __future__ import annotations

import codecs
import re
import unicodedata

from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.mojibake import repair_mojibake

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)


class DecodeError(CleanupError):
    """The bytes could not be turned into text in any plausible encoding."""


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode(content: bytes, declared: str | None = None, *, html: bool = False) -> str:
    """Text of ``content``: BOM, then the declared charset, then <meta>/XML declaration, then UTF-8,
    then statistical detection; raises DecodeError when none gives clean text. Text that was already
    decoded wrongly once before it reached us (mojibake) is repaired, and composed characters are
    composed (NFC: "ü" as one character, not "u" and a combining diaeresis, as text pasted from some
    editors has it), so the same word is the same string for the rules, NER and the knowledge base."""
    return unicodedata.normalize("NFC", repair_mojibake(_decode(content, declared, html=html)))


def _decode(content: bytes, declared: str | None, *, html: bool) -> str:
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content.decode(name)
    candidates: list[str] = []
    if codec := _codec(declared):
        candidates.append(codec)
    if html:
        head = content[:4096]
        for pattern in (_META_CHARSET, _XML_ENCODING):
            if (m := pattern.search(head)) and (codec := _codec(m.group(1).decode("ascii", "ignore"))):
                candidates.append(codec)
    candidates.append("utf-8")
    for codec in candidates:
        try:
            return content.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    # Non-UTF-8 German pages are nearly always Windows-1252 / Latin-1: take it when it reads as text.
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _control_share(text) < 0.01:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is None or best.encoding is None or _control_share(str(best)) >= 0.01:
        raise DecodeError("undecodable input: not UTF-8 and no plausible encoding detected")
    return str(best)


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0)
    return controls / max(1, len(text))
