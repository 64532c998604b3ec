"""Time the graph, validate and publish stages of whatever ``pipelines`` is importable on a copy of a
measured night's workspace, each stage with its peak RSS. Used for the before/after in docs/benchmarks.md:

    PYTHONPATH=<checkout of the old commit> python bench/before_after.py <partition dir> <scratch dir>
    PYTHONPATH=<this checkout>              python bench/before_after.py <partition dir> <scratch dir>

(run the NER and linking stages once with ``python -m newsgraph_tools.bench``; its temp dir holds the partition)
"""

from __future__ import annotations

import inspect
import json
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

from pipelines import nightly
from pipelines.domain import RunInfo
from pipelines.namespaces import Namespaces
from pipelines.store import EmbeddedStore
from pipelines.workspace import PartitionWorkspace


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(step):  # type: ignore[no-untyped-def]
    peak = [rss_mb()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.01):
            peak[0] = max(peak[0], rss_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    started = time.perf_counter()
    step()
    seconds = time.perf_counter() - started
    stop.set()
    thread.join()
    return round(seconds, 3), round(max(peak[0], rss_mb()), 1)


def main() -> None:
    source, scratch = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(scratch, ignore_errors=True)
    partition = source.name
    shutil.copytree(source, scratch / "partitions" / partition)
    ws = PartitionWorkspace(scratch / "partitions", partition)
    run = RunInfo(
        run_id=partition,
        partition=partition,
        started_at=f"{partition}T01:00:00+01:00",
        ended_at=f"{partition}T02:00:00+01:00",
        code_version="0.1.0",
        ner_model="de_bench",
        ner_model_version="1",
        kb_version="bench",
    )
    articles = sum(1 for _ in ws.read_jsonl("linked.jsonl"))
    out = {"articles": articles}
    out["graph"] = measure(lambda: nightly.build_graph(ws, run, Namespaces()))
    out["validate"] = measure(lambda: nightly.validate(ws))
    store = EmbeddedStore(scratch / "store")
    # newer versions also take the namespaces (publication refreshes the night tallies)
    takes_ns = "ns" in inspect.signature(nightly.publish).parameters
    out["publish"] = measure(
        lambda: nightly.publish(ws, store, Namespaces()) if takes_ns else nightly.publish(ws, store)
    )
    store.close()
    out["validation_worker_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
