"""A real headless Chromium reads the pages: home, an article with linked entities, an entity page with
a person's quotes, a story.

Screenshots go to a temporary folder (printed; run with ``-s`` to see where) for a look at the pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.graph.samples import golden_input
from tests.web.cdp import Browser, chromium_binary
from tests.web.conftest import HOSTILE_ID, HOSTILE_QUOTE, NS, STORY_ARTICLES, Site, StorySite


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chromium_binary()  # skips with the reason when Chromium is absent
    chrome = Browser(tmp_path_factory.mktemp("chromium") / "profile")
    try:
        yield chrome
    finally:
        chrome.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def expected_entity_paths() -> dict[str, str]:
    """Mention text -> the page its highlight must link to, from the golden input."""
    out = {}
    for mention in golden_input()["mentions"]:
        iri = NS.wikidata_iri(mention.qid) if mention.qid else NS.nil_entity_iri(mention.entity_name, mention.label)
        out[mention.text] = f"/wikidata/{mention.qid}" if mention.qid else urlsplit(str(iri)).path
    return out


def test_home_page(browser: Browser, site: Site, shots: Path) -> None:
    browser.open(site.url + "/")
    assert browser.evaluate("document.querySelector('h1').textContent") == "German news as a knowledge graph"
    links = browser.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert "/queries/articles-per-outlet-per-day" in links and "/sparql" in links
    print("screenshot:", browser.screenshot(shots / "home.png"))


def test_article_highlights_link_to_entity_pages(browser: Browser, site: Site, shots: Path) -> None:
    article = urlsplit(str(NS.article_iri("golden0001"))).path
    browser.open(site.url + article)
    highlights = browser.evaluate(
        "[...document.querySelectorAll('article a.ent')].map(a => [a.textContent, a.getAttribute('href')])"
    )
    expected = expected_entity_paths()
    assert len(highlights) == len(golden_input()["mentions"])
    assert all(expected[text] == href for text, href in highlights), highlights
    print("screenshot:", browser.screenshot(shots / "article.png"))

    browser.evaluate("document.querySelector('article a.ent[href=\"/wikidata/Q57665\"]').click()")
    browser.wait_for_load()
    assert browser.evaluate("location.pathname") == "/wikidata/Q57665"
    assert browser.evaluate("document.querySelector('h1').textContent") == "Jens Stoltenberg"


def test_entity_page(browser: Browser, site: Site, shots: Path) -> None:
    browser.open(site.url + "/wikidata/Q57665")
    mentions_by_article = browser.evaluate(
        "[...document.querySelectorAll('table tr td:nth-child(2) a')].map(a => a.getAttribute('href'))"
    )
    assert urlsplit(str(NS.article_iri("golden0001"))).path in mentions_by_article
    co = browser.evaluate("[...document.querySelectorAll('svg a')].map(a => a.getAttribute('href'))")
    assert "/wikidata/Q61053" in co  # Scholz, mentioned in the same article
    assert browser.evaluate("document.querySelectorAll('svg rect.bar').length") >= 1
    print("screenshot:", browser.screenshot(shots / "entity.png"))


def test_markup_in_article_text_stays_text(browser: Browser, site: Site, shots: Path) -> None:
    browser.open(site.url + urlsplit(str(NS.article_iri(HOSTILE_ID))).path)
    assert browser.evaluate("document.querySelectorAll('script, img, article b').length") == 0
    body = browser.evaluate("document.querySelector('article').textContent")
    assert '<script>alert("body")</script>' in body and "<img src=x onerror=alert(2)>" in body
    assert json.loads(browser.evaluate("JSON.stringify(document.title)")).startswith("Achtung <script>")
    print("screenshot:", browser.screenshot(shots / "hostile.png"))


def test_a_persons_quotes_lead_to_the_article_and_its_story(
    browser: Browser, story_site: StorySite, shots: Path
) -> None:
    browser.open(story_site.url + "/wikidata/Q57665")
    rows = browser.evaluate(
        "[...document.querySelectorAll('table.quotes tr')].slice(1)"
        ".map(tr => [...tr.cells].map(c => c.textContent.trim()))"
    )
    assert len(rows) == 3
    said = {row[1].strip("„“"): row for row in rows}
    assert said["Wir sind bereit, zuzuhören"][2:4] == ["direct", "sagte"]
    assert said[HOSTILE_QUOTE][4].startswith(STORY_ARTICLES["story0002"][1])  # the article's headline
    assert browser.evaluate("document.querySelectorAll('table.quotes script, table.quotes b').length") == 0
    print("screenshot:", browser.screenshot(shots / "entity-quotes.png"))

    article = urlsplit(str(NS.article_iri("story0001"))).path
    browser.evaluate(f"document.querySelector('table.quotes a[href=\"{article}\"]').click()")
    browser.wait_for_load()
    assert browser.evaluate("location.pathname") == article
    story = urlsplit(str(NS.story_iri(story_site.story_id))).path
    assert browser.evaluate("document.querySelector('a.story').getAttribute('href')") == story

    browser.evaluate("document.querySelector('a.story').click()")
    browser.wait_for_load()
    assert browser.evaluate("location.pathname") == story
    assert browser.evaluate("document.querySelector('h1').textContent") == STORY_ARTICLES["story0001"][1]
    listed = browser.evaluate(
        "[...document.querySelectorAll('table.articles tr')].slice(1)"
        ".map(tr => [tr.cells[1].textContent, tr.cells[2].textContent])"
    )
    assert sorted(listed) == sorted([headline, outlet] for outlet, headline, _body in STORY_ARTICLES.values())
    shared = browser.evaluate("[...document.querySelectorAll('ul.shared a')].map(a => a.textContent)")
    assert "Jens Stoltenberg" in shared
    speakers = browser.evaluate("[...document.querySelectorAll('table.quotes a.speaker')].map(a => a.textContent)")
    assert speakers == ["Jens Stoltenberg"] * 3
    quotes = browser.evaluate("[...document.querySelectorAll('table.quotes td.quote')].map(td => td.textContent)")
    assert any(HOSTILE_QUOTE in q for q in quotes)
    assert browser.evaluate("document.querySelectorAll('script, table.quotes b').length") == 0
    print("screenshot:", browser.screenshot(shots / "story.png"))
