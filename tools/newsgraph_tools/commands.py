"""The commands newsgraph-tools adds to the ``newsgraph`` CLI (entry-point group ``newsgraph.commands``).

Each is an object with ``summary``, ``details``, ``add_arguments`` and ``run`` (see
:class:`pipelines.tool_commands.ToolCommand`); the heavy modules are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.cli import CliError, Outcome
from pipelines.settings import Settings


@dataclass(frozen=True)
class Bench:
    summary: str = "throughput, scaling and memory; writes bench/results.json and docs/benchmarks.md"
    details: str = (
        "The nights section runs a night per corpus size (about an hour for the default sizes); the kb\n"
        "section ingests a synthetic Wikidata dump and measures the index and linking; the adhoc section\n"
        "times the ten plain questions of bench/adhoc on stores of ~1M and ~10M triples copied from a\n"
        "night's graph file (--graph-file; the nights section keeps one with --keep-dir)."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--sizes", default="100,1000,10000", help="corpus sizes, comma-separated")
        parser.add_argument("--out", type=Path, default=Path("bench/results.json"), metavar="FILE", help="results file")
        parser.add_argument(
            "--docs", type=Path, default=Path("docs/benchmarks.md"), metavar="FILE", help="report to rewrite"
        )
        parser.add_argument("--no-dagster", action="store_true", help="skip the runs through Dagster")
        parser.add_argument(
            "--sections",
            default="nights",
            help="comma-separated: nights (the corpus sizes), kb (dump ingest, 1M-entity index, linking cost), "
            "adhoc (plain questions on big stores)",
        )
        parser.add_argument(
            "--graph-file",
            type=Path,
            metavar="FILE",
            help="adhoc: the night graph to copy, TriG or N-Quads (default: none)",
        )
        parser.add_argument(
            "--store-triples", default="1000000,10000000", metavar="N,N", help="adhoc: store sizes in triples"
        )
        parser.add_argument(
            "--kb-lines", type=int, metavar="N", default=1_100_000, help="lines of the kb section's synthetic dump"
        )

    def run(self, args: argparse.Namespace, settings: Settings) -> Outcome:
        from newsgraph_tools.bench import BenchOptions, parse_sizes, run_benchmark
        from pipelines import progress

        sections = list(dict.fromkeys(part.strip() for part in args.sections.split(",") if part.strip()))
        if not sections or set(sections) - {"nights", "kb", "adhoc"}:
            raise CliError(f"--sections {args.sections!r}: expected some of nights, kb, adhoc (comma-separated)")
        if "adhoc" in sections and args.graph_file is None:
            raise CliError("--sections adhoc needs --graph-file FILE: a night's graph (graph.trig) to copy")
        sizes = parse_sizes(args.sizes) if "nights" in sections else ()
        result: dict[str, Any] = {"sections": sections, "results": str(args.out), "docs": str(args.docs)}
        for section in progress.track(sections, "bench", unit="sections"):
            if section == "nights":
                options = BenchOptions(sizes=sizes, dagster=not args.no_dagster)
                result["nights"] = run_benchmark(settings, args.out, options, docs=args.docs)["summary"]
            elif section == "kb":
                from newsgraph_tools.bench.kb import kb_bench_command

                result["kb"] = kb_bench_command(settings, args.out, args.docs, lines=args.kb_lines)
            else:
                from newsgraph_tools.bench.adhoc import adhoc_bench_command

                triples = parse_sizes(args.store_triples, "--store-triples", "triple count")
                section_result = adhoc_bench_command(args.out, args.docs, graph_file=args.graph_file, sizes=triples)
                result["adhoc"] = {size: _adhoc_summary(r) for size, r in section_result["sizes"].items()}
        summary = f"bench {','.join(sections)}: results in {args.out}, report in {args.docs}"
        text = "\n".join([summary, json.dumps({k: result[k] for k in sections}, ensure_ascii=False, indent=2)])
        return Outcome(summary=summary, result=result, text=text)


def _adhoc_summary(at_size: dict[str, Any]) -> dict[str, Any]:
    """The slowest p95 of the questions at one size, and which timed out."""
    queries = at_size["queries"]
    answered = [q["p95_ms"] for q in queries.values() if "p95_ms" in q]
    return {
        "triples": at_size.get("triples"),
        "slowest_p95_ms": max(answered, default=None),
        "failed": sorted(name for name, q in queries.items() if "p95_ms" not in q),
    }


@dataclass(frozen=True)
class Evaluate:
    summary: str = "score a stage against the gold files in ../shared"
    details: str = (
        "Prints a short summary (for ner also per-label scores, a span confusion table and the 20 most\n"
        "frequent errors on GermEval dev-a); --json gives the full report as the result.\n"
        "cleanup --pages DIR scores the cleanup (HTML and text mode) beside trafilatura and jusText on the\n"
        "pages of DIR/manifest.jsonl, in the format of ../shared/corpora/extraction-dev."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("stage", choices=("cleanup", "ner", "linking", "quotes"), help="the stage to score")
        parser.add_argument("--shared", type=Path, metavar="DIR", help="the shared data folder (default: ../shared)")
        parser.add_argument(
            "--pages",
            type=Path,
            metavar="DIR",
            help="cleanup only: score the pages of DIR/manifest.jsonl instead of the seeds (default: the seeds' gold)",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=1,
            metavar="K",
            help="with --pages: every K-th page of the sorted manifest (default: 1, every page)",
        )

    def run(self, args: argparse.Namespace, settings: Settings) -> Outcome:
        from newsgraph_tools.evaluate.stages import details, run_evaluation, summarize

        if args.pages is not None:
            return _evaluate_pages(args, settings)
        shared = (args.shared or settings.shared_dir).resolve()
        if not shared.is_dir():
            raise CliError(f"{shared}: the shared gold data is not there (pass --shared DIR)")
        report = run_evaluation(args.stage, shared, settings)
        summary = summarize(args.stage, report)
        footer = f"(the full report: newsgraph eval {args.stage} --json)"
        return Outcome(summary=summary, result=report, text="\n".join([summary, *details(args.stage, report), footer]))


def _evaluate_pages(args: argparse.Namespace, settings: Settings) -> Outcome:
    from newsgraph_tools.evaluate.manifest_pages import (
        ManifestError,
        evaluate_manifest,
        format_summary,
        summary_line,
    )
    from pipelines import factory

    if args.stage != "cleanup":
        raise CliError(f"--pages scores the cleanup only, not {args.stage}")
    try:
        report = evaluate_manifest(
            args.pages, profiles=factory.profiles(settings), budget_s=settings.cleanup_budget_s, every=args.every
        )
    except ManifestError as exc:
        raise CliError(str(exc)) from None
    text = format_summary(report)
    return Outcome(
        summary=summary_line(report),
        result=report,
        text=f"{text}\n(the full report, every page: newsgraph eval cleanup --pages {args.pages} --json)",
    )


@dataclass(frozen=True)
class TrainNer:
    summary: str = "retrain the German NER models from ../shared/corpora (needs the tools' train extra)"
    details: str = (
        "Writes data/models/de_newsgraph_e5 and data/models/de_newsgraph_fast with their model cards:\n"
        "one candidate per seed, the best on GermEval dev-a, shipped only at or above the floor (exit 1 below);\n"
        "about an hour per seed on 2 cores. Needs PyTorch and onnx: pip install -e './tools[train]'."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        from newsgraph_tools.train.ner import add_arguments

        add_arguments(parser)

    def run(self, args: argparse.Namespace, settings: Settings) -> int:
        from newsgraph_tools.train.ner import train

        return train(args)


BENCH = Bench()
EVAL = Evaluate()
TRAIN_NER = TrainNer()
