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


SECOND = (
    "Der Beschluss fiel mit 31 zu 12 Stimmen. Die Opposition kündigte an, das Vorhaben im Bauausschuss "
    "weiter zu prüfen."
)


def test_a_lead_box_of_two_paragraphs_comes_back_whole_and_in_order() -> None:
    box = f"<div class='teaser-text'><p>{LEAD}</p><p>{SECOND}</p></div><p class='date'>12.03.2024</p>"
    assert [(b.type, b.text) for b in _recovered(_page(box))] == [
        ("title", HEADLINE),
        ("lead", LEAD),
        ("lead", SECOND),
        ("body", FIRST),
    ]


def test_prose_after_an_unmarked_lead_is_not_taken_along() -> None:
    blocks = _recovered(_page(f"<p>{LEAD}</p><p>{SECOND}</p>"))
    assert [(b.type, b.text) for b in blocks] == [("title", HEADLINE), ("lead", LEAD), ("body", FIRST)]


def test_a_lead_box_paragraph_goes_before_the_paragraph_the_extractor_took_for_the_lead() -> None:
    blocks = [Block("title", HEADLINE), Block("lead", SECOND), Block("body", FIRST)]
    page = _page(f"<div class='intro'><div class='teaser-text'><p>{LEAD}</p></div></div><div><p>{SECOND}</p></div>")
    recover_dropped_lead(blocks, lxml_html.fromstring(page), "de")
    assert [(b.type, b.text) for b in blocks] == [
        ("title", HEADLINE),
        ("lead", LEAD),
        ("lead", SECOND),
        ("body", FIRST),
    ]


def test_the_headline_may_stand_under_a_kicker_the_cleanup_kept() -> None:
    blocks = [Block("heading", "Verkehr in der Innenstadt"), Block("title", HEADLINE), Block("body", FIRST)]
    recover_dropped_lead(blocks, lxml_html.fromstring(_page(f"<p>{LEAD}</p>")), "de")
    assert [b.type for b in blocks] == ["heading", "title", "lead", "body"]


def test_without_an_h1_the_element_that_reads_as_the_title_heads_the_article() -> None:
    page = _page(f"<p>{LEAD}</p>", headline=f"<div class='header'><h3>{HEADLINE}</h3></div>")
    assert [b.type for b in _recovered(page)] == ["title", "lead", "body"]


LONG_LEAD = " ".join([LEAD, SECOND, LEAD.replace("Stadtrat", "Gemeinderat"), SECOND.replace("31", "29")] * 2)
TEASER = "Was seit Wochen erwartet wurde, hat der Stadtrat am Dienstagabend nun offiziell beschlossen"
TAGS = "Radwege - Stadtrat - Innenstadt - Ringstraße - Verkehr - Ampeln - Bauausschuss - Opposition - Haushalt"


@pytest.mark.parametrize(
    ("text", "boxed", "taken"),
    [
        (LONG_LEAD, True, True),
        (LONG_LEAD, False, False),
        (TEASER, True, True),
        (TEASER, False, False),
        (TAGS, True, False),
    ],
    ids=["long-in-box", "long-unmarked", "teaser-in-box", "teaser-unmarked", "tag-list-in-box"],
)
def test_a_lead_box_admits_a_longer_lead_or_a_teaser_without_full_stop(text: str, boxed: bool, taken: bool) -> None:
    assert 700 < len(LONG_LEAD) <= 1500
    wrapper = "<div class='lead'><p>{}</p></div>" if boxed else "<div><p>{}</p></div>"
    blocks = _recovered(_page(wrapper.format(text)))
    assert (("lead", text) in [(b.type, b.text) for b in blocks]) is taken


@pytest.mark.parametrize(
    "between",
    [
        f"<a href='/andere-meldung'><div class='summary'><p>{LEAD}</p></div></a>",
        f"<ol class='commentlist'><li class='comment'><div class='comment-body'><p>{LEAD}</p></div></li></ol>",
    ],
    ids=["another-page-teaser", "a-comment"],
)
def test_a_linked_teaser_or_a_comment_is_not_the_lead(between: str) -> None:
    assert [b.type for b in _recovered(_page(between))] == ["title", "body"]
