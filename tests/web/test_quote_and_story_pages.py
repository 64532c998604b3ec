"""A person's quotes on the entity page and the story page, on a real server over a real store."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import requests
from markupsafe import escape

from pipelines.namespaces import NG, SCHEMA
from tests.web.conftest import HOSTILE_QUOTE, NS, STORY_ARTICLES, STORY_NIGHT, StorySite

HTML = {"Accept": "text/html"}


def local(iri: object) -> str:
    return urlsplit(str(iri)).path


def section(page: str, anchor: str) -> str:
    """The HTML from the heading with ``id=anchor`` to the next heading."""
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start)
    return page[start : end if end >= 0 else len(page)]


def _quote_text(cell: str) -> str:
    """A quote cell's quotation, without its quotation marks and the speaker's pronoun note."""
    return unescape(re.sub(r"<span[^>]*>.*?</span>", "", cell)).strip().strip("„“")


def test_the_entity_page_lists_what_the_person_said(story_site: StorySite) -> None:
    page = requests.get(story_site.url + "/wikidata/Q57665", headers=HTML, timeout=30)
    assert page.status_code == 200
    quotes = section(page.text, "quotes")
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>", quotes)
    assert len(rows) == 3
    by_text = {_quote_text(text): (day, kind, cue) for day, text, kind, cue in rows}
    assert by_text["Wir sind bereit, zuzuhören"] == (STORY_NIGHT, "direct", "sagte")
    assert by_text["Die Lage sei ernst"] == (STORY_NIGHT, "indirect", "betonte")
    assert '<span class="muted small">(er)</span>' in quotes  # the attribution named him by pronoun
    assert by_text[HOSTILE_QUOTE][1:] == ("direct", "sagte")
    for doc_id, (_outlet, headline, _body) in STORY_ARTICLES.items():
        assert f'<a href="{local(NS.article_iri(doc_id))}">{escape(headline)}</a>' in quotes
    assert "<script>" not in page.text and str(escape(HOSTILE_QUOTE)) in quotes


def test_an_entity_without_quotes_says_so(story_site: StorySite) -> None:
    page = requests.get(story_site.url + "/wikidata/Q7184", headers=HTML, timeout=30).text
    assert "No quotes attributed to" in section(page, "quotes")


def test_the_story_page_shows_articles_outlets_entities_and_quotes(story_site: StorySite) -> None:
    story = NS.story_iri(story_site.story_id)
    page = requests.get(story_site.url + local(story), headers=HTML, timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.text
    first_headline = next(iter(STORY_ARTICLES.values()))[1]
    assert f"<h1>{escape(first_headline)}</h1>" in html
    for doc_id, (outlet, headline, _body) in STORY_ARTICLES.items():
        assert f'<a href="{local(NS.article_iri(doc_id))}">{escape(headline)}</a>' in html
        assert outlet in html
    shared = html[html.index('<ul class="plain shared">') :]
    assert 'href="/wikidata/Q57665">Jens Stoltenberg</a>' in shared and 'href="/wikidata/Q7184"' in shared
    quotes = section(html, "quotes")
    assert quotes.count('<a class="speaker" href="/wikidata/Q57665">') == 3
    assert "Wir sind bereit, zuzuhören" in quotes and str(escape(HOSTILE_QUOTE)) in quotes
    assert "<script>" not in html


def test_the_story_is_linked_data_and_linked_from_its_articles(story_site: StorySite) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    story = NS.story_iri(story_site.story_id)
    turtle = requests.get(story_site.url + local(story), headers={"Accept": "text/turtle"}, timeout=30)
    graph = Graph().parse(data=turtle.content, format="turtle")
    assert (story, RDF.type, NG.Story) in graph
    assert set(graph.objects(story, NG.storyArticle)) == {NS.article_iri(d) for d in STORY_ARTICLES}
    assert (story, SCHEMA.about, URIRef("http://www.wikidata.org/entity/Q57665")) in graph
    for doc_id in STORY_ARTICLES:
        article = requests.get(story_site.url + local(NS.article_iri(doc_id)), headers=HTML, timeout=30).text
        assert f'<a class="story" href="{local(story)}">' in article and "(2 articles)" in article


def test_an_unknown_story_is_404(story_site: StorySite) -> None:
    answer = requests.get(story_site.url + local(NS.story_iri("0000000000000000")), headers=HTML, timeout=30)
    assert answer.status_code == 404
