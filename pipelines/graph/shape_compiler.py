"""The SHACL shapes compiled once into plain Python checks, with pyshacl kept for whatever they cannot express.

Validating an article graph with pyshacl costs far more than building it: pyshacl rebuilds its shape
and constraint objects for every graph, walks rdflib's store through generators and evaluates SPARQL
constraints with an interpreter. Here the shapes graph is read once: each targeted node shape, its
property shapes and the shapes its ``sh:or`` / ``sh:not`` / ``sh:qualifiedValueShape`` name become
checks over the article's triples, indexed once per graph (:mod:`pipelines.graph.triple_index`).
Constraint components follow pyshacl's decisions and messages (:mod:`pipelines.graph.shape_checks`);
SPARQL constraints run as their Python twins (:mod:`pipelines.graph.sparql_twins`).

A targeted shape that uses anything the compiler does not know (a component, a complex path, a
SPARQL text without a twin, a parameter pyshacl would refuse) is left to pyshacl with its reason
(``CompiledShapes.fallback``, logged), and pyshacl validates it on every graph; a graph whose data
the checks cannot decide exactly (``Unsupported`` at validation time) is validated by pyshacl whole.
So correctness never depends on the compiler's coverage; tests compare both on every example.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import pyshacl
from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from pipelines.graph.shape_checks import (
    Check,
    Context,
    Message,
    Result,
    ShapeSpec,
    Unsupported,
    compile_class,
    compile_datatype,
    compile_in,
    compile_language_in,
    compile_length,
    compile_less_than,
    compile_max_count,
    compile_min_count,
    compile_node_kind,
    compile_pattern,
    compile_range,
    compile_unique_lang,
    one_value,
)
from pipelines.graph.sparql_twins import KNOWN_BY_TEXT, Row, Twin, normalize
from pipelines.graph.triple_index import TripleIndex

log = logging.getLogger(__name__)

ALLOWED_SEVERITIES = (SH.Info, SH.Warning)  # pyshacl runs with allow_warnings: these never make a shape fail
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape, SH.Shape}

_SIMPLE: dict[URIRef, Callable[[ShapeSpec], Check]] = {
    SH["class"]: compile_class,
    SH.datatype: compile_datatype,
    SH.nodeKind: compile_node_kind,
    SH.minCount: compile_min_count,
    SH.maxCount: compile_max_count,
    SH.minInclusive: lambda spec: compile_range(spec, SH.minInclusive),
    SH.minExclusive: lambda spec: compile_range(spec, SH.minExclusive),
    SH.maxInclusive: lambda spec: compile_range(spec, SH.maxInclusive),
    SH.maxExclusive: lambda spec: compile_range(spec, SH.maxExclusive),
    SH.minLength: lambda spec: compile_length(spec, SH.minLength),
    SH.maxLength: lambda spec: compile_length(spec, SH.maxLength),
    SH.pattern: compile_pattern,
    SH.languageIn: compile_language_in,
    SH.uniqueLang: compile_unique_lang,
    SH["in"]: compile_in,
    SH.lessThan: lambda spec: compile_less_than(spec, SH.lessThan),
    SH.lessThanOrEquals: lambda spec: compile_less_than(spec, SH.lessThanOrEquals),
}
_QUALIFIED = (SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint)


@dataclass
class CompiledShape:
    """A node or property shape as checks; ``evaluate`` gives the results pyshacl's ``Shape.validate`` gives."""

    spec: ShapeSpec
    deactivated: bool
    checks: list[Check] = field(default_factory=list)
    properties: list[CompiledShape] = field(default_factory=list)

    def evaluate(self, ctx: Context, focus: Node) -> list[Result]:
        if self.deactivated:
            return []
        values: Collection[Node] = (focus,) if self.spec.path is None else ctx.index.objects(focus, self.spec.path)
        results: list[Result] = []
        for check in self.checks:
            results.extend(check(ctx, focus, values))
        if values:
            for prop in self.properties:
                for value in values:
                    results.extend(prop.evaluate(ctx, value))
        return results

    def conforms(self, ctx: Context, focus: Node) -> bool:
        """As pyshacl decides conformance for ``sh:or`` / ``sh:not`` / qualified value shapes."""
        if self.deactivated or self.spec.severity in ALLOWED_SEVERITIES:
            return True
        return all(r.severity in ALLOWED_SEVERITIES for r in self.evaluate(ctx, focus))


