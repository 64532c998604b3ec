"""SHACL core constraint components as plain Python checks, deciding and wording results as pyshacl does.

Each ``compile_*`` function reads one constraint's parameters from the shapes graph and returns a
check: given a focus node and its value nodes, the results pyshacl would report. Verdicts follow
pyshacl 0.40's own evaluation (its datatype matching, literal comparison and string conversion;
:mod:`pyshacl.rdfutil` is reused where pyshacl words a message or compares literals) and messages
are pyshacl's generic ones unless the shape has an ``sh:message``. Parameters pyshacl would refuse,
or would read in a way that depends on set order, raise :class:`Unsupported` so the shape is left to
pyshacl; so does a value the check cannot decide exactly as pyshacl would (a blank node compared by
``sh:lessThan``), at validation time, which sends that graph to pyshacl.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil import stringify_node
from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from pipelines.graph.triple_index import TripleIndex


class Unsupported(Exception):
    """The compiled form cannot decide this exactly as pyshacl would: pyshacl decides instead."""


class Context:
    """One data graph under validation: its index, and the rdflib graph pyshacl would have been given
    (built only when a message needs a node written the way pyshacl writes it)."""

    def __init__(self, index: TripleIndex, graph: Callable[[], Graph]) -> None:
        self.index = index
        self._graph_factory = graph
        self._graph: Graph | None = None

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = self._graph_factory()
        return self._graph

    def describe(self, node: Node) -> str:
        return stringify_node(self.graph, node)

    def describe_or_str(self, node: Node) -> str:
        """As pyshacl writes a node where it tolerates one missing from the data graph."""
        try:
            return stringify_node(self.graph, node)
        except (LookupError, ValueError):
            return str(node)


Message = Callable[[Context], str | None]


@dataclass(frozen=True, slots=True)
class Result:
    """One validation result, as pyshacl reports it (message built on demand)."""

    focus: Node
    path: Node | None
    value: Node | None
    severity: Node
    message: Message


@dataclass(frozen=True)
class ShapeSpec:
    """What a constraint's results take from the shape that declares it."""

    node: Node
    path: URIRef | None  # set for a property shape
    severity: Node
    message: Literal | None  # the shape's one sh:message, which replaces every generic message
    sg: Graph

    def result(self, focus: Node, value: Node | None, generic: Message) -> Result:
        if self.message is not None:
            text = str(self.message)
            return Result(focus, self.path, value, self.severity, lambda _ctx: text)
        return Result(focus, self.path, value, self.severity, generic)

    def describe(self, node: Node) -> str:
        """A shapes-graph node as pyshacl writes it in a message."""
        return stringify_node(self.sg, node)


Check = Callable[[Context, Node, Collection[Node]], list[Result]]


def one_value(spec: ShapeSpec, predicate: URIRef) -> Node:
    values = list(spec.sg.objects(spec.node, predicate))
    if len(values) != 1:
        raise Unsupported(f"{len(values)} values of {predicate}")
    return values[0]


def _integer(node: Node, *, exact_integer: bool = False) -> int:
    if not isinstance(node, Literal) or getattr(node, "ill_typed", False):
        raise Unsupported(f"not an integer: {node!r}")
    if exact_integer and node.datatype != XSD.integer:
        raise Unsupported(f"not an xsd:integer: {node!r}")
    if not isinstance(node.value, int) or isinstance(node.value, bool) or node.value < 0:
        raise Unsupported(f"not a non-negative integer: {node!r}")
    return node.value


