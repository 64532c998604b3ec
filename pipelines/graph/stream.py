"""A night's graph file written and read one named graph at a time, so memory does not grow with the night.

``GraphFileWriter`` appends each article's dataset to a TriG file as it is built (pyoxigraph's
serializer: every chunk a complete TriG document with the same prefixes, so the concatenation is
one valid TriG file). ``iter_graphs`` streams the file back one named graph at a time as rdflib
graphs, relying on each graph's quads being contiguous, as the writer leaves them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Protocol

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from pipelines.graph.files import DatasetFileError
from pipelines.graph.triples import TripleGraph, file_order
from pipelines.oxterms import remembering_to_ox, to_ox, to_rdflib

Triple = tuple[Node, Node, Node]


class NamedTriples(Protocol):
    """A named graph as the serializer reads it."""

    @property
    def identifier(self) -> Node: ...

    def __iter__(self) -> Iterator[Triple]: ...


STREAM_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS}


class GraphFileWriter:
    """``with GraphFileWriter(path, prefixes) as out: out.add(dataset)`` — written atomically on close."""

    def __init__(self, path: Path, prefixes: Mapping[str, str] | None = None) -> None:
        if path.suffix not in STREAM_FORMATS:
            raise DatasetFileError(f"{path}: write graph files as .trig or .nq")
        self.path = path
        self.format = STREAM_FORMATS[path.suffix]
        self.prefixes = dict(prefixes or {}) if self.format == ox.RdfFormat.TRIG else None
        self.tmp = path.with_name(f".{path.name}.partial")
        self.graphs: dict[str, int] = {}  # graph IRI -> triples written

    def __enter__(self) -> GraphFileWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.tmp.open("wb")
        return self

    def add(self, ds: Dataset) -> None:
        """Append every non-empty named graph of ``ds`` (default-graph triples are refused)."""
        self.add_serialized(*serialize_graphs(ds, self.format, self.prefixes, self.path))

    def add_serialized(self, data: bytes, graphs: Mapping[str, int]) -> None:
        """Append graphs already serialized by :func:`serialize_graphs` (e.g. in a worker process)
        with this writer's format and prefixes."""
        self._handle.write(data)
        for name, count in graphs.items():
            self.graphs[name] = self.graphs.get(name, 0) + count

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._handle.close()
        if exc_type is None:
            self.tmp.replace(self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def serialize_graphs(
    ds: Dataset, fmt: ox.RdfFormat, prefixes: Mapping[str, str] | None, where: Path | str = "graph file"
) -> tuple[bytes, dict[str, int]]:
    """The named graphs of ``ds`` as one complete TriG / N-Quads document, and their triple counts."""
    if len(ds.default_graph):
        raise DatasetFileError(f"{where}: a night's graph file takes named graphs only")
    named = (graph for graph in ds.graphs() if graph.identifier != ds.default_graph.identifier)
    return serialize_named_graphs(named, fmt, prefixes)


def serialize_named_graphs(
    graphs: Iterable[NamedTriples], fmt: ox.RdfFormat, prefixes: Mapping[str, str] | None
) -> tuple[bytes, dict[str, int]]:
    """Named graphs (rdflib Graphs, :class:`~pipelines.graph.triples.TripleGraph`s: anything with an
    ``identifier`` that iterates its triples) as one TriG / N-Quads document, and their triple counts.
    Empty graphs are left out.

    Triples are sorted within each graph (:func:`~pipelines.graph.triples.file_order`) so a subject's
    triples stay together (readable files).
    """
    quads: list[ox.Quad] = []
    counts: dict[str, int] = {}
    convert = remembering_to_ox()
    for graph in graphs:
        triples = graph.in_file_order() if isinstance(graph, TripleGraph) else sorted(graph, key=file_order)
        if not triples:
            continue
        name = to_ox(graph.identifier)
        quads.extend(ox.Quad(convert(s), convert(p), convert(o), name) for s, p, o in triples)  # type: ignore[arg-type]
        counts[str(graph.identifier)] = counts.get(str(graph.identifier), 0) + len(triples)
    if not quads:
        return b"", counts
    return ox.serialize(quads, None, fmt, prefixes=dict(prefixes) if prefixes else None) or b"", counts


def iter_graph_triples(path: Path, part: int = 0, parts: int = 1) -> Iterator[tuple[URIRef, list[Triple]]]:
    """Each named graph of a TriG / N-Quads file as its name and its triples (rdflib terms), in file order.

    With ``parts > 1`` only every ``parts``-th graph from ``part`` on (the others are parsed but not
    converted), so several processes can share one file. Default-graph triples come as a graph named
    ``urn:x-rdflib:default``. A graph whose quads are not contiguous would be split in two, so that
    raises a :class:`DatasetFileError` instead. Triples repeated in the file are repeated here.
    """
    if path.suffix not in STREAM_FORMATS:
        raise DatasetFileError(f"{path}: stream .trig or .nq files")
    if not path.exists():
        raise DatasetFileError(f"{path} does not exist")
    yield from _graph_triples(
        lambda: ox.parse(path=str(path), format=STREAM_FORMATS[path.suffix]), str(path), part, parts
    )


def iter_serialized_graph_triples(
    data: bytes, fmt: ox.RdfFormat, where: str = "serialized graphs"
) -> Iterator[tuple[URIRef, list[Triple]]]:
    """:func:`iter_graph_triples` of graphs serialized by :func:`serialize_graphs` (a worker's chunk), so
    they are read exactly as they will be read back from the graph file."""
    yield from _graph_triples(lambda: ox.parse(data, format=fmt), where, 0, 1)


def _graph_triples(
    parse: Callable[[], Iterator[ox.Quad]], where: str, part: int, parts: int
) -> Iterator[tuple[URIRef, list[Triple]]]:
    seen: set[str] = set()
    current: list[Triple] | None = None
    name = ""
    terms: dict[object, Node] = {}  # this graph's terms, converted once (IRIs repeat in most triples)
    try:
        for quad in parse():
            graph_name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else DEFAULT_GRAPH
            if graph_name != name:
                if current is not None:
                    yield URIRef(name), current
                    current = None
                if graph_name in seen:
                    raise DatasetFileError(f"{where}: the triples of graph <{graph_name}> are not contiguous")
                name = graph_name
                if len(seen) % parts == part:
                    current = []
                seen.add(name)
                terms.clear()
            if current is not None:
                converted = []
                for term in (quad.subject, quad.predicate, quad.object):
                    node = terms.get(term)
                    if node is None:
                        node = to_rdflib(term)
                        if node is None:
                            raise DatasetFileError(f"{where}: a quad without a {term!r}")
                        terms[term] = node
                    converted.append(node)
                current.append((converted[0], converted[1], converted[2]))
    except SyntaxError as exc:
        raise DatasetFileError(f"cannot parse {where}: {exc}") from exc
    if current is not None:
        yield URIRef(name), current


def iter_graphs(
    path: Path, part: int = 0, parts: int = 1, graph_class: Callable[..., Graph] = Graph
) -> Iterator[Graph]:
    """Each named graph of a TriG / N-Quads file as an rdflib Graph, in file order, one at a time
    (as :func:`iter_graph_triples` reads them). ``graph_class`` makes each graph (called with
    ``identifier=``), so a consumer gets the kind of graph it works on without copying.
    """
    for name, triples in iter_graph_triples(path, part, parts):
        graph = graph_class(identifier=name)
        for triple in triples:
            graph.add(triple)
        yield graph


DEFAULT_GRAPH = "urn:x-rdflib:default"


def copy_without_graphs(source: Path, target: Path, drop: Collection[str], prefixes: Mapping[str, str]) -> None:
    """``source`` without the named graphs in ``drop``, streamed quad by quad (memory stays flat)."""
    fmt = STREAM_FORMATS.get(source.suffix)
    if fmt is None or target.suffix != source.suffix:
        raise DatasetFileError(f"{source} -> {target}: copy .trig or .nq files to the same format")
    dropped = {ox.NamedNode(name) for name in drop}
    tmp = target.with_name(f".{target.name}.partial")
    with source.open("rb") as handle, tmp.open("wb") as out:
        quads = (quad for quad in ox.parse(handle, fmt) if quad.graph_name not in dropped)
        ox.serialize(quads, out, fmt, prefixes=dict(prefixes) if fmt == ox.RdfFormat.TRIG else None)
    tmp.replace(target)


def graph_names(path: Path) -> list[str]:
    """The named graphs of a graph file, in file order (one streaming pass)."""
    fmt = STREAM_FORMATS.get(path.suffix)
    if fmt is None:
        raise DatasetFileError(f"{path}: graph files are .trig or .nq")
    seen: dict[str, None] = {}
    with path.open("rb") as handle:
        for quad in ox.parse(handle, fmt):
            if isinstance(quad.graph_name, ox.NamedNode):
                seen.setdefault(quad.graph_name.value, None)
    return list(seen)
