"""Bad input gets a one-line CleanupError (a ValueError) that says what was wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cleanup import CleanupError, clean_document, clean_html, clean_text, load_profiles

BODY = (
    "Der Gemeinderat hat am Montag den Haushalt für das kommende Jahr beschlossen. Größter Posten ist "
    "die Sanierung der Grundschule, für die rund zwölf Millionen Euro eingeplant sind."
)


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\n\n\n"])
def test_empty_text(text: str) -> None:
    with pytest.raises(CleanupError, match="empty input"):
        clean_text(text)


def test_text_that_is_all_boilerplate() -> None:
    with pytest.raises(CleanupError, match="no article text"):
        clean_text("Zur Startseite\nTeilen per:\n© Beispiel GmbH – Alle Rechte vorbehalten\n")


def test_not_a_string() -> None:
    with pytest.raises(CleanupError, match="expects str"):
        clean_text(b"bytes")  # type: ignore[arg-type]


def test_empty_and_contentless_html() -> None:
    with pytest.raises(CleanupError, match="empty input"):
        clean_html("   ")
    with pytest.raises(CleanupError, match=r"no article text|no main content"):
        clean_html("<html><body><nav><a href='/'>Startseite</a></nav></body></html>")


@pytest.mark.parametrize("content", [b"", b"  \n "])
def test_empty_document(content: bytes) -> None:
    with pytest.raises(CleanupError, match="empty input"):
        clean_document(content, "text/plain")


def test_binary_document() -> None:
    with pytest.raises(CleanupError, match=r"undecodable|binary"):
        clean_document(bytes(range(256)) * 8, "application/octet-stream")


def test_errors_are_value_errors_with_one_line() -> None:
    with pytest.raises(ValueError) as info:
        clean_document(b"", None)
    assert "\n" not in str(info.value)


def test_declared_charset_and_sniffing() -> None:
    latin1 = (BODY + "\n").encode("latin-1")
    doc = clean_document(latin1, "text/plain; charset=ISO-8859-1")
    assert doc.text == BODY
    doc = clean_document(latin1, None)  # not UTF-8: detected
    assert doc.text == BODY
    doc = clean_document(b"\xef\xbb\xbf" + BODY.encode("utf-8"), None)  # BOM
    assert doc.text == BODY


def test_html_sniffed_and_meta_charset() -> None:
    page = (
        '<!DOCTYPE html><html><head><meta charset="iso-8859-1"><title>Haushalt beschlossen</title></head>'
        f"<body><article><h1>Haushalt beschlossen</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>"
    ).encode("latin-1")
    doc = clean_document(page, None)
    assert doc.title == "Haushalt beschlossen"
    assert BODY in doc.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name: X\nhosts: [x.de]\nrules:\n  - category: nonsense\n    pattern: 'a'\n", "unknown category"),
        (
            "name: X\nhosts: [x.de]\nrules:\n  - category: share\n    pattern: '(unclosed'\n",
            "invalid regular",
        ),
        ("hosts: [x.de]\n", "'name' is required"),
        ("name: X\n", "needs 'hosts' or 'signals'"),
        ("name: X\nhosts: [x.de]\ncolour: red\n", "unknown key"),
        ("name: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_bad_profiles_name_file_and_field(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "broken.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(CleanupError, match=message) as info:
        load_profiles(tmp_path)
    assert "broken.yaml" in str(info.value)


def test_missing_profile_directory(tmp_path: Path) -> None:
    with pytest.raises(CleanupError, match="does not exist"):
        load_profiles(tmp_path / "absent")


def test_page_mislabelled_as_text_is_cleaned_as_html() -> None:
    page = "<!DOCTYPE html><html><body><article><h1>Haushalt beschlossen</h1>"
    page += f"<p>{BODY}</p></article></body></html>"
    doc = clean_document(page.encode("utf-8"), "text/plain")
    assert doc.title == "Haushalt beschlossen"
    assert "<p>" not in doc.text and BODY in doc.text


def test_a_post_inside_an_element_called_widget_is_read_without_the_furniture_pass() -> None:
    page = (
        "<!DOCTYPE html><html><body><nav><a href='/'>Startseite</a></nav>"
        '<div class="widget Blog" id="Blog1"><h3 class="post-title">Haushalt beschlossen</h3>'
        f"<p>{BODY}</p><p>{BODY.replace('Rat', 'Kreistag')}</p></div></body></html>"
    )
    assert BODY in clean_html(page).text


def test_a_widget_holding_most_of_the_running_text_is_the_post_and_its_neighbours_still_go() -> None:
    post = "<br>".join([BODY, BODY.replace("Rat", "Kreistag"), BODY.replace("Rat", "Landtag")])
    page = (
        "<!DOCTYPE html><html><body>"
        '<div class="widget Blog" id="Blog1"><h3 class="post-title">Haushalt beschlossen</h3>'
        f"<div class='post-body'>{post}</div></div>"
        '<div class="widget BlogArchive"><h2>Blog-Archiv</h2><ul><li><a href="/2024/05">Mai 2024 (3)</a></li>'
        '<li><a href="/2024/04">April 2024 (2)</a></li></ul><p>Ältere Beiträge findet man hier im Archiv.</p></div>'
        "</body></html>"
    )
    doc = clean_html(page)
    assert BODY in doc.text and BODY.replace("Rat", "Landtag") in doc.text
    assert "Blog-Archiv" not in doc.text
    assert any("Blog-Archiv" in removal.text and removal.category == "widget" for removal in doc.removed)
