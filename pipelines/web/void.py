"""The dataset described in VoID and DCAT (served at /.well-known/void, RFC 5785 / VoID §7)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from pipelines.namespaces import ITSRDF, NG, NIF, ONTOLOGY_DIR, ONTOLOGY_IRI, PREFIXES, SCHEMA, SD
from pipelines.web.service import service_iri

IANA = "https://www.iana.org/assignments/media-types/"

STATS_QUERY = (ONTOLOGY_DIR / "queries" / "web" / "stats.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class DatasetStats:
    triples: int
    articles: int
    mentions: int
    entities: int  # distinct entities mentioned
    wikidata_entities: int
    runs: int
    last_update: Literal | None
    example: str | None

    @property
    def nil_entities(self) -> int:
        return self.entities - self.wikidata_entities


@dataclass(frozen=True)
class Dump:
    file: str  # e.g. latest.nq.gz, 2026-11-20.trig.gz
    title: str
    media_type: str  # application/n-quads | application/trig


def void_graph(root: str, base_iri: str, stats: DatasetStats, dumps: Sequence[Dump]) -> Graph:
    """VoID + DCAT for the dataset served at ``root`` (the server's public URL, ending in '/')."""
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS)):
        g.bind(prefix, ns)
    for prefix in ("schema", "nif", "ng", "xsd"):
        g.bind(prefix, PREFIXES[prefix])
    ds = URIRef(f"{root}.well-known/void#dataset")
    endpoint = URIRef(f"{root}sparql")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("newsgraph", lang="en")))
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "German news articles as a knowledge graph: clean text, named-entity mentions linked to Wikidata "
                "(or to project entities where Wikidata has no item), the removed boilerplate, and the provenance "
                "of every nightly run.",
                lang="en",
            ),
        )
    )
    g.add((ds, DCAT.landingPage, URIRef(root)))
    g.add((ds, VOID.uriSpace, Literal(base_iri)))
    g.add((ds, VOID.triples, Literal(stats.triples, datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(stats.entities, datatype=XSD.integer)))
    if stats.last_update is not None:
        g.add((ds, DCTERMS.modified, stats.last_update))
    if stats.example:
        g.add((ds, VOID.exampleResource, URIRef(stats.example)))
    for vocabulary in (str(SCHEMA), str(NIF), str(ITSRDF), "http://www.w3.org/ns/prov#", ONTOLOGY_IRI):
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    for name, cls, count in (
        ("articles", SCHEMA.NewsArticle, stats.articles),
        ("mentions", NIF.Phrase, stats.mentions),
        ("nil-entities", NG.NilEntity, stats.nil_entities),
        ("runs", NG.NightlyRun, stats.runs),
    ):
        part = URIRef(f"{root}.well-known/void#{name}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))

    g.add((ds, VOID.sparqlEndpoint, endpoint))
    g.add((endpoint, RDF.type, DCAT.DataService))
    g.add((endpoint, DCAT.endpointURL, endpoint))
    g.add((endpoint, DCAT.servesDataset, ds))
    g.add((endpoint, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    description = service_iri(root)  # the Service Description, served at the endpoint for a GET without a query
    g.bind("sd", SD)
    g.add((endpoint, DCAT.endpointDescription, description))
    g.add((description, RDF.type, SD.Service))
    g.add((description, SD.endpoint, endpoint))
    g.add((description, SD.defaultDataset, ds))
    service = URIRef(f"{root}.well-known/void#sparql")
    g.add((ds, DCAT.distribution, service))
    g.add((service, RDF.type, DCAT.Distribution))
    g.add((service, DCAT.accessURL, endpoint))
    g.add((service, DCAT.accessService, endpoint))
    g.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))

    for dump in dumps:
        url = URIRef(f"{root}dumps/{dump.file}")
        if dump.file.startswith("latest."):
            g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, url))
        g.add((url, RDF.type, DCAT.Distribution))
        g.add((url, DCAT.downloadURL, url))
        g.add((url, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((url, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        g.add((url, DCTERMS.title, Literal(dump.title, lang="en")))
    return g
