"""What the store holds, graph by graph, and the dump files made from it: for /graphs and /dumps.

One pass counts the triples of every named graph (``graph-triples.rq``) and one indexed pattern maps
article graphs to their runs; the server keeps both until the store changes (the dataset statistics'
version), so the pages cost a dictionary look-up between nights. A night's dump is its run's graph and
its article graphs, so its triple count is a sum over that map, and its file is remade only when
those graphs change (their names and sizes are its version), not whenever any other night is added.

Dump files are made in the query workers, on first download or, for the dumps page, by one background
thread, so that the page can show every file's size without making anyone wait for all of them.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from pipelines.namespaces import ONTOLOGY_DIR
from pipelines.web.events import CLIENT, log_event
from pipelines.web.worker import QueryRefusedError
from pipelines.web.worker_requests import DumpRequest, QueryRequest

if TYPE_CHECKING:
    from pipelines.web.state import Server

QUERIES_DIR = ONTOLOGY_DIR / "queries" / "web"
# graph/{kind}/{id} under the base IRI, in the order shown; graph/described/{node} holds one shared node's
# description (pipelines/store/layout.py)
KINDS = ("run", "tally", "story", "article", "described")
FORMATS = {
    "nq": ("nquads", "N-Quads", "application/n-quads"),
    "trig": ("trig", "TriG", "application/trig"),
}
INTERNAL_ROWS = 10_000_000  # the per-graph answers have a row per graph, more than a client's limit


def query(name: str) -> str:
    return (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Night:
    run: str
    partition: str
    ended: str | None


@dataclass(frozen=True)
class GraphInfo:
    iri: str
    kind: str  # run | tally | story | article | described | other
    run: str | None  # the run it belongs to (by its IRI, or for an article graph the run of its article)
    triples: int


@dataclass
class Snapshot:
    version: str
    triples: int
    last_update: str | None
    nights: list[Night]
    graphs: list[GraphInfo]
    by_run: dict[str, list[GraphInfo]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for graph in self.graphs:
            if graph.run:
                self.by_run.setdefault(graph.run, []).append(graph)

    def night_graphs(self, night: Night) -> list[GraphInfo]:
        """What a night's dump holds: its run's graph and its article graphs."""
        return [g for g in self.by_run.get(night.run, []) if g.kind in ("run", "article")]


@dataclass(frozen=True)
class DumpSet:
    """The quads one dump holds, whatever its format."""

    name: str
    title: str
    night: str | None
    date: str | None
    triples: int
    graphs: list[str] | None
    version: str


@dataclass(frozen=True)
class DumpEntry:
    file: str  # latest.nq.gz, 2026-11-20.trig.gz
    name: str  # latest or the night
    title: str
    night: str | None  # the partition, for a night's dump
    date: str | None  # the night, or for latest the day of the last update
    format: str  # nquads | trig
    format_label: str
    media_type: str
    triples: int
    graphs: list[str] | None  # None: all
    version: str
    size: int | None = None  # bytes of the current file, when it has been made
    made: str | None = None  # when (UTC) the current file was made


def _int(value: Any) -> int:
    return int(value.toPython()) if isinstance(value, Literal) else 0


class Catalogue:
    """The store's graphs and dumps, cached per store version, and the dump files on disk."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.config = server.config
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._file_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._pending: set[str] = set()
        self._failed: dict[str, str] = {}  # file -> the version that could not be made (not retried in the background)
        self._pending_lock = threading.Lock()

    # ------------------------------------------------------------------ reading the store

    def nights(self) -> list[Night]:
        _names, rows = self.server.select(query("nights"))
        return [
            Night(str(run), str(partition), str(ended) if ended is not None else None)
            for run, partition, ended in rows
            if partition is not None and len(str(partition)) == 10
        ]

    def snapshot(self) -> Snapshot:
        stats = self.server.stats()
        version = f"{stats.triples}|{stats.last_update}|{stats.runs}|{stats.articles}"
        with self._lock:
            if self._snapshot is not None and self._snapshot.version == version:
                return self._snapshot
            started = time.monotonic()
            nights = self.nights()
            timeout = self.config.dump_timeout_s
            _names, counts = self.server.call(_internal_select(query("graph-triples")), timeout)
            _names, owners = self.server.call(_internal_select(query("article-graph-runs")), timeout)
            run_of = {str(g): str(run) for g, run in owners}
            graphs = [self._graph(str(g), _int(n), run_of) for g, n in counts if isinstance(g, URIRef)]
            graphs.sort(key=lambda g: (self._kind_order(g.kind), g.iri))
            last = str(stats.last_update) if stats.last_update is not None else None
            self._snapshot = Snapshot(version, stats.triples, last, nights, graphs)
            log_event("graphs_counted", graphs=len(graphs), seconds=round(time.monotonic() - started, 3))
            return self._snapshot

    def _graph(self, iri: str, triples: int, run_of: dict[str, str]) -> GraphInfo:
        base = self.config.base_iri
        parts = iri[len(base) :].split("/") if iri.startswith(base) else []
        shaped = len(parts) == 3 or (len(parts) > 3 and parts[1] == "described")
        kind = parts[1] if shaped and parts[0] == "graph" and parts[1] in KINDS else "other"
        run = run_of.get(iri)
        if run is None and kind in ("run", "tally", "story"):
            run = f"{base}run/{parts[2]}"
        return GraphInfo(iri, kind, run, triples)

    @staticmethod
    def _kind_order(kind: str) -> int:
        return KINDS.index(kind) if kind in KINDS else len(KINDS)

    # ------------------------------------------------------------------ dumps

    def dumps(self) -> list[DumpEntry]:
        """Every dump the store allows (latest, then each night, newest first), with what is known of its file."""
        snap = self.snapshot()
        last_day = (snap.last_update or "")[:10] or None
        sets = [DumpSet("latest", "Everything, latest", None, last_day, snap.triples, None, snap.version)]
        runs_of: dict[str, list[Night]] = {}
        for night in snap.nights:
            runs_of.setdefault(night.partition, []).append(night)
        for partition, runs in runs_of.items():
            graphs = sorted({g for night in runs for g in snap.night_graphs(night)}, key=lambda g: g.iri)
            digest = hashlib.sha256("\n".join(f"{g.iri}\t{g.triples}" for g in graphs).encode()).hexdigest()
            run_graphs = {self.server.iris.run_graph(self.server.iris.classify(n.run).run_id or "") for n in runs}
            names = sorted(run_graphs | {g.iri for g in graphs})
            triples = sum(g.triples for g in graphs)
            sets.append(DumpSet(partition, f"Night {partition}", partition, partition, triples, names, digest))
        out = []
        for dump in sets:
            for extension, (fmt, label, media_type) in FORMATS.items():
                entry = DumpEntry(
                    file=f"{dump.name}.{extension}.gz",
                    name=dump.name,
                    title=dump.title,
                    night=dump.night,
                    date=dump.date,
                    format=fmt,
                    format_label=label,
                    media_type=media_type,
                    triples=dump.triples,
                    graphs=dump.graphs,
                    version=dump.version,
                )
                out.append(self._with_file(entry))
        return out

    def entry(self, file: str) -> DumpEntry | None:
        return next((d for d in self.dumps() if d.file == file), None)

    def _with_file(self, entry: DumpEntry) -> DumpEntry:
        meta = self._meta(entry.file)
        if meta.get("version") != entry.version or not (self.config.dumps_dir / entry.file).is_file():
            return entry
        made = {"size": meta.get("bytes"), "made": meta.get("made"), "triples": meta.get("quads", entry.triples)}
        return DumpEntry(**{**entry.__dict__, **made})  # a night's file also holds its nodes' descriptions

    def _meta(self, file: str) -> dict[str, Any]:
        try:
            data = json.loads((self.config.dumps_dir / f"{file}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def make(self, entry: DumpEntry) -> Path:
        """The dump file, current with the store (made now, in a query worker, if it is not)."""
        path = self.config.dumps_dir / entry.file
        with self._file_locks[entry.file]:
            if self._meta(entry.file).get("version") == entry.version and path.is_file():
                return path
            graphs = tuple(entry.graphs) if entry.graphs is not None else None
            request = DumpRequest(path, entry.format, graphs)
            quads = self.server.call(request, self.config.dump_timeout_s)
            meta = {
                "version": entry.version,
                "quads": quads,
                "bytes": path.stat().st_size,
                "made": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            (self.config.dumps_dir / f"{entry.file}.json").write_text(json.dumps(meta), encoding="utf-8")
            return path

    def make_missing(self, entries: list[DumpEntry]) -> list[str]:
        """Start making, in one background thread, the files not made yet; returns those still being made."""
        missing = [e for e in entries if e.size is None and self._failed.get(e.file) != e.version]
        with self._pending_lock:
            new = [e for e in missing if e.file not in self._pending]
            self._pending.update(e.file for e in new)
            pending = sorted(self._pending)
        if new:
            threading.Thread(target=self._make_all, args=(new,), name="dump-maker", daemon=True).start()
        return pending

    def _make_all(self, entries: list[DumpEntry]) -> None:
        CLIENT.set("dump-maker")
        for entry in entries:
            try:
                self.make(entry)
            except (QueryRefusedError, OSError) as exc:
                self._failed[entry.file] = entry.version
                log_event("dump_failed", file=entry.file, message=str(exc)[:200])
            finally:
                with self._pending_lock:
                    self._pending.discard(entry.file)

    # ------------------------------------------------------------------ the graphs page

    def graphs_page(self, night: str | None, kind: str | None, page: int, per_page: int = 100) -> dict[str, Any]:
        snap = self.snapshot()
        partition_of = {n.run: n.partition for n in snap.nights}
        summary = []
        for n in snap.nights:
            graphs = snap.by_run.get(n.run, [])
            by_kind = {k: [g for g in graphs if g.kind == k] for k in KINDS}
            summary.append(
                {
                    "night": n.partition,
                    "run": n.run,
                    "run_href": self.server.iris.href(n.run),
                    "articles": len(by_kind["article"]),
                    "article_triples": sum(g.triples for g in by_kind["article"]),
                    "kinds": {k: sum(g.triples for g in v) for k, v in by_kind.items()},
                    "triples": sum(g.triples for g in graphs),
                }
            )
        chosen = [
            g
            for g in snap.graphs
            if (night is None or partition_of.get(g.run or "") == night) and (kind is None or g.kind == kind)
        ]
        pages = max(1, -(-len(chosen) // per_page))
        page = min(max(1, page), pages)
        rows = [
            {
                "iri": g.iri,
                "href": self.server.iris.href(g.iri),
                "kind": g.kind,
                "night": partition_of.get(g.run or ""),
                "triples": g.triples,
            }
            for g in chosen[(page - 1) * per_page : page * per_page]
        ]
        return {
            "total_graphs": len(snap.graphs),
            "total_triples": sum(g.triples for g in snap.graphs),
            "store_triples": snap.triples,
            "by_kind": [
                (k, sum(1 for g in snap.graphs if g.kind == k), sum(g.triples for g in snap.graphs if g.kind == k))
                for k in (*KINDS, "other")
            ],
            "summary": summary,
            "rows": rows,
            "matching": len(chosen),
            "page": page,
            "pages": pages,
            "night": night,
            "kind": kind,
            "nights": [n.partition for n in snap.nights],
            "per_page": per_page,
        }


def _internal_select(sparql: str) -> QueryRequest:
    """A catalogue query: it reads every graph's row, beyond what a client's query may return."""
    return QueryRequest("select", sparql, limit=INTERNAL_ROWS, max_bytes=1 << 30)
