"""Soft hyphens and zero-width characters are gone from cleaned text, whichever way the page wrote them."""

from __future__ import annotations

import pytest

from pipelines.cleanup import clean_html, clean_text
from pipelines.cleanup.invisible import INVISIBLE, may_hide
from pipelines.cleanup.site_lines import line_key

BODY = (
    "Das faschis\u00adti\u00adsche Regime reihte den Wein 1931 unter die großen Weine Ita&shy;li&#173;ens, "
    "neben Barolo und Barba&#xAD;resco, was aber eher zynischem Machtkalkül entsprang."
)
BODY2 = "Seither hat der Winzer\u200b noch zweimal einen draufgesetzt und die Höchstnote ein weiteres Mal erreicht."


def test_an_html_page_loses_its_soft_hyphens_and_zero_width_spaces() -> None:
    page = (
        "<html><head><title>Wein mit Ge&shy;schich&shy;te</title></head><body><article>"
        f"<h1>Rot\u00adweine mit Ele\u00adganz und Cha\u00adrak\u00adter</h1><p>{BODY}</p><p>{BODY2}</p>"
        "</article></body></html>"
    )
    doc = clean_html(page)
    assert not any(char in doc.text for char in INVISIBLE)
    assert doc.title == "Rotweine mit Eleganz und Charakter"
    assert "großen Weine Italiens, neben Barolo und Barbaresco" in doc.text
    assert "der Winzer noch zweimal" in doc.text


def test_a_text_dump_loses_them_and_its_site_lines_still_match() -> None:
    body = BODY.replace("&shy;", "\u00ad").replace("&#173;", "\u00ad").replace("&#xAD;", "\u2060")
    dump = f"Rot\u00adweine mit Ele\u00adganz\n{body}\n{BODY2}\n"
    doc = clean_text(dump)
    assert not any(char in doc.text for char in INVISIBLE)
    assert "Italiens, neben Barolo und Barbaresco" in doc.text
    assert line_key("Kon\u00adtakt \u200b") == line_key("Kontakt")


@pytest.mark.parametrize(
    ("source", "hides"),
    [
        ("<p>Ita&shy;liens</p>", True),
        ("<p>Ita&SHY;liens</p>", True),
        ("<p>Ita&#173;liens</p>", True),
        ("<p>Ita&#xad;liens</p>", True),
        ("<p>Ita\u00adliens</p>", True),
        ("<p>Win\u200bzer</p>", True),
        ("<p>Italiens &amp; Spanien, &#8211; &nbsp;</p>", False),
    ],
)
def test_a_page_that_may_hide_characters_is_told_apart_cheaply(source: str, hides: bool) -> None:
    assert may_hide(source) is hides
