"""A real headless Chromium reads the pages: home (and its UTC time), an article with linked entities and
followable links only, an entity page with a person's quotes, a story page, the query editor (typing,
completion, running, paging, errors) and the dumps page.

Screenshots go to a temporary folder (printed; run with ``-s`` to see where) for a look at the pages.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from pipelines.store import EmbeddedStore
from pipelines.store.queries import named_queries
from tests.graph.samples import golden_input
from tests.web.cdp import Browser, chromium_binary
from tests.web.conftest import HOSTILE_ID, HOSTILE_QUOTE, NS, SECOND_NIGHT, STORY_ARTICLES, Site, StorySite
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


# ------------------------------------------------------------------ the query editor and the dumps page

CTRL = 2  # the DevTools protocol's modifier bit for Control
CSP_WATCH = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)
PAGED_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 120"


def _wait(browser: Browser, expression: str, timeout_s: float = 20) -> Any:
    """The expression's value once it is truthy (the page updates after fetches and key presses)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = browser.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s} s: {expression}")
        time.sleep(0.1)


def _key(browser: Browser, key: str, code: str, key_code: int, modifiers: int = 0) -> None:
    for kind in ("keyDown", "keyUp"):
        browser.send(
            "Input.dispatchKeyEvent",
            type=kind,
            key=key,
            code=code,
            windowsVirtualKeyCode=key_code,
            nativeVirtualKeyCode=key_code,
            modifiers=modifiers,
        )


def _type_query(browser: Browser, text: str) -> None:
    """Replace the editor's text as a person would: focus, select all, type."""
    browser.evaluate("document.querySelector('.cm-content').focus()")
    _key(browser, "a", "KeyA", 65, CTRL)
    browser.send("Input.insertText", text=text)


def _query_text(browser: Browser) -> str:
    return str(browser.evaluate("document.querySelector('#query-form textarea').value"))


@pytest.fixture
def editor(browser: Browser, site: Site) -> Browser:
    browser.send("Page.addScriptToEvaluateOnNewDocument", source=CSP_WATCH)
    browser.open(site.url + "/sparql")
    _wait(browser, "document.querySelector('.cm-editor .cm-content') !== null")
    return browser


def test_query_editor_types_highlights_runs_and_pages(editor: Browser, site: Site, shots: Path) -> None:
    _type_query(editor, PAGED_QUERY)
    assert _query_text(editor) == PAGED_QUERY
    styles = editor.evaluate(
        "Object.fromEntries([...document.querySelectorAll('.cm-line span')].map(s => [s.textContent, s.className]))"
    )
    assert styles["SELECT"] and styles["?s"] and styles["SELECT"] != styles["?s"]  # keywords and variables told apart
    editor.evaluate("document.querySelector('button.run').click()")
    _wait(editor, "document.querySelectorAll('#results table.results tbody tr').length === 50")
    assert editor.evaluate("document.querySelector('.status').textContent").startswith("120 rows in ")
    info = "document.querySelector('.pager .page-info').textContent"
    assert editor.evaluate(info) == "page 1 of 3 · rows 1–50 of 120"
    first_cells = "[...document.querySelectorAll('#results tbody tr:first-child td')].map(td => td.textContent)"

    editor.evaluate("document.querySelector('.pager button[title=\"next page\"]').click()")
    assert _wait(editor, f"{info} === 'page 2 of 3 · rows 51–100 of 120'")
    assert editor.evaluate(first_cells)[0] == "51"
    editor.evaluate("document.querySelector('.pager button[title=\"last page\"]').click()")
    assert _wait(editor, f"{info} === 'page 3 of 3 · rows 101–120 of 120'")
    assert editor.evaluate("document.querySelectorAll('#results tbody tr').length") == 20
    editor.evaluate(
        "const s = document.querySelector('.pager select'); s.value = '10'; s.dispatchEvent(new Event('change'))"
    )
    assert _wait(editor, f"{info} === 'page 11 of 12 · rows 101–110 of 120'")
    print("screenshot:", editor.screenshot(shots / "editor.png"))

    links = editor.evaluate(
        "Object.fromEntries([...document.querySelectorAll('.downloads a')].map(a => [a.textContent, a.href]))"
    )
    assert set(links) == {"json", "xml", "csv", "tsv"}
    csv_rows = list(csv.reader(io.StringIO(requests.get(links["csv"], timeout=30).text)))
    assert len(csv_rows) == 121 and csv_rows[0] == ["s", "p", "o"]
    assert "query=" in editor.evaluate("location.search")  # the address names the query that ran
    assert editor.evaluate("window.__csp") == []


