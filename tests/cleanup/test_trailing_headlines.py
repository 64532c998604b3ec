"""Headline-like lines after an article's last paragraph are teasers for other pages, unless the author
signs off there: a letter's closing or a last sentence that ends in a smiley stays with the article."""

from __future__ import annotations

import pytest

from pipelines.cleanup import clean_html
from pipelines.cleanup.lines import Line, drop_trailing_headlines, signs_off

BODY = [
    "Am Wochenende waren wir zum ersten Mal mit dem Rad am Stausee unterwegs und haben dort den ganzen Tag verbracht.",
    "Der Weg dorthin führt an zwei Dörfern vorbei, in denen es frischen Kuchen und kalte Getränke gibt.",
    "Zurück ging es mit dem letzten Zug, der zum Glück noch Platz für unsere Räder hatte.",
]
TEASERS = ["Radtour durch das Altmühltal mit Kindern", "Die schönsten Badeseen im Umland"]


@pytest.mark.parametrize(
    "line",
    ["Euer Hans", "Eure Redaktion", "xx Anna", "XX, Die Redaktion", "Liebe Grüße, Anna", "Bis dahin, viel Spaß 😉"],
)
def test_a_closing_is_the_authors(line: str) -> None:
    assert signs_off(line)


@pytest.mark.parametrize(
    "line",
    [
        *TEASERS,
        "Eure Meinung ist gefragt",
        "Dein Horoskop für heute",
        "LG Display baut neues Werk",
        "Xi Jinping in Berlin",
    ],
)
def test_a_teaser_headline_is_no_closing(line: str) -> None:
    assert not signs_off(line)


def _walk(texts: list[str]) -> list[str]:
    lines = [Line(i, text, text) for i, text in enumerate(texts)]
    drop_trailing_headlines([[line] for line in lines], texts)
    return [line.raw for line in lines if line.hit is None]


def test_teasers_after_a_closing_go_and_the_closing_stays() -> None:
    assert _walk([*BODY, "Euer Hans", *TEASERS]) == [*BODY, "Euer Hans"]


def test_teasers_after_the_last_paragraph_go() -> None:
    assert _walk([*BODY, *TEASERS]) == BODY


def test_the_whole_cleanup_keeps_a_posts_closing_line() -> None:
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY * 2)
    page = (
        "<html lang='de'><head><title>Mit dem Rad zum Stausee</title></head><body><main><article>"
        f"<h1>Mit dem Rad zum Stausee</h1>{paragraphs}<p>Liebe Grüße, Anna</p></article></main></body></html>"
    )
    doc = clean_html(page, url="https://blog.example.org/stausee")
    assert doc.blocks[-1].text == "Liebe Grüße, Anna"
