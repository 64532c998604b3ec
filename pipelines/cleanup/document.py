"""Raw bytes to a CleanDocument: is it HTML or text, which encoding, then the matching cleaner."""

from __future__ import annotations

import re

from pipelines.cleanup.decoding import DecodeError, decode
from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.profiles import ProfileRegistry
from pipelines.cleanup.site_lines import SiteLines
from pipelines.domain import CleanDocument

_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article)[\s>]", re.I)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_HTML_TYPES = {"text/html", "application/xhtml+xml", "application/xml", "text/xml"}
_TEXT_TYPES = {"text/plain", "text/markdown"}


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


def read_document(content: bytes, content_type: str | None) -> tuple[str, bool]:
    """The document's text, decoded carefully, and whether it is HTML (by content type, else by sniffing)."""
    if not isinstance(content, bytes | bytearray):
        raise CleanupError(f"clean_document expects bytes, got {type(content).__name__}")
    content = bytes(content)
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
    return text, is_html


def clean_document(
    content: bytes,
    content_type: str | None,
    *,
    url: str | None = None,
    profiles: ProfileRegistry | None = None,
    site: SiteLines | None = None,
) -> CleanDocument:
    """Clean raw fetched bytes: HTML or text (by content type, else by sniffing), decoded carefully;
    ``site``: the lines the page's site repeats tonight (text dumps; see ``site_lines``)."""
    from pipelines.cleanup.html_mode import clean_html
    from pipelines.cleanup.text_mode import NoContentError, clean_text

    if isinstance(content, bytes | bytearray) and not bytes(content).strip():
        raise NoContentError("empty input: the document has no bytes besides whitespace")
    text, is_html = read_document(content, content_type)
    if is_html:
        return clean_html(text, url=url, profiles=profiles)
    return clean_text(text, url=url, profiles=profiles, site=site)
