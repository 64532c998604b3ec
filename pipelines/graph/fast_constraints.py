"""Python equivalents of the mention shape's two SPARQL constraints, which ran once per mention and
dominated validation time (pyshacl evaluates a SPARQL constraint per focus node with rdflib's
interpreter: about 2 ms each, 50 evaluations per article).

Only constraints whose ``sh:select`` text is exactly (up to whitespace) one of the texts below are
replaced, so editing a constraint in ``ontology/shapes`` sends it back to pyshacl instead of
silently checking an outdated rule. Each equivalent follows the query's SPARQL semantics: where the
query would raise an evaluation error (an offset that is not castable to an integer, a text that is
not a string literal) it yields no result, as the FILTER would. Messages are the shape's own
``sh:message`` with ``{?var}`` filled in the way pyshacl fills them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.plugins.sparql.datatypes import XSD_DTs
from rdflib.term import Node

from pipelines.graph.fast_datatypes import Check, Shorten, datatype_or_checks, focus_nodes
from pipelines.namespaces import NIF

ANCHOR_SELECT = """
    SELECT $this ?path ?value ?begin ?end ?actual WHERE {
        $this nif:anchorOf ?value ; nif:beginIndex ?begin ; nif:endIndex ?end ;
              nif:referenceContext ?context .
        ?context nif:isString ?text .
        BIND (nif:anchorOf AS ?path)
        BIND (xsd:integer(?begin) AS ?b)
        BIND (xsd:integer(?end) AS ?e)
        BIND (IF(?b >= 0 && ?e <= STRLEN(?text) && ?b < ?e,
                 SUBSTR(?text, ?b + 1, ?e - ?b), "(outside the text)") AS ?actual)
        FILTER (STR(?value) != ?actual)
    }"""
OFFSETS_IRI_SELECT = """
    SELECT $this WHERE {
        $this nif:beginIndex ?begin ; nif:endIndex ?end .
        FILTER (!STRENDS(STR($this), CONCAT("#char=", STR(?begin), ",", STR(?end))))
    }"""


def _normalize(text: str) -> str:
    return " ".join(text.split())


def _fill(message: str, bindings: dict[str, Node]) -> str:
    for var, value in bindings.items():
        text = str(value)
        message = re.sub(r"\{[?$]" + var + r"\}", lambda _m, t=text: t, message)  # type: ignore[misc]
    return message


def _as_integer(term: Node) -> int | None:
    """``xsd:integer(term)`` as rdflib's SPARQL engine (pyshacl's evaluator) casts it, None where it fails.

    rdflib casts with Python's ``int()`` of the lexical form: "5"^^xsd:decimal gives 5 but
    "5e0"^^xsd:double is an error (the SPARQL spec would truncate it); what matters here is giving
    what the replaced query gives.
    """
    if not isinstance(term, Literal):
        return None
    if term.datatype is not None and (term.datatype not in XSD_DTs or term.datatype == XSD.dateTime):
        return None
    try:
        return int(str(term))
    except ValueError:
        return None


def _is_string(term: Node) -> bool:
    return isinstance(term, Literal) and not term.language and term.datatype in (None, XSD.string)


def anchor_check(message: str, target: URIRef) -> Check:
    def check(data: Graph, short: Shorten) -> list[str]:
        lines = []
        for this in focus_nodes(data, {SH.targetClass: [target]}):
            for value in data.objects(this, NIF.anchorOf):
                for begin in data.objects(this, NIF.beginIndex):
                    for end in data.objects(this, NIF.endIndex):
                        for context in data.objects(this, NIF.referenceContext):
                            for text in data.objects(context, NIF.isString):
                                b, e = _as_integer(begin), _as_integer(end)
                                if b is None or e is None or not _is_string(text):
                                    continue  # the query's BIND/IF errors, so its FILTER drops the row
                                actual = str(text)[b:e] if 0 <= b < e <= len(str(text)) else "(outside the text)"
                                if str(value) == actual:
                                    continue
                                filled = _fill(
                                    message,
                                    {
                                        "this": this,
                                        "path": NIF.anchorOf,
                                        "value": value,
                                        "begin": begin,
                                        "end": end,
                                        "actual": Literal(actual),
                                    },
                                )
                                lines.append(
                                    f"{short(this, data)} {short(NIF.anchorOf, data)}: {filled} "
                                    f"(value {short(value, data)})"
                                )
        return lines

    return check


def offsets_iri_check(message: str, target: URIRef) -> Check:
    def check(data: Graph, short: Shorten) -> list[str]:
        lines = []
        for this in focus_nodes(data, {SH.targetClass: [target]}):
            if not isinstance(this, URIRef):
                continue  # STR() of a blank node is an error: the query yields no row
            for begin in data.objects(this, NIF.beginIndex):
                for end in data.objects(this, NIF.endIndex):
                    if not isinstance(begin, Literal | URIRef) or not isinstance(end, Literal | URIRef):
                        continue
                    if not str(this).endswith(f"#char={begin},{end}"):
                        # no ?value in the query: SHACL reports the focus node as the value
                        lines.append(
                            f"{short(this, data)} -: {_fill(message, {'this': this})} (value {short(this, data)})"
                        )
        return lines

    return check


KNOWN: dict[str, Callable[[str, URIRef], Check]] = {
    _normalize(ANCHOR_SELECT): anchor_check,
    _normalize(OFFSETS_IRI_SELECT): offsets_iri_check,
}
_SPLIT_CACHE: dict[int, tuple[Graph, Graph, list[Check]]] = {}


def split_shapes(shapes: Graph) -> tuple[Graph, list[Check]]:
    """The shapes without the constraints that have a Python equivalent, and those equivalents.

    A SPARQL constraint is replaced only on a node shape whose one target is ``sh:targetClass`` and
    that has the constraint's exact query; an ``sh:or`` of datatypes as
    :mod:`pipelines.graph.fast_datatypes` says. The result is cached per shapes graph and its queries.
    """
    watched = (SH.select, SH["or"], SH.datatype, SH.minInclusive, SH.message)  # what decides a replacement
    key = hash((id(shapes), len(shapes), *sorted(str(t) for p in watched for t in shapes.triples((None, p, None)))))
    cached = _SPLIT_CACHE.get(key)
    if cached is not None and cached[0] is shapes:
        return cached[1], cached[2]
    checks: list[Check] = []
    removed: list[tuple[Node, Node, Node]] = []
    for shape, _p, constraint in shapes.triples((None, SH.sparql, None)):
        select = shapes.value(constraint, SH.select)
        factory = KNOWN.get(_normalize(str(select))) if select is not None else None
        targets = list(shapes.objects(shape, SH.targetClass))
        other_targets = any(
            shapes.value(shape, p) is not None for p in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        )
        deactivated = shapes.value(constraint, SH.deactivated)
        message = shapes.value(constraint, SH.message)
        if factory is None or len(targets) != 1 or other_targets or deactivated is not None or message is None:
            continue
        checks.append(factory(str(message), URIRef(str(targets[0]))))
        removed.append((shape, SH.sparql, constraint))
    or_removed, or_checks = datatype_or_checks(shapes)
    removed += or_removed
    checks += or_checks
    if removed:
        reduced = Graph()
        for prefix, namespace in shapes.namespaces():
            reduced.bind(prefix, namespace)
        for triple in shapes:
            reduced.add(triple)
        for triple in removed:
            reduced.remove(triple)
    else:
        reduced = shapes
    if len(_SPLIT_CACHE) > 16:
        _SPLIT_CACHE.clear()
    _SPLIT_CACHE[key] = (shapes, reduced, checks)
    return reduced, checks
