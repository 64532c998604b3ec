"""One graph's triples indexed once, for the compiled SHACL shapes.

rdflib's in-memory store answers each pattern through layers of generators (a few microseconds per
lookup); the compiled shapes make thousands of lookups per article graph, so the triples are put in
two plain dictionaries once (subject → predicate → objects, predicate → object → subjects).
Term equality and hashing are rdflib's own, so a lookup matches exactly what the graph would match.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

_NONE: frozenset[Node] = frozenset()
_TYPE = RDF.type
_SUBCLASS_OF = RDFS.subClassOf


class TripleIndex:
    """Pattern lookups over a fixed set of triples."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        spo: dict[Node, dict[Node, set[Node]]] = {}
        pos: dict[Node, dict[Node, set[Node]]] = {}
        for s, p, o in triples:
            by_predicate = spo.get(s)
            if by_predicate is None:
                by_predicate = spo[s] = {}
            objects = by_predicate.get(p)
            if objects is None:
                objects = by_predicate[p] = set()
            objects.add(o)
            by_object = pos.get(p)
            if by_object is None:
                by_object = pos[p] = {}
            subjects = by_object.get(o)
            if subjects is None:
                subjects = by_object[o] = set()
            subjects.add(s)
        self._spo = spo
        self._pos = pos
        self._superclasses: dict[Node, set[Node]] = {}

    def objects(self, subject: Node, predicate: Node) -> set[Node] | frozenset[Node]:
        return self._spo.get(subject, {}).get(predicate, _NONE)

    def subjects(self, predicate: Node, obj: Node) -> set[Node] | frozenset[Node]:
        return self._pos.get(predicate, {}).get(obj, _NONE)

    def subjects_of(self, predicate: Node) -> set[Node]:
        found: set[Node] = set()
        for subjects in self._pos.get(predicate, {}).values():
            found.update(subjects)
        return found

    def objects_of(self, predicate: Node) -> set[Node]:
        return set(self._pos.get(predicate, {}))

    def subclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class below it by rdfs:subClassOf in this graph."""
        found = {cls}
        todo = [cls]
        while todo:
            for sub in self.subjects(_SUBCLASS_OF, todo.pop()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    def superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class above it by rdfs:subClassOf in this graph."""
        cached = self._superclasses.get(cls)
        if cached is not None:
            return cached
        found = {cls}
        todo = [cls]
        while todo:
            for sup in self.objects(todo.pop(), _SUBCLASS_OF):
                if sup not in found:
                    found.add(sup)
                    todo.append(sup)
        self._superclasses[cls] = found
        return found

    def instances(self, cls: Node) -> set[Node]:
        """Subjects typed ``cls`` or one of its subclasses."""
        found: set[Node] = set()
        for sub in self.subclasses(cls):
            found.update(self.subjects(_TYPE, sub))
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        return any(cls in self.superclasses(t) for t in self.objects(node, _TYPE))
