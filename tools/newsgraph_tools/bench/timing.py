"""Latency of a repeated call: a warm-up, then p50/p95 over as many runs as the budget allows."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def time_query(run: Any, *, repeats: int = 20, budget_s: float = 30.0) -> dict[str, Any]:
    """p50/p95 milliseconds of ``run()`` (one warm-up call, then up to ``repeats`` or ``budget_s``)."""
    started = time.perf_counter()
    rows = run()
    first_ms = (time.perf_counter() - started) * 1000
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < repeats and time.perf_counter() < deadline:
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    if not times:
        times = [first_ms]
    return {
        "rows": rows,
        "runs": len(times),
        "first_ms": round(first_ms, 2),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
    }
