"""Benchmark: build, validate and publish cost per article, and publish cost against store size.

Run: ``python -m tests.graph.bench_graph [--shared ../shared] [--articles 50] [--background 2000]``.
Not a test (no timing assertions); it prints measurements for the report and for regressions.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from rdflib import Dataset

from pipelines.graph import build_article_graph, build_run_graph, merge_datasets, validate_dataset
from pipelines.namespaces import Namespaces
from pipelines.store import EmbeddedStore
from tests.graph.samples import sample_run, seed_records


def _night(shared: Path, articles: int, prefix: str, run_partition: str) -> tuple[Dataset, int]:
    ns = Namespaces()
    run = sample_run(run_partition)
    records = seed_records(shared)
    graphs = []
    mentions = 0
    for i in range(articles):
        raw, clean, linked, entities = records[i % len(records)]
        raw = dataclasses.replace(raw, doc_id=f"{prefix}{i:06d}", url=f"https://example.org/{prefix}/{i}")
        graphs.append(build_article_graph(raw, clean, linked, entities, run, ns))
        mentions += len(linked)
    return merge_datasets(*graphs, build_run_graph(run, ns, {"articles": articles})), mentions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[3] / "shared")
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--background", type=int, default=2000, help="articles already in the store")
    args = parser.parse_args()

    start = time.perf_counter()
    night, mentions = _night(args.shared, args.articles, "bench", "2026-11-20")
    build = time.perf_counter() - start
    quads = sum(len(g) for g in night.graphs())
    print(
        f"build:    {args.articles} articles, {mentions} mentions, {quads} triples in {build:.2f} s "
        f"({1000 * build / args.articles:.1f} ms/article)"
    )

    start = time.perf_counter()
    result = validate_dataset(night)
    validate = time.perf_counter() - start
    print(
        f"validate: conforms={result.conforms} in {validate:.2f} s ({1000 * validate / args.articles:.1f} ms/article)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        empty = EmbeddedStore(Path(tmp) / "empty")
        start = time.perf_counter()
        empty.publish(night)
        into_empty = time.perf_counter() - start
        start = time.perf_counter()
        empty.publish(night)
        rerun = time.perf_counter() - start

        full = EmbeddedStore(Path(tmp) / "full")
        done = 0
        while done < args.background:
            batch = min(500, args.background - done)
            old, _ = _night(args.shared, batch, f"old{done:06d}x", "2026-10-01")
            full.publish(old)
            done += batch
        start = time.perf_counter()
        full.publish(night)
        into_full = time.perf_counter() - start
        print(
            f"publish:  into empty store {into_empty:.2f} s, rerun (replace) {rerun:.2f} s, "
            f"into store with {args.background} articles ({full.triple_count()} triples) {into_full:.2f} s"
        )


if __name__ == "__main__":
    main()
