"""One streaming pass over Wikidata's JSON dump into KB rows (``newsgraph kb build --wikidata-dump``).

A reader thread cuts the decompressed byte stream into chunks of whole lines; worker processes
parse and filter each chunk (orjson, pipelines.kb.dump_rows) and send back its rows, gzip-compressed
when the output is ``.gz`` (a gzip file may be a series of members); the main process appends the
chunks in input order, so the output does not depend on the number of workers. At most
``in_flight`` chunks exist at any time, whatever the dump's size.

Crash safety: rows go to ``<out>.partial`` and ``<out>.checkpoint.json`` records, about once a
second, the next chunk, the line it starts at and the output size. ``resume=True`` truncates the
partial file to that size and reads the chunks before it without parsing them again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing as mp
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from pipelines.kb.dump_classes import DEFAULT_CLASSES, load_classes
from pipelines.kb.dump_rows import row_from_entity
from pipelines.kb.errors import KBSourceError

CHUNK_BYTES = 4 << 20
MAX_BAD_EXAMPLES = 10


class DumpError(KBSourceError):
    """The dump could not be ingested (names the file and line, or the checkpoint that does not fit)."""


@dataclass(frozen=True)
class DumpOptions:
    workers: int = 0  # 0 = one per usable CPU
    chunk_bytes: int = CHUNK_BYTES
    in_flight: int = 0  # chunks read but not yet written; 0 = 3 per worker
    resume: bool = False
    skip_bad_lines: bool = False  # count and report malformed lines instead of stopping at the first
    progress: bool = True
    classes: Path = DEFAULT_CLASSES
    checkpoint_every_s: float = 1.0


@dataclass(frozen=True)
class _WorkerConfig:
    path: str
    source: str
    classes: dict[str, tuple[str, str]]
    compress: bool
    skip_bad_lines: bool


@dataclass
class ChunkResult:
    first_line: int
    lines: int
    size: int
    entities: int = 0
    kept: int = 0
    by_group: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    bad: list[str] = field(default_factory=list)
    payload: bytes = b""


@dataclass
class _Totals:
    lines: int = 0
    size: int = 0
    entities: int = 0
    kept: int = 0
    by_group: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    bad_lines: int = 0
    bad_examples: list[str] = field(default_factory=list)

    def add(self, chunk: ChunkResult) -> None:
        self.lines += chunk.lines
        self.size += chunk.size
        self.entities += chunk.entities
        self.kept += chunk.kept
        self.by_group.update(chunk.by_group)
        self.by_type.update(chunk.by_type)
        self.bad_lines += len(chunk.bad)
        self.bad_examples.extend(chunk.bad[: MAX_BAD_EXAMPLES - len(self.bad_examples)])

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "bytes": self.size,
            "entities": self.entities,
            "kept": self.kept,
            "by_group": dict(sorted(self.by_group.items())),
            "by_type": dict(sorted(self.by_type.items())),
            "bad_lines": self.bad_lines,
            "bad_examples": self.bad_examples,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Totals:
        return cls(
            lines=int(data["lines"]),
            size=int(data["bytes"]),
            entities=int(data["entities"]),
            kept=int(data["kept"]),
            by_group=Counter(data["by_group"]),
            by_type=Counter(data["by_type"]),
            bad_lines=int(data["bad_lines"]),
            bad_examples=list(data["bad_examples"]),
        )


# --- the work of one chunk (runs in the worker processes) --------------------------------------


def process_chunk(blob: bytes, first_line: int, config: _WorkerConfig) -> ChunkResult:
    """Parse and filter the lines of one chunk; a malformed line is an error naming file and line."""
    result = ChunkResult(first_line=first_line, lines=blob.count(b"\n"), size=len(blob))
    rows: list[bytes] = []
    loads = orjson.loads
    for offset, raw in enumerate(blob.split(b"\n")):
        line = raw.strip()
        if line.endswith(b","):
            line = line[:-1]
        if not line or line == b"[" or line == b"]":
            continue
        result.entities += 1
        problem = None
        try:
            entity = loads(line)
        except orjson.JSONDecodeError as exc:
            entity, problem = None, f"not a Wikidata dump entity line ({exc})"
        if problem is None and not (isinstance(entity, dict) and "id" in entity):
            problem = "a dump entity needs an 'id'"
        if problem is not None or entity is None:
            message = f"{config.path}:{first_line + offset}: {problem}"
            if not config.skip_bad_lines:
                raise DumpError(message)
            result.bad.append(message)
            continue
        kept = row_from_entity(entity, config.classes, config.source)
        if kept is None:
            continue
        row, group = kept
        result.kept += 1
        result.by_group[group] += 1
        result.by_type[row["type"]] += 1
        rows.append(orjson.dumps(row))
    if rows:
        payload = b"\n".join(rows) + b"\n"
        result.payload = gzip.compress(payload, compresslevel=6, mtime=0) if config.compress else payload
    return result


def _worker(in_q: Any, out_q: Any, config: _WorkerConfig, parent: int) -> None:
    """Take chunks until the sentinel. A watchdog ends the process when the parent is gone (killed, not
    joined), wherever the worker waits: a chunk the parent was killed while writing never arrives whole,
    and the worker itself holds the queue's write end, so the read would never see end-of-file."""
    threading.Thread(target=_exit_when_orphaned, args=(parent,), name="dump-watchdog", daemon=True).start()
    while True:
        task = in_q.get()
        if task is None:
            return
        chunk_id, first_line, blob = task
        try:
            out_q.put(("ok", chunk_id, process_chunk(blob, first_line, config)))
        except DumpError as exc:
            out_q.put(("error", chunk_id, str(exc)))
        except Exception as exc:  # anything else still has to reach the parent, with the chunk's place
            out_q.put(("error", chunk_id, f"{config.path}: chunk from line {first_line}: {type(exc).__name__}: {exc}"))


