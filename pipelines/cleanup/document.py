"""Raw bytes to a CleanDocument: is it HTML or text, which encoding, then the matching cleaner."""

from __future__ import annotations

import codecs
import re

from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.profiles import ProfileRegistry
from pipelines.domain import CleanDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article)[\s>]", re.I)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_HTML_TYPES = {"text/html", "application/xhtml+xml", "application/xml", "text/xml"}
_TEXT_TYPES = {"text/plain", "text/markdown"}


class DecodeError(CleanupError):
    """The bytes could not be turned into text in any plausible encoding."""


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def parse_content_type(content_type: str | None) -> tuple[str | None, str | None]:
    """("text/html", "utf-8") from 'text/html; charset=UTF-8' (None for what is absent)."""
    if not content_type:
        return None, None
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return (media.strip().lower() or None), charset


def looks_like_html(content: bytes) -> bool:
    return bool(_HTML_SNIFF.search(content[:4096]))


def decode(content: bytes, declared: str | None = None, *, html: bool = False) -> str:
    """Text of ``content``: BOM, then the declared charset, then <meta>/XML declaration, then UTF-8,
    then statistical detection; raises DecodeError when none gives clean text."""
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


def clean_document(
    content: bytes,
    content_type: str | None,
    *,
    url: str | None = None,
    profiles: ProfileRegistry | None = None,
) -> CleanDocument:
    """Clean raw fetched bytes: HTML or text (by content type, else by sniffing), decoded carefully."""
    from pipelines.cleanup.html_mode import clean_html
    from pipelines.cleanup.text_mode import NoContentError, clean_text

    if not isinstance(content, bytes | bytearray):
        raise CleanupError(f"clean_document expects bytes, got {type(content).__name__}")
    content = bytes(content)
    if not content.strip():
        raise NoContentError("empty input: the document has no bytes besides whitespace")
    media, charset = parse_content_type(content_type)
    if media in _HTML_TYPES:
        is_html = True
    elif media in _TEXT_TYPES:
        is_html = bool(_HTML_START.match(content))  # a page mislabelled as text still starts like one
    else:
        is_html = looks_like_html(content)
    text = decode(content, charset, html=is_html)
    if "\x00" in text:
        raise DecodeError("undecodable input: binary data (NUL characters) after decoding")
    if is_html:
        return clean_html(text, url=url, profiles=profiles)
    return clean_text(text, url=url, profiles=profiles)
