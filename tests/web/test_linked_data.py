"""Dereferenceable IRIs, VoID/DCAT, dumps, named queries and escaping, on a real server."""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlsplit

import pytest
import requests
from markupsafe import escape
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from pipelines.namespaces import NG, NIF, SCHEMA, WD
from pipelines.store import EmbeddedStore, named_queries
from tests.support.rdf import integer
from tests.support.store import select
from tests.web.conftest import EVIL_NAME, HOSTILE_HEADLINE, HOSTILE_ID, NS, SECOND_NIGHT, Site

RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}
ARTICLE = NS.article_iri("golden0001")


def local(iri: str) -> str:
    """Where the server answers for a data IRI: the IRI's path."""
    return urlsplit(iri).path


def representations(site: Site, path: str) -> dict[str, Graph]:
    graphs = {}
    for accept, fmt in RDF_TYPES.items():
        answer = requests.get(site.url + path, headers={"Accept": accept}, timeout=30)
        assert answer.status_code == 200, (path, accept, answer.text)
        assert answer.headers["Content-Type"].startswith(accept)
        assert "Accept" in answer.headers["Vary"]
        graphs[fmt] = Graph().parse(data=answer.content, format=fmt)
    return graphs


def typed(graph: Graph) -> Graph:
    """The graph with integer literals compared by value (the store keeps xsd:integer for derived types)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in (XSD.nonNegativeInteger, XSD.positiveInteger):
            o = Literal(int(o), datatype=XSD.integer)
        out.add((s, p, o))
    return out


def test_article_iri_in_all_four_representations(site: Site, reader: EmbeddedStore) -> None:
    graphs = representations(site, local(str(ARTICLE)))
    assert isomorphic(graphs["turtle"], graphs["json-ld"])
    assert isomorphic(graphs["turtle"], graphs["nt"])
    stored = reader.graph(str(NS.article_graph_iri("golden0001")))
    assert isomorphic(typed(graphs["turtle"]), typed(stored))  # the article's document is its named graph
    assert (ARTICLE, RDF.type, SCHEMA.NewsArticle) in graphs["turtle"]
    page = requests.get(site.url + local(str(ARTICLE)), headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Stoltenberg lädt Russland zu Gesprächen ein" in page.text
    assert 'href="/wikidata/Q57665"' in page.text  # the mentions link to the entity pages
    assert "photo credit line" in page.text  # the removal report
    assert "kb-2026-11-01" in page.text  # provenance: the run's knowledge base


def test_wikidata_entity_page_in_all_four_representations(site: Site) -> None:
    graphs = representations(site, "/wikidata/Q57665")
    assert isomorphic(graphs["turtle"], graphs["json-ld"]) and isomorphic(graphs["turtle"], graphs["nt"])
    entity = WD.Q57665
    assert (entity, RDF.type, SCHEMA.Person) in graphs["turtle"]
    assert (ARTICLE, SCHEMA.mentions, entity) in graphs["turtle"]
    page = requests.get(site.url + "/wikidata/Q57665", headers={"Accept": "text/html"}, timeout=30)
    assert "Jens Stoltenberg" in page.text
    assert 'href="http://www.wikidata.org/entity/Q57665"' in page.text  # the link to Wikidata
    assert f'href="{local(str(ARTICLE))}"' in page.text  # the articles that mention it
    assert "<svg" in page.text and 'href="/wikidata/Q61053"' in page.text  # co-mentioned: Scholz


def test_project_entity_and_run_iris(site: Site) -> None:
    nil = NS.nil_entity_iri(EVIL_NAME, "ORG")
    graphs = representations(site, local(str(nil)))
    assert (nil, RDF.type, NG.NilEntity) in graphs["turtle"]
    assert isomorphic(graphs["turtle"], graphs["json-ld"])
    page = requests.get(site.url + local(str(nil)), headers={"Accept": "text/html"}, timeout=30)
    assert "no Wikidata item yet" in page.text and str(escape(EVIL_NAME)) in page.text

    run = NS.run_iri(SECOND_NIGHT)
    graphs = representations(site, local(str(run)))
    assert (run, NG.partition, Literal(SECOND_NIGHT, datatype=XSD.date)) in graphs["nt"]
    page = requests.get(site.url + local(str(run)), headers={"Accept": "text/html"}, timeout=30)
    assert f'href="{local(str(NS.article_iri(HOSTILE_ID)))}"' in page.text  # the night lists its articles


def test_parts_of_an_article_dereference_to_their_document(site: Site) -> None:
    text = NS.context_iri("golden0001", 230)
    document = str(text).split("#", 1)[0]
    graph = representations(site, local(document))["turtle"]
    assert (text, NIF.isString, None) in graph
    phrases = set(graph.subjects(RDF.type, NIF.Phrase))
    assert phrases and all(str(p).startswith(document + "#char=") for p in phrases)
    removal = NS.removal_iri("golden0001", 1)
    assert (removal, NG.removalCategory, Literal("caption")) in representations(site, local(str(removal)))["nt"]


def test_unknown_iris_are_404(site: Site) -> None:
    for path in ("/newsgraph/id/article/nope", "/wikidata/Q1", "/elsewhere"):
        for accept in ("text/turtle", "text/html"):
            assert requests.get(site.url + path, headers={"Accept": accept}, timeout=30).status_code == 404


def test_void_parses_and_its_counts_match_the_store(site: Site, reader: EmbeddedStore) -> None:
    answer = requests.get(f"{site.url}/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
    assert answer.status_code == 200
    void = Graph().parse(data=answer.content, format="turtle")
    dataset = URIRef(f"{site.url}/.well-known/void#dataset")
    assert (dataset, RDF.type, VOID.Dataset) in void and (dataset, RDF.type, DCAT.Dataset) in void

    def count(sparql: str) -> int:
        return integer(select(reader, sparql).rows[0][0])

    assert integer(void.value(dataset, VOID.triples)) == reader.triple_count()
    partitions = {
        void.value(p, VOID["class"]): integer(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert (
        partitions[SCHEMA.NewsArticle]
        == count("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <http://schema.org/NewsArticle> }")
        == 2
    )
    assert partitions[NG.NightlyRun] == 2
    assert integer(void.value(dataset, VOID.entities)) == count(
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?a <http://schema.org/mentions> ?e }"
    )
    assert void.value(dataset, DCTERMS.modified) == Literal(f"{SECOND_NIGHT}T23:05:00Z", datatype=XSD.dateTime)
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{site.url}/sparql")
    dumps = {str(d) for d in void.objects(dataset, VOID.dataDump)}
    assert dumps == {f"{site.url}/dumps/latest.nq.gz", f"{site.url}/dumps/latest.trig.gz"}
    nightly = {str(d) for d in void.objects(dataset, DCAT.distribution)}
    assert f"{site.url}/dumps/{SECOND_NIGHT}.nq.gz" in nightly
    jsonld = requests.get(f"{site.url}/.well-known/void", headers={"Accept": "application/ld+json"}, timeout=30)
    assert isomorphic(Graph().parse(data=jsonld.content, format="json-ld"), void)


def test_dumps_latest_and_per_night(site: Site, reader: EmbeddedStore) -> None:
    latest = requests.get(f"{site.url}/dumps/latest.nq.gz", timeout=60)
    assert latest.status_code == 200 and latest.headers["Content-Type"] == "application/gzip"
    quads = gzip.decompress(latest.content).decode("utf-8").splitlines()
    assert len(quads) == reader.triple_count()

    night = requests.get(f"{site.url}/dumps/{SECOND_NIGHT}.trig.gz", timeout=60)
    ds = Dataset()
    ds.parse(data=gzip.decompress(night.content), format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    own = {name for name in names if not name.startswith(NS.described_graph_prefix)}
    assert own == {str(NS.article_graph_iri(HOSTILE_ID)), str(NS.run_graph_iri(SECOND_NIGHT))}
    assert names - own  # and the descriptions of the nodes the night's article names
    listing = requests.get(f"{site.url}/dumps", timeout=30).text
    assert f"{SECOND_NIGHT}.nq.gz" in listing and "2026-11-20.trig.gz" in listing
    assert requests.get(f"{site.url}/dumps/1999-01-01.nq.gz", timeout=30).status_code == 404
    assert requests.get(f"{site.url}/dumps/../store", timeout=30).status_code == 404


def test_script_tags_in_article_text_render_as_text(site: Site) -> None:
    page = requests.get(
        site.url + local(str(NS.article_iri(HOSTILE_ID))), headers={"Accept": "text/html"}, timeout=30
    ).text
    assert "<script" not in page.lower()
    assert "<img src=x" not in page and "<b>Evil" not in page and "<i>Zeitung" not in page
    for text in (
        '<script>alert("body")</script>',
        "<img src=x onerror=alert(2)>",
        HOSTILE_HEADLINE,
        "<noscript> block",
    ):
        assert str(escape(text)) in page, text
    nil = local(str(NS.nil_entity_iri(EVIL_NAME, "ORG")))
    assert re.search(rf'<a class="ent org" href="{re.escape(nil)}"[^>]*>&lt;b&gt;Evil&lt;/b&gt; GmbH</a>', page)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_is_served_and_runs(site: Site, name: str) -> None:
    page = requests.get(f"{site.url}/queries/{name}", timeout=30)
    assert page.status_code == 200 and "Error" not in page.text
    assert str(escape(named_queries()[name].description.split(":")[0])) in page.text
    data = requests.get(f"{site.url}/queries/{name}", params={"format": "json"}, timeout=30).json()
    assert "vars" in data["head"]
    home = requests.get(site.url + "/", timeout=30).text
    assert f'href="/queries/{name}"' in home


def test_named_query_parameters_bind_variables(site: Site) -> None:
    params = {"entityA": "Q57665", "entityB": str(WD.Q61053)}
    data = requests.get(
        f"{site.url}/queries/articles-mentioning-two-entities", params={**params, "format": "json"}, timeout=30
    ).json()
    rows = data["results"]["bindings"]
    assert [r["article"]["value"] for r in rows] == [str(ARTICLE)]
    assert {r["entityA"]["value"] for r in rows} == {str(WD.Q57665)}
    page = requests.get(f"{site.url}/queries/articles-mentioning-two-entities", params=params, timeout=30).text
    assert "1 row" in page and 'name="entityA"' in page
    bad = requests.get(
        f"{site.url}/queries/articles-mentioning-two-entities", params={"entityA": "http://a b"}, timeout=30
    )
    assert bad.status_code == 400 and "not usable" in bad.text


def test_home_page_shows_statistics(site: Site, reader: EmbeddedStore) -> None:
    page = requests.get(site.url + "/", timeout=30).text
    assert f"<b>{reader.triple_count():,}</b><span>triples</span>" in page
    assert str(escape(HOSTILE_HEADLINE)) in page  # the latest article, escaped


@pytest.mark.parametrize(
    "path",
    ["/.well-known/void", "/queries/articles-per-outlet-per-day", urlsplit(str(NS.article_iri("golden0001"))).path],
)
def test_a_format_a_route_does_not_offer_is_a_406_naming_the_offers(site: Site, path: str) -> None:
    answer = requests.get(site.url + path, params={"format": "pdf"}, timeout=30)
    assert answer.status_code == 406
    assert "format='pdf' is not offered here" in answer.text
    assert answer.headers["X-Content-Type-Options"] == "nosniff"  # the security headers wrap it too
