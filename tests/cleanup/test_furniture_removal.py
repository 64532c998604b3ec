"""Page furniture leaves the tree without the text that follows it: lxml's ``remove`` would take an
element's tail along, and with it an article's first sentence set right after a gallery link."""

from __future__ import annotations

from lxml import html as lxml_html

from pipelines.cleanup import clean_html
from pipelines.cleanup.dom_furniture import element_text, remove_keeping_tail

FIRST = (
    "Konflikte im Team lassen sich selten vermeiden. Wie man sie früh anspricht, zeigen drei Beispiele aus dem Alltag."
)


def test_the_tail_goes_to_the_parent_where_nothing_precedes() -> None:
    tree = lxml_html.fromstring(f"<div><p><a class='gallery' href='/bild'><img src='a.jpg'></a>{FIRST}</p></div>")
    remove_keeping_tail(tree.find(".//a"))
    assert element_text(tree.find(".//p")) == FIRST
    assert tree.find(".//a") is None


def test_the_tail_joins_the_previous_siblings_tail() -> None:
    tree = lxml_html.fromstring("<p>Vorher <b>fett</b> danach <span class='share'>Teilen</span> und weiter.</p>")
    remove_keeping_tail(tree.find(".//span"))
    assert element_text(tree) == "Vorher fett danach und weiter."


def test_the_whole_cleanup_keeps_a_sentence_set_after_a_gallery_link() -> None:
    more = "".join(
        f"<p>Absatz {i}: Wer Konflikte früh anspricht, spart sich später lange und schwierige Gespräche im Team.</p>"
        for i in range(5)
    )
    page = (
        "<html lang='de'><head><title>Schwierige Gespräche</title></head><body><main><article>"
        "<h1>Schwierige Gespräche: so geht es</h1>"
        "<div class='detail'><p><a class='gallery picRight' href='/bild.jpg'><img src='/bild_thumb.jpg'></a>"
        f"{FIRST}</p>"
        f"{more}</div></article></main></body></html>"
    )
    doc = clean_html(page, url="https://magazin.example.org/gespraeche")
    assert FIRST in doc.text
