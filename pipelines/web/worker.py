"""Queries run in worker processes that are killed and replaced when they take too long.

A pyoxigraph query cannot be interrupted from another thread, so the web server never runs one
itself: it hands each request to an idle worker process over a pipe and waits at most the time
limit. A worker that misses the limit is killed (SIGKILL) and a fresh one takes its place, so a
runaway query costs one process start, never a hung server. The store is opened read-only in each
worker and reopened when the files on disk change (a night published), so readers always see the
latest publication without locking out the nightly writer.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pipelines.settings import StoreKind
from pipelines.store import EmbeddedStore, GraphStore, RemoteStore, StoreBusyError, StoreError, StoreUnreachableError
from pipelines.store.protocol import RawResult
from pipelines.web.events import CLIENT, log_event
from pipelines.web.fairness import FairGate
from pipelines.web.rdfformats import UnwritableGraphError, serialize_triples
from pipelines.web.results import (
    ResultTooLargeError,
    Serialized,
    as_triples,
    select_rows,
    serialize_boolean,
    serialize_select,
    take,
)
from pipelines.web.worker_requests import CountRequest, DumpRequest, WorkerRequest, describe


class QueryRefusedError(ValueError):
    """A query the server will not answer (malformed, too large, over time); carries the HTTP status and,
    when trying again soon can succeed (busy, a worker restarting), the seconds to wait (``Retry-After``)."""

    def __init__(self, status: int, message: str, retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after_s = retry_after_s

    @property
    def headers(self) -> dict[str, str]:
        """The response headers this refusal asks for."""
        return {"Retry-After": str(self.retry_after_s)} if self.retry_after_s is not None else {}


RETRY_AFTER_S = 2
"""What a client refused for a passing reason (workers busy or restarting) is told to wait: about one worker start."""


@dataclass(frozen=True)
class StoreSpec:
    """Which store the workers read: the embedded store at ``path`` or a remote SPARQL endpoint."""

    kind: StoreKind = "embedded"
    path: Path | None = None
    query_url: str | None = None
    graph_store_url: str | None = None
    timeout_s: float = 60.0
    auth: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.kind == "embedded" and self.path is None:
            raise ValueError("an embedded store spec needs the store path")
        if self.kind == "remote" and not self.query_url:
            raise ValueError("a remote store spec needs the query URL")
        if self.kind not in ("embedded", "remote"):
            raise ValueError(f"store kind {self.kind!r} is not 'embedded' or 'remote'")


# ---------------------------------------------------------------- inside a worker


class LatestPublication:
    """The embedded store read-only as last published: reopened when its files change (checked at most
    once a second), so a worker sees each night's publication without locking out the nightly writer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: EmbeddedStore | None = None
        self._fingerprint: tuple[tuple[str, int, int], ...] = ()
        self._checked = 0.0

    def _current_fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        entries = []
        with os.scandir(self.path) as it:
            for entry in it:
                if entry.name in ("LOG", "LOCK") or entry.name.startswith("LOG.old"):
                    continue
                try:
                    info = entry.stat()
                except FileNotFoundError:
                    continue
                entries.append((entry.name, info.st_size, info.st_mtime_ns))
        return tuple(sorted(entries))

    def __call__(self) -> GraphStore:
        now = time.monotonic()
        if self._store is None or now - self._checked > 1.0:
            self._checked = now
            if not self.path.is_dir():
                raise QueryRefusedError(503, f"no published store at {self.path} yet: run a night first")
            fingerprint = self._current_fingerprint()
            if self._store is None or fingerprint != self._fingerprint:
                try:
                    latest = EmbeddedStore(self.path, read_only=True)
                except StoreBusyError as exc:  # a writer is merging files: answer from the files already open
                    if self._store is None:
                        busy = "the store is being rewritten (a publication or compaction); try again in a moment"
                        raise QueryRefusedError(503, busy, RETRY_AFTER_S) from exc
                    return self._store
                if self._store is not None:
                    self._store.close()
                self._store, self._fingerprint = latest, fingerprint
        return self._store


def store_opener(spec: StoreSpec) -> Callable[[], GraphStore]:
    """The store a worker reads, as a function called before each request (an embedded one may be reopened)."""
    if spec.kind == "remote":
        assert spec.query_url is not None
        remote = RemoteStore(
            spec.query_url, None, spec.graph_store_url, timeout_s=spec.timeout_s, auth=spec.auth, read_only=True
        )
        return lambda: remote
    assert spec.path is not None
    return LatestPublication(spec.path)


