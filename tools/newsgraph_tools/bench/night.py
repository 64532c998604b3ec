"""One night without Dagster: streamed as the nightly job runs it, or its stages one after the other.

Streamed (the default) times the overlapped night and its publication; staged (``--staged``) times
every stage (wall clock) with its peak resident memory, which says what each costs. Either way, in
the same process and on the same clean texts, the bare spaCy pipeline (``nlp.pipe``) is timed, so the
night and "NER alone" are measured side by side. Run in its own process
(``python -m newsgraph_tools.bench.night --date D --out stages.json``, configuration from the
``NEWSGRAPH_*`` environment) so the night's peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph_tools.bench.memory import ProcessTreeSampler, RssSampler, process_peak_mb
from pipelines import factory, nightly
from pipelines.night import SettingsParts, run_stage
from pipelines.nightly import StageReport
from pipelines.settings import Settings
from pipelines.stages import Stage


@dataclass
class StageTimes:
    """Seconds and peak RSS (MB) per named step, in the order they ran.

    With ``profile_dir``, each step also runs under pyinstrument (a sampling profiler: the call tree
    of the main thread, where the time went) and its report is written to ``<profile_dir>/<step>.txt``;
    sampling slows the steps a little, so a profiled night's seconds are not the benchmark's.
    """

    seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    profile_dir: Path | None = None

    def measure(self, name: str, step: Callable[[], Any]) -> Any:
        profiler = _start_profiler() if self.profile_dir is not None else None
        with RssSampler() as rss:
            started = time.perf_counter()
            result = step()
            self.seconds[name] = round(time.perf_counter() - started, 4)
        self.peak_rss_mb[name] = round(rss.peak_mb, 1)
        if profiler is not None and self.profile_dir is not None:
            profiler.stop()
            self.profile_dir.mkdir(parents=True, exist_ok=True)
            report = profiler.output_text(unicode=True, color=False, show_all=False)
            (self.profile_dir / f"{name}.txt").write_text(report, encoding="utf-8")
        return result


def _start_profiler() -> Any:
    try:
        from pyinstrument import Profiler
    except ImportError as exc:
        raise SystemExit("profiling needs pyinstrument: pip install -e '.[bench]'") from exc
    profiler = Profiler(interval=0.005)
    profiler.start()
    return profiler


BARE_NER_TWICE_MAX = 2000  # articles up to which bare nlp.pipe is timed twice (before and after the night)


def run_direct_night(
    settings: Settings, partition: str, *, bare_ner: bool = True, profile_dir: Path | None = None
) -> dict[str, Any]:
    """Run every stage of one night in this process; returns timings, memory and counts."""
    times = StageTimes(profile_dir=profile_dir)
    started = time.perf_counter()
    nlp = times.measure("load_ner_model", lambda: factory.ner_for(settings))
    parts = SettingsParts(settings)
    times.measure("load_linker", parts.linker)
    ws = parts.workspace(partition)

    def stage(name: Stage) -> Any:
        return times.measure(name, lambda: run_stage(name, ws, parts))

    with ProcessTreeSampler() as tree:
        reports: dict[str, StageReport] = {"scrape": stage("scrape"), "cleanup": stage("cleanup")}
        bare_before: float | None = None
        if bare_ner:  # bare nlp.pipe before and after the night: the machine may be shared, take the faster
            bare_texts = [doc.text for doc in nightly.load_clean(ws).values()]
            if len(bare_texts) <= BARE_NER_TWICE_MAX:  # a big night's run takes many minutes: once is enough
                paused = time.perf_counter()
                bare_before = time_bare_ner(nlp, bare_texts)
                started += time.perf_counter() - paused  # not part of the night
        for name in ("ner", "linking", "quotes", "graph"):
            reports[name] = stage(name)
        validation = stage("validate")
        reports["publish"] = stage("publish")
    night_seconds = round(time.perf_counter() - started, 4)
    texts = [doc.text for doc in nightly.load_clean(ws).values()]
    out: dict[str, Any] = {
        "partition": partition,
        "articles": len(texts),
        "words": sum(len(text.split()) for text in texts),
        "seconds": times.seconds,
        "peak_rss_mb": times.peak_rss_mb,
        "night_seconds": night_seconds,
        "night_peak_rss_mb": round(process_peak_mb(), 1),
        **_tree_memory(tree),
        "conforms": validation.conforms,
        "violations": validation.violation_count,
        "counts": {name: report.counts for name, report in reports.items()},
    }
    if bare_ner:
        runs = [r for r in (bare_before, time_bare_ner(nlp, texts)) if r is not None]
        out["bare_ner_runs_s"] = runs
        out["bare_ner_seconds"] = min(runs)
    return out


def run_streamed_night(settings: Settings, partition: str, *, bare_ner: bool = True) -> dict[str, Any]:
    """One night as the nightly job runs it (:mod:`pipelines.streamed`: the stages overlap), then its
    publication; bare ``nlp.pipe`` on the night's clean texts afterwards, in the same process."""
    from pipelines.streamed import run_streamed, streamed_workers

    times = StageTimes()
    nlp = times.measure("load_ner_model", lambda: factory.ner_for(settings))
    parts = SettingsParts(settings)
    times.measure("load_linker", parts.linker)
    ws = parts.workspace(partition)
    with ProcessTreeSampler() as tree:
        streamed = times.measure("streamed", lambda: run_streamed(ws, parts, workers=streamed_workers()))
        publish = times.measure("publish", lambda: run_stage("publish", ws, parts))
    texts = [doc.text for doc in nightly.load_clean(ws).values()]
    out: dict[str, Any] = {
        "partition": partition,
        "mode": "streamed",
        "articles": len(texts),
        "words": sum(len(text.split()) for text in texts),
        "seconds": times.seconds,
        "peak_rss_mb": times.peak_rss_mb,
        "night_seconds": round(times.seconds["streamed"] + times.seconds["publish"], 4),
        "main_thread_seconds": streamed.seconds,
        "night_peak_rss_mb": round(process_peak_mb(), 1),
        **_tree_memory(tree),
        "conforms": streamed.validation.conforms,
        "violations": streamed.validation.violation_count,
        "counts": {
            **{name: r.counts for name, r in streamed.results.items() if isinstance(r, StageReport)},
            "publish": publish.counts if isinstance(publish, StageReport) else {},
        },
    }
    if bare_ner:  # the machine may be shared: up to BARE_NER_TWICE_MAX articles, take the faster of two
        runs = [time_bare_ner(nlp, texts) for _ in range(2 if len(texts) <= BARE_NER_TWICE_MAX else 1)]
        out["bare_ner_runs_s"] = runs
        out["bare_ner_seconds"] = min(runs)
    return out


