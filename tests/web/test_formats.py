"""Our SPARQL results writers read back with pyoxigraph's parsers; negotiation; query form detection."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal
from rdflib.query import Result

from pipelines.web.http import split_suffix
from pipelines.web.negotiation import GRAPH_FORMATS, HTML_FORMATS, SELECT_FORMATS, NotAcceptableError, choose
from pipelines.web.rdfformats import UnwritableGraphError, serialize_triples
from pipelines.web.resources import IriMap
from pipelines.web.results import ResultTooLargeError, select_rows, serialize_select, take
from pipelines.web.routes.sparql import query_form

Term = ox.NamedNode | ox.Literal | ox.BlankNode
TRICKY_TERMS: list[Term] = [
    ox.Literal('tab\there, "quotes", comma, and\nnew line\r\n'),
    ox.Literal("Grüße", language="de"),
    ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.NamedNode("https://w3id.org/newsgraph/id/article/x"),
    ox.BlankNode("b0"),
]
TRICKY: list[Term | None] = [*TRICKY_TERMS, None]


def _solutions(values: list[Term | None]) -> ox.QuerySolutions:
    """Real solutions from an in-memory store: one row per value, bound to ?v (unbound for None)."""
    store = ox.Store()
    rows = " ".join(
        "(UNDEF)" if v is None else '("bnode")' if isinstance(v, ox.BlankNode) else f"({v})" for v in values
    )
    result = store.query(
        f'SELECT ?i ?v WHERE {{ VALUES (?w) {{ {rows} }} BIND (1 AS ?i) BIND (IF(?w = "bnode", BNODE(), ?w) AS ?v) }}'
    )
    assert isinstance(result, ox.QuerySolutions)
    return result


def _same(a: object, b: object) -> bool:
    if isinstance(a, ox.BlankNode) and isinstance(b, ox.BlankNode):
        return True  # blank node labels may change
    return a == b


@pytest.mark.parametrize(("fmt", "parser"), [("json", ox.QueryResultsFormat.JSON), ("tsv", ox.QueryResultsFormat.TSV)])
def test_results_read_back_with_pyoxigraph(fmt: str, parser: ox.QueryResultsFormat) -> None:
    names, rows = select_rows(_solutions(TRICKY), limit=100)
    body = serialize_select(names, rows, fmt).body
    parsed = ox.parse_query_results(body, format=parser)
    assert isinstance(parsed, ox.QuerySolutions)
    assert [v.value for v in parsed.variables] == names
    back = [[solution[n] for n in names] for solution in parsed]
    assert len(back) == len(rows)
    assert all(_same(x, y) for row, again in zip(rows, back, strict=True) for x, y in zip(row, again, strict=True))


def _rdflib_xml(body: bytes) -> list[tuple[object, ...]]:
    """XML results read by rdflib (pyoxigraph's XML reader trims whitespace around literal text)."""
    return [tuple(row) for row in Result.parse(io.BytesIO(body), format="xml")]  # type: ignore[arg-type]


def test_xml_results_read_back_with_rdflib() -> None:
    names, rows = select_rows(_solutions(TRICKY), limit=100)
    back = _rdflib_xml(serialize_select(names, rows, "xml").body)
    assert [str(row[1]) if row[1] is not None else None for row in back][:4] == [str(t.value) for t in TRICKY_TERMS[:4]]
    assert Literal("Grüße", lang="de") == back[1][1] and back[2][1] == Literal(42)
    assert isinstance(back[4][1], BNode) and back[5][1] is None


def test_csv_quotes_and_crlf() -> None:
    names, rows = select_rows(_solutions(TRICKY), limit=100)
    body = serialize_select(names, rows, "csv").body.decode("utf-8")
    assert body.endswith("\r\n")
    parsed = list(csv.reader(io.StringIO(body, newline="")))
    assert parsed[0] == ["i", "v"]
    assert [r[1] for r in parsed[1:]] == [
        'tab\there, "quotes", comma, and\nnew line\r\n',
        "Grüße",
        "42",
        "https://w3id.org/newsgraph/id/article/x",
        parsed[5][1],
        "",
    ]
    assert parsed[5][1].startswith("_:")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"), max_size=20),
        max_size=5,
    )
)
def test_any_text_survives_json_xml_and_tsv(texts: list[str]) -> None:
    values: list[ox.NamedNode | ox.Literal | ox.BlankNode | None] = [ox.Literal(t) for t in texts]
    names, rows = select_rows(_solutions(values), limit=100) if values else (["i", "v"], [])
    data = json.loads(serialize_select(names, rows, "json").body)
    assert [b["v"]["value"] for b in data["results"]["bindings"]] == [r[1].value for r in rows]
    tsv = ox.parse_query_results(serialize_select(names, rows, "tsv").body, format=ox.QueryResultsFormat.TSV)
    assert [s["v"] for s in tsv] == [r[1] for r in rows]  # type: ignore[union-attr]
    assert [str(row[1]) for row in _rdflib_xml(serialize_select(names, rows, "xml").body)] == texts


