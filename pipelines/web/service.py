"""The SPARQL 1.1 Service Description of the endpoint (a GET of /sparql without a query).

Clients such as Comunica read it to learn what the endpoint speaks before they send a query; it
names the query languages, every result format on offer, the features (the default graph is the
union of the named graphs) and the dataset, which the VoID description at /.well-known/void
describes in full. The limits have no standard terms, so they are said in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from pipelines.namespaces import ENTAILMENT, FORMATS, SD
from pipelines.web.rdfformats import RDF_FORMATS

if TYPE_CHECKING:
    from pipelines.web.config import WebConfig
    from pipelines.web.void import DatasetStats

RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV")


def service_iri(root: str) -> URIRef:
    """The service's IRI: a fragment of the endpoint, so that dereferencing it gives this description."""
    return URIRef(f"{root}sparql#service")


def dataset_iri(root: str) -> URIRef:
    return URIRef(f"{root}.well-known/void#dataset")


def service_graph(root: str, stats: DatasetStats, config: WebConfig) -> Graph:
    """The description of the endpoint at ``root``/sparql (``root``: the public URL, ending in '/')."""
    g = Graph()
    for prefix, namespace in (("sd", SD), ("formats", FORMATS), ("entailment", ENTAILMENT), ("void", VOID)):
        g.bind(prefix, namespace)
    g.bind("dcterms", DCTERMS)
    service, endpoint, dataset = service_iri(root), URIRef(f"{root}sparql"), dataset_iri(root)
    default_graph = URIRef(f"{root}sparql#default-graph")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL10Query))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    for fmt in RDF_FORMATS:
        if fmt.iri is not None:
            g.add((service, SD.resultFormat, fmt.iri))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if config.query_policy.allowed_services:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    g.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    g.add((service, DCTERMS.description, Literal(_limits(config), lang="en")))
    g.add((service, RDFS.seeAlso, URIRef(f"{root}.well-known/void")))

    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(stats.triples, datatype=XSD.integer)))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "The default graph is the union of the named graphs unless a query chooses its dataset (FROM, "
                "FROM NAMED, default-graph-uri, named-graph-uri). Named graphs: one per article "
                f"({config.base_iri}graph/article/…), and per night its run, tallies and stories "
                f"({config.base_iri}graph/run/…, graph/tally/…, graph/story/…).",
                lang="en",
            ),
        )
    )
    return g


def _limits(config: WebConfig) -> str:
    policy = config.query_policy
    federation = (
        "SERVICE only to " + ", ".join(sorted(policy.allowed_services))
        if policy.allowed_services
        else "no SERVICE (federated) calls"
    )
    return (
        "Read-only: SPARQL Update is refused. Limits: "
        f"{config.query_timeout_s:g} s per query; at most {config.max_results} rows or triples and "
        f"{config.max_bytes} bytes in one answer; queries up to {policy.max_length} characters and "
        f"{policy.max_depth} nested brackets; at most {config.per_client} at once per client; {federation}. "
        "DESCRIBE gives a resource's concise bounded description."
    )