def _exit_when_orphaned(parent: int, interval_s: float = 1.0) -> None:
    while True:
        time.sleep(interval_s)
        if os.getppid() != parent:
            os._exit(0)  # nobody reads results any more: nothing to flush or clean up


# --- reading --------------------------------------------------------------------------------------


@contextmanager
def open_dump(path: Path) -> Iterator[tuple[IO[bytes], Any]]:
    """(raw file, decompressed stream): compression by suffix (.gz, .bz2, else plain)."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise DumpError(f"{path}: cannot read ({exc.strerror})") from exc
    with raw:
        stream: Any
        if path.suffix == ".gz":
            stream = gzip.GzipFile(fileobj=raw, mode="rb")
        elif path.suffix == ".bz2":
            import bz2

            stream = bz2.BZ2File(raw, mode="rb")
        else:
            stream = raw
        yield raw, stream


def iter_chunks(stream: IO[bytes], chunk_bytes: int) -> Iterator[tuple[int, int, bytes]]:
    """(chunk id, first line number, bytes of whole lines); the same cuts for the same input."""
    chunk_id, line, rest = 0, 1, b""
    while True:
        data = stream.read(chunk_bytes)
        if not data:
            if rest:
                yield chunk_id, line, rest
            return
        data = rest + data
        cut = data.rfind(b"\n")
        if cut < 0:
            rest = data  # a line longer than a chunk: read on
            continue
        blob, rest = data[: cut + 1], data[cut + 1 :]
        yield chunk_id, line, blob
        line += blob.count(b"\n")
        chunk_id += 1


# --- the run --------------------------------------------------------------------------------------


@dataclass
class _Checkpoint:
    identity: dict[str, Any]
    next_chunk: int = 0
    next_line: int = 1
    output_bytes: int = 0
    totals: _Totals = field(default_factory=_Totals)

    def save(self, path: Path) -> None:
        state = {
            "identity": self.identity,
            "next_chunk": self.next_chunk,
            "next_line": self.next_line,
            "output_bytes": self.output_bytes,
            "totals": self.totals.to_json(),
        }
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, identity: dict[str, Any]) -> _Checkpoint:
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DumpError(f"{path}: unreadable checkpoint ({exc}); run without --resume to start over") from exc
        differs = sorted(k for k in identity if state.get("identity", {}).get(k) != identity[k])
        if differs:
            raise DumpError(
                f"{path}: checkpoint of another run ({', '.join(differs)} differ); run without --resume to start over"
            )
        return cls(
            identity=identity,
            next_chunk=int(state["next_chunk"]),
            next_line=int(state["next_line"]),
            output_bytes=int(state["output_bytes"]),
            totals=_Totals.from_json(state["totals"]),
        )


def _identity(path: Path, out: Path, options: DumpOptions) -> dict[str, Any]:
    stat = path.stat()
    classes = hashlib.sha256(Path(options.classes).read_bytes()).hexdigest()[:16]
    return {
        "input": str(path.resolve()),
        "input_size": stat.st_size,
        "input_mtime_ns": stat.st_mtime_ns,
        "chunk_bytes": options.chunk_bytes,
        "classes": classes,
        "output": out.name,
        "skip_bad_lines": options.skip_bad_lines,
    }


def usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def ingest_dump(
    path: Path,
    out: Path,
    options: DumpOptions | None = None,
    *,
    on_chunk: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Write the kept items of the dump at ``path`` to ``out`` (JSONL, gzipped if ``.gz``); the report.

    ``on_chunk(chunks_written)`` is called after each chunk is appended (progress hooks, tests).
    """
    options = options or DumpOptions()
    path, out = Path(path), Path(out)
    if not path.is_file():
        raise DumpError(f"{path}: Wikidata dump not found")
    started = time.monotonic()
    classes = load_classes(options.classes).mapping()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    checkpoint_path = out.with_name(out.name + ".checkpoint.json")
    identity = _identity(path, out, options)
    resumed = False
    if options.resume and checkpoint_path.is_file() and partial.is_file():
        checkpoint = _Checkpoint.load(checkpoint_path, identity)
        if partial.stat().st_size < checkpoint.output_bytes:
            raise DumpError(f"{partial}: shorter than its checkpoint says; run without --resume to start over")
        resumed = True
    else:
        checkpoint = _Checkpoint(identity)
        partial.write_bytes(b"")
        checkpoint.save(checkpoint_path)
    start = (checkpoint.next_chunk, checkpoint.next_line)
    done_before = checkpoint.totals.entities
    workers = options.workers or usable_cpus()
    in_flight = options.in_flight or 3 * workers
    config = _WorkerConfig(
        str(path), f"wikidata-dump:{path.name}", classes, out.name.endswith(".gz"), options.skip_bad_lines
    )

    # fork: workers start before any thread of this run and need nothing re-imported (spawn would
    # re-run the caller's __main__); spawn where fork does not exist
    ctx: Any = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    in_q: Any = ctx.Queue(maxsize=in_flight)
    out_q: Any = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(in_q, out_q, config, os.getpid()), daemon=True) for _ in range(workers)]
    for proc in procs:
        proc.start()
    slots = threading.Semaphore(in_flight)
    stop = threading.Event()
    reader: dict[str, Any] = {"chunks": None, "error": None, "position": 0}

    def read() -> None:
        try:
            with open_dump(path) as (raw, stream):
                count = 0
                for chunk_id, first_line, blob in iter_chunks(stream, options.chunk_bytes):
                    count = chunk_id + 1
                    reader["position"] = raw.tell()
                    if chunk_id < start[0]:
                        continue
                    if chunk_id == start[0] and first_line != start[1]:
                        raise DumpError(
                            f"{path}: chunk {chunk_id} starts at line {first_line}, the checkpoint says {start[1]}"
                        )
                    while not slots.acquire(timeout=0.5):
                        if stop.is_set():
                            return
                    if stop.is_set():
                        return
                    in_q.put((chunk_id, first_line, blob))
                if count < start[0]:
                    raise DumpError(f"{path}: has {count} chunks, the checkpoint is at chunk {start[0]}")
                reader["chunks"] = count
        except (OSError, EOFError, DumpError) as exc:
            reader["error"] = exc if isinstance(exc, DumpError) else DumpError(f"{path}: read failed ({exc})")
        finally:
            if not stop.is_set():  # after a failure the workers are being stopped: nobody would take these
                for _ in procs:
                    in_q.put(None)
            out_q.put(("reader-done", -1, None))

    thread = threading.Thread(target=read, name="dump-reader", daemon=True)
    bar = _progress(path, options.progress, resumed)
    thread.start()
    pending: dict[int, ChunkResult] = {}
    last_saved = time.monotonic()
    reader_done = False
    try:
        with partial.open("r+b") as handle:
            handle.truncate(checkpoint.output_bytes)
            handle.seek(checkpoint.output_bytes)
            while not (reader_done and reader["chunks"] is not None and checkpoint.next_chunk >= reader["chunks"]):
                try:
                    kind, chunk_id, result = out_q.get(timeout=1.0)
                except queue.Empty:
                    dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
                    if dead:
                        raise DumpError(f"{path}: a worker process died (exit code {dead[0]})") from None
                    continue
                if kind == "reader-done":
                    reader_done = True
                    if reader["error"] is not None:
                        raise reader["error"]
                    continue
                if kind == "error":
                    raise DumpError(result)
                pending[chunk_id] = result
                while checkpoint.next_chunk in pending:
                    chunk = pending.pop(checkpoint.next_chunk)
                    handle.write(chunk.payload)
                    checkpoint.output_bytes += len(chunk.payload)
                    checkpoint.next_chunk += 1
                    checkpoint.next_line = chunk.first_line + chunk.lines
                    checkpoint.totals.add(chunk)
                    slots.release()
                    bar.update(int(reader["position"]) - bar.n)
                    bar.set_postfix(entities=checkpoint.totals.entities, kept=checkpoint.totals.kept, refresh=False)
                    if time.monotonic() - last_saved >= options.checkpoint_every_s:
                        _save(handle, checkpoint, checkpoint_path)
                        last_saved = time.monotonic()
                    if on_chunk is not None:
                        on_chunk(checkpoint.next_chunk)
            _save(handle, checkpoint, checkpoint_path)
    except BaseException:
        if partial.exists() and partial.stat().st_size >= checkpoint.output_bytes:
            checkpoint.save(checkpoint_path)  # what is on disk up to here is complete
        raise
    finally:
        stop.set()
        bar.close()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join(timeout=5)
        in_q.cancel_join_thread()
        out_q.cancel_join_thread()
    os.replace(partial, out)
    checkpoint_path.unlink(missing_ok=True)
    seconds = time.monotonic() - started
    totals = checkpoint.totals
    this_run = totals.entities - done_before
    return {
        "input": str(path),
        "output": str(out),
        "input_bytes": identity["input_size"],
        "output_bytes": out.stat().st_size,
        "decompressed_bytes": totals.size,
        "lines": totals.lines,
        "entities_read": totals.entities,
        "kept": totals.kept,
        "kept_by_group": dict(sorted(totals.by_group.items())),
        "kept_by_type": dict(sorted(totals.by_type.items())),
        "bad_lines": totals.bad_lines,
        "bad_line_examples": totals.bad_examples,
        "chunks": checkpoint.next_chunk,
        "resumed_at_chunk": start[0] if resumed else None,
        "workers": workers,
        "seconds": round(seconds, 3),
        "entities_per_s": round(this_run / seconds, 1) if seconds > 0 else None,
    }


def _save(handle: IO[bytes], checkpoint: _Checkpoint, path: Path) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    checkpoint.save(path)


class _NoBar:
    n = 0

    def update(self, n: int) -> None:
        self.n += n

    def set_postfix(self, **values: Any) -> None:
        return

    def close(self) -> None:
        return


def _progress(path: Path, enabled: bool, resumed: bool) -> Any:
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    label = f"{path.name} (resumed)" if resumed else path.name
    return tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc=label, smoothing=0.05)
