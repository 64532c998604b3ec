"""Clients nobody on the team wrote, unchanged, against a real server: rdflib, SPARQLWrapper, pyld.

Every RDF format of an article (by Accept, by ``format=`` and by suffix) is the same graph as its
N-Triples; SPARQLWrapper's defaults (XML results, RDF/XML graphs, ``format=xml`` in the URL) work
for all four query forms; rdflib's SPARQLStore queries the endpoint; pyld reads the JSON-LD.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result, ResultRow
from SPARQLWrapper import SPARQLWrapper

from pipelines.namespaces import SCHEMA, WD
from pipelines.web.rdfformats import RDF_FORMATS, RdfFormat
from tests.web.conftest import NS, Site

ARTICLE = NS.article_iri("golden0001")
ARTICLE_PATH = urlsplit(str(ARTICLE)).path
RDFLIB_NAMES = {"rdfxml": "xml", "ntriples": "nt", "jsonld": "json-ld"}  # rdflib's parser names, where they differ
HEADLINES = "CONSTRUCT { ?a <http://schema.org/headline> ?h } WHERE { ?a <http://schema.org/headline> ?h }"


def parser(fmt: RdfFormat) -> str:
    return RDFLIB_NAMES.get(fmt.name, fmt.name)


def union(dataset: Dataset) -> Graph:
    """All triples of all graphs; ``"x"^^xsd:string`` as ``"x"``, the same literal in RDF 1.1.

    (rdflib's HexTuples parser types every plain string, and rdflib tells the two apart.)
    """
    out = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def triples(data: bytes | str, fmt: RdfFormat) -> tuple[Graph, set[str]]:
    """All triples of an answer, whatever graph they are in, and the names of its named graphs."""
    dataset = Dataset()
    dataset.parse(data=data, format=parser(fmt))
    names = {
        str(g)
        for _s, _p, _o, g in dataset.quads((None, None, None, None))
        if isinstance(g, URIRef) and g != dataset.default_graph.identifier
    }
    return union(dataset), names


@pytest.fixture(scope="module")
def reference(site: Site) -> Graph:
    answer = requests.get(site.url + ARTICLE_PATH, headers={"Accept": "application/n-triples"}, timeout=30)
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.content, format="nt")
    assert (ARTICLE, RDF.type, SCHEMA.NewsArticle) in graph
    return graph


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_an_article_in_every_format_by_accept_and_by_format(site: Site, reference: Graph, fmt: RdfFormat) -> None:
    for accept in fmt.media_types:
        answer = requests.get(site.url + ARTICLE_PATH, headers={"Accept": f"{accept}, text/html;q=0.5"}, timeout=30)
        assert answer.status_code == 200, (accept, answer.text)
        assert answer.headers["Content-Type"].startswith(fmt.media_types[0])
        graph, names = triples(answer.content, fmt)
        assert isomorphic(graph, reference), accept
        assert not names  # the dataset formats too: clients query a document's default graph (Comunica does)
    by_parameter = requests.get(site.url + ARTICLE_PATH, params={"format": fmt.name}, timeout=30)
    assert by_parameter.headers["Content-Type"].startswith(fmt.media_types[0])
    link = f'<{ARTICLE_PATH}.{fmt.suffixes[0]}>; rel="alternate"; type="{fmt.media_types[0]}"'
    assert link in by_parameter.headers["Link"]  # every answer names the suffix URLs


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_an_article_at_every_suffix_with_rdflib_parse(site: Site, reference: Graph, fmt: RdfFormat) -> None:
    for suffix in fmt.suffixes:
        url = f"{site.url}{ARTICLE_PATH}.{suffix}"
        # rdflib picks the parser by the answer's Content-Type (N-Quads, TriG: their default graph is the
        # document), but reads TriX only into a Dataset and HexTuples only when told
        by_name = fmt.name in ("trix", "hext")
        graph = union(Dataset().parse(url, format=parser(fmt))) if by_name else Graph().parse(url)
        assert isomorphic(graph, reference), url


def test_rdflib_parse_of_the_bare_iri_in_each_format_rdflib_asks_for(site: Site, reference: Graph) -> None:
    url = site.url + ARTICLE_PATH
    assert isomorphic(Graph().parse(url), reference)  # rdflib's own Accept: RDF/XML first
    for name in ("xml", "n3", "turtle", "nt", "json-ld"):
        assert isomorphic(Graph().parse(url, format=name), reference), name
    page = requests.get(url, headers={"Accept": "text/html"}, timeout=30)
    assert f"<{ARTICLE_PATH}.jsonld>" in page.headers["Link"]  # rdflib follows it for format="json-ld"
    entity = Graph().parse(f"{site.url}/wikidata/Q64.ttl")
    assert (WD.Q64, None, None) in entity


def test_pyld_expands_the_json_ld_and_its_rdf_is_the_article(site: Site, reference: Graph) -> None:
    url = f"{site.url}{ARTICLE_PATH}.jsonld"
    expanded = jsonld.expand(url)
    assert any(node.get("@id") == str(ARTICLE) for node in expanded)
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), reference)
    flattened = jsonld.flatten(url)
    assert len(flattened) >= len(set(reference.subjects()))


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_construct_at_the_endpoint_in_every_format(site: Site, fmt: RdfFormat) -> None:
    def get(accept: str | None = None, **params: str) -> requests.Response:
        headers = {"Accept": accept} if accept else {}
        return requests.get(f"{site.url}/sparql", params={"query": HEADLINES, **params}, headers=headers, timeout=30)

    reference = Graph().parse(data=get("text/turtle").content, format="turtle")
    assert len(reference) == 2
    for answer in (get(fmt.media_types[0]), get(format=fmt.name)):
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(fmt.media_types[0])
        assert isomorphic(triples(answer.content, fmt)[0], reference)


def test_nothing_acceptable_is_a_406_that_lists_the_offers(site: Site) -> None:
    answer = requests.get(site.url + ARTICLE_PATH, headers={"Accept": "image/png"}, timeout=30)
    assert answer.status_code == 406
    for fmt in RDF_FORMATS:
        assert fmt.media_types[0] in answer.text
    graph = requests.get(f"{site.url}/sparql", params={"query": HEADLINES}, headers={"Accept": "text/csv"}, timeout=30)
    assert graph.status_code == 406 and "application/rdf+xml" in graph.text
    assert requests.get(f"{site.url}{ARTICLE_PATH}.unknown", timeout=30).status_code == 404


def test_sparqlwrapper_defaults_for_every_query_form(site: Site, reference: Graph) -> None:
    def run(query: str) -> object:
        client = SPARQLWrapper(f"{site.url}/sparql")  # defaults: GET, XML, format=xml in the URL
        client.setQuery(query)
        return client.query().convert()

    document = run("SELECT ?a WHERE { ?a a <http://schema.org/NewsArticle> }")
    uris = {node.firstChild.data for node in document.getElementsByTagName("uri")}  # type: ignore[attr-defined]
    assert str(ARTICLE) in uris and len(uris) == 2
    ask = run("ASK { ?a a <http://schema.org/NewsArticle> }")
    assert ask.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[attr-defined]
    constructed = run(HEADLINES)
    assert isinstance(constructed, Graph) and len(constructed) == 2
    described = run(f"DESCRIBE <{ARTICLE}>")
    assert isinstance(described, Graph)
    assert {triple for triple in reference if triple[0] == ARTICLE} <= set(described)


def _first_column(result: Result) -> list[str]:
    values = []
    for row in result:
        assert isinstance(row, ResultRow), row
        values.append(str(row[0]))
    return values


def test_rdflib_sparqlstore_for_every_query_form(site: Site) -> None:
    store = SPARQLStore(f"{site.url}/sparql")
    rows = store.query("SELECT ?a WHERE { ?a a <http://schema.org/NewsArticle> } ORDER BY ?a")
    assert _first_column(rows) == sorted(str(NS.article_iri(d)) for d in ("golden0001", "hostile0001"))
    assert store.query("ASK { ?a a <http://schema.org/NewsArticle> }").askAnswer is True
    constructed = store.query(HEADLINES).graph
    assert constructed is not None and len(constructed) == 2
    described = store.query("DESCRIBE <http://www.wikidata.org/entity/Q64>").graph
    assert described is not None and (WD.Q64, None, None) in described
    graph = Graph(store=store)
    assert (ARTICLE, RDF.type, SCHEMA.NewsArticle) in graph


def test_describe_at_the_endpoint_gives_each_triple_once(site: Site) -> None:
    answer = requests.get(
        f"{site.url}/sparql",
        params={"query": "DESCRIBE <http://www.wikidata.org/entity/Q64>"},  # two article graphs describe Berlin
        headers={"Accept": "application/n-triples"},
        timeout=30,
    )
    lines = answer.text.splitlines()
    assert answer.status_code == 200 and lines and len(lines) == len(set(lines))
    assert (WD.Q64, None, Literal("Berlin", lang="de")) in Graph().parse(data=answer.text, format="nt")
