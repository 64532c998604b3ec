"""The published knowledge graph: an embedded pyoxigraph store on disk.

Publishing replaces whole named graphs (one per article, one per run) in a single SPARQL Update,
which oxigraph applies as one transaction: either every graph of the batch is replaced or none
is. The work is proportional to the graphs being published, never to the size of the store.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import Node

from pipelines.oxterms import remembering_to_rdflib, to_ox, to_rdflib
from pipelines.store.describe import distinct_triples
from pipelines.store.descriptions import orphan_descriptions, placed_graphs, used_descriptions
from pipelines.store.guard import dataset_arguments
from pipelines.store.layout import StoreLayout
from pipelines.store.protocol import (
    CompactionReport,
    PublishCounts,
    PublishError,
    QueryResult,
    SelectResult,
    StoreBusyError,
    StoreError,
    StoreQueryError,
)

__all__ = [
    "EmbeddedStore",
    "PublishError",
    "SelectResult",
    "StoreError",
    "StoreQueryError",
    "parse_quads",
]


DUMP_FORMATS: dict[str, ox.RdfFormat] = {
    "nquads": ox.RdfFormat.N_QUADS,
    "n-quads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


def _table_files(path: Path) -> tuple[int, int]:
    """How many sorted table files (RocksDB's ``*.sst``) the store's directory holds, and their bytes."""
    sizes = []
    for entry in path.glob("*.sst"):
        try:
            sizes.append(entry.stat().st_size)
        except FileNotFoundError:  # removed by a compaction finishing meanwhile
            continue
    return len(sizes), sum(sizes)


def convert_result(result: Any) -> QueryResult:
    """A pyoxigraph result (or anything iterating triples) as SelectResult / bool / rdflib Graph."""
    convert = remembering_to_rdflib()
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [tuple(convert(solution[name]) for name in names) for solution in result]
        return SelectResult(variables=names, rows=rows)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    graph = Graph()
    for triple in result:
        graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))  # type: ignore[arg-type]
    return graph


FILE_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS}


def parse_quads(path: Path) -> Iterator[ox.Quad]:
    """The quads of a TriG or N-Quads file, streamed; a file that cannot be read is a PublishError."""
    if path.suffix not in FILE_FORMATS:
        raise PublishError(f"{path}: publish .trig or .nq files")
    try:
        yield from ox.parse(path=str(path), format=FILE_FORMATS[path.suffix])
    except SyntaxError as exc:
        raise PublishError(f"cannot parse {path}: {exc}; nothing written") from exc


def named_graph_quads(path: Path) -> Iterator[ox.Quad]:
    """The file's quads, refusing one outside a named graph (publishing replaces named graphs only)."""
    for quad in parse_quads(path):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise PublishError(
                f"{path}: publish takes named graphs only, but a triple is in the default graph "
                f"(or a blank-node graph): {quad.subject} {quad.predicate} {quad.object}; nothing written"
            )
        yield quad


COMPACTION_COST = "about 2 s per million triples"  # measured on the bench machine (bench/notes.md)
READ_ONLY_ATTEMPTS = 20
READ_ONLY_PAUSE_S = 0.1


def _open_read_only(path: Path) -> ox.Store:
    """Open ``path`` read-only, trying again while a writer removes the files its index lists.

    A reader that opens while a publication or a compaction merges files can find a table file gone
    between reading the index and opening the file; RocksDB then reports "Corruption ... No such file"
    although nothing is corrupt. The merge ends within moments, so the open is tried again; a reader
    already open keeps its files and is not affected.
    """
    moving: RuntimeError | None = None
    for attempt in range(READ_ONLY_ATTEMPTS):
        if attempt:
            time.sleep(READ_ONLY_PAUSE_S)
        try:
            return ox.Store.read_only(str(path))
        except RuntimeError as exc:
            if "No such file" not in str(exc):
                raise StoreError(f"cannot open store at {path} (read-only): {exc}") from exc
            moving = exc
    raise StoreBusyError(
        f"store at {path} is being rewritten (a publication or compaction is merging its files);"
        f" try again in a moment; if this persists with no writer running, RocksDB said: {moving}"
    ) from moving


class EmbeddedStore:
    """pyoxigraph store on disk; one writer process, any number of read-only readers (see _open_read_only).

    ``path=None`` gives an in-memory store (for tools and quick checks, not for publishing).
    """

    def __init__(self, path: Path | None, read_only: bool = False, layout: StoreLayout | None = None) -> None:
        self.path = path
        self.read_only = read_only
        self.layout = layout or StoreLayout()
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                if not path.is_dir():
                    raise StoreError(f"no store at {path} to open read-only")
                self._store = _open_read_only(path)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            mode = "read-only" if read_only else "read-write"
            raise StoreError(f"cannot open store at {path} ({mode}): {exc}") from exc

    # ------------------------------------------------------------------ writing

    def publish(self, ds: Dataset) -> PublishCounts:
        """Replace each named graph of ``ds`` in the store, all in one transaction.

        Returns counts: graphs published, graphs that replaced an existing one, triples written,
        triples the replaced graphs held before. A graph of ``ds`` with no triples deletes that graph.
        """
        if self.read_only:
            raise PublishError(f"store at {self.path} is open read-only; cannot publish")
        default_triples = len(ds.default_graph)
        if default_triples:
            raise PublishError(
                f"publish takes named graphs only, but {default_triples} triple(s) are in the default graph"
            )
        operations: list[str] = []
        placed = placed_graphs(ds, self.layout)
        before = {name.value: self._count(name) for name in placed}
        for name, lines in placed.items():
            operations.append(f"DROP SILENT GRAPH {name}")
            if lines:
                operations.append(f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(lines) + "\n} }")
        candidates = self._description_candidates([n for n, size in before.items() if size])
        if operations:
            try:
                self._store.update(" ;\n".join(operations))
            except (SyntaxError, OSError, RuntimeError) as exc:
                raise PublishError(
                    f"publishing {len(placed)} graph(s) to {self.path} failed, nothing written: {exc}"
                ) from exc
        self._drop_orphans(candidates)
        return self.layout.counts({name.value: len(lines) for name, lines in placed.items()}, before)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads as they are, in one transaction (for scratch stores; publishing replaces graphs)."""
        if self.read_only:
            raise PublishError(f"store at {self.path} is open read-only; cannot add quads")
        self._store.extend(quads)

    def publish_file(self, path: Path, *, batch_quads: int = 200_000, validated: bool = False) -> PublishCounts:
        """Replace each named graph of a TriG or N-Quads file in the store, streaming the file.

        Memory stays bounded by ``batch_quads`` however big the night is: the file is read twice (once
        to find and check its graphs, once to write), never held whole, because one oxigraph
        transaction holds its writes in memory and grows faster than linearly (bench/notes.md).
        A file of up to ``batch_quads`` quads is written in one transaction, all or nothing like
        :meth:`publish`; a bigger one in batches of whole graphs through oxigraph's bulk loader (sorted
        files ingested per batch, 3x faster than a transaction), the run's graphs last, so the night's
        run record is absent until the whole night is in. The bulk loader promises no atomicity: an
        interrupted publication may leave part of one batch's graphs, which the night's rerun
        replaces. Graphs the store already holds are dropped first (one transaction), so a rerun
        replaces them.

        ``validated``: the file is the one validation read (a night's graph file whose digest the
        validation record holds), so a big one is read once, not scanned first: each batch's graphs
        the store holds are dropped just before the batch is written, and a quad outside a named graph,
        which the night's writer never writes, stops the publication where it is met.
        """
        if self.read_only:
            raise PublishError(f"store at {self.path} is open read-only; cannot publish")
        if validated:
            published = self._publish_read_once(path, batch_quads)
            if published is not None:
                return published
        counts = self._scan_graphs(path)
        before = {name: self._count(ox.NamedNode(name)) for name in counts}
        existing = [name for name, size in before.items() if size]
        replacing = [name for name in existing if not self.layout.is_description(name)]
        if sum(counts.values()) <= batch_quads:
            if replacing:
                candidates = self._description_candidates(replacing)
                self._replace_in_one_transaction(path, list(counts))
                self._drop_orphans(candidates)
            else:  # nothing to drop: one transactional extend, 2-3x faster than the same INSERT DATA
                written = self._insert_in_one_transaction(path)
                self._drop_stale_descriptions(written, [name for name in existing if name not in replacing])
            return self.layout.counts(counts, before)
        candidates = self._description_candidates(replacing)
        try:
            if existing:
                self._store.update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in existing))
            batch: list[ox.Quad] = []
            for quad in self._quads_runs_last(path):
                if len(batch) >= batch_quads and quad.graph_name != batch[-1].graph_name:
                    self._store.bulk_extend(batch)  # a whole number of graphs per batch
                    batch = []
                batch.append(quad)
            if batch:
                self._store.bulk_extend(batch)
            self._drop_orphans(candidates)
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise PublishError(f"publishing {path} to {self.path} failed: {exc}") from exc
        return self.layout.counts(counts, before)

    def _publish_read_once(self, path: Path, batch_quads: int) -> PublishCounts | None:
        """A big validated file in one read (see :meth:`publish_file`), placed and ordered as the scanning
        publication writes it; None, with nothing written, for a file of at most ``batch_quads`` quads,
        which goes in one transaction instead."""
        sizes: dict[str, int] = {}
        before: dict[str, int] = {}
        candidates: set[str] = set()
        batch: list[ox.Quad] = []
        graph: object = None
        written = False

        def write(quads: list[ox.Quad]) -> None:
            new = [g for g in dict.fromkeys(q.graph_name.value for q in quads) if g not in before]  # type: ignore[union-attr]
            for g in new:
                before[g] = self._count(ox.NamedNode(g))
            existing = [g for g in new if before[g]]
            candidates.update(self._description_candidates(existing))
            if existing:
                self._store.update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in existing))
            self._store.bulk_extend(quads)

        try:
            for quad in self._quads_runs_last(path, named_only=True):
                if quad.graph_name != graph:
                    graph = quad.graph_name
                    if len(batch) >= batch_quads:  # a whole number of graphs per batch
                        write(batch)
                        batch, written = [], True
                batch.append(quad)
                name = quad.graph_name.value  # type: ignore[union-attr]
                sizes[name] = sizes.get(name, 0) + 1
            if not written and len(batch) <= batch_quads:
                return None
            write(batch)
            self._drop_orphans(sorted(candidates))
        except PublishError as exc:
            if written:
                stopped = str(exc).removesuffix("; nothing written")
                raise PublishError(
                    f"{stopped}; the graphs before it are published (publish again once mended)"
                ) from exc
            raise
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise PublishError(f"publishing {path} to {self.path} failed: {exc}") from exc
        return self.layout.counts(sizes, before)

    def _drop_stale_descriptions(self, written: list[ox.Quad], graphs: list[str]) -> None:
        """After new descriptions were added to existing description graphs, remove what the night no
        longer says of those nodes (a label the knowledge base changed): rare, so one quad at a time."""
        if not graphs:
            return
        wanted = set(graphs)
        kept = {
            quad for quad in written if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in wanted
        }
        for name in graphs:
            for quad in list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))):
                if quad not in kept:
                    self._store.remove(quad)

    def _description_candidates(self, graphs: list[str]) -> list[str]:
        """The description graphs these graphs name (asked before they are replaced or removed)."""
        own = [name for name in graphs if not self.layout.is_description(name)]
        return used_descriptions(self, self.layout, own)

    def _drop_orphans(self, candidates: list[str]) -> None:
        """Drop the candidates no graph names any more. A second step, not in the publication's own
        transaction: until it runs, a reader sees a description nothing refers to, which is harmless."""
        orphans = orphan_descriptions(self, candidates)
        if orphans:
            self._store.update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in orphans))

    def _replace_in_one_transaction(self, path: Path, graphs: list[str]) -> None:
        """Drop the file's graphs and insert its quads in one SPARQL Update: one oxigraph transaction,
        so readers see the old graphs or the new ones, never neither (used while it fits in memory)."""
        operations = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs]
        by_graph: dict[str, list[str]] = {}
        for quad in self.layout.place(parse_quads(path)):
            by_graph.setdefault(str(quad.graph_name), []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
        operations += [
            f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(lines) + "\n} }" for name, lines in by_graph.items()
        ]
        try:
            if operations:
                self._store.update(" ;\n".join(operations))
                self._store.flush()
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise PublishError(f"publishing {path} to {self.path} failed, nothing written: {exc}") from exc

    def _insert_in_one_transaction(self, path: Path) -> list[ox.Quad]:
        """Add the file's quads in one transaction (``Store.extend`` is atomic): all or nothing."""
        quads = list(self.layout.place(parse_quads(path)))
        try:
            self._store.extend(quads)
            self._store.flush()
        except (SyntaxError, OSError, RuntimeError) as exc:
            raise PublishError(f"publishing {path} to {self.path} failed, nothing written: {exc}") from exc
        return quads

    def _scan_graphs(self, path: Path) -> dict[str, int]:
        counts: dict[ox.NamedNode, int] = {}
        for quad in self.layout.place(named_graph_quads(path)):
            counts[quad.graph_name] = counts.get(quad.graph_name, 0) + 1  # type: ignore[index, arg-type]
        return {graph.value: count for graph, count in counts.items()}

    def _quads_runs_last(self, path: Path, *, named_only: bool = False) -> Iterator[ox.Quad]:
        """The file's quads as placed, run graphs (``.../graph/run/...``) held back and given last;
        ``named_only``: a quad outside a named graph is a PublishError."""
        held: list[ox.Quad] = []
        graph: object = None
        is_run = False
        for quad in self.layout.place(named_graph_quads(path) if named_only else parse_quads(path)):
            if quad.graph_name != graph:
                graph = quad.graph_name
                is_run = "/graph/run/" in quad.graph_name.value  # type: ignore[union-attr]
            if is_run:
                held.append(quad)
            else:
                yield quad
        yield from held

    def remove_graphs(self, graph_iris: list[str]) -> None:
        """Delete whole named graphs in one transaction (e.g. articles taken down)."""
        if self.read_only:
            raise PublishError(f"store at {self.path} is open read-only; cannot remove graphs")
        if graph_iris:
            candidates = self._description_candidates(graph_iris)
            self._store.update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graph_iris))
            self._drop_orphans(candidates)

    # ------------------------------------------------------------------ reading

    def _count(self, graph: ox.NamedNode) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))

    def triple_count(self) -> int:
        """Triples in all graphs of the store."""
        return len(self._store)

    def graph_count(self) -> int:
        return sum(1 for _ in self._store.named_graphs())

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def graph(self, graph_iri: str) -> Graph:
        """One named graph as an rdflib Graph (for tests, checks and debugging)."""
        out = Graph(identifier=to_rdflib(ox.NamedNode(graph_iri)))  # type: ignore[arg-type]
        for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)):
            out.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))  # type: ignore[arg-type]
        return out

    def _raw_query(
        self, sparql: str, substitutions: Mapping[str, Node] | None, union_default_graph: bool
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        union = union_default_graph and dataset_arguments(sparql)["use_default_graph_as_union"]
        return self._run(sparql, substitutions, {"use_default_graph_as_union": union})

    def _run(
        self, sparql: str, substitutions: Mapping[str, Node] | None, dataset: Mapping[str, Any]
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): to_ox(value) for name, value in (substitutions or {}).items()
        }
        try:
            return self._store.query(sparql, substitutions=subs or None, **dataset)
        except SyntaxError as exc:
            raise StoreQueryError(f"malformed SPARQL query: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise StoreQueryError(f"SPARQL query failed: {exc}") from exc

    def raw_query(
        self,
        sparql: str,
        substitutions: Mapping[str, Node] | None = None,
        default_graph: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """The query's pyoxigraph result; the protocol's dataset (graph IRIs) replaces the query's own."""
        return self._run(sparql, substitutions, dataset_arguments(sparql, list(default_graph), list(named_graphs)))

    def quads(self, graph_iris: Iterable[str] | None = None) -> Iterator[ox.Quad]:
        """The quads of the given named graphs (default: the whole store)."""
        if graph_iris is None:
            yield from self._store.quads_for_pattern(None, None, None, None)
            return
        for name in graph_iris:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def query(
        self,
        sparql: str,
        substitutions: Mapping[str, Node] | None = None,
        union_default_graph: bool = True,
    ) -> QueryResult:
        """Run SELECT (-> SelectResult), ASK (-> bool), CONSTRUCT/DESCRIBE (-> rdflib Graph).

        By default the default graph is the union of all named graphs, so queries need no GRAPH
        clauses; ``substitutions`` pre-binds variables (e.g. ``{"entityA": URIRef(...)}``).
        """
        result = self._raw_query(sparql, substitutions, union_default_graph)
        try:
            return convert_result(result)
        except (OSError, RuntimeError) as exc:
            raise StoreQueryError(f"SPARQL query failed while reading results: {exc}") from exc

    def query_serialized(
        self,
        sparql: str,
        result_format: str = "json",
        substitutions: Mapping[str, Node] | None = None,
        union_default_graph: bool = True,
    ) -> bytes:
        """Results in a standard serialisation: SPARQL results json/csv/tsv/xml, or N-Triples for graphs."""
        result = self._raw_query(sparql, substitutions, union_default_graph)
        try:
            if isinstance(result, ox.QueryTriples):
                return ox.serialize(distinct_triples(result), format=ox.RdfFormat.N_TRIPLES) or b""
            if result_format not in RESULT_FORMATS:
                raise StoreQueryError(f"unknown result format {result_format!r}; use one of {sorted(RESULT_FORMATS)}")
            return result.serialize(format=RESULT_FORMATS[result_format]) or b""
        except (OSError, RuntimeError) as exc:
            raise StoreQueryError(f"SPARQL query failed while reading results: {exc}") from exc

    def dump(self, path: Path, format: str = "nquads") -> int:
        """Write the whole dataset (N-Quads or TriG); returns the number of quads written."""
        rdf_format = DUMP_FORMATS.get(format.lower())
        if rdf_format is None:
            raise StoreError(f"unknown dump format {format!r}; use one of {sorted(DUMP_FORMATS)}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._store.dump(str(path), rdf_format)
        return len(self._store)

    def flush(self) -> None:
        if not self.read_only and self.path is not None:
            self._store.flush()

    def compact(self) -> CompactionReport:
        """Merge the on-disk files into as few as possible (RocksDB's full compaction, ``Store.optimize``).

        A night's publication adds files that overlap the store's older ones, and every look-up of a
        query reads each overlapping file: on a store of two bulk-loaded nights, ad-hoc questions took
        ~1.5x as long as after compaction (bench/notes.md). The cost grows with the whole store
        (``COMPACTION_COST``), so it is maintenance run weekly or after a backfill, not part of the night.
        """
        if self.path is None:
            return CompactionReport(note="an in-memory store has no files")
        if self.read_only:
            raise StoreError(f"store at {self.path} is open read-only; cannot compact it")
        self._store.flush()
        files_before, bytes_before = _table_files(self.path)
        started = time.perf_counter()
        try:
            self._store.optimize()
        except OSError as exc:
            raise StoreError(f"compacting the store at {self.path} failed: {exc}") from exc
        seconds = time.perf_counter() - started
        files_after, bytes_after = _table_files(self.path)
        return CompactionReport(files_before, files_after, bytes_before, bytes_after, seconds)

    def close(self) -> None:
        """Release the on-disk store (its lock), so another EmbeddedStore may open the same path."""
        if hasattr(self, "_store"):
            self.flush()
            del self._store

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
