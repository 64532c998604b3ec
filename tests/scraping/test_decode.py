"""Charset, binary and language checks on fetched bytes."""

from __future__ import annotations

import pytest

from pipelines.scraping import PageError, detect_charset, inspect_page, sniff_binary
from tests.support.site import ENGLISH, article_html

GERMAN = "Die Bürgerinnen und Bürger in Köln diskutieren über „Straßenbahnen“ und Brücken – 5 € pro Fahrt."


@pytest.mark.parametrize(
    ("content", "header", "codec", "source"),
    [
        (GERMAN.encode("utf-8"), "utf-8", "utf-8", "header"),
        (GERMAN.encode("utf-8"), "iso-8859-1", "utf-8", "detected (header says iso-8859-1 but the bytes are UTF-8)"),
        (GERMAN.encode("cp1252"), "utf-8", "cp1252", "detected (header says utf-8 but the bytes do not decode)"),
        (GERMAN.encode("cp1252"), "iso-8859-1", "cp1252", "header"),  # Latin-1 labels mean Windows-1252
        (b'<meta charset="windows-1252">' + GERMAN.encode("cp1252"), None, "cp1252", "meta"),
        (b"\xef\xbb\xbf" + GERMAN.encode("utf-8"), "iso-8859-1", "utf-8-sig", "bom"),
        (GERMAN.encode("utf-8"), "x-no-such-charset", "utf-8", "detected (header names unknown charset"),
    ],
)
def test_charset_is_checked_against_the_bytes(content: bytes, header: str | None, codec: str, source: str) -> None:
    found, where = detect_charset(content, header)
    assert found == codec
    assert where.startswith(source)
    assert "Bürgerinnen" in content.decode(found)


def test_missing_charset_is_detected() -> None:
    page = inspect_page(article_html(3, "Größere Übersicht", charset_meta=False).encode("cp1252"), "text/html")
    assert page.charset_source.startswith("detected")
    assert "Größere Übersicht" in page.visible_text


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        (b"\x1f\x8b\x08\x00" + bytes(50), "gzip data"),
        (bytes(range(32)) * 20, "binary data"),
    ],
)
def test_binary_content_is_recognised(content: bytes, kind: str) -> None:
    assert (sniff_binary(content) or "").startswith(kind)
    with pytest.raises(PageError) as info:
        inspect_page(content, "text/html", "utf-8")
    assert info.value.reason == "binary_content"


def test_utf16_text_is_not_binary() -> None:
    assert sniff_binary("\ufeff<p>Hallo</p>".encode("utf-16")) is None


@pytest.mark.parametrize(
    ("content", "detail"),
    [(b"", "no content"), (b" \n\t ", "whitespace"), (b"<html><body><script>x()</script></body></html>", "visible")],
)
def test_empty_pages(content: bytes, detail: str) -> None:
    with pytest.raises(PageError, match="empty_page") as info:
        inspect_page(content, "text/html")
    assert detail in info.value.detail


def test_language_must_match_the_source() -> None:
    english = f"<html lang='en'><body><p>{ENGLISH * 2}</p></body></html>".encode()
    with pytest.raises(PageError) as info:
        inspect_page(english, "text/html", expected_language="de")
    assert info.value.reason == "wrong_language" and "en" in info.value.detail
    german = inspect_page(article_html(1, "Titel").encode(), "text/html", expected_language="de-DE")
    assert german.language == "de"
    short = inspect_page(b"<html lang='fr'><p>Bonjour</p></html>", "text/html")
    assert short.language is None and short.html_lang == "fr"
    with pytest.raises(PageError, match="wrong_language"):
        inspect_page(b"<html lang='fr'><p>Bonjour</p></html>", "text/html", expected_language="de")


def test_the_language_model_loads_beside_the_scrape(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.scraping import decode

    monkeypatch.setattr(decode, "_IDENTIFIER", None)
    loading = decode.load_language_model_beside()
    assert loading is not None and loading.daemon
    loading.join(timeout=60)
    assert decode._IDENTIFIER is not None
    assert decode.load_language_model_beside() is None  # loaded once
    assert decode.detect_language(GERMAN * 3)[0] == "de"


def test_broken_html_still_yields_its_text_and_canonical_link() -> None:
    broken = b"<<html><head><link rel='Canonical' href='/a/b'><body><p>Eins<p>Zwei<div><table><td>Drei"
    page = inspect_page(broken, "text/html", base_url="https://news.example/x/y?z=1")
    assert page.canonical_url == "https://news.example/a/b"
    assert "Eins" in page.visible_text and "Drei" in page.visible_text


def test_plain_text_is_taken_as_it_is() -> None:
    page = inspect_page("Überschrift\n\nText über <b>nichts</b>".encode(), "text/plain", "utf-8")
    assert page.visible_text == "Überschrift Text über <b>nichts</b>"
    assert page.canonical_url is None
