"""Parser errors a person can act on: line, column and a caret excerpt, from the endpoint in JSON, text and HTML.

The readable messages are checked on the text alone (``explain``) for the usual mistakes, and on a real
server for each form the endpoint answers in; datatypes are shown in result tables only where they help.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests
from lxml import html as lxml_html

from pipelines.web.syntax import explain
from tests.web.conftest import Site

JSON = "application/sparql-results+json"
MULTILINE = """PREFIX schema: <http://schema.org/>
SELECT ?article WHERE {
  ?article a schema:NewsArticle .
  ?article schema:headline
}"""


def _parser_error(query: str) -> str:
    with pytest.raises(SyntaxError) as error:
        ox.Store().query(query)
    return str(error.value)


@pytest.mark.parametrize(
    ("query", "line", "column", "end_column", "words"),
    [
        ("SELEC *", 1, 1, 6, ["SELECT", "did you mean"]),
        ("SELECT * WHERE { ?s ?p ?o } LIMT 5", 1, 29, 33, ["'LIMT'", "LIMIT"]),
        ("SELECT * WHERE { ?s schema:name ?o }", 1, 21, 32, ["'schema:'", "PREFIX schema: <http://schema.org/>"]),
        ("ASK { ?s ?p ?o", 1, 5, 6, ["never closed"]),
        ("SELECT * WHERE { ?s ?p ?o . }}", 1, 30, 31, ["closes nothing"]),
        ('SELECT * WHERE { ?s ?p "abc }', 1, 24, 25, ["string", "never closed"]),
        ('SELECT * WHERE { ?s ?p "äöü" ?x }', 1, 30, 32, ["'.' missing"]),
        (MULTILINE, 4, 27, 28, ["lacks its object"]),
        ("SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } GROUP ?s", 1, 53, 54, ["ends too early", "'BY'"]),
        ("SELECT * WHERE { ?s <http://a b> ?o }", 1, 21, 33, ["IRI is malformed"]),
    ],
)
def test_parser_errors_name_the_cause_and_its_place(
    query: str, line: int, column: int, end_column: int, words: list[str]
) -> None:
    problem = explain(query, f"malformed SPARQL query: {_parser_error(query)}")
    assert problem is not None
    assert (problem.line, problem.column, problem.end_column) == (line, column, end_column), problem
    assert problem.message.startswith(f"malformed SPARQL query at line {line}, column {column}: ")
    assert all(word in problem.message for word in words), problem.message
    assert "[_]" not in problem.message and "VERSION" not in problem.message
    caret_line = problem.excerpt.splitlines()[-1]
    source_line = problem.excerpt.splitlines()[-2]
    gutter = source_line.index("| ") + 2
    assert source_line[gutter:] == query.splitlines()[line - 1]
    assert caret_line[gutter:] == " " * (column - 1) + "^" * (end_column - column)


def test_errors_without_a_position_are_left_alone() -> None:
    assert explain("SELECT * WHERE { ?s ?p ?o }", "the query ran longer than the time limit") is None


def test_endpoint_returns_position_and_excerpt_as_json(site: Site) -> None:
    answer = requests.get(f"{site.url}/sparql", params={"query": "SELEC *"}, headers={"Accept": JSON}, timeout=30)
    assert answer.status_code == 400 and answer.headers["Content-Type"].startswith("application/json")
    error = answer.json()["error"]
    assert error["status"] == 400 and (error["line"], error["column"], error["end_column"]) == (1, 1, 6)
    assert error["excerpt"] == "1 | SELEC *\n  | ^^^^^"
    assert "expected one of VERSION" not in error["message"] and "SELECT" in error["message"]
    assert error["parser"].startswith("error at 1:8")


def test_endpoint_error_positions_count_characters_on_later_lines(site: Site) -> None:
    query = MULTILINE.replace("headline", "headline  # Überschrift äöü")
    answer = requests.post(f"{site.url}/sparql", data={"query": query}, headers={"Accept": JSON}, timeout=30)
    error = answer.json()["error"]
    assert answer.status_code == 400 and (error["line"], error["column"]) == (4, 27)
    assert error["excerpt"].splitlines()[-2].endswith("?article schema:headline  # Überschrift äöü")


def test_endpoint_error_as_plain_text_carries_the_excerpt(site: Site) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMT 5"
    answer = requests.get(f"{site.url}/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=30)
    assert answer.status_code == 400 and answer.headers["Content-Type"].startswith("text/plain")
    lines = answer.text.splitlines()
    assert lines[0].startswith("malformed SPARQL query at line 1, column 29: 'LIMT' is not a SPARQL keyword")
    assert lines[1:] == ["1 | SELECT * WHERE { ?s ?p ?o } LIMT 5", "  |                             ^^^^"]


def test_endpoint_error_in_the_html_page_is_marked(site: Site) -> None:
    answer = requests.get(
        f"{site.url}/sparql", params={"query": MULTILINE}, headers={"Accept": "text/html"}, timeout=30
    )
    assert answer.status_code == 400
    page = lxml_html.fromstring(answer.text)
    card = page.xpath("//section[@id='results']//div[contains(@class, 'error')]")[0]
    assert (card.get("data-line"), card.get("data-column")) == ("4", "27")
    assert "line 4, column 27" in card.text_content() and "lacks its object" in card.text_content()
    assert page.xpath("//pre[@class='excerpt']")[0].text_content().splitlines()[-1].endswith("^")
    assert page.xpath("//textarea[@name='query']")[0].text_content() == MULTILINE


def test_other_refusals_are_json_without_a_position(site: Site) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    answer = requests.get(f"{site.url}/sparql", params={"query": query}, headers={"Accept": JSON}, timeout=30)
    error = answer.json()["error"]
    assert answer.status_code == 400 and "not an allowed federated endpoint" in error["message"]
    assert "line" not in error


def test_tables_label_datatypes_only_where_they_help(site: Site) -> None:
    query = """PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?count ?share ?year ?flag ?odd WHERE {
  { SELECT (COUNT(*) AS ?count) WHERE { ?s ?p ?o } }
  BIND (0.5 AS ?share) BIND ("2026"^^xsd:gYear AS ?year) BIND (true AS ?flag) BIND ("abc"^^xsd:integer AS ?odd)
}"""
    answer = requests.get(f"{site.url}/sparql", params={"query": query}, headers={"Accept": "text/html"}, timeout=30)
    cells = lxml_html.fromstring(answer.text).xpath("//section[@id='results']//table//tr")[1].xpath("./td")
    count, share, year, flag, odd = cells
    assert count.get("class") == "num" and share.get("class") == "num"
    assert "xsd:" not in count.text_content() + share.text_content() + flag.text_content()
    assert year.text_content().split() == ["2026", "xsd:gYear"]
    assert odd.text_content().split() == ["abc", "xsd:integer"] and odd.get("class") is None  # ill-typed: said