@dataclass
class TargetedShape:
    """A compiled node shape and its targets, whose focus nodes pyshacl would find as below."""

    shape: CompiledShape
    nodes: list[Node]
    classes: list[Node]
    subjects_of: list[Node]
    objects_of: list[Node]

    def focus_nodes(self, index: TripleIndex) -> set[Node]:
        found: set[Node] = set(self.nodes)  # target nodes count whether or not the graph holds them
        for cls in self.classes:
            found.update(index.instances(cls))  # instances of subclasses too (rdfs:subClassOf in the data)
        for predicate in self.subjects_of:
            found.update(index.subjects_of(predicate))
        for predicate in self.objects_of:
            found.update(index.objects_of(predicate))
        return found


@dataclass
class CompiledShapes:
    """The compiled targeted shapes, the ones left to pyshacl (shape → reason), the shapes graph
    pyshacl validates them with (None when every shape compiled) and a copy of the whole shapes graph
    for a graph that goes to pyshacl whole."""

    source: Graph
    targeted: list[TargetedShape]
    fallback: dict[Node, str]
    pyshacl_shapes: Graph | None
    graphs_compiled: int = 0  # graphs checked in compiled form (counted by the validator)
    graphs_to_pyshacl: int = 0  # graphs whose data sent them to pyshacl whole

    def results(self, ctx: Context) -> list[Result]:
        found: list[Result] = []
        for targeted in self.targeted:
            for focus in targeted.focus_nodes(ctx.index):
                found.extend(targeted.shape.evaluate(ctx, focus))
        return found


