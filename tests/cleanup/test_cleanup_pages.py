"""Saved HTML pages in the style of German outlets, with must / must-not snippets (as trafilatura's
own tests do): comment sections, paywall boxes, share bars, related-article boxes, gallery captions."""

from __future__ import annotations

import pytest

from newsgraph_tools.evaluate.cleanup import check_page, evaluate_pages, load_pages
from pipelines.cleanup import clean_document, clean_html, clean_text

PAGES = load_pages()


@pytest.mark.parametrize(("name", "page", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_snippets(name: str, page: str, expected: dict) -> None:
    doc = clean_html(page, url=expected["url"])
    assert check_page(doc.text, expected) == {"missing": [], "leaked": []}
    assert doc.title is not None and expected["title"] in doc.title
    assert doc.blocks[0].type == "title"
    categories = {r.category for r in doc.removed}
    assert set(expected["removed_categories"]) <= categories
    for key, value in expected.get("metadata", {}).items():
        assert doc.metadata.get(key) == value, key
    assert doc.language == "de"


TEXT_PAGES = load_pages(kind="txt")


@pytest.mark.parametrize(("name", "text", "expected"), TEXT_PAGES, ids=[p[0] for p in TEXT_PAGES])
def test_text_dump_snippets(name: str, text: str, expected: dict) -> None:
    doc = clean_text(text)
    assert check_page(doc.text, expected) == {"missing": [], "leaked": []}
    assert doc.title == expected["title"]
    assert set(expected["removed_categories"]) <= {r.category for r in doc.removed}
    for key, value in expected.get("metadata", {}).items():
        assert doc.metadata.get(key) == value, key
    headings = [b.text for b in doc.blocks if b.type == "heading"]
    assert headings == expected.get("headings", headings)


def test_pages_as_bytes_through_clean_document() -> None:
    _name, page, expected = PAGES[0]
    doc = clean_document(page.encode("utf-8"), "text/html; charset=utf-8", url=expected["url"])
    assert check_page(doc.text, expected) == {"missing": [], "leaked": []}


def test_headings_and_lead_are_typed() -> None:
    pages = {name: (page, expected) for name, page, expected in PAGES}
    page, expected = pages["share_related"]
    doc = clean_html(page, url=expected["url"])
    types = [b.type for b in doc.blocks]
    assert types[:2] == ["title", "lead"]
    assert ("heading", "Kritik von Eigentümern und Mietervereinen") in [(b.type, b.text) for b in doc.blocks]


def test_removed_furniture_is_recorded_with_reasons() -> None:
    pages = {name: (page, expected) for name, page, expected in PAGES}
    page, expected = pages["comments_section"]
    doc = clean_html(page, url=expected["url"])
    comments = [r for r in doc.removed if r.category == "comments"]
    assert comments and "Hoffentlich halten sie diesmal" in comments[0].text
    assert all(r.reason and r.line is None for r in doc.removed)


def test_ours_beats_plain_extractors_on_the_pages() -> None:
    summary = evaluate_pages()["summary"]
    assert summary["ours"]["snippets_ok"] == summary["ours"]["snippets"]
    assert summary["trafilatura"]["snippets_ok"] < summary["ours"]["snippets_ok"]
    assert summary["justext"]["snippets_ok"] < summary["ours"]["snippets_ok"]


def test_text_the_extractor_left_out_is_on_record() -> None:
    pages = {name: (page, expected) for name, page, expected in PAGES}
    page, expected = pages["opinion_comment_class"]
    doc = clean_html(page, url=expected["url"])
    dropped = [r for r in doc.removed if r.category == "boilerplate"]
    assert any("Rentenniveau beschreibt" in r.text for r in dropped)
    assert all("extractor" in r.reason for r in dropped)
    kept_words = set(doc.text.split())
    assert not any(r.text in doc.text for r in dropped) and kept_words