def _tree_memory(tree: ProcessTreeSampler) -> dict[str, Any]:
    """The worker processes' own peaks and the most the process tree held at once (see ProcessTreeSampler)."""
    return {
        "worker_peak_rss_mb": round(tree.largest_child_mb, 1),
        "worker_peaks_rss_mb": sorted((round(mb, 1) for mb in tree.child_peaks_mb.values()), reverse=True),
        "tree_peak_rss_mb": round(tree.tree_peak_mb, 1),
    }


def time_bare_ner(nlp: Any, texts: Sequence[str], batch_size: int = 16) -> float:
    """Seconds of ``nlp.pipe`` over ``texts`` with nothing else: the floor for the NER stage."""
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    return round(time.perf_counter() - started, 4)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--date", required=True, help="partition YYYY-MM-DD")
    parser.add_argument("--out", type=Path, required=True, help="where to write the timings (JSON)")
    parser.add_argument("--no-bare-ner", action="store_true", help="skip timing bare nlp.pipe")
    parser.add_argument("--profile-dir", type=Path, help="also profile each stage (pyinstrument): <dir>/<stage>.txt")
    parser.add_argument(
        "--staged", action="store_true", help="run the stages one after the other, each timed (default: streamed)"
    )
    args = parser.parse_args(argv)
    if args.staged or args.profile_dir:
        result = run_direct_night(
            Settings.from_env(), args.date, bare_ner=not args.no_bare_ner, profile_dir=args.profile_dir
        )
    else:
        result = run_streamed_night(Settings.from_env(), args.date, bare_ner=not args.no_bare_ner)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
