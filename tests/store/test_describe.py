"""DESCRIBE is a concise bounded description without duplicates, in the store and in `newsgraph query`."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from pipelines.queryformat import run_and_render
from pipelines.store import EmbeddedStore
from pipelines.store.describe import distinct_triples

EX = "http://example.org/"
# one document in a named graph; its triples without blank nodes are in a second graph too
DOCUMENT = f"""
<{EX}a> <{EX}p> _:b1 .
<{EX}a> <{EX}label> "a" .
_:b1 <{EX}p> _:b2 .
_:b2 <{EX}p> _:b1 .
_:b2 <{EX}q> <{EX}c> .
<{EX}c> <{EX}label> "not part of a's description" .
<{EX}z> <{EX}p> <{EX}a> .
"""


@pytest.fixture
def store() -> Iterator[EmbeddedStore]:
    with EmbeddedStore(None) as store:
        store._store.load(DOCUMENT.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(EX + "g1"))
        again = "\n".join(line for line in DOCUMENT.splitlines() if "_:" not in line)
        store._store.load(again.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(EX + "g2"))
        yield store


def test_describe_is_the_concise_bounded_description_once(store: EmbeddedStore) -> None:
    lines = store.query_serialized(f"DESCRIBE <{EX}a>").decode().splitlines()
    assert len(lines) == len(set(lines))  # each triple once, though two graphs hold some
    described = Graph().parse(data="\n".join(lines), format="nt")
    # a's own triples, and through the blank nodes (a cycle) b1's and b2's: not c's, not z's about a
    assert len(described) == 5
    assert set(described.subjects()) - {URIRef(EX + "a")} <= set(described.objects())
    assert (URIRef(EX + "c"), None, None) not in described
    assert (URIRef(EX + "z"), None, None) not in described
    result = store.query(f"DESCRIBE <{EX}a>")
    assert isinstance(result, Graph) and len(result) == 5


def test_newsgraph_query_prints_each_triple_once(store: EmbeddedStore) -> None:
    for fmt in ("csv", "json", "table"):
        lines = run_and_render(store, f"DESCRIBE <{EX}a>", fmt).splitlines()
        assert len(lines) == len(set(lines)) == 5


def test_distinct_triples_keeps_the_first_order_and_drops_graph_names() -> None:
    a, p = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p")
    quads = [ox.Quad(a, p, ox.Literal(str(i % 2)), ox.NamedNode(EX + f"g{i}")) for i in range(4)]
    assert list(distinct_triples(quads)) == [ox.Triple(a, p, ox.Literal("0")), ox.Triple(a, p, ox.Literal("1"))]