class _Compiler:
    def __init__(self, sg: Graph) -> None:
        self.sg = sg
        self.done: dict[Node, CompiledShape] = {}
        self.in_progress: set[Node] = set()

    def shape(self, node: Node, *, property_shape: bool | None = None) -> CompiledShape:
        if node in self.done:
            return self.done[node]
        if node in self.in_progress:
            raise Unsupported("recursive shapes")
        self.in_progress.add(node)
        compiled = self._compile(node, property_shape)
        self.in_progress.discard(node)
        self.done[node] = compiled
        return compiled

    def _compile(self, node: Node, property_shape: bool | None) -> CompiledShape:
        sg = self.sg
        types = set(sg.objects(node, RDF.type))
        if types - _SHAPE_TYPES:
            raise Unsupported("a shape that is also a class (implicit class target)")
        if (node, SH.target, None) in sg:
            raise Unsupported("sh:target")
        paths = list(sg.objects(node, SH.path))
        if len(paths) > 1 or (paths and SH.NodeShape in types) or (not paths and SH.PropertyShape in types):
            raise Unsupported("a malformed shape")
        path = paths[0] if paths else None
        if path is not None and not isinstance(path, URIRef):
            raise Unsupported("a complex property path")
        if property_shape is not None and property_shape != (path is not None):
            raise Unsupported("a property shape without a path, or a node shape with one")
        severity = list(sg.objects(node, SH.severity))
        messages = list(sg.objects(node, SH.message))
        deactivated = list(sg.objects(node, SH.deactivated))
        if len(severity) > 1 or len(messages) > 1 or len(deactivated) > 1:
            raise Unsupported("several severities, messages or sh:deactivated")
        message = messages[0] if messages else None
        if message is not None and not isinstance(message, Literal):
            raise Unsupported("a message that is not a literal")
        off = deactivated[0] if deactivated else Literal(False)
        if not isinstance(off, Literal):
            raise Unsupported("sh:deactivated that is not a literal")
        spec = ShapeSpec(node, path, severity[0] if severity else SH.Violation, message, sg)
        compiled = CompiledShape(spec, deactivated=bool(off.value))
        parameters = {p for p in sg.predicates(node, None) if isinstance(p, URIRef) and p in CONSTRAINT_PARAMETERS_MAP}
        for parameter in sorted(parameters, key=str):
            if parameter in _SIMPLE:
                compiled.checks.append(_SIMPLE[parameter](spec))
            elif parameter == SH.property:
                for prop in sg.objects(node, SH.property):
                    compiled.properties.append(self.shape(prop, property_shape=True))
            elif parameter == SH["or"]:
                compiled.checks.append(self._or(spec))
            elif parameter == SH["not"]:
                compiled.checks.append(self._not(spec))
            elif parameter == SH.qualifiedValueShape:
                compiled.checks.append(self._qualified(spec))
            elif parameter in _QUALIFIED:
                continue  # read with sh:qualifiedValueShape
            elif parameter == SH.sparql:
                compiled.checks.extend(self._sparql(spec, constraint) for constraint in sg.objects(node, SH.sparql))
            else:
                raise Unsupported(f"{parameter}")
        return compiled

    def _or(self, spec: ShapeSpec) -> Check:
        members_list = one_value(spec, SH["or"])
        members = list(self.sg.items(members_list))
        if not members:
            raise Unsupported("an empty sh:or")
        shapes = [self.shape(m) for m in members]
        listed = " , ".join(spec.describe(m) for m in members)

        def check(ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
            return [
                spec.result(
                    focus,
                    v,
                    lambda c, v=v: f"Node {c.describe_or_str(v)} must conform to one or more shapes in {listed}",  # type: ignore[misc]
                )
                for v in values
                if not any(shape.conforms(ctx, v) for shape in shapes)
            ]

        return check

    def _not(self, spec: ShapeSpec) -> Check:
        member = one_value(spec, SH["not"])
        shape = self.shape(member)
        described = spec.describe(member)

        def check(ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
            return [
                spec.result(
                    focus,
                    v,
                    lambda c, v=v: f"Node {c.describe_or_str(v)} must not conform to shape {described}",  # type: ignore[misc]
                )
                for v in values
                if shape.conforms(ctx, v)
            ]

        return check

    def _qualified(self, spec: ShapeSpec) -> Check:
        if spec.path is None or (spec.node, SH.qualifiedValueShapesDisjoint, None) in self.sg:
            raise Unsupported("sh:qualifiedValueShape on a node shape, or with sh:qualifiedValueShapesDisjoint")
        member = one_value(spec, SH.qualifiedValueShape)
        shape = self.shape(member)
        counts: dict[URIRef, int | None] = {}
        for parameter in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            found = list(self.sg.objects(spec.node, parameter))
            count = found[0] if found else None
            if len(found) > 1 or (count is not None and not (isinstance(count, Literal) and type(count.value) is int)):
                raise Unsupported(f"{parameter}")
            counts[parameter] = count.value if isinstance(count, Literal) else None
        minimum, maximum = counts[SH.qualifiedMinCount], counts[SH.qualifiedMaxCount]
        if minimum is None and maximum is None:
            raise Unsupported("sh:qualifiedValueShape without counts")
        wording = (f" MinCount {minimum}" if minimum is not None else "") + (
            f" MaxCount {maximum}" if maximum is not None else ""
        )
        message = f"Focus node does not conform to shape{wording}: {spec.describe(member)}"

        def check(ctx: Context, focus: Node, values: Collection[Node]) -> list[Result]:
            if not values and (minimum is None or minimum < 1):
                return []
            conforming = sum(1 for v in values if shape.conforms(ctx, v))
            results = []
            if maximum is not None and conforming > maximum:
                results.append(spec.result(focus, None, lambda _c: message))
            if minimum is not None and conforming < minimum:
                results.append(spec.result(focus, None, lambda _c: message))
            return results

        return check

    def _sparql(self, spec: ShapeSpec, constraint: Node) -> Check:
        sg = self.sg
        if spec.path is not None:
            raise Unsupported("a SPARQL constraint on a property shape")
        selects = list(sg.objects(constraint, SH.select))
        messages = list(sg.objects(constraint, SH.message))
        deactivated = list(sg.objects(constraint, SH.deactivated))
        if len(selects) != 1 or not isinstance(selects[0], Literal) or len(messages) > 1 or len(deactivated) > 1:
            raise Unsupported("a SPARQL constraint with several or no queries, messages or sh:deactivated")
        message = messages[0] if messages else None
        if message is not None and not (isinstance(message, Literal) and isinstance(message.value, str)):
            raise Unsupported("a SPARQL constraint message that is not a string")
        if deactivated:
            if not isinstance(deactivated[0], Literal) or not isinstance(deactivated[0].value, bool):
                raise Unsupported("sh:deactivated that is not a boolean")
            if deactivated[0].value:
                return lambda _ctx, _focus, _values: []
        known = KNOWN_BY_TEXT.get(normalize(str(selects[0])))
        if known is None:
            raise Unsupported("a SPARQL constraint without a Python twin")
        declared = _declared_prefixes(sg)
        for prefix, namespace in known.prefixes.items():
            if declared.get(prefix) != {namespace}:
                raise Unsupported(f"prefix {prefix}: is not declared once as {namespace}")
        return _sparql_check(spec, known.twin, message)


def _declared_prefixes(sg: Graph) -> dict[str, set[str]]:
    """Every sh:declare of the shapes graph: prefix → the namespaces declared for it anywhere."""
    declared: dict[str, set[str]] = {}
    for declaration in sg.objects(None, SH.declare):
        for prefix in sg.objects(declaration, SH.prefix):
            for namespace in sg.objects(declaration, SH.namespace):
                declared.setdefault(str(prefix), set()).add(str(namespace))
    return declared


def _fill(message: str, bound: dict[str, Node]) -> str:
    """pyshacl's substitution of ``{?var}`` / ``{$var}`` in a SPARQL constraint's message (re.sub, as it does)."""
    for var, value in bound.items():
        message = re.sub(f"{{[?$]{var}}}", str(value), message)
    return message


def _constant(text: str | None) -> Message:
    return lambda _ctx: text


def _sparql_check(spec: ShapeSpec, twin: Twin, constraint_message: Literal | None) -> Check:
    """Results from a twin's rows, as pyshacl's SPARQL-based constraint builds them for a node shape."""
    shape_message = spec.message

    def check(ctx: Context, focus: Node, _values: Collection[Node]) -> list[Result]:
        rows: list[Row] = []
        for row in twin(ctx.index, focus):
            this, path, value, _bindings = row
            if (this is not None or path is not None or value is not None) and row not in rows:
                rows.append(row)
        results = []
        for this, path, value, bindings in rows:
            value = value if value is not None else focus
            bound = dict(bindings)
            for var, term in (("this", this), ("path", path), ("value", value)):
                if term is not None:
                    bound[var] = term
            texts = []
            if constraint_message is not None and constraint_message != shape_message:
                texts.append(_fill(str(constraint_message.value), bound))
            if shape_message is not None:
                texts.append(_fill(str(shape_message.value), bound))
            first = texts[0] if texts else None
            results.append(
                Result(this or focus, path if path is not None else spec.path, value, spec.severity, _constant(first))
            )
        return results

    return check


def _copy_shapes(sg: Graph, without_targets_of: Collection[Node] = ()) -> Graph:
    """A copy of the shapes graph for pyshacl, which adds triples to the shapes graph it is given
    (``owl:Class rdfs:subClassOf rdfs:Class``); optionally without the targets of compiled shapes."""
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in sg.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    for triple in sg:
        copy.add(triple)
    for node in without_targets_of:
        for target in _TARGETS:
            copy.remove((node, target, None))
    return copy


def _pyshacl_accepts(sg: Graph) -> bool:
    """Whether pyshacl can read the shapes graph at all (if not, it decides every graph: with its error)."""
    try:
        pyshacl.validate(Graph(), shacl_graph=sg, inference="none", allow_warnings=True)
    except Exception:  # any refusal: leave every graph to pyshacl so it reports it as it always did
        return False
    return True


def compile_shapes(sg: Graph) -> CompiledShapes:
    """Compile every targeted shape of ``sg``; the ones that cannot be compiled are left to pyshacl."""
    targeted_nodes = sorted({s for t in _TARGETS for s in sg.subjects(t, None)}, key=str)
    fallback: dict[Node, str] = {}
    targeted: list[TargetedShape] = []
    source = _copy_shapes(sg)
    if (None, RDF.type, SH.ConstraintComponent) in sg:
        fallback = {node: "the shapes graph declares its own constraint components" for node in targeted_nodes}
    elif not _pyshacl_accepts(source):
        fallback = {node: "pyshacl refuses the shapes graph" for node in targeted_nodes}
    else:
        compiler = _Compiler(sg)
        for node in targeted_nodes:
            try:
                shape = compiler.shape(node, property_shape=False)
            except Unsupported as exc:
                fallback[node] = str(exc)
                compiler.in_progress.clear()
                continue
            targeted.append(
                TargetedShape(
                    shape,
                    nodes=list(sg.objects(node, SH.targetNode)),
                    classes=list(sg.objects(node, SH.targetClass)),
                    subjects_of=list(sg.objects(node, SH.targetSubjectsOf)),
                    objects_of=list(sg.objects(node, SH.targetObjectsOf)),
                )
            )
    for node, reason in fallback.items():
        log.warning("SHACL shape %s is validated by pyshacl, not compiled: %s", node, reason)
    pyshacl_shapes = _copy_shapes(sg, [t.shape.spec.node for t in targeted]) if fallback else None
    return CompiledShapes(source, targeted, fallback, pyshacl_shapes)