def test_the_row_limit_reads_one_past_it_only() -> None:
    consumed = []

    def items() -> Iterator[int]:
        for i in range(1000):
            consumed.append(i)
            yield i

    with pytest.raises(ResultTooLargeError, match="more than 10 rows"):
        take(items(), 10, "rows")
    assert len(consumed) == 11
    assert take(range(10), 10, "rows") == list(range(10))


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("*/*", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv;q=0.2, text/tab-separated-values", "tsv"),
        ("text/*", "xml"),  # text/xml is the first text type on offer
        ("application/json", "json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ],
)
def test_negotiation_for_select(accept: str | None, expected: str) -> None:
    assert choose(accept, {**SELECT_FORMATS, **HTML_FORMATS}, "json") == expected


def test_negotiation_for_graphs_and_explicit_formats() -> None:
    offers = {**HTML_FORMATS, **GRAPH_FORMATS}
    assert choose("application/ld+json", offers, "turtle") == "jsonld"
    assert choose("text/turtle;q=0.5, application/n-triples", offers, "turtle") == "ntriples"
    assert choose("text/html", offers, "turtle", explicit="ttl") == "turtle"
    with pytest.raises(NotAcceptableError, match="format='csv' is not offered"):
        choose(None, offers, "turtle", explicit="csv")
    with pytest.raises(NotAcceptableError, match="offered: text/html"):
        choose("image/png", offers, "turtle")


def test_format_parameters_mean_what_the_query_form_answers_with() -> None:
    graphs, results = {**GRAPH_FORMATS, **HTML_FORMATS}, {**SELECT_FORMATS, **HTML_FORMATS}
    assert choose(None, graphs, "turtle", explicit="xml") == "rdfxml"  # SPARQLWrapper's default for CONSTRUCT
    assert choose(None, results, "json", explicit="xml") == "xml"  # ... and for SELECT
    assert choose(None, graphs, "turtle", explicit="application/rdf+xml") == "rdfxml"
    assert choose(None, graphs, "turtle", explicit="json-ld") == "jsonld"
    assert choose(None, graphs, "turtle", explicit="json") == "jsonld"
    assert choose("application/xml", graphs, "turtle") == "rdfxml"
    assert choose("application/xml", results, "json") == "xml"
    assert choose("application/n-quads,application/trig;q=0.95", graphs, "turtle") == "nquads"


def test_rdf_xml_refuses_a_predicate_it_cannot_write_instead_of_breaking_the_xml() -> None:
    triple = ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/1"), ox.Literal("v"))
    with pytest.raises(UnwritableGraphError, match="RDF/XML"):
        serialize_triples([triple], "rdfxml")
    assert b"example.org/1" in serialize_triples([triple], "turtle").body


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/id/article/x.ttl", ("/id/article/x", "turtle")),
        ("/id/article/x.JSONLD", ("/id/article/x", "jsonld")),
        ("/id/article/x.xml", ("/id/article/x", "rdfxml")),
        ("/id/model/spacy/3.7.nt", ("/id/model/spacy/3.7", "ntriples")),
        ("/id/model/spacy/3.7", ("/id/model/spacy/3.7", None)),
        ("/id/article/.ttl", ("/id/article/.ttl", None)),
        ("/id/v1.ttl/x", ("/id/v1.ttl/x", None)),
    ],
)
def test_suffixes_name_formats(path: str, expected: tuple[str, str | None]) -> None:
    assert split_suffix(path) == expected


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("PREFIX ex: <http://example.org/#x>\n# a comment with SELECT\nconstruct {} where {}", "CONSTRUCT"),
        ("BASE <http://example.org/> prefix : <#> ASK {}", "ASK"),
        ("  # comment\n  INSERT DATA { <a> <b> <c> }", "INSERT"),
        ("PREFIX : <http://example.org/> DROP ALL", "DROP"),
        ("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("", None),
    ],
)
def test_query_form_skips_the_prologue(query: str, form: str | None) -> None:
    assert query_form(query) == form


def test_iri_paths_round_trip() -> None:
    for base in ("https://w3id.org/newsgraph/id/", "http://localhost:8080/"):
        iris = IriMap(base)
        for local_name in ("article/abc", "nil/org/evil-gmbh-0123456789", "run/2026-11-20", "graph/article/abc"):
            iri = base + local_name
            href = iris.local_href(iri)
            assert href is not None and iris.iri_for_path(href) == iri
        assert iris.local_href("http://www.wikidata.org/entity/Q64") == "/wikidata/Q64"
        assert iris.iri_for_path("/wikidata/Q64") == "http://www.wikidata.org/entity/Q64"
        assert iris.local_href("https://example.org/elsewhere") is None
    assert IriMap("https://w3id.org/newsgraph/id/").iri_for_path("/sparql") is None
