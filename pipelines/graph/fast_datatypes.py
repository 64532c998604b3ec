"""A Python equivalent of ``sh:or`` lists of datatype alternatives, the shapes' costliest constraint.

The shapes accept every offset and count as its NIF/XSD type *or* as an ``xsd:integer`` in range
(oxigraph stores derived integer types as ``xsd:integer``), written as
``sh:or ( [ sh:datatype D ] [ sh:datatype xsd:integer ; sh:minInclusive N ] )``. pyshacl checks
each alternative as a shape of its own for every value, and builds a full validation result for
every alternative that fails (one of the two always does): about a third of validation time.

Only an ``sh:or`` whose members are blank nodes holding exactly one ``sh:datatype`` and at most one
integer ``sh:minInclusive`` is replaced, on a property shape with a plain predicate path and an
``sh:message``, reached only through ``sh:property`` from a node shape whose targets are all plain
(``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``). Anything
else stays with pyshacl. Datatype matching follows pyshacl's own (same datatype IRI, not ill-typed,
Python value of the expected kind for the datatypes pyshacl checks), so results are the same lines
(tests/bench/test_graph_streaming.py compares them with pyshacl's on every example).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

Shorten = Callable[[Node | None, Graph], str]
Check = Callable[[Graph, Shorten], list[str]]
Triple = tuple[Node, Node, Node]

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


@dataclass(frozen=True)
class Alternative:
    """One member of the ``sh:or``: a datatype, and optionally a lower bound."""

    datatype: URIRef
    min_inclusive: int | None = None

    def accepts(self, value: Node) -> bool:
        if not datatype_matches(value, self.datatype):
            return False
        if self.min_inclusive is None:
            return True
        number = value.value if isinstance(value, Literal) else None
        if not isinstance(number, int | float | Decimal) or isinstance(number, bool):
            return False
        return bool(number >= self.min_inclusive)


def datatype_matches(value: Node, datatype: URIRef) -> bool:
    """``sh:datatype`` as pyshacl decides it."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
        expected = _PYTHON_TYPES.get(datatype)
        return expected is None or isinstance(value.value, expected)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and value.datatype is not None:
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return isinstance(value.value, str | bytes)
    if datatype == RDF.langString and value.language:
        return isinstance(value.value, str | bytes)
    return False


def _only(shapes: Graph, node: Node, predicate: URIRef) -> Node | None:
    values = list(shapes.objects(node, predicate))
    return values[0] if len(values) == 1 else None


def _alternative(shapes: Graph, member: Node) -> Alternative | None:
    if not isinstance(member, BNode):
        return None
    predicates = [str(p) for p, _o in shapes.predicate_objects(member)]
    if sorted(predicates) not in ([str(SH.datatype)], sorted([str(SH.datatype), str(SH.minInclusive)])):
        return None
    datatype = _only(shapes, member, SH.datatype)
    if not isinstance(datatype, URIRef):
        return None
    if str(SH.minInclusive) not in predicates:
        return Alternative(datatype)
    bound = _only(shapes, member, SH.minInclusive)
    if not isinstance(bound, Literal) or not isinstance(bound.value, int) or isinstance(bound.value, bool):
        return None
    return Alternative(datatype, bound.value)


def _alternatives(shapes: Graph, or_list: Node) -> list[Alternative] | None:
    try:
        members = list(shapes.items(or_list))
    except Exception:  # a malformed RDF list: leave it to pyshacl, which reports it
        return None
    found = [_alternative(shapes, m) for m in members]
    if not found or any(a is None for a in found) or any(len(list(shapes.subjects(None, m))) != 1 for m in members):
        return None
    return [a for a in found if a is not None]


def focus_nodes(data: Graph, targets: dict[URIRef, list[Node]]) -> list[Node]:
    """The node shape's focus nodes, as pyshacl finds them (class targets include subclasses in the data)."""
    found: set[Node] = set(targets.get(SH.targetNode, []))
    for cls in targets.get(SH.targetClass, []):
        classes = set(data.transitive_subjects(RDFS.subClassOf, cls)) | {cls}
        for sub in classes:
            found.update(data.subjects(RDF.type, sub))
    for predicate in targets.get(SH.targetSubjectsOf, []):
        found.update(data.subjects(predicate, None))
    for predicate in targets.get(SH.targetObjectsOf, []):
        found.update(data.objects(None, predicate))
    return sorted(found, key=str)


def _datatype_or_check(
    targets: dict[URIRef, list[Node]], path: URIRef, alternatives: list[Alternative], message: str
) -> Check:
    def check(data: Graph, short: Shorten) -> list[str]:
        lines = []
        for focus in focus_nodes(data, targets):
            for value in data.objects(focus, path):
                if not any(alternative.accepts(value) for alternative in alternatives):
                    lines.append(f"{short(focus, data)} {short(path, data)}: {message} (value {short(value, data)})")
        return lines

    return check


def _plain_node_shape(shapes: Graph, node_shape: Node) -> dict[URIRef, list[Node]] | None:
    """The node shape's targets, if it is validated only through them and nothing else can reach it."""
    if any(True for _ in shapes.subjects(None, node_shape)):
        return None  # referenced by another shape (sh:node, sh:or, ...): also validated from there
    if (node_shape, SH.target, None) in shapes or (node_shape, SH.deactivated, None) in shapes:
        return None
    if any((node_shape, RDF.type, cls) in shapes for cls in (RDFS.Class, OWL.Class)):
        return None  # implicit class target
    targets = {t: list(shapes.objects(node_shape, t)) for t in _TARGETS}
    return targets if any(targets.values()) else None


def datatype_or_checks(shapes: Graph) -> tuple[list[Triple], list[Check]]:
    """The ``sh:or`` triples that can be checked in Python, and their checks."""
    removed: list[Triple] = []
    checks: list[Check] = []
    for property_shape, _p, or_list in shapes.triples((None, SH["or"], None)):
        parents = list(shapes.subjects(None, property_shape))
        if len(parents) != 1 or (parents[0], SH.property, property_shape) not in shapes:
            continue
        targets = _plain_node_shape(shapes, parents[0])
        path = _only(shapes, property_shape, SH.path)
        message = _only(shapes, property_shape, SH.message)
        severity = _only(shapes, property_shape, SH.severity)
        if (
            targets is None
            or not isinstance(path, URIRef)
            or not isinstance(message, Literal)
            or "{" in message  # pyshacl fills {?value}-style placeholders: leave those to it
            or len(list(shapes.objects(property_shape, SH["or"]))) != 1
            or (property_shape, SH.deactivated, None) in shapes
            or any((property_shape, target, None) in shapes for target in (*_TARGETS, SH.target))
            or severity not in (None, SH.Violation)
        ):
            continue
        alternatives = _alternatives(shapes, or_list)
        if alternatives is None:
            continue
        removed.append((property_shape, SH["or"], or_list))
        checks.append(_datatype_or_check(targets, path, alternatives, str(message)))
    return removed, checks
