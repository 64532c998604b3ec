"""The lead an extractor left out is found again between the headline and the article's first kept block."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from pipelines.cleanup import clean_html
from pipelines.cleanup.leads import MAX_LEAD_STEPS, recover_dropped_lead
from pipelines.domain import Block

HEADLINE = "Stadtrat beschließt neue Radwege für die Innenstadt"
LEAD = (
    "Nach monatelangem Streit hat der Stadtrat am Dienstagabend den Ausbau von sechs Radwegen beschlossen. "
    "Die ersten Arbeiten sollen im Frühjahr beginnen."
)
FIRST = (
    "Die Verwaltung hatte den Plan im Sommer vorgelegt. Er sieht vor, zwei Fahrspuren auf der Ringstraße "
    "in geschützte Radstreifen umzuwandeln und an vier Kreuzungen eigene Ampelphasen einzurichten."
)


def _page(between: str, *, headline: str = f"<h1>{HEADLINE}</h1>") -> str:
    return f"<html><body><article>{headline}{between}<div class='text'><p>{FIRST}</p></div></article></body></html>"


def _recovered(page: str, language: str | None = "de") -> list[Block]:
    blocks = [Block("title", HEADLINE), Block("body", FIRST)]
    recover_dropped_lead(blocks, lxml_html.fromstring(page), language)
    return blocks


def test_the_prose_between_headline_and_first_paragraph_is_the_lead() -> None:
    blocks = _recovered(_page(f"<div class='intro'><p class='kicker'>Verkehr</p><div>{LEAD}</div></div>"))
    assert [(b.type, b.text) for b in blocks] == [("title", HEADLINE), ("lead", LEAD), ("body", FIRST)]


@pytest.mark.parametrize(
    ("between", "why"),
    [
        ("<p>Von Anna Beispiel, 12.03.2024, 14:05 Uhr</p>", "a byline is not prose of a lead's size"),
        ("<p>Diese Website verwendet Cookies. Mit der Nutzung der Seite stimmen Sie der Verwendung zu.</p>", "a rule"),
        (f"<p>{LEAD[:70]}</p>", "too short for a lead"),
        (
            "<p>This article was translated automatically and may contain mistakes; the German original is "
            "the one that counts.</p>",
            "another language than the article's",
        ),
    ],
)
def test_what_is_not_a_lead_stays_out(between: str, why: str) -> None:
    assert [b.type for b in _recovered(_page(between))] == ["title", "body"], why


def test_without_a_headline_before_the_article_nothing_is_added() -> None:
    assert [b.type for b in _recovered(_page(f"<p>{LEAD}</p>", headline=""))] == ["title", "body"]


def test_prose_far_from_the_headline_is_not_taken_for_its_lead() -> None:
    filler = "".join(f"<div><span>Punkt {i}</span></div>" for i in range(MAX_LEAD_STEPS))
    assert [b.type for b in _recovered(_page(filler + f"<p>{LEAD}</p>"))] == ["title", "body"]


def test_a_lead_the_extractor_kept_is_not_added_twice() -> None:
    blocks = [Block("title", HEADLINE), Block("lead", LEAD), Block("body", FIRST)]
    recover_dropped_lead(blocks, lxml_html.fromstring(_page(f"<p>{LEAD}</p>")), "de")
    assert [b.type for b in blocks] == ["title", "lead", "body"]


def test_a_kept_subheading_ends_the_search() -> None:
    blocks = [Block("title", HEADLINE), Block("heading", "Der Plan"), Block("body", FIRST)]
    page = _page(f"<h2>Der Plan</h2><p>{LEAD}</p>")
    recover_dropped_lead(blocks, lxml_html.fromstring(page), "de")
    assert [b.type for b in blocks] == ["title", "heading", "body"]


def test_the_whole_cleanup_keeps_a_lead_set_in_a_header_box() -> None:
    body = "".join(f"<p>{FIRST} Absatz {i} führt das weiter aus.</p>" for i in range(6))
    page = (
        f"<html lang='de'><head><title>{HEADLINE}</title></head><body><main><article>"
        f"<header><h1>{HEADLINE}</h1><div class='chapo'><div class='intro'>{LEAD}</div></div></header>"
        f"<div class='entry-content'>{body}</div></article></main></body></html>"
    )
    doc = clean_html(page, url="https://example.org/radwege")
    assert LEAD in doc.text
    assert not any(LEAD in r.text for r in doc.removed)


def test_a_lead_the_article_holds_inside_a_later_block_is_not_added_again() -> None:
    blocks = [Block("title", HEADLINE), Block("body", FIRST), Block("body", f"Zur Erinnerung: {LEAD}")]
    recover_dropped_lead(blocks, lxml_html.fromstring(_page(f"<p>{LEAD}</p>")), "de")
    assert [b.type for b in blocks] == ["title", "body", "body"]