def test_query_editor_marks_the_endpoints_syntax_error(editor: Browser, shots: Path) -> None:
    _type_query(editor, "PREFIX schema: <http://schema.org/>\nSELECT * WHERE {\n  ?s schema:name\n}")
    _key(editor, "Enter", "Enter", 13, CTRL)
    card = _wait(
        editor, "document.querySelector('#results .error') && document.querySelector('#results .error').innerText"
    )
    assert "line 3, column 17" in card and "lacks its object" in card
    assert editor.evaluate("document.querySelector('#results pre.excerpt').textContent").endswith("^")
    assert editor.evaluate("document.querySelector('#results .error').dataset.line") == "3"
    assert _wait(editor, "document.querySelectorAll('.cm-lintRange-error, .cm-lintPoint-error').length === 1")
    print("screenshot:", editor.screenshot(shots / "editor-error.png"))
    editor.send("Input.insertText", text=" ?name")
    assert _wait(editor, "document.querySelectorAll('.cm-lintRange-error, .cm-lintPoint-error').length === 0")
    assert editor.evaluate("window.__csp") == []


def test_query_editor_completes_prefixes_and_terms(editor: Browser) -> None:
    _type_query(editor, "SELECT * WHERE { ?s a sche")
    options = "[...document.querySelectorAll('.cm-tooltip-autocomplete li')].map(li => li.textContent)"
    assert any(o.startswith("schema:") for o in _wait(editor, options))
    time.sleep(0.3)  # the completion list ignores keys in its first moments (CodeMirror's interactionDelay)
    _key(editor, "Enter", "Enter", 13)
    assert _wait(editor, "document.querySelector('#query-form textarea').value.startsWith('PREFIX schema: ')")
    assert _query_text(editor) == "PREFIX schema: <http://schema.org/>\nSELECT * WHERE { ?s a schema:"
    editor.send("Input.insertText", text="NewsArt")
    assert "schema:NewsArticle" in _wait(editor, options)
    time.sleep(0.3)
    _key(editor, "Enter", "Enter", 13)
    assert _wait(editor, "document.querySelector('#query-form textarea').value.endsWith('?s a schema:NewsArticle')")


def test_query_editor_loads_the_named_queries_as_examples(editor: Browser) -> None:
    queries = named_queries()
    examples = editor.evaluate("[...document.querySelectorAll('a[data-example]')].map(a => a.textContent)")
    assert examples == list(queries)
    editor.evaluate("document.querySelector('details.examples').open = true")
    editor.evaluate("document.querySelector('a[data-example]').click()")
    assert _query_text(editor) == next(iter(queries.values())).sparql
    assert editor.evaluate("location.pathname") == "/sparql"  # loaded into the editor, no navigation


def test_query_editor_shows_numbers_without_datatype_labels(editor: Browser, reader: EmbeddedStore) -> None:
    _type_query(editor, "SELECT (COUNT(*) AS ?triples) (0.5 AS ?share) WHERE { ?s ?p ?o }")
    _key(editor, "Enter", "Enter", 13, CTRL)
    cells = _wait(
        editor,
        "document.querySelector('#results tbody td.num + td') && "
        "[...document.querySelectorAll('#results tbody td')].map(td => [td.className, td.textContent, td.title])",
    )
    assert cells[1] == ["num", str(reader.triple_count()), "xsd:integer"]  # the type stays on hover, not in the cell
    assert cells[2] == ["num", "0.5", "xsd:decimal"]
    assert editor.evaluate("[...document.querySelectorAll('#results thead th')].map(th => th.className)") == ["num"] * 3


def test_dumps_page_in_a_browser(browser: Browser, site: Site, shots: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        browser.open(site.url + "/dumps")
        if browser.evaluate("document.querySelectorAll('td.size[data-bytes]').length") == 6:
            break
        assert time.monotonic() < deadline, "the dumps page never showed every file's size"
        time.sleep(1)
    rows = browser.evaluate(
        "[...document.querySelectorAll('table.dumps tr[data-file]')].map(tr => [...tr.cells].map(c => c.innerText))"
    )
    assert [r[0] for r in rows] == ["Everything, latest"] * 2 + [f"Night {SECOND_NIGHT}"] * 2 + ["Night 2026-11-20"] * 2
    assert {r[2] for r in rows} == {"N-Quads", "TriG"}
    assert all(r[1] and r[3].replace(",", "").isdigit() and r[4].endswith(("bytes", "kB", "MB")) for r in rows)
    print("screenshot:", browser.screenshot(shots / "dumps.png"))
    browser.evaluate("document.querySelector('main a[href=\"/graphs\"]').click()")
    browser.wait_for_load()
    assert browser.evaluate("document.querySelector('h1').textContent") == "Named graphs"
    listed = browser.evaluate("[...document.querySelectorAll('table.graphs tr td.iri')].map(td => td.innerText)")
    own = [iri for iri in listed if "/graph/described/" not in iri]
    assert len(own) == 4 and len(listed) > len(own)  # two nights' run and article graphs, then descriptions
    print("screenshot:", browser.screenshot(shots / "graphs.png"))


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
