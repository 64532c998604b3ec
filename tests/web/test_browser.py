"""A real headless Chromium reads the pages: home (and its UTC time), an article with linked entities and
followable links only, an entity page.

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
from tests.web.conftest import HOSTILE_ID, NS, Site
from tests.web.dated_site import (
    CAPTURED,
    LAST_UPDATE_UTC,
    SAMPLE_ID,
    DatedSite,
    dated_site_fixture,  # noqa: F401 (the dated_site fixture)
)


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


def test_home_page_time_is_utc_where_it_says_utc(browser: Browser, dated_site: DatedSite, shots: Path) -> None:
    browser.open(dated_site.url + "/")
    stamp = browser.evaluate("document.querySelector('#last-update time').getAttribute('datetime')")
    label = browser.evaluate("document.querySelector('#last-update time').textContent")
    assert stamp == LAST_UPDATE_UTC  # the run wrote 06:03:46+01:00
    assert label == stamp[:16].replace("T", " ") + " UTC"
    assert browser.evaluate(f"new Date('{stamp}').getTime() === new Date('2026-12-06T06:03:46+01:00').getTime()")
    print("screenshot:", browser.screenshot(shots / "home-time.png"))


def test_article_links_are_all_followable(browser: Browser, dated_site: DatedSite, shots: Path) -> None:
    protocols = "[...document.querySelectorAll('a[href]')].map(a => new URL(a.href).protocol)"
    originals = "[...document.querySelectorAll('a.original')].map(a => a.href)"
    browser.open(dated_site.url + urlsplit(str(NS.article_iri(SAMPLE_ID))).path)
    assert set(browser.evaluate(protocols)) <= {"http:", "https:"}  # no urn: although that is the sample's URL
    assert browser.evaluate(originals) == []
    assert browser.evaluate("document.querySelector('#byline time').getAttribute('datetime')") == CAPTURED
    print("screenshot:", browser.screenshot(shots / "sample-article.png"))
    browser.open(dated_site.url + urlsplit(str(NS.article_iri("golden0001"))).path)
    assert set(browser.evaluate(protocols)) <= {"http:", "https:"}
    assert browser.evaluate(originals) == [golden_input()["raw"].url]
