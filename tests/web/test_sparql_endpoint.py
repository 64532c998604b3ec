"""The SPARQL 1.1 Protocol at /sparql on a real server: formats, methods, read-only, time and size limits."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic

from pipelines.store import EmbeddedStore, SelectResult
from tests.web.conftest import Site

ARTICLES = """PREFIX schema: <http://schema.org/>
SELECT ?article ?headline WHERE { ?article a schema:NewsArticle ; schema:headline ?headline } ORDER BY ?article"""
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _expected(reader: EmbeddedStore) -> list[tuple[str, str]]:
    result = reader.query(ARTICLES)
    assert isinstance(result, SelectResult) and len(result) == 2
    return [(str(a), str(h)) for a, h in result.rows]


def _get(site: Site, query: str, accept: str | None = None, **params: str) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(f"{site.url}/sparql", params={"query": query, **params}, headers=headers, timeout=60)


def test_select_in_all_four_result_formats(site: Site, reader: EmbeddedStore) -> None:
    expected = _expected(reader)

    answer = _get(site, ARTICLES, "application/sparql-results+json")
    assert answer.headers["Content-Type"].startswith("application/sparql-results+json")
    data = answer.json()
    assert data["head"]["vars"] == ["article", "headline"]
    assert [(b["article"]["value"], b["headline"]["value"]) for b in data["results"]["bindings"]] == expected

    for accept, fmt in (
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ):
        answer = _get(site, ARTICLES, accept)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(accept)
        solutions = ox.parse_query_results(answer.content, format=fmt)
        assert isinstance(solutions, ox.QuerySolutions)
        assert [(s["article"].value, s["headline"].value) for s in solutions] == expected

    answer = _get(site, ARTICLES, "text/csv")
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8"), newline="")))
    assert rows[0] == ["article", "headline"] and [tuple(r) for r in rows[1:]] == expected


def test_get_form_post_and_direct_post_agree(site: Site) -> None:
    by_get = _get(site, ARTICLES, "application/sparql-results+json").json()
    form = requests.post(
        f"{site.url}/sparql", data={"query": ARTICLES}, headers={"Accept": "application/json"}, timeout=60
    )
    direct = requests.post(
        f"{site.url}/sparql",
        data=ARTICLES.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert form.status_code == direct.status_code == 200
    assert form.json() == direct.json() == by_get


def test_format_parameter_and_q_values_choose_the_format(site: Site) -> None:
    assert _get(site, ARTICLES, format="csv").headers["Content-Type"].startswith("text/csv")
    answer = _get(site, ARTICLES, "text/csv;q=0.5, application/sparql-results+xml;q=0.9")
    assert answer.headers["Content-Type"].startswith("application/sparql-results+xml")
    refused = _get(site, ARTICLES, "image/png")
    assert refused.status_code == 406 and "offered" in refused.text


def test_ask_and_construct(site: Site) -> None:
    ask = _get(site, "ASK { ?a a <http://schema.org/NewsArticle> }", "application/sparql-results+json")
    assert ask.json()["boolean"] is True
    xml = _get(site, "ASK { ?a a <http://example.org/Nothing> }", "application/sparql-results+xml")
    parsed = ox.parse_query_results(xml.content, format=ox.QueryResultsFormat.XML)
    assert isinstance(parsed, ox.QueryBoolean) and not bool(parsed)

    construct = "CONSTRUCT { ?a <http://schema.org/headline> ?h } WHERE { ?a <http://schema.org/headline> ?h }"
    graphs = {}
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        answer = _get(site, construct, accept)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(accept)
        graphs[fmt] = Graph().parse(data=answer.content, format=fmt)
    assert len(graphs["nt"]) == 2
    assert isomorphic(graphs["turtle"], graphs["nt"]) and isomorphic(graphs["json-ld"], graphs["nt"])


def test_updates_are_refused_and_change_nothing(site: Site, reader: EmbeddedStore) -> None:
    before = reader.triple_count()
    update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
    direct = requests.post(
        f"{site.url}/sparql", data=update, headers={"Content-Type": "application/sparql-update"}, timeout=30
    )
    form = requests.post(f"{site.url}/sparql", data={"update": update}, timeout=30)
    disguised = _get(site, "PREFIX ex: <http://example.org/>\n# sneaky\n" + update)
    for answer in (direct, form, disguised):
        assert answer.status_code == 403, answer.text
        assert "read-only" in answer.text
    drop = requests.post(f"{site.url}/sparql", data={"query": "DROP ALL"}, timeout=30)
    assert drop.status_code == 403
    with EmbeddedStore(site.store_path, read_only=True) as again:
        assert again.triple_count() == before


def test_a_slow_query_is_stopped_by_the_time_limit_and_the_server_carries_on(site: Site) -> None:
    answer = _get(site, SLOW, "application/sparql-results+json")
    assert answer.status_code == 503
    assert "longer than the time limit of 2 s" in answer.text
    after = _get(site, ARTICLES, "application/sparql-results+json")  # a fresh worker took the killed one's place
    assert after.status_code == 200 and len(after.json()["results"]["bindings"]) == 2


def test_a_too_large_answer_is_refused_with_the_limit(site: Site, reader: EmbeddedStore) -> None:
    assert reader.triple_count() > site.config.max_results
    answer = _get(site, "SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert answer.status_code == 400
    assert f"more than {site.config.max_results} rows" in answer.text and "LIMIT" in answer.text
    graph = _get(site, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert graph.status_code == 400 and "triples" in graph.text
    limited = _get(site, "SELECT * WHERE { ?s ?p ?o } LIMIT 5", "application/sparql-results+json")
    assert len(limited.json()["results"]["bindings"]) == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [("SELECT ?x WHERE { ?x ", "malformed SPARQL query"), ("", "no query")],
)
def test_bad_requests_say_what_is_wrong(site: Site, query: str, message: str) -> None:
    answer = _get(site, query, "application/sparql-results+json")
    assert answer.status_code == 400 and message in answer.text


def test_the_endpoint_has_a_query_editor_for_people(site: Site) -> None:
    page = requests.get(f"{site.url}/sparql", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "<textarea" in page.text
    result = _get(site, ARTICLES, "text/html")
    assert result.status_code == 200 and "golden0001" in result.text and "2 rows" in result.text
    data = json.loads(_get(site, "SELECT (1 AS ?one) WHERE {}", format="json").content)
    assert data["results"]["bindings"] == [
        {"one": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
    ]
