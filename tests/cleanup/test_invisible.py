"""Soft hyphens and zero-width characters are gone from cleaned text, whichever way the page wrote them."""

from __future__ import annotations

import pytest

from pipelines.cleanup import clean_html, clean_text
from pipelines.cleanup.invisible import INVISIBLE, may_hide
from pipelines.cleanup.site_lines import line_key

BODY = (
    "Die Stadt\u00adwerke ver\u00adlän\u00adgern die Linie bis zum Neu&shy;bau&#173;gebiet am Nord&#xAD;park, "
    "teilte die Ver\u00adkehrs\u00adgesell\u00adschaft am Montag mit, die Arbeiten beginnen im Frühjahr."
)
BODY2 = "Nach Angaben der Stadt\u200b fahren die Bahnen dann alle zehn Minuten, am Wochenende alle zwanzig."


def test_an_html_page_loses_its_soft_hyphens_and_zero_width_spaces() -> None:
    page = (
        "<html><head><title>Stra&shy;ßen&shy;bahn</title></head><body><article>"
        f"<h1>Stra\u00adßen\u00adbahn kommt bis ins Neu\u00adbau\u00adgebiet</h1><p>{BODY}</p><p>{BODY2}</p>"
        "</article></body></html>"
    )
    doc = clean_html(page)
    assert not any(char in doc.text for char in INVISIBLE)
    assert doc.title == "Straßenbahn kommt bis ins Neubaugebiet"
    assert "Die Stadtwerke verlängern die Linie bis zum Neubaugebiet am Nordpark" in doc.text
    assert "Nach Angaben der Stadt fahren" in doc.text


def test_a_text_dump_loses_them_and_its_site_lines_still_match() -> None:
    body = BODY.replace("&shy;", "\u00ad").replace("&#173;", "\u00ad").replace("&#xAD;", "\u2060")
    dump = f"Stra\u00adßen\u00adbahn kommt\n{body}\n{BODY2}\n"
    doc = clean_text(dump)
    assert not any(char in doc.text for char in INVISIBLE)
    assert "verlängern die Linie bis zum Neubaugebiet am Nordpark" in doc.text
    assert line_key("Kon\u00adtakt \u200b") == line_key("Kontakt")


@pytest.mark.parametrize(
    ("source", "hides"),
    [
        ("<p>Nord&shy;park</p>", True),
        ("<p>Nord&SHY;park</p>", True),
        ("<p>Nord&#173;park</p>", True),
        ("<p>Nord&#xad;park</p>", True),
        ("<p>Nord\u00adpark</p>", True),
        ("<p>Nord\u200bpark</p>", True),
        ("<p>Nordpark &amp; Südpark, &#8211; &nbsp;</p>", False),
    ],
)
def test_a_page_that_may_hide_characters_is_told_apart_cheaply(source: str, hides: bool) -> None:
    assert may_hide(source) is hides
