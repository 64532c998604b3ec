"""Named-query latency measured in a child process per query, killed at a time limit.

Some named queries grow faster than the store (a triple repeated in every article graph appears once
per graph in the union default graph), and neither engine can interrupt a running query, so each
query runs in its own process that the benchmark kills after ``timeout_s``; a killed query is
reported as ``timeout`` with the limit, never left to run for hours.
"""

from __future__ import annotations

import multiprocessing
import queue
from pathlib import Path
from typing import Any

from newsgraph_tools.bench.timing import time_query


def _open(engine: str, source: Path) -> Any:
    if engine == "store":
        from pipelines.store import EmbeddedStore

        return EmbeddedStore(source, read_only=True)
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(source, format="trig" if source.suffix == ".trig" else "nquads")
    return ds


def _child(
    engine: str, source: str, sparql: str, bindings: dict[str, str], repeats: int, budget_s: float, out: Any
) -> None:
    from rdflib.util import from_n3

    try:
        target = _open(engine, Path(source))
        terms = {k: from_n3(v) for k, v in bindings.items()}
        if engine == "store":
            run = lambda: len(target.query(sparql, substitutions=terms or None))  # noqa: E731
        else:
            run = lambda: len(target.query(sparql, initBindings=terms))  # noqa: E731
        out.put(time_query(run, repeats=repeats, budget_s=budget_s))
    except Exception as exc:  # reported, not raised: one failing query must not end the benchmark
        out.put({"error": f"{type(exc).__name__}: {exc}"})


def timed_query(
    engine: str,
    source: Path,
    sparql: str,
    bindings: dict[str, str] | None = None,
    *,
    repeats: int = 20,
    budget_s: float = 30.0,
    timeout_s: float = 120.0,
) -> dict[str, Any]:
    """p50/p95 of one query on ``engine`` ("store": an on-disk store directory, opened read-only;
    "rdflib": a graph file loaded into an in-memory Dataset), in a child killed after ``timeout_s``."""
    # fork where there is one: the child starts in milliseconds instead of re-importing rdflib (the
    # benchmark holds no store open and runs no threads while queries are timed)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context: Any = multiprocessing.get_context(method)
    results = context.Queue()
    child = context.Process(
        target=_child, args=(engine, str(source), sparql, bindings or {}, repeats, budget_s, results), daemon=True
    )
    child.start()
    try:
        result: dict[str, Any] = results.get(timeout=timeout_s)
    except queue.Empty:
        result = {"timeout": True, "timeout_s": timeout_s}
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
    result["parameters"] = bindings or {}
    return result


def named_query_latencies(
    engine: str,
    source: Path,
    bindings: dict[str, dict[str, str]],
    queries_dir: Path | None = None,
    **timing: Any,
) -> dict[str, Any]:
    """Every named query of ``queries_dir`` (default: ontology/queries) timed on ``engine``."""
    from pipelines.store import named_queries

    return {
        name: timed_query(engine, source, named.sparql, bindings.get(name), **timing)
        for name, named in named_queries(queries_dir).items()
    }
