"""SHACL validation of built graphs, one named graph at a time.

Each article graph is validated on its own (that is what gets published atomically), so a
violation is attributed to the article it came from and the cost grows with the night's articles,
not with the store. Results come back as readable lines (graph, focus node, path, message, value).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TextIO

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from pipelines.graph.documents import documents
from pipelines.graph.files import load_dataset
from pipelines.graph.shape_checks import Context, Result
from pipelines.graph.shape_compiler import CompiledShapes, compile_shapes
from pipelines.graph.triple_index import TripleIndex
from pipelines.namespaces import ONTOLOGY_DIR, PREFIXES

DEFAULT_SHAPES_DIR = ONTOLOGY_DIR / "shapes"

log = logging.getLogger(__name__)


class ShapesError(ValueError):
    """The shapes directory is missing or holds no parseable shapes."""


@dataclass
class ValidationResult:
    """Outcome of validating a dataset: the gate for publishing it."""

    conforms: bool
    violation_count: int
    violations: list[str] = field(default_factory=list)  # readable: graph, focus node, path, message
    per_graph: dict[str, int] = field(default_factory=dict)  # graph IRI -> violation count (0 = conforms)

    def check_metadata(self, limit: int = 10) -> dict[str, object]:
        """Plain values for an asset check's metadata: counts and the first violations as text."""
        return {
            "violation_count": self.violation_count,
            "graphs": len(self.per_graph),
            "failing_graphs": sum(1 for count in self.per_graph.values() if count),
            "first_violations": "\n".join(self.violations[:limit]) or "none",
        }

    def summary(self, limit: int = 10) -> str:
        if self.conforms:
            return f"conforms: {len(self.per_graph)} graph(s), 0 violations"
        failing = sum(1 for count in self.per_graph.values() if count)
        lines = [f"{self.violation_count} violation(s) in {failing} of {len(self.per_graph)} graph(s):"]
        lines += [f"  {v}" for v in self.violations[:limit]]
        if self.violation_count > limit:
            lines.append(f"  ... and {self.violation_count - limit} more")
        return "\n".join(lines)


def _shape_files(shapes_dir: Path) -> list[Path]:
    if not shapes_dir.is_dir():
        raise ShapesError(f"shapes directory {shapes_dir} does not exist")
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise ShapesError(f"shapes directory {shapes_dir} has no *.ttl files")
    return files


@lru_cache(maxsize=8)
def _load_shapes_cached(shapes_dir: Path, stamp: tuple[tuple[str, float], ...]) -> Graph:
    graph = Graph()
    for name, _ in stamp:
        path = shapes_dir / name
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser-specific types
            raise ShapesError(f"cannot parse shapes file {path}: {exc}") from exc
    return graph


