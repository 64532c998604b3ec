"""Text decoded wrongly before it reached us is repaired when it is decoded, for dumps and HTML pages alike,
and decomposed characters are composed."""

from __future__ import annotations

import pytest

from pipelines.cleanup import clean_document
from pipelines.cleanup.mojibake import repair_mojibake

BODY = "Die Stadtwerke verlängern die Linie bis zum Neubaugebiet am Nordpark, teilte die Verkehrsgesellschaft mit."
BODY2 = "Die Bahnen fahren „alle zehn Minuten“ – die Kosten liegen bei rund 40 Millionen €, teilte die Stadt mit."


def _read_as_windows_1252(text: str) -> str:
    """What a scraper hands over when it decodes UTF-8 bytes as Windows-1252."""
    return text.encode("utf-8").decode("cp1252", errors="replace")


def test_a_dump_a_naive_scraper_decoded_twice_reads_as_german_again() -> None:
    dump = _read_as_windows_1252(f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\n{BODY2}\n")
    assert "Ã¤" in dump and "â€" in dump
    doc = clean_document(dump.encode("utf-8"), "text/plain; charset=utf-8")
    assert doc.title == "Straßenbahn kommt bis ins Neubaugebiet"
    assert BODY in doc.text and BODY2 in doc.text


def test_an_html_page_with_windows_1252_punctuation_read_as_latin_1() -> None:
    page = (
        "<html><head><title>Straßenbahn</title></head><body><article><h1>Straßenbahn kommt bis ins Neubaugebiet</h1>"
        f"<p>{BODY}</p><p>{BODY2}</p></article></body></html>"
    )
    latin_1 = page.encode("cp1252").decode("latin-1")  # „ “ – € become C1 control characters
    assert "\x84" in latin_1
    doc = clean_document(latin_1.encode("utf-8"), "text/html; charset=utf-8")
    assert BODY2 in doc.text


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "Ângelo Soares traf in São Paulo die Delegation aus Curaçao; Â la carte stand auf der Karte.",
    ],
)
def test_text_that_only_looks_odd_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def test_decomposed_umlauts_are_composed_so_a_word_is_one_string() -> None:
    decomposed = "Stra\u00dfenbahn kommt bis ins Neubaugebiet\n" + BODY.replace("ä", "a\u0308") + "\n" + BODY2 + "\n"
    assert "\u0308" in decomposed
    doc = clean_document(decomposed.encode("utf-8"), "text/plain; charset=utf-8")
    assert BODY in doc.text
    assert "\u0308" not in doc.text
