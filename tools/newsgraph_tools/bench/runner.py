"""``newsgraph bench``: one night per corpus size, directly and through Dagster, plus the side-by-sides,
named-query latency at ~1M triples and the incremental cost of a night on a big store.

Each night runs in its own process (fresh ``NEWSGRAPH_HOME`` in a temporary directory, the KB index
built once and copied in), so its wall time, per-stage peak memory and process peak are its own.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsgraph_tools.bench.corpus import BenchPage, build_corpus
from newsgraph_tools.bench.site import serve_corpus, write_sources
from pipelines import progress
from pipelines.nightly import stage_workers
from pipelines.settings import Settings
from pipelines.stages import STAGES

PARTITION = "2026-11-20"
PAGES_PER_HOST = 10  # pages per loopback host: the scraper's 1 request/s per host keeps the scrape short
MAX_HOSTS = 64


class BenchError(RuntimeError):
    """A benchmark night failed (says which size and where its log is)."""


@dataclass(frozen=True)
class BenchOptions:
    sizes: tuple[int, ...] = (100, 1000, 10000)
    dagster: bool = True  # also run each size through Dagster (`newsgraph run`)
    sparql_triples: int = 1_000_000  # store size for the named-query latency
    backgrounds: tuple[int, ...] = (10_000, 100_000)  # store sizes (articles) for the incremental cost
    night_articles: int = 1000  # the incremental night
    query_repeats: int = 20
    query_timeout_s: float = 60.0  # a named query still running after this is killed and reported as such
    proposed_queries: bool = True  # also time the direct (pre-tally) queries of bench/queries on the big store
    work_dir: Path | None = None  # temporary files (default: the system's temp dir)
    merge: bool = False  # keep what ``out`` already holds (other sizes, store sections) and add to it
    graph_file: Path | None = None  # night to copy for the store benchmarks (default: the largest size's)
    keep_dir: Path | None = None  # keep each size's graph file here (graph-<size>.trig) for later runs
    # rdflib needs ~1.5 kB per triple and minutes to parse a big night (each query in a fresh process):
    # the side-by-side with rdflib is run up to this size
    rdflib_max_articles: int = 1000
    # the stages one after the other, each timed (what each costs), up to this size; above it only the
    # streamed night the nightly job runs
    staged_max_articles: int = 1000


def _child_env(settings: Settings, home: Path, sources: Path) -> dict[str, str]:
    env = dict(os.environ)  # pass-through for the child (PATH, locale); newsgraph's own settings below
    env.update(
        NEWSGRAPH_HOME=str(home),
        NEWSGRAPH_SOURCES=str(sources),
        NEWSGRAPH_NER_MODEL=settings.ner_model,
        NEWSGRAPH_WIKIDATA_MODE="offline",
        NEWSGRAPH_BASE_IRI=settings.base_iri,
        DAGSTER_HOME=str(home / "dagster"),
        DAGSTER_DISABLE_TELEMETRY="yes",
    )
    if settings.kb_extra_sources:
        env["NEWSGRAPH_KB_SOURCES"] = os.pathsep.join(str(p) for p in settings.kb_extra_sources)
    return env


def _run_child(args: list[str], env: dict[str, str], log: Path) -> dict[str, float]:
    """Run a child process; its wall time and peak RSS (from the kernel's rusage, in MB)."""
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
        raise BenchError(f"{' '.join(args[1:4])} exited {process.returncode}; see {log}: {' | '.join(tail)}")
    return {"wall_s": round(time.perf_counter() - started, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def _prepare_home(home: Path, kb_index: Path) -> None:
    (home / "kb").mkdir(parents=True, exist_ok=True)
    shutil.copy2(kb_index, home / "kb" / kb_index.name)


def _rates(seconds: float, articles: int, words: int) -> dict[str, float]:
    return {
        "seconds": round(seconds, 3),
        "articles_per_s": round(articles / seconds, 2) if seconds > 0 else math.inf,
        "words_per_s": round(words / seconds, 1) if seconds > 0 else math.inf,
    }


def run_size(
    settings: Settings, size: int, root: Path, kb_index: Path, options: BenchOptions, log: Callable[[str], None]
) -> dict[str, Any]:
    """One corpus size: direct night, Dagster night, cleanup vs trafilatura, rdflib vs store."""
    from newsgraph_tools.bench.comparisons import cleanup_vs_trafilatura, rdflib_vs_store

    pages: list[BenchPage] = build_corpus(size)
    hosts = max(1, min(MAX_HOSTS, math.ceil(size / PAGES_PER_HOST)))
    result: dict[str, Any] = {
        "articles_requested": size,
        "hosts": hosts,
        "validation_workers": stage_workers(),  # nightly.validate's default
    }
    with serve_corpus(pages, hosts=hosts) as served:

        def night_child(kind: str, args: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
            home = root / f"{kind}-{size}"
            _prepare_home(home, kb_index)
            sources = write_sources(home / "sources.yaml", served, size)
            out = home / "night.json"
            log(f"size {size}: {kind} night ({hosts} hosts)")
            command = [sys.executable, "-m", "newsgraph_tools.bench.night", "--date", PARTITION, "--out", str(out)]
            child = _run_child([*command, *args], _child_env(settings, home, sources), root / f"{kind}-{size}.log")
            night = json.loads(out.read_text(encoding="utf-8"))
            if not night["conforms"]:
                raise BenchError(f"size {size}: the night's graph does not conform ({night['violations']} violations)")
            return night, child

        streamed, streamed_child = night_child("direct", [])
        staged = night_child("staged", ["--staged"]) if size <= options.staged_max_articles else None
        if options.dagster:
            dagster_home = root / f"dagster-{size}"
            _prepare_home(dagster_home, kb_index)
            sources = write_sources(dagster_home / "sources.yaml", served, size)
            log(f"size {size}: night through Dagster (newsgraph run)")
            cli = "from pipelines.cli import console; console()"  # the installed command's entry point
            result["dagster"] = _run_child(
                [sys.executable, "-c", cli, "run", "--date", PARTITION, "--sources", str(sources)],
                _child_env(settings, dagster_home, sources),
                root / f"dagster-{size}.log",
            )
    articles, words = streamed["articles"], streamed["words"]
    bare_runs = [*streamed["bare_ner_runs_s"], *(staged[0]["bare_ner_runs_s"] if staged else [])]
    bare_s = min(bare_runs)
    direct_wall = round(streamed_child["wall_s"] - sum(streamed["bare_ner_runs_s"]), 3)  # the night's process
    result.update(
        articles=articles,
        words=words,
        setup_s={k: streamed["seconds"][k] for k in ("load_ner_model", "load_linker")},
        streamed={
            "night_s": streamed["night_seconds"],
            "streamed_s": streamed["seconds"]["streamed"],
            "publish_s": streamed["seconds"]["publish"],
            "main_thread_s": streamed["main_thread_seconds"],
        },
        direct={
            **streamed_child,
            "wall_s": direct_wall,
            "night_peak_rss_mb": streamed["night_peak_rss_mb"],
            "worker_peak_rss_mb": streamed.get("worker_peak_rss_mb"),
            "worker_peaks_rss_mb": streamed.get("worker_peaks_rss_mb"),
            "tree_peak_rss_mb": streamed.get("tree_peak_rss_mb"),
            "end_to_end_articles_per_s": round(articles / direct_wall, 3),
        },
        ner_only_articles_per_s=round(articles / bare_s, 3),
        bare_ner_s=bare_s,
        bare_ner_runs_s=bare_runs,
        counts=streamed["counts"],
    )
    # the night as the nightly job runs it, with everything its process does (imports, model, Dagster)
    night_wall = result["dagster"]["wall_s"] if "dagster" in result else direct_wall
    result["end_to_end_measured"] = "through Dagster (newsgraph run)" if "dagster" in result else "direct process"
    result["end_to_end_articles_per_s"] = round(articles / night_wall, 3)
    result["end_to_end_to_ner_ratio"] = round(bare_s / night_wall, 3)
    result["night_to_ner_ratio"] = round(bare_s / streamed["night_seconds"], 3)  # the night alone, loaded
    if staged is not None:
        night, _child = staged
        stage_rows = {
            name: {**_rates(night["seconds"][name], articles, words), "peak_rss_mb": night["peak_rss_mb"][name]}
            for name in STAGES
        }
        stages_s = sum(row["seconds"] for row in stage_rows.values())
        result["stages"] = stage_rows
        result["staged_stages_s"] = round(stages_s, 3)
        result["staged_to_ner_ratio"] = round(bare_s / stages_s, 3)
        result["ner_and_linking_s"] = round(stage_rows["ner"]["seconds"] + stage_rows["linking"]["seconds"], 3)
    if "dagster" in result:
        result["dagster"]["overhead_s"] = round(result["dagster"]["wall_s"] - direct_wall, 3)
        result["dagster"]["overhead_fraction"] = round(result["dagster"]["overhead_s"] / direct_wall, 3)
        result["dagster"]["end_to_end_articles_per_s"] = round(articles / result["dagster"]["wall_s"], 3)
    graph_file = root / f"direct-{size}" / "partitions" / PARTITION / "graph.trig"
    log(f"size {size}: cleanup vs trafilatura")
    result["cleanup_vs_trafilatura"] = cleanup_vs_trafilatura(pages)
    if articles > options.rdflib_max_articles:
        result["rdflib_vs_store_skipped"] = f"above {options.rdflib_max_articles} articles (rdflib_max_articles)"
        return result
    log(f"size {size}: rdflib vs embedded store")
    result["rdflib_vs_store"] = rdflib_vs_store(
        graph_file,
        root / f"compare-store-{size}",
        timeout_s=options.query_timeout_s,
        repeats=min(5, options.query_repeats),
        budget_s=20.0,
    )
    return result


def run_benchmark(
    settings: Settings,
    out: Path,
    options: BenchOptions | None = None,
    *,
    docs: Path | None = None,
    log: Callable[[str], None] = lambda message: progress.write(f"bench: {message}"),
) -> dict[str, Any]:
    """Measure every size in ``options.sizes`` and the store benchmarks; write ``out`` (JSON) and,
    with ``docs``, the Markdown report and its plot next to it."""
    from newsgraph_tools.bench.report import summarize, write_report
    from newsgraph_tools.bench.stores import incremental, nquads_of, sparql_at_size
    from pipelines import factory

    options = options or BenchOptions()
    if any(size < 1 for size in options.sizes) or not (options.sizes or options.graph_file):
        raise ValueError(f"bench sizes must be positive article counts (got {list(options.sizes)})")
    results: dict[str, Any] = {"sizes": {}}
    if options.merge and out.is_file():
        results = json.loads(out.read_text(encoding="utf-8"))
    results.update(
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        machine={"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        ner_model=settings.ner_model,
    )
    root = Path(tempfile.mkdtemp(prefix="newsgraph-bench-", dir=options.work_dir))
    try:
        kb_home = Settings.from_env({"NEWSGRAPH_HOME": str(root / "kb-home")})
        log("building the KB index once for all nights")
        factory.knowledge_base(kb_home)
        for size in progress.track(options.sizes, "bench sizes", unit="sizes"):
            results["sizes"][str(size)] = run_size(settings, size, root, kb_home.kb_index_path, options, log)
            if options.keep_dir is not None:
                options.keep_dir.mkdir(parents=True, exist_ok=True)
                night_graph = root / f"direct-{size}" / "partitions" / PARTITION / "graph.trig"
                shutil.copy2(night_graph, options.keep_dir / f"graph-{size}.trig")
            _write(out, results)
        if options.graph_file is not None:
            graph_file = options.graph_file
        else:
            graph_file = root / f"direct-{max(options.sizes)}" / "partitions" / PARTITION / "graph.trig"
        nquads = nquads_of(graph_file) if options.sparql_triples or options.backgrounds else ""
        if nquads:
            results["store_benchmarks_from"] = graph_file.name
        if options.sparql_triples:
            log(f"named queries on a store of ~{options.sparql_triples:,} triples")
            results["sparql"] = sparql_at_size(
                nquads,
                options.sparql_triples,
                root,
                proposed=options.proposed_queries,
                repeats=options.query_repeats,
                timeout_s=options.query_timeout_s,
            )
            _write(out, results)
        if options.backgrounds:
            log(f"incremental: a night of {options.night_articles} on stores of {list(options.backgrounds)} articles")
            results["incremental"] = incremental(
                nquads, nquads, list(options.backgrounds), root, night_articles=options.night_articles
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["summary"] = summarize(results)
    _write(out, results)
    if docs is not None:
        write_report(results, docs)
    return results


def _write(out: Path, results: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def parse_sizes(text: str, option: str = "--sizes", unit: str = "article count") -> tuple[int, ...]:
    """``"100,1000,10000"`` → (100, 1000, 10000), with an error naming ``option`` for anything else."""
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"{option} {text!r}: expected a comma-separated {unit} each, e.g. 100,1000") from None
    if not sizes or any(size < 1 for size in sizes):
        raise ValueError(f"{option} {text!r}: every size must be a positive {unit}")
    return sizes


def bench_command(settings: Settings, sizes: Sequence[int], out: Path, docs: Path | None = None, **options: Any) -> int:
    """What ``newsgraph bench`` calls: run, write ``out`` and the report, print the summary."""
    results = run_benchmark(settings, out, BenchOptions(sizes=tuple(sizes), **options), docs=docs)
    print(json.dumps(results["summary"], indent=2))
    return 0
