"""Looking at fetched bytes before they become an article: is it text, in which charset, which language.

:func:`inspect_page` never raises anything but :class:`PageError` (a ``ValueError`` with a short
``reason``: ``binary_content``, ``empty_page``, ``wrong_language``), whatever bytes it is given.
Charsets are found in the order a browser uses — byte-order mark, HTTP header, ``<meta>`` — each
checked against the bytes (a header that claims Latin-1 over valid UTF-8 is wrong, and a UTF-8
claim over invalid UTF-8 is wrong), then detected with charset_normalizer.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass
from typing import Any

import charset_normalizer
from lxml import etree
from lxml import html as lxml_html

from pipelines.scraping.urls import http_url

SNIFF_BYTES = 4096
MIN_LANGUAGE_TEXT = 200  # shorter texts are too short for a reliable language guess
LANGUAGE_CONFIDENCE = 0.9
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\x7fELF", "executable"),
    (b"\x00asm", "WebAssembly"),
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""")
_SINGLE_BYTE_LATIN = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"})
_CONTROL = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}
_TAGS = re.compile(r"<[^>]*>")


class PageError(ValueError):
    """Fetched bytes that are not a usable article; ``reason`` says which way."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class DecodedPage:
    text: str  # the whole document, decoded
    charset: str  # Python codec name used
    charset_source: str  # bom | header | meta | detected | fallback (with a note where a declaration was wrong)
    visible_text: str  # text a reader sees (HTML without tags, scripts and styles)
    language: str | None  # detected language code, None when the text is too short to tell
    language_confidence: float
    html_lang: str | None  # the page's own <html lang> (primary subtag)
    canonical_url: str | None  # <link rel="canonical">, absolute


def sniff_binary(content: bytes) -> str | None:
    """What binary thing ``content`` is (``"PNG image"``), or None when it can be text."""
    head = content[:SNIFF_BYTES]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return None  # UTF-16 text is full of NUL bytes
    if not head:
        return None
    control = sum(1 for byte in head if byte in _CONTROL)
    if control / len(head) > 0.05:
        return f"binary data ({control} control bytes in the first {len(head)})"
    return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except (LookupError, ValueError, TypeError):
        return None


def _decodes(content: bytes, codec: str) -> bool:
    try:
        content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_charset(content: bytes, header_charset: str | None) -> tuple[str, str]:
    """(codec, where it came from) for ``content``; always a codec that decodes it (maybe with replacements)."""
    for bom, bom_codec in _BOMS:
        if content.startswith(bom):
            return bom_codec, "bom"
    is_utf8 = _decodes(content, "utf-8")
    head = content[:SNIFF_BYTES]
    meta = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = [("header", header_charset), ("meta", meta.group(1).decode("ascii", "replace") if meta else None)]
    notes: list[str] = []
    for where, name in declared:
        codec = _codec(name)
        if name and codec is None:
            notes.append(f"{where} names unknown charset {name!r}")
            continue
        if codec is None:
            continue
        if codec in _SINGLE_BYTE_LATIN and is_utf8 and not content.isascii():
            notes.append(f"{where} says {name} but the bytes are UTF-8")
            return "utf-8", "detected (" + "; ".join(notes) + ")"
        if codec.startswith(("utf-16", "utf-32")) or not _decodes(content, codec):
            notes.append(f"{where} says {name} but the bytes do not decode")
            continue
        if codec in ("iso8859-1", "ascii") and _decodes(content, "cp1252"):
            codec = "cp1252"  # as browsers do: Latin-1 labels mean Windows-1252 (€, „“ in 0x80–0x9F)
        return codec, where if not notes else f"{where} ({'; '.join(notes)})"
    suffix = f" ({'; '.join(notes)})" if notes else ""
    if is_utf8:
        return "utf-8", "detected" + suffix
    best = charset_normalizer.from_bytes(content[:200_000]).best()
    if best is not None and "cp1252" in best.could_be_from_charset:
        return "cp1252", "detected" + suffix  # equally likely: prefer the web's commonest legacy charset
    if best is not None and _codec(best.encoding):
        return _codec(best.encoding) or "cp1252", "detected" + suffix
    return "cp1252", "fallback" + suffix


def inspect_page(
    content: bytes,
    media_type: str,
    header_charset: str | None = None,
    *,
    base_url: str | None = None,
    expected_language: str | None = None,
) -> DecodedPage:
    """Decode and check fetched bytes; raise PageError when they are not a usable article."""
    if not content.strip():
        raise PageError("empty_page", "no content" if not content else f"only {len(content)} bytes of whitespace")
    binary = sniff_binary(content)
    if binary:
        raise PageError("binary_content", f"{binary} served as {media_type or 'no content type'}")
    codec, source = detect_charset(content, header_charset)
    text = content.decode(codec, errors="replace")
    is_html = media_type != "text/plain"
    visible, html_lang, canonical = _html_parts(text, base_url) if is_html else (text, None, None)
    visible = " ".join(visible.split())
    if not visible:
        raise PageError("empty_page", "no visible text")
    language, confidence = (None, 0.0)
    if len(visible) >= MIN_LANGUAGE_TEXT:
        language, confidence = detect_language(visible[:5000])
    page = DecodedPage(text, codec, source, visible, language, confidence, html_lang, canonical)
    if expected_language:
        _check_language(page, expected_language.split("-")[0].lower())
    return page


def _check_language(page: DecodedPage, expected: str) -> None:
    if page.language and page.language_confidence >= LANGUAGE_CONFIDENCE:
        if page.language != expected:
            raise PageError(
                "wrong_language",
                f"text is {page.language} (p={page.language_confidence:.2f}), the source is declared {expected}",
            )
        return
    if page.language is None and page.html_lang and page.html_lang != expected:
        raise PageError("wrong_language", f"page declares lang={page.html_lang}, the source is declared {expected}")


def _html_parts(text: str, base_url: str | None) -> tuple[str, str | None, str | None]:
    """Visible text, <html lang> and canonical link; lenient with broken HTML (regex fallback)."""
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)
        root = lxml_html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.LxmlError, ValueError):
        return _TAGS.sub(" ", text), None, None
    for element in root.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    html_lang = lang.split("-")[0].strip().lower() or None if lang else None
    canonical = None
    for link in root.xpath("//link[@rel][@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = http_url(link.get("href") or "", base_url)
            break
    return root.text_content(), html_lang, canonical


_IDENTIFIER: Any = None
_IDENTIFIER_LOCK = threading.Lock()


def _language_identifier() -> Any:
    """py3langid's naive Bayes model, loaded once (about a second: it unpacks an LZMA file)."""
    global _IDENTIFIER
    with _IDENTIFIER_LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _IDENTIFIER


def load_language_model_beside() -> threading.Thread | None:
    """Load the language model in a thread of its own, so that the first pages a scrape fetches do not
    wait for it (a scrape's first seconds go to robots.txt and each host's pace). None: it is loaded."""
    if _IDENTIFIER is not None:
        return None
    loading = threading.Thread(target=_language_identifier, name="langid-load", daemon=True)
    loading.start()
    return loading


def detect_language(text: str) -> tuple[str, float]:
    """(language code, probability) by py3langid's naive Bayes model."""
    language, probability = _language_identifier().classify(text)
    return str(language), float(probability)