def _run(store: GraphStore, sparql: str, **kwargs: Any) -> RawResult:
    try:
        return store.raw_query(sparql, **kwargs)
    except QueryRefusedError:
        raise
    except SyntaxError as exc:
        raise QueryRefusedError(400, f"malformed SPARQL query: {exc}") from exc
    except StoreUnreachableError as exc:
        raise QueryRefusedError(502, str(exc)) from exc
    except StoreError as exc:
        raise QueryRefusedError(400, str(exc)) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryRefusedError(400, f"SPARQL query failed: {exc}") from exc


def execute(store: GraphStore, request: WorkerRequest) -> Any:
    """Do one request inside a worker (also callable in-process, e.g. by tests and tools)."""
    if isinstance(request, CountRequest):
        return store.triple_count()
    if isinstance(request, DumpRequest):
        return write_dump(store, request.path, request.format, request.graphs)
    kind = request.kind
    limit = request.limit if request.limit is not None else 10_000
    max_bytes = request.max_bytes if request.max_bytes is not None else 16_000_000
    result = _run(
        store,
        request.sparql,
        substitutions=request.substitutions,
        default_graph=request.default_graph,
        named_graphs=request.named_graphs,
    )
    try:
        if kind == "protocol":  # the SPARQL endpoint: serialised in the negotiated format
            if isinstance(result, ox.QueryBoolean):
                return serialize_boolean(bool(result), request.results_format)
            if isinstance(result, ox.QuerySolutions):
                names, rows = select_rows(result, limit)
                check_size(rows, max_bytes)
                return capped(serialize_select(names, rows, request.results_format), max_bytes)
            triples = take(as_triples(result), limit, "triples")
            return capped(serialize_triples(triples, request.graph_format), max_bytes)
        if kind in ("select", "table"):  # rows as rdflib terms, for the HTML pages
            from pipelines.oxterms import to_rdflib

            if not isinstance(result, ox.QuerySolutions):
                raise QueryRefusedError(400, "this page needs a SELECT query")
            if kind == "table":  # a page shows the first rows and says there are more
                names = [v.value for v in result.variables]
                first = list(itertools.islice(([s[n] for n in names] for s in result), limit + 1))
                check_size(first[:limit], max_bytes)
                return names, [[to_rdflib(t) for t in row] for row in first[:limit]], len(first) > limit
            names, rows = select_rows(result, limit)
            check_size(rows, max_bytes)
            return names, [[to_rdflib(t) for t in row] for row in rows]
        # construct: triples as N-Triples bytes, for the pages and the resource descriptions
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            raise QueryRefusedError(400, "this page needs a CONSTRUCT query")
        triples = take(as_triples(result), limit, "triples")
        return capped(
            Serialized("application/n-triples", ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""),
            max_bytes,
        ).body
    except ResultTooLargeError as exc:
        raise QueryRefusedError(400, str(exc)) from exc
    except UnwritableGraphError as exc:
        raise QueryRefusedError(406, f"{exc}; ask for another format") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryRefusedError(400, f"SPARQL query failed while reading results: {exc}") from exc


def check_size(rows: list[list[Any]], max_bytes: int) -> None:
    """Refuse rows whose terms alone exceed ``max_bytes`` (before any serialisation multiplies them)."""
    size = sum(len(getattr(term, "value", str(term))) for row in rows for term in row if term is not None)
    if size > max_bytes:
        raise QueryRefusedError(
            413, f"the answer holds more than {max_bytes} bytes, the server's limit; narrow the query"
        )


def capped(result: Serialized, max_bytes: int) -> Serialized:
    if len(result.body) > max_bytes:
        raise QueryRefusedError(
            413, f"the answer has {len(result.body)} bytes, more than the server's limit of {max_bytes}"
        )
    return result