def shapes_digest(shapes_dir: Path | None = None) -> str:
    """A digest of the shape files' names and contents: a recorded result holds only for these shapes."""
    import hashlib

    digest = hashlib.sha256()
    for path in _shape_files((shapes_dir or DEFAULT_SHAPES_DIR).resolve()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_shapes(shapes_dir: Path | None = None) -> Graph:
    """All shape files of a directory as one graph (cached until a file changes)."""
    directory = (shapes_dir or DEFAULT_SHAPES_DIR).resolve()
    stamp = tuple((p.name, p.stat().st_mtime) for p in _shape_files(directory))
    return _load_shapes_cached(directory, stamp)


@lru_cache(maxsize=256)
def _prepared(query_text: str) -> Query:
    return prepareQuery(query_text)


class _PreparedQueryGraph(Graph):
    """A data graph that parses each SPARQL text once.

    pyshacl runs a SPARQL-based constraint once per focus node with the same text (the focus node
    is pre-bound), and rdflib would re-parse it every time: parsing dominated validation time
    (about 60 ms per mention). The texts are the shapes' own queries, so caching them is safe.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def _short(node: Node | None, graph: Graph) -> str:
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            if node.startswith(namespace) and len(node) > len(namespace):
                return f"{prefix}:{node[len(namespace) :]}"
        return f"<{node}>"
    if isinstance(node, Literal):
        text = str(node)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(node, BNode):
        return _describe_path(node, graph)
    return str(node)


def _describe_path(node: BNode, graph: Graph) -> str:
    for predicate in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.alternativePath):
        target = graph.value(node, predicate)
        if target is not None:
            return f"{predicate.fragment}({_short(target, graph)})"
    return "(complex path)"


def _readable_results(report: Graph, graph_name: str) -> list[str]:
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = _short(report.value(result, SH.focusNode), report)
        path = _short(report.value(result, SH.resultPath), report)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        component = report.value(result, SH.sourceConstraintComponent)
        text = str(message) if message is not None else _short(component, report)
        suffix = f" (value {_short(value, report)})" if value is not None else ""
        lines.append(f"{graph_name}: {focus} {path}: {text}{suffix}")
    return sorted(lines)


def _pyshacl_lines(data: Graph, shapes: Graph, name: str) -> list[str]:
    try:
        _conforms, report, _text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", inplace=True, allow_warnings=True
        )
    except Exception as exc:  # a crash inside the validator must block publishing, not pass
        return [f"{name}: validation could not run: {type(exc).__name__}: {exc}"]
    if not isinstance(report, Graph):
        raise TypeError("pyshacl returned no results graph")
    return _readable_results(report, name)


def _term(node: Node | None, ctx: Context) -> str:
    return _short(node, ctx.graph) if isinstance(node, BNode) else _short(node, _NO_GRAPH)


_NO_GRAPH = Graph()


def _readable_result(result: Result, ctx: Context, name: str) -> str:
    text = result.message(ctx)
    if text is None:
        text = _short(SH.SPARQLConstraintComponent, _NO_GRAPH)  # a SPARQL constraint without any message
    suffix = f" (value {_term(result.value, ctx)})" if result.value is not None else ""
    return f"{name}: {_term(result.focus, ctx)} {_term(result.path, ctx)}: {text}{suffix}"


def _validate_compiled(
    triples: Iterable[tuple[Node, Node, Node]], data_graph: Callable[[], Graph], compiled: CompiledShapes, name: str
) -> list[str]:
    """Readable violations of one graph: the compiled shapes, then pyshacl for any shape left to it;
    pyshacl for the whole graph where the compiled checks cannot decide its data exactly.
    ``data_graph`` gives the graph pyshacl validates (built only if needed)."""
    ctx = Context(TripleIndex(triples), data_graph)
    try:
        lines = [_readable_result(r, ctx, name) for r in compiled.results(ctx) if r.severity == SH.Violation]
    except Exception as exc:  # Unsupported data, or a fault in a compiled check: pyshacl decides
        log.warning("graph %s is validated by pyshacl: %s: %s", name, type(exc).__name__, exc)
        compiled.graphs_to_pyshacl += 1
        return sorted(_pyshacl_lines(ctx.graph, compiled.source, name))
    compiled.graphs_compiled += 1
    if compiled.pyshacl_shapes is not None:
        lines += _pyshacl_lines(ctx.graph, compiled.pyshacl_shapes, name)
    return sorted(lines)


def _prepared_graph(
    triples: Iterable[tuple[Node, Node, Node]], identifier: URIRef | None = None
) -> Callable[[], Graph]:
    def build() -> Graph:
        graph = _PreparedQueryGraph(identifier=identifier)
        for triple in triples:
            graph.add(triple)
        return graph

    return build


def _validate_one(graph: Graph, compiled: CompiledShapes, name: str) -> list[str]:
    """One rdflib graph: pyshacl, where it has to run, gets a copy of it (the caller's graph stays untouched)."""
    return _validate_compiled(graph, _prepared_graph(graph), compiled, name)


_COMPILED: dict[int, tuple[Graph, int, CompiledShapes]] = {}


def compiled_shapes(shapes: Graph) -> CompiledShapes:
    """The shapes graph compiled (:mod:`pipelines.graph.shape_compiler`), cached until its triples change."""
    fingerprint = hash(frozenset(shapes))
    cached = _COMPILED.get(id(shapes))
    if cached is not None and cached[0] is shapes and cached[1] == fingerprint:
        return cached[2]
    if len(_COMPILED) > 16:
        _COMPILED.clear()
    compiled = compile_shapes(shapes)
    _COMPILED[id(shapes)] = (shapes, fingerprint, compiled)
    return compiled


def validate_graph(graph: Graph, shapes: Graph | None = None, name: str = "graph") -> list[str]:
    """Readable violations of one graph against the shapes (empty list = conforms).

    The shapes are checked in their compiled form, which reports what pyshacl reports; whatever the
    compiler cannot express is validated by pyshacl (:mod:`pipelines.graph.shape_compiler`).
    """
    return _validate_one(graph, compiled_shapes(shapes if shapes is not None else load_shapes()), name)


def validate_dataset(ds: Dataset, shapes_dir: Path | None = None) -> ValidationResult:
    """Validate every non-empty graph of a dataset on its own (with the descriptions of the nodes it
    names, where the dataset keeps them in description graphs as the store does); conforms only if all
    of them do."""
    compiled = compiled_shapes(load_shapes(shapes_dir))
    violations: list[str] = []
    per_graph: dict[str, int] = {}
    for graph in documents(ds):
        name = str(graph.identifier)
        found = _validate_one(graph, compiled, _short(graph.identifier, graph) if name else "default")
        per_graph[name] = len(found)
        violations.extend(found)
    return ValidationResult(
        conforms=not violations, violation_count=len(violations), violations=violations, per_graph=per_graph
    )


def _validate_part(path: Path, shapes_dir: Path | None, part: int, parts: int) -> list[tuple[str, list[str]]]:
    from pipelines.graph.stream import iter_graph_triples

    return validate_graph_triples(iter_graph_triples(path, part, parts), compiled_shapes(load_shapes(shapes_dir)))


def validate_graph_triples(
    graphs: Iterable[tuple[URIRef, list[tuple[Node, Node, Node]]]], compiled: CompiledShapes
) -> list[tuple[str, list[str]]]:
    """Each graph's name and readable violations, as :func:`validate_file` reports them."""
    from pipelines.graph.stream import DEFAULT_GRAPH

    out = []
    for identifier, triples in graphs:
        name = str(identifier)
        label = "default" if name == DEFAULT_GRAPH else _short(identifier, _NO_GRAPH)
        out.append((name, _validate_compiled(triples, _prepared_graph(triples, identifier), compiled, label)))
    return out


def result_of(results: Iterable[tuple[str, list[str]]]) -> ValidationResult:
    """The validation result of graphs validated one by one, in their order."""
    results = list(results)
    violations = [line for _name, lines in results for line in lines]
    per_graph = {name: len(lines) for name, lines in results}
    return ValidationResult(
        conforms=not violations, violation_count=len(violations), violations=violations, per_graph=per_graph
    )


# With the compiled shapes an article graph costs ~4 ms of CPU to read and validate, and every worker parses the
# whole file (~0.7 ms per graph) after ~0.6 s of start-up: at 1,000 articles (28 MB) two workers were no faster
# than one process on this 2-core machine (bench/notes.md), so workers start at nights of ~2,000 articles.
PARALLEL_MIN_BYTES = 50_000_000


def validate_file(path: Path, shapes_dir: Path | None = None, *, workers: int = 1) -> ValidationResult:
    """Like :func:`validate_dataset` on a graph file, read one named graph at a time (memory stays
    that of one article however big the night); the file's graphs must be contiguous, as
    :class:`pipelines.graph.stream.GraphFileWriter` writes them.

    With ``workers > 1`` and a big file, graphs are validated in that many processes (each reads the
    file and takes every ``workers``-th graph); every graph is still validated on its own, so the
    result is the same as with one process.
    """
    if workers > 1 and path.stat().st_size >= PARALLEL_MIN_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(_validate_part, path, shapes_dir, k, workers) for k in range(workers)]
            parts = [future.result() for future in futures]
        # back in file order: part k holds graphs k, k + workers, ...
        results = [parts[i % workers][i // workers] for i in range(sum(len(p) for p in parts))]
    else:
        results = _validate_part(path, shapes_dir, 0, 1)
    return result_of(results)


def validate_path(path: Path, shapes_dir: Path | None = None) -> ValidationResult:
    """A file or a directory of files, validated as one dataset."""
    return validate_dataset(load_dataset(path), shapes_dir)


def validate_command(path: Path, out: TextIO, shapes_dir: Path | None = None, limit: int = 20) -> int:
    """``newsgraph validate PATH``: print the outcome; exit 0 conforms, 1 violations, 2 unreadable input."""
    try:
        result = validate_path(path, shapes_dir)
    except ValueError as exc:
        print(f"error: {exc}", file=out)
        return 2
    print(result.summary(limit), file=out)
    return 0 if result.conforms else 1
