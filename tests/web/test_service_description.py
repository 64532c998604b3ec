"""The SPARQL 1.1 Service Description at a GET of /sparql without a query, and its link from VoID."""

from __future__ import annotations

import requests
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from pipelines.namespaces import FORMATS, SD
from pipelines.store import EmbeddedStore
from pipelines.web.rdfformats import RDF_FORMATS
from tests.support.rdf import integer
from tests.web.conftest import Site

# what Comunica sends when it looks at a source before querying it
COMUNICA_ACCEPT = (
    "application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,application/n-triples;q=0.8,"
    "text/turtle;q=0.6,application/rdf+xml;q=0.5,text/n3;q=0.35,application/xml;q=0.3,text/xml;q=0.3,"
    "text/html;q=0.2,application/xhtml+xml;q=0.18,application/json;q=0.135"
)


def description(site: Site, accept: str | None = None) -> tuple[requests.Response, Graph]:
    answer = requests.get(f"{site.url}/sparql", headers={"Accept": accept} if accept else {}, timeout=30)
    assert answer.status_code == 200, answer.text
    media_type = answer.headers["Content-Type"].split(";")[0]
    dataset = Dataset().parse(data=answer.content, format=media_type)
    graph = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return answer, graph


def test_a_plain_get_describes_the_service(site: Site, reader: EmbeddedStore) -> None:
    answer, graph = description(site)
    assert answer.headers["Content-Type"].startswith("text/turtle")
    assert "sandbox" in answer.headers["Content-Security-Policy"]  # the hardening headers as on every answer
    endpoint = URIRef(f"{site.url}/sparql")
    service = graph.value(predicate=SD.endpoint, object=endpoint)
    assert service is not None and (service, RDF.type, SD.Service) in graph
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL10Query, SD.SPARQL11Query}
    formats = set(graph.objects(service, SD.resultFormat))
    assert {FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_XML, FORMATS.RDF_XML, FORMATS["JSON-LD"]} <= formats
    assert {f.iri for f in RDF_FORMATS if f.iri is not None} <= formats
    assert set(graph.objects(service, SD.feature)) == {SD.UnionDefaultGraph}  # no federation allowed here
    dataset = graph.value(service, SD.defaultDataset)
    default_graph = graph.value(dataset, SD.defaultGraph)
    assert (dataset, RDF.type, SD.Dataset) in graph and (default_graph, RDF.type, SD.Graph) in graph
    assert integer(graph.value(default_graph, VOID.triples)) == reader.triple_count()
    limits = str(graph.value(service, DCTERMS.description))
    assert f"{site.config.query_timeout_s:g} s per query" in limits and str(site.config.max_results) in limits


def test_the_description_in_what_clients_ask_for(site: Site) -> None:
    _answer, turtle = description(site, "text/turtle")
    for accept in (COMUNICA_ACCEPT, "application/rdf+xml", "application/ld+json", "application/n-triples"):
        answer, graph = description(site, accept)
        assert answer.headers["Content-Type"].startswith(accept.split(",")[0])
        assert len(graph) == len(turtle) and set(graph.subjects(RDF.type, SD.Service))
    browser = requests.get(f"{site.url}/sparql", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=30)
    assert browser.headers["Content-Type"].startswith("text/html") and "<textarea" in browser.text


def test_no_query_and_no_description_format_says_both(site: Site) -> None:
    answer = requests.get(f"{site.url}/sparql", headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 406 and "service description" in answer.text and "query=" in answer.text
    assert "text/turtle" in answer.text
    posted = requests.post(f"{site.url}/sparql", data={"nothing": "here"}, timeout=30)
    assert posted.status_code == 400 and "no query" in posted.text


def test_void_links_the_description_and_its_iri_dereferences(site: Site) -> None:
    void = Graph().parse(f"{site.url}/.well-known/void", format="turtle")
    endpoint = URIRef(f"{site.url}/sparql")
    service = void.value(endpoint, DCAT.endpointDescription)
    assert service is not None and (service, SD.endpoint, endpoint) in void
    dataset = void.value(service, SD.defaultDataset)
    assert (dataset, VOID.sparqlEndpoint, endpoint) in void
    described = Graph().parse(str(service))  # the fragment's document is the endpoint's answer to a GET
    assert (service, RDF.type, SD.Service) in described
    assert (service, SD.defaultDataset, dataset) in described
    assert (service, DCTERMS.description, None) in described