def write_dump(store: GraphStore, path: Path, fmt: str, graphs: Iterable[str] | None) -> int:
    """Quads of ``graphs`` (default all) as gzip-compressed N-Quads or TriG, written atomically; a dump of
    chosen graphs brings the description graphs of the nodes they name, so it reads on its own."""
    formats = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
    if fmt not in formats:
        raise QueryRefusedError(400, f"unknown dump format {fmt!r}; use nquads or trig")
    quads = list(store.quads(graphs))
    if graphs is not None:
        named = {store.layout.description_graph(node) for q in quads for node in (q.subject, q.object)}  # type: ignore[arg-type]
        quads += store.quads(sorted(g.value for g in named if g is not None))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + f".{os.getpid()}.partial")
    with gzip.open(partial, "wb", compresslevel=6) as out:
        ox.serialize(quads, out, formats[fmt])  # type: ignore[arg-type]  # GzipFile is a binary IO
    partial.replace(path)
    return len(quads)


def worker_main(conn: Connection) -> None:
    """A worker's loop: receive the store spec, then answer requests until the pipe closes (or we are killed)."""
    spec = conn.recv()
    current_store = store_opener(spec)
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            try:
                store = current_store()
            except StoreError as exc:  # e.g. out of address space or file handles while opening
                raise QueryRefusedError(503, f"the store could not be opened: {exc}", RETRY_AFTER_S) from exc
            conn.send(("ok", execute(store, request)))
        except QueryRefusedError as exc:
            conn.send(("refused", (exc.status, str(exc), exc.retry_after_s)))
        except MemoryError:
            conn.send(("refused", (503, "the query needed more memory than a query worker may use", None)))
        except Exception as exc:  # a worker must answer, whatever went wrong
            conn.send(("refused", (500, f"internal error while answering: {type(exc).__name__}: {exc}", None)))


# ---------------------------------------------------------------- the pool, in the server

MALLOC_ARENAS = "2"
"""glibc's malloc gives each new thread its own arena, reserving 64 MB of address space per arena (up to
8 per core); RocksDB opens a store's table files with up to 16 short-lived threads per column family, so
under the workers' RLIMIT_AS those reservations alone could exhaust the limit and a thread fail to start
(``std::system_error: Resource temporarily unavailable``, the worker aborting). A worker's query runs on
one thread, so two arenas cost it nothing."""


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection


@dataclass
class QueryRunner:
    """A pool of worker processes; ``call`` sends one request and waits at most the time limit.

    Workers are shared through a :class:`~pipelines.web.fairness.FairGate`: one client runs at most
    ``per_client`` queries at once, and a request that gets no worker within ``queue_timeout_s`` is
    answered 503 at once.
    """

    spec: StoreSpec
    workers: int = 2
    timeout_s: float = 10.0
    start_timeout_s: float = 60.0
    per_client: int = 1
    queue_timeout_s: float = 5.0
    memory_mb: int = 0  # RLIMIT_AS of each worker; 0 = unlimited
    _idle: queue.Queue[_Worker] = field(default_factory=queue.Queue, init=False)
    _all: list[_Worker] = field(default_factory=list, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _closed: bool = field(default=False, init=False)
    _gate: FairGate = field(init=False)
    replaced: int = field(default=0, init=False)  # workers killed for being over time or found dead

    def __post_init__(self) -> None:
        self._gate = FairGate(max(1, self.workers), max(1, self.per_client))

    def start(self) -> None:
        """Start the workers and wait until each has opened the store."""
        started = [self._spawn() for _ in range(max(1, self.workers))]
        if not all([self._await_ready(worker) for worker in started]):
            self.close()
            raise RuntimeError(
                f"the query workers did not start within {self.start_timeout_s:g} s (see their messages above)"
            )

    def _spawn(self) -> _Worker:
        """A fresh Python process running :func:`run`, joined to us by a socket pair (no fork of the server);
        it imports the installed newsgraph, as the server did."""
        ours, theirs = socket.socketpair()
        process = subprocess.Popen(
            [sys.executable, "-c", f"from pipelines.web.worker import run; run({theirs.fileno()}, {self.memory_mb})"],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env={"MALLOC_ARENA_MAX": MALLOC_ARENAS, **os.environ},
        )
        theirs.close()
        conn = Connection(ours.detach())
        conn.send(self.spec)
        worker = _Worker(process, conn)
        with self._lock:
            self._all.append(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> bool:
        """Wait for the worker's "ready" (it opened the store); put it in the pool, or kill it."""
        message = "silent"
        try:
            if worker.conn.poll(self.start_timeout_s):
                message, _ = worker.conn.recv()
        except (EOFError, OSError):
            message = "exited"
        if message == "ready" and not self._closed:
            self._idle.put(worker)
            return True
        if not self._closed:
            log_event("worker_start_failed", pid=worker.process.pid, outcome=message)
        self._kill(worker)
        return False

    def _replace(self, worker: _Worker, why: str) -> None:
        """Kill ``worker`` and start another in the background (the caller does not wait for it); a
        replacement that fails to start is tried again, ever more slowly, so the pool never shrinks."""
        self._kill(worker)
        self.replaced += 1
        if self._closed:
            return

        def respawn() -> None:
            pause = 0.5
            while not self._closed:
                try:
                    fresh: _Worker | None = self._spawn()
                except OSError as exc:  # no process could be started (out of processes or memory)
                    log_event("worker_start_failed", outcome=f"{type(exc).__name__}: {exc}")
                    fresh = None
                if fresh is not None and self._await_ready(fresh):
                    log_event("worker_replaced", old_pid=worker.process.pid, new_pid=fresh.process.pid, why=why)
                    return
                time.sleep(pause)
                pause = min(pause * 2, 30.0)

        threading.Thread(target=respawn, daemon=True).start()

    def _kill(self, worker: _Worker) -> None:
        """Kill and forget ``worker``, once (a respawn failing while the pool closes reaches here twice)."""
        with self._lock:
            if worker not in self._all:
                return
            self._all.remove(worker)
        if worker.process.poll() is None:
            worker.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(timeout=10)
        worker.conn.close()

    def call(self, request: WorkerRequest, timeout_s: float | None = None) -> Any:
        """Answer ``request`` in a worker; raises QueryRefusedError (with an HTTP status) when it cannot."""
        client = CLIENT.get()
        limit = self.timeout_s if timeout_s is None else timeout_s
        if not self._gate.acquire(client, self.queue_timeout_s):
            own = self._gate.running(client)
            log_event("query_refused", reason="busy", status=503, own_running=own, kind=describe(request))
            detail = f"you already run {own} queries, the most one client may" if own else "every worker is busy"
            raise QueryRefusedError(
                503, f"{detail}; no free query worker within {self.queue_timeout_s:g} s", RETRY_AFTER_S
            )
        try:
            return self._call_worker(request, limit)
        finally:
            self._gate.release(client)

    def _call_worker(self, request: WorkerRequest, limit: float) -> Any:
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=self.queue_timeout_s)  # a slot is ours; its worker may be restarting
        except queue.Empty:
            log_event("query_refused", reason="no_worker", status=503, kind=describe(request))
            raise QueryRefusedError(
                503, "no query worker is running (they are being restarted); try again", RETRY_AFTER_S
            ) from None
        deadline = started + limit
        try:
            worker.conn.send(request)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                log_event("query_timeout", limit_s=limit, pid=worker.process.pid, kind=describe(request))
                self._replace(worker, "timeout")
                raise QueryRefusedError(503, f"the query ran longer than the time limit of {limit:g} s and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = worker.process.poll()
            log_event("worker_crashed", pid=worker.process.pid, returncode=code, kind=describe(request))
            self._replace(worker, "crash")
            raise QueryRefusedError(
                503,
                "the query worker stopped while answering (it crashed or ran out of memory) and is being restarted;"
                f" try again in {RETRY_AFTER_S} s",
                RETRY_AFTER_S,
            ) from None
        self._idle.put(worker)
        if status == "refused":
            code, message, retry_after_s = payload
            log_event("query_refused", reason="worker", status=code, message=message[:200])
            raise QueryRefusedError(code, message, retry_after_s)
        return payload

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._kill(worker)


__all__ = [
    "QueryRefusedError",
    "QueryRunner",
    "Serialized",
    "StoreSpec",
    "execute",
    "store_opener",
    "worker_main",
    "write_dump",
]


def run(fd: int, memory_mb: int = 0) -> None:
    """Entry point of a worker process: ``fd`` is its end of the socket pair."""
    limit_memory(memory_mb)
    worker_main(Connection(fd))


def limit_memory(memory_mb: int) -> bool:
    """Cap this process's address space (RLIMIT_AS) where the platform has it; True if it did."""
    try:
        import resource
    except ImportError:  # not on Windows
        return False
    if memory_mb <= 0 or not hasattr(resource, "RLIMIT_AS"):
        return False
    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return True