def compile_class(spec: ShapeSpec) -> Check:
    cls = one_value(spec, SH["class"])
    message = f"Value does not have class {spec.describe(cls)}"

    def check(ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        return [
            spec.result(focus, v, lambda _c: message)
            for v in values
            if isinstance(v, Literal) or not ctx.index.is_instance(v, cls)
        ]

    return check


_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
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


_RDFS_LITERAL, _RDFS_DATATYPE, _XSD_STRING, _LANG_STRING = RDFS.Literal, RDFS.Datatype, XSD.string, RDF.langString


def datatype_matches(value: Node, datatype: Node) -> bool:
    """``sh:datatype`` as pyshacl decides it."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
        expected = _PYTHON_TYPES.get(datatype)
        return expected is None or isinstance(value.value, expected)
    if datatype == _RDFS_LITERAL:
        return True
    if datatype == _RDFS_DATATYPE and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == _XSD_STRING:
        return isinstance(value.value, str | bytes)
    if datatype == _LANG_STRING and value.language:
        return isinstance(value.value, str | bytes)
    return False


def compile_datatype(spec: ShapeSpec) -> Check:
    datatype = one_value(spec, SH.datatype)
    message = f"Value is not Literal with datatype {spec.describe(datatype)}"

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        return [spec.result(focus, v, lambda _c: message) for v in values if not datatype_matches(v, datatype)]

    return check


_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


def compile_node_kind(spec: ShapeSpec) -> Check:
    kind = one_value(spec, SH.nodeKind)
    allowed = _KINDS.get(kind)
    if allowed is None:
        raise Unsupported(f"sh:nodeKind {kind}")
    message = f"Value is not of Node Kind {spec.describe(kind)}"

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        return [spec.result(focus, v, lambda _c: message) for v in values if not isinstance(v, allowed)]

    return check


def compile_min_count(spec: ShapeSpec) -> Check:
    literal = one_value(spec, SH.minCount)
    minimum = _integer(literal, exact_integer=True)
    if spec.path is None:
        raise Unsupported("sh:minCount on a node shape")
    path = spec.describe(spec.path)

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        if minimum == 0 or len(values) >= minimum:
            return []
        return [spec.result(focus, None, lambda c: f"Less than {minimum} values on {c.describe_or_str(focus)}->{path}")]

    return check


def compile_max_count(spec: ShapeSpec) -> Check:
    literal = one_value(spec, SH.maxCount)
    maximum = _integer(literal, exact_integer=True)
    if spec.path is None:
        raise Unsupported("sh:maxCount on a node shape")
    path = spec.describe(spec.path)

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        if len(values) <= maximum:
            return []
        return [spec.result(focus, None, lambda c: f"More than {maximum} values on {c.describe(focus)}->{path}")]

    return check


_RANGES: dict[Node, tuple[str, Callable[[int], bool]]] = {
    SH.minInclusive: (">=", lambda cmp: cmp >= 0),
    SH.minExclusive: (">", lambda cmp: cmp > 0),
    SH.maxInclusive: ("<=", lambda cmp: cmp <= 0),
    SH.maxExclusive: ("<", lambda cmp: cmp < 0),
}


def compile_range(spec: ShapeSpec, parameter: URIRef) -> Check:
    bound = one_value(spec, parameter)
    if not isinstance(bound, Literal):
        raise Unsupported(f"{parameter} is not a literal")
    symbol, passes = _RANGES[parameter]
    message = f"Value is not {symbol} {spec.describe(bound)}"
    bound_is_string = isinstance(bound.value, str)

    def accepts(v: Node) -> bool:
        if not isinstance(v, Literal):
            return False
        if bound_is_string != isinstance(v.value, str):
            return False
        try:
            return passes(compare_literal(v, bound))
        except (TypeError, NotImplementedError):
            return False

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        return [spec.result(focus, v, lambda _c: message) for v in values if not accepts(v)]

    return check


def _string_of(v: Node) -> str:
    """A value's string as pyshacl's string-based constraints take it."""
    if isinstance(v, Literal):
        if v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
            return str(v.value)
        return str(v)
    return str(v)


def compile_length(spec: ShapeSpec, parameter: URIRef) -> Check:
    literal = one_value(spec, parameter)
    if not isinstance(literal, Literal) or literal.datatype not in (XSD.integer, XSD.nonNegativeInteger):
        raise Unsupported(f"{parameter} {literal!r}")
    limit = _integer(literal)
    is_min = parameter == SH.minLength
    symbol = ">=" if is_min else "<="

    def accepts(v: Node) -> bool:
        if is_min and limit == 0:
            return True
        if isinstance(v, BNode):
            return False
        return len(_string_of(v)) >= limit if is_min else len(_string_of(v)) <= limit

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        return [
            spec.result(focus, v, lambda c: f"String length not {symbol} {c.describe(literal)}")
            for v in values
            if not accepts(v)
        ]

    return check


def compile_pattern(spec: ShapeSpec) -> Check:
    pattern = one_value(spec, SH.pattern)
    if not isinstance(pattern, Literal) or (spec.node, SH.flags, None) in spec.sg:
        raise Unsupported("sh:pattern with flags or not a literal")
    text = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    matcher = re.compile(text)
    message = f"Value does not match pattern '{pattern.value}'"

    def accepts(v: Node) -> bool:
        return not isinstance(v, BNode) and matcher.search(_string_of(v)) is not None

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        return [spec.result(focus, v, lambda _c: message) for v in values if not accepts(v)]

    return check


def compile_language_in(spec: ShapeSpec) -> Check:
    languages_list = one_value(spec, SH.languageIn)
    languages: set[str] = set()
    for item in spec.sg.items(languages_list):
        if not isinstance(item, Literal) or not isinstance(item.value, str):
            raise Unsupported("sh:languageIn member is not a string")
        languages.add(item.value.lower())
    message = f"String language is not in {spec.describe(languages_list)}"

    def accepts(v: Node) -> bool:
        if not isinstance(v, Literal) or not v.language:
            return False
        lang = str(v.language).lower()
        return "*" in languages or lang in languages or lang.split("-")[0] in languages

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        return [spec.result(focus, v, lambda _c: message) for v in values if not accepts(v)]

    return check


def compile_unique_lang(spec: ShapeSpec) -> Check:
    flag = one_value(spec, SH.uniqueLang)
    if spec.path is None or not isinstance(flag, Literal) or not isinstance(flag.value, bool):
        raise Unsupported("sh:uniqueLang")
    enabled = flag.value

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        if not enabled:
            return []
        seen: set[str] = set()
        duplicates: set[str] = set()
        for v in values:
            if isinstance(v, Literal) and v.language:
                lang = str(v.language).lower()
                (duplicates if lang in seen else seen).add(lang)
        return [
            spec.result(focus, None, lambda _c: "More than one String shares the same Language") for _ in duplicates
        ]

    return check


def compile_in(spec: ShapeSpec) -> Check:
    members = one_value(spec, SH["in"])
    allowed: set[Node] = set()
    for item in spec.sg.items(members):
        allowed.add(item)
    shapes_side = [spec.describe(val) for val in allowed]

    def check(_ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        return [
            spec.result(focus, v, lambda c, v=v: f"Value {c.describe(v)} not in list {shapes_side}")  # type: ignore[misc]
            for v in values
            if v not in allowed
        ]

    return check


def _comparable(node: Node) -> tuple[object, bool]:
    if isinstance(node, BNode):
        raise Unsupported("a blank node compared by sh:lessThan / sh:lessThanOrEquals")
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


def compile_less_than(spec: ShapeSpec, parameter: URIRef) -> Check:
    other = one_value(spec, parameter)
    if spec.path is None or not isinstance(other, URIRef):
        raise Unsupported(f"{parameter}")
    or_equal = parameter == SH.lessThanOrEquals
    symbol = "<" if or_equal else "<="
    other_text = spec.describe(other)

    def fails(value: Node, compare: Node) -> bool:
        v, v_is_string = _comparable(value)
        c, c_is_string = _comparable(compare)
        if v_is_string != c_is_string:
            return True
        return not (v <= c if or_equal else v < c)  # type: ignore[operator]

    def check(ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
        results = []
        for value in values:
            _comparable(value)  # pyshacl refuses a blank node value before looking at the other values
            for compare in ctx.index.objects(focus, other):
                if fails(value, compare):
                    results.append(
                        spec.result(
                            focus,
                            value,
                            lambda c, v=value: f"Value of {c.describe(focus)}->{other_text} {symbol} {c.describe(v)}",  # type: ignore[misc]
                        )
                    )
        return results

    return check
