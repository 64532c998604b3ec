"""Benchmarks for the hardening: cheap-query latency while two clients run runaway queries, and the
slowest page of the cleanup (saved pages plus fuzzed pages with one very long tag-cloud line).

``python -m newsgraph_tools.bench.hardening [--seconds 30] [--out bench/results.json]`` adds the sections
``fairness`` and ``cleanup_worst_page`` to the results file, leaving the other sections as they are.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import requests

from newsgraph_tools.checkout import CHECKOUT
from pipelines.shipped import data_dir

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"
TAG_WORDS = ["1", "9", "A", "B", "Berlin", "Politik", "Olaf Scholz", "CDU", "Klima", "EU", "Dr.", "Müller", "©", "dpa"]


def fairness(seconds: float, workers: int = 4) -> dict[str, Any]:
    """Two clients loop runaway queries; a third sends cheap ones; latency and status of the cheap ones."""
    from pipelines.store import EmbeddedStore
    from pipelines.web import StoreSpec, WebConfig, running_server

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        with EmbeddedStore(path) as store:
            store.extend(
                ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(i), ox.NamedNode(f"urn:g{i % 7}"))
                for i in range(400)
            )
        config = WebConfig(StoreSpec(path=path), dumps_dir=Path(tmp) / "dumps", workers=workers)
        stop = time.monotonic() + seconds
        runaway_status: list[int] = []
        with running_server(config) as url:

            def attacker(ip: str) -> None:
                while time.monotonic() < stop:
                    answer = requests.get(
                        f"{url}/sparql", params={"query": RUNAWAY}, headers={"X-Forwarded-For": ip}, timeout=60
                    )
                    runaway_status.append(answer.status_code)

            threads = [threading.Thread(target=attacker, args=(ip,)) for ip in ("10.0.0.1", "10.0.0.2")]
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            latencies, statuses = [], []
            while time.monotonic() < stop:
                started = time.perf_counter()
                answer = requests.get(f"{url}/sparql", params={"query": CHEAP}, timeout=60)
                latencies.append(time.perf_counter() - started)
                statuses.append(answer.status_code)
            for thread in threads:
                thread.join()
    latencies.sort()
    return {
        "workers": workers,
        "per_client": config.per_client,
        "seconds": seconds,
        "cheap_queries": len(latencies),
        "cheap_errors": sum(1 for s in statuses if s != 200),
        "cheap_p50_ms": round(1000 * statistics.median(latencies), 1),
        "cheap_p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
        "cheap_max_ms": round(1000 * latencies[-1], 1),
        "runaway_answers": {str(s): runaway_status.count(s) for s in sorted(set(runaway_status))},
    }


def _fuzzed_pages(count: int, seed: int = 15) -> list[tuple[str, bytes, str | None]]:
    rng = random.Random(seed)
    body = "".join(
        f"<p>Der Bundestag in Berlin hat am Donnerstag über den Haushalt beraten, Absatz {i}.</p>" for i in range(10)
    )
    pages: list[tuple[str, bytes, str | None]] = []
    for i in range(count):
        tokens = rng.randint(2_000, 15_000)
        sep = rng.choice([" | ", "|", " · ", ", ", " "])
        tags = sep.join(rng.choice(TAG_WORDS) for _ in range(tokens))
        if i % 2:
            html = f"<html><body><article><h1>Titel {i}</h1>{body}<p>Schlagworte {tags}</p></article></body></html>"
            pages.append((f"fuzz-{i}.html", html.encode(), "text/html"))
        else:
            text = f"Titel {i}\n\n" + body.replace("<p>", "").replace("</p>", "\n\n") + f"Schlagworte {tags}\n"
            pages.append((f"fuzz-{i}.txt", text.encode(), None))
    return pages


def cleanup_worst_page(fuzzed: int = 40) -> dict[str, Any]:
    """The slowest page to clean, over the saved pages and ``fuzzed`` long-line pages."""
    from pipelines.cleanup import CleanupError, clean_document

    saved: list[tuple[str, bytes, str | None]] = [
        (p.name, p.read_bytes(), "text/html" if p.suffix == ".html" else None)
        for folder in (data_dir() / "samples", CHECKOUT / "tests" / "cleanup" / "pages")
        for p in sorted(folder.glob("*"))
        if p.suffix in (".html", ".txt")
    ]
    clean_document(saved[0][1], saved[0][2], url=None)  # warm-up: imports and caches
    out: dict[str, Any] = {}
    sets: list[tuple[str, list[tuple[str, bytes, str | None]]]] = [
        ("saved", saved),
        ("fuzzed_long_lines", _fuzzed_pages(fuzzed)),
    ]
    for label, pages in sets:
        times = []
        for name, content, content_type in pages:
            started = time.perf_counter()
            with contextlib.suppress(CleanupError):
                clean_document(content, content_type, url=None)
            times.append((time.perf_counter() - started, name, len(content)))
        worst = max(times)
        out[label] = {
            "pages": len(pages),
            "worst_s": round(worst[0], 3),
            "worst_page": worst[1],
            "worst_page_bytes": worst[2],
            "median_s": round(statistics.median(t for t, _n, _b in times), 4),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m newsgraph_tools.bench.hardening")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=CHECKOUT / "bench" / "results.json")
    args = parser.parse_args()
    results = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    results["cleanup_worst_page"] = cleanup_worst_page()
    print(json.dumps(results["cleanup_worst_page"], indent=2), flush=True)
    results["fairness"] = fairness(args.seconds)
    print(json.dumps(results["fairness"], indent=2), flush=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
