"""The plain triple set the night builds article graphs in: the same triples, quotes and bytes as rdflib's graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from pipelines.graph.article import build_article_triples
from pipelines.graph.quotes import add_quotes
from pipelines.graph.stream import iter_serialized_graph_triples, serialize_graphs, serialize_named_graphs
from pipelines.graph.triples import TripleGraph
from pipelines.graph.validation import compiled_shapes, load_shapes, validate_graph_triples
from pipelines.namespaces import PREFIXES, SCHEMA, Namespaces
from pipelines.quotes.stage import article_quotes
from tests.graph.samples import SEED_DATA, golden_input, seed_records
from tests.graph.test_compiled_shapes import MUTATIONS, _base

NS = Namespaces()
A, B = URIRef("https://example.org/a"), URIRef("https://example.org/b")


def test_a_triple_added_twice_is_held_once_and_reads_like_an_rdflib_graph() -> None:
    g = TripleGraph(URIRef("https://example.org/g"))
    g.add((A, RDF.type, SCHEMA.Person)).add((A, RDF.type, SCHEMA.Person))
    g.add((B, RDF.type, SCHEMA.Organization))
    g.add((A, SCHEMA.birthDate, Literal("1958-06-14", datatype=XSD.date)))
    assert len(g) == 3
    assert (A, RDF.type, SCHEMA.Person) in g
    assert g.value(A, SCHEMA.birthDate) == Literal("1958-06-14", datatype=XSD.date)
    assert g.value(B, SCHEMA.birthDate) is None
    assert list(g.subjects(RDF.type)) == [A, B]
    assert list(g.subjects(RDF.type, SCHEMA.Organization)) == [B]
    rdflib_graph = g.dataset(NS).graph(g.identifier)
    assert len(rdflib_graph) == 3
    assert set(rdflib_graph) == set(g)


def test_the_golden_article_serializes_to_the_bytes_of_its_rdflib_dataset() -> None:
    data = golden_input()
    triples = build_article_triples(data["raw"], data["clean"], data["mentions"], data["entities"], data["run"], NS)
    for fmt, prefixes in ((ox.RdfFormat.TRIG, PREFIXES), (ox.RdfFormat.N_QUADS, None)):
        assert serialize_named_graphs([triples], fmt, prefixes) == serialize_graphs(triples.dataset(NS), fmt, prefixes)


def test_an_empty_graph_is_left_out_of_the_serialization() -> None:
    data, counts = serialize_named_graphs([TripleGraph(A)], ox.RdfFormat.TRIG, PREFIXES)
    assert (data, counts) == (b"", {})


@pytest.mark.needs_shared(*SEED_DATA)
def test_quotes_add_the_same_triples_to_a_triple_graph_as_to_an_rdflib_graph(shared_dir: Path) -> None:
    quoted = 0
    for raw, clean, mentions, entities in seed_records(shared_dir):
        run = golden_input()["run"]
        found = article_quotes(raw.doc_id, clean, mentions)
        plain = build_article_triples(raw, clean, mentions, entities, run, NS)
        ds = plain.dataset(NS)
        add_quotes(ds.graph(plain.identifier), raw.doc_id, clean.text, found, run, NS)
        quoted += add_quotes(plain, raw.doc_id, clean.text, found, run, NS)
        assert isomorphic(plain.dataset(NS).graph(plain.identifier), ds.graph(plain.identifier)), raw.doc_id
    assert quoted > 0  # the seeds quote people, so the quote triples were compared too


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_graph_validated_in_file_order_reports_what_its_serialized_file_reports(mutation: str) -> None:
    """The night validates an article from memory, in the file's order; the validate stage reads the file."""
    graph = TripleGraph(URIRef(f"{NS.base_iri}graph/article/golden0001"))
    mutated = _base()
    MUTATIONS[mutation](mutated)
    for triple in mutated:
        graph.add(triple)
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        pytest.skip("a file gives blank nodes new labels; article graphs have none")
    compiled = compiled_shapes(load_shapes())
    data, _counts = serialize_named_graphs([graph], ox.RdfFormat.TRIG, PREFIXES)
    from_file = validate_graph_triples(iter_serialized_graph_triples(data, ox.RdfFormat.TRIG), compiled)
    from_memory = validate_graph_triples([(graph.identifier, graph.in_file_order())], compiled)
    assert from_memory == from_file
    assert from_memory[0][1], "the mutation is a violation"
