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


def file_order(triple: Triple) -> tuple[str, ...]:
    """Sort key of a graph's triples in a night's file: subject, predicate, object, then the object's
    language or datatype, so literals with the same text ("Olaf Scholz"@de, @en) come in a fixed order
    and rebuilding a night gives the same bytes."""
    s, p, o = triple
    return (str(s), str(p), str(o), getattr(o, "language", None) or "", str(getattr(o, "datatype", None) or ""))


class TripleGraph:
    """``g.add((s, p, o))``, ``g.value(s, p)``, ``g.subjects(p)``, iteration and ``len`` — as rdflib's Graph."""

    __slots__ = ("_ordered", "_triples", "identifier")

    def __init__(self, identifier: URIRef) -> None:
        self.identifier = identifier
        self._triples: dict[Triple, None] = {}  # a set that keeps the order triples came in
        self._ordered: list[Triple] | None = None

    def add(self, triple: Triple) -> TripleGraph:
        self._triples[triple] = None
        self._ordered = None
        return self

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def in_file_order(self) -> list[Triple]:
        """The triples as a night's file holds them (:func:`file_order`): serialized in this order and
        validated in it, the graph reads the same from memory as from the file."""
        if self._ordered is None:
            self._ordered = sorted(self._triples, key=file_order)
        return self._ordered

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
