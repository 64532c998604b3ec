"""One named graph as a plain set of triples, which is all an article's builders need.

rdflib's Memory store indexes every triple three ways and per context as it is added; an article
graph is written once, read twice (its typed subjects, its publication date) and serialized, so that
bookkeeping was the largest part of building it. :class:`TripleGraph` keeps the same terms and the
same set semantics (a triple added twice is held once); :meth:`TripleGraph.dataset` gives the rdflib
view where a caller wants one.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Dataset, URIRef
from rdflib.term import Node

from pipelines.namespaces import Namespaces

Triple = tuple[Node, Node, Node]


class TripleGraph:
    """``g.add((s, p, o))``, ``g.value(s, p)``, ``g.subjects(p)``, iteration and ``len`` — as rdflib's Graph."""

    __slots__ = ("_triples", "identifier")

    def __init__(self, identifier: URIRef) -> None:
        self.identifier = identifier
        self._triples: dict[Triple, None] = {}  # a set that keeps the order triples came in

    def add(self, triple: Triple) -> TripleGraph:
        self._triples[triple] = None
        return self

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """One object of ``subject predicate`` (the first added), or ``None``."""
        return next((o for s, p, o in self._triples if s == subject and p == predicate), None)

    def subjects(self, predicate: Node, obj: Node | None = None) -> Iterator[Node]:
        """Subjects with ``predicate`` (and ``obj``, where given), each once."""
        seen: dict[Node, None] = {}
        for s, p, o in self._triples:
            if p == predicate and (obj is None or o == obj):
                seen[s] = None
        return iter(seen)

    def dataset(self, ns: Namespaces | None = None) -> Dataset:
        """These triples as the named graph of an rdflib Dataset (with ``ns``'s prefixes bound, where given)."""
        ds = Dataset()
        if ns is not None:
            ns.bind(ds)
        graph = ds.graph(self.identifier)
        for triple in self._triples:
            graph.add(triple)
        return ds
