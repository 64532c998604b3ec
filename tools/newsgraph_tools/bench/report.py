"""results.json → the headline keys, and docs/benchmarks.md with a table per size and a plot (matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgraph_tools.checkout import CHECKOUT
from pipelines.stages import STAGES

NOTES = CHECKOUT / "bench" / "notes.md"  # hand-written: method, profiling, before/after

TARGETS = {
    "end_to_end_to_ner_ratio": (">=", 0.7),
    "cleanup_to_trafilatura_ratio": ("<=", 1.5),
    "sparql_p95_ms": ("<=", 100.0),
    "incremental_ratio_10x": ("<=", 1.2),
    "night_peak_rss_mb": ("<=", 2048.0),
    "process_tree_peak_rss_mb": ("<=", 2048.0),
    "adhoc_p95_ms_1m": ("<=", 1000.0),
    "adhoc_p95_ms_10m": ("<=", 3000.0),
}
ADHOC_TARGET_SIZES = {"adhoc_p95_ms_1m": 1_000_000, "adhoc_p95_ms_10m": 10_000_000}


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers (largest size measured) and whether each target is met."""
    sizes = results.get("sizes", {})
    if not sizes:
        return {}
    largest = sizes[max(sizes, key=int)]
    ct = largest.get("cleanup_vs_trafilatura", {})
    summary: dict[str, Any] = {
        "size": int(max(sizes, key=int)),
        "end_to_end_articles_per_s": largest["end_to_end_articles_per_s"],
        "end_to_end_measured": largest.get("end_to_end_measured", "sum of the stages"),
        "ner_only_articles_per_s": largest["ner_only_articles_per_s"],
        "end_to_end_to_ner_ratio": largest["end_to_end_to_ner_ratio"],
        "end_to_end_to_ner_ratio_by_size": {size: res["end_to_end_to_ner_ratio"] for size, res in sizes.items()},
        "cleanup_s_per_page": ct.get("cleanup_s_per_page"),
        "trafilatura_s_per_page": ct.get("trafilatura_s_per_page"),
        "cleanup_to_trafilatura_ratio": ct.get("ratio"),
        "night_peak_rss_mb": largest["direct"]["night_peak_rss_mb"],
    }
    summary["worker_peak_rss_mb"] = largest["direct"].get("worker_peak_rss_mb")
    summary["process_tree_peak_rss_mb"] = largest["direct"].get("tree_peak_rss_mb")
    with_dagster = [size for size, res in sizes.items() if "dagster" in res]
    if with_dagster:  # the largest size also run through Dagster (a big size may be run without it)
        size = max(with_dagster, key=int)
        summary["dagster_overhead_size"] = int(size)
        summary["dagster_overhead_s"] = sizes[size]["dagster"]["overhead_s"]
        summary["dagster_overhead_fraction"] = sizes[size]["dagster"]["overhead_fraction"]
    sparql = results.get("sparql")
    if sparql:
        summary["sparql_store_triples"] = sparql["triples"]
        by_query = {name: _p95(q) for name, q in sparql["queries"].items()}
        summary["sparql_p95_ms"] = _worst(by_query)
        summary["sparql_p95_ms_by_query"] = by_query
        summary["sparql_timed_out"] = sorted(name for name, q in sparql["queries"].items() if q.get("timeout"))
        if sparql.get("compacted_queries"):
            summary["sparql_p95_ms_compacted"] = _worst({n: _p95(q) for n, q in sparql["compacted_queries"].items()})
        proposed = sparql.get("proposed_queries")
        if proposed:
            by_query = {name: _p95(q) for name, q in proposed.items()}
            summary["sparql_p95_ms_direct_queries"] = _worst(by_query)
            summary["sparql_p95_ms_by_direct_query"] = by_query
    inc = results.get("incremental", {}).get("backgrounds", {})
    if len(inc) >= 2:
        small, big = sorted(inc, key=int)[0], sorted(inc, key=int)[-1]
        night_other = _night_without_publish(largest, results["incremental"]["night_articles"])
        small_night = night_other + inc[small]["publish_s"]
        big_night = night_other + inc[big]["publish_s"]
        summary["incremental_publish_s"] = {small: inc[small]["publish_s"], big: inc[big]["publish_s"]}
        summary["incremental_publish_ratio_10x"] = round(inc[big]["publish_s"] / inc[small]["publish_s"], 3)
        summary["incremental_ratio_10x"] = round(big_night / small_night, 3)
    summary.update(adhoc_summary(results.get("adhoc")))
    summary["targets"] = {
        key: {"target": f"{op} {limit}", "value": summary.get(key), "met": _met(summary.get(key), op, limit)}
        for key, (op, limit) in TARGETS.items()
    }
    return summary


def _night_without_publish(size_result: dict[str, Any], articles: int) -> float:
    """Seconds of the night but its publication for ``articles`` articles, scaled from a measured size."""
    if "streamed" in size_result:
        seconds = size_result["streamed"]["streamed_s"]
    else:
        seconds = sum(row["seconds"] for name, row in size_result["stages"].items() if name != "publish")
    return seconds / max(1, size_result["articles"]) * articles


def _p95(q: dict[str, Any]) -> float | None:
    """p95 in ms; a query killed at its time limit counts as the limit (a lower bound)."""
    if q.get("timeout"):
        return float(q["timeout_s"]) * 1000
    return q.get("p95_ms")


def _ms(q: dict[str, Any], key: str) -> str:
    if q.get("timeout"):
        return f"> {q['timeout_s']:g} s (killed)"
    if "error" in q:
        return "error"
    return _fmt(q[key])


def _met(value: Any, op: str, limit: float) -> bool | None:
    if value is None:
        return None
    return bool(value >= limit) if op == ">=" else bool(value <= limit)


def _tree_memory(direct: dict[str, Any]) -> str:
    """The worker processes' own peaks and the process tree's, or why they are missing."""
    if direct.get("tree_peak_rss_mb") is None:
        return "worker processes not measured in this run (the bench reads them since 2026-12-06)"
    peaks = direct.get("worker_peaks_rss_mb") or []
    workers = " / ".join(_fmt(float(mb)) for mb in peaks) + " MB" if peaks else "none started"
    return (
        f"worker processes' own peaks {workers}; the whole process tree at most "
        f"{_fmt(direct['tree_peak_rss_mb'])} MB at once (VmHWM and VmRSS read from /proc every 0.5 s)"
    )


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def adhoc_summary(adhoc: dict[str, Any] | None) -> dict[str, Any]:
    """The slowest p95 of the plain questions at the store sizes of the targets (a timeout counts as its
    limit, so a question that never answered cannot pass; one that failed leaves the size unmeasured)."""
    out: dict[str, Any] = {}
    for key, triples in ADHOC_TARGET_SIZES.items():
        at = (adhoc or {}).get("sizes", {}).get(str(triples))
        if at:
            out[key] = _slowest(at["queries"])
            if at.get("compacted_queries"):
                out[f"{key}_compacted"] = _slowest(at["compacted_queries"])
    return out


def _worst(p95s: dict[str, float | None]) -> float | None:
    """The slowest p95 among the queries that answered (None if none did)."""
    timed = [v for v in p95s.values() if v is not None]
    return max(timed) if timed else None


def _slowest(queries: dict[str, Any]) -> float | None:
    times = [_p95(q) for q in queries.values()]
    answered = [t for t in times if t is not None]
    return max(answered) if answered and len(answered) == len(times) else None


def adhoc_markdown(adhoc: dict[str, Any] | None) -> list[str]:
    """The adhoc section (``newsgraph bench --sections adhoc``): each plain question's p95 per store size,
    and at the smallest size in the layout before (descriptions repeated in every article graph)."""
    if not adhoc:
        return []
    columns = []
    for size, at in sorted(adhoc["sizes"].items(), key=lambda kv: int(kv[0])):
        columns.append((f"{int(size):,} triples", at))
        if at.get("compacted_queries"):
            columns.append((f"{int(size):,}, compacted", {**at, "queries": at["compacted_queries"]}))
    columns += [(f"{int(size):,}, descriptions repeated", at) for size, at in adhoc.get("repeated", {}).items()]
    lines = [
        "",
        "## Ten plain questions (`newsgraph bench --sections adhoc`, `bench/adhoc/*.rq`)",
        "",
        f"Stores of renamed copies of `{adhoc['graph_file']}`; p95 of up to 10 runs, each question in its own "
        "process killed at its time limit. Store sizes: "
        + ", ".join(
            f"{at['triples']:,} triples ({at['articles']:,} articles, loaded in {at['load_s']} s)"
            for title, at in columns
            if not title.endswith("compacted")
        )
        + "."
        + _compaction_sentence(columns),
        "",
        "| question (p95 ms) | " + " | ".join(title for title, _ in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for name in sorted(columns[0][1]["queries"]):
        cells = [_ms(at["queries"].get(name, {}), "p95_ms") for _, at in columns]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return lines


def _compaction_sentence(columns: list[tuple[str, dict[str, Any]]]) -> str:
    done = [at["compaction"] for title, at in columns if title.endswith("compacted")]
    if not done:
        return ""
    return (
        " The copies' files overlap, as published nights' do until compacted; compacted: the same store after"
        " `newsgraph compact` ("
        + ", ".join(f"{_fmt(c['seconds'])} s, {c['files_before']} → {c['files_after']} files" for c in done)
        + "); the targets read the bulk-loaded stores."
    )


def _night_lines(res: dict[str, Any]) -> list[str]:
    """The night at one size: end to end against bare NER, and (where measured) the stages one by one."""
    lines: list[str] = []
    st = res.get("streamed")
    if st:
        main = ", ".join(f"{name} {_fmt(s)}" for name, s in st["main_thread_s"].items())
        lines += [
            "",
            f"- **end to end {_fmt(res['end_to_end_to_ner_ratio'])} × bare NER** ({res['end_to_end_measured']}: "
            f"{_fmt(res['end_to_end_articles_per_s'])} articles/s; bare `nlp.pipe` on the night's clean texts "
            f"{_fmt(res['bare_ner_s'])} s, {_fmt(res['ner_only_articles_per_s'])} articles/s)",
            f"- the night in the nightly job's process, model loaded: streamed stages {_fmt(st['streamed_s'])} s + "
            f"publish {_fmt(st['publish_s'])} s = {_fmt(st['night_s'])} s ({_fmt(res['night_to_ner_ratio'])} × bare "
            f"NER); its main thread's seconds: {main}",
            f"- process without Dagster: {_fmt(res['direct']['wall_s'])} s wall (model load "
            f"{_fmt(res['setup_s']['load_ner_model'])} s, KB {_fmt(res['setup_s']['load_linker'])} s), "
            f"peak RSS {_fmt(res['direct']['peak_rss_mb'])} MB; {_tree_memory(res['direct'])}",
        ]
    if res.get("stages"):
        lines += [
            "",
            "The stages one after the other (`--staged`, each timed on its own):"
            if st
            else "The stages one after the other:",
            "",
            "| stage | seconds | articles/s | words/s | peak RSS MB |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in STAGES:
            row = res["stages"].get(name)
            if row is None:  # measured before the stage existed
                lines.append(f"| {name} | not measured at this size | | | |")
                continue
            lines.append(
                f"| {name} | {_fmt(row['seconds'])} | {_fmt(row['articles_per_s'])} | "
                f"{_fmt(row['words_per_s'])} | {_fmt(row['peak_rss_mb'])} |"
            )
        staged_ratio = res.get("staged_to_ner_ratio", res.get("end_to_end_to_ner_ratio"))
        staged_s = res.get("staged_stages_s", sum(r["seconds"] for r in res["stages"].values()))
        lines += [
            "",
            f"- the stages one after the other: {_fmt(staged_s)} s ({_fmt(staged_ratio)} × bare NER); NER + linking "
            f"stages {_fmt(res.get('ner_and_linking_s'))} s vs bare `nlp.pipe` {_fmt(res['bare_ner_s'])} s",
        ]
    if not st:
        lines.append(
            f"- process without Dagster: {_fmt(res['direct']['wall_s'])} s wall (model load "
            f"{_fmt(res['setup_s']['load_ner_model'])} s, KB {_fmt(res['setup_s']['load_linker'])} s), "
            f"peak RSS {_fmt(res['direct']['peak_rss_mb'])} MB"
        )
    return lines


def markdown(results: dict[str, Any], plot_name: str | None) -> str:
    summary = results.get("summary") or summarize(results)
    lines = [
        "# Benchmarks",
        "",
        "Generated by `newsgraph bench` (`make bench`) from `bench/results.json`; "
        f"run {results.get('started_at', '?')} → {results.get('finished_at', '?')} on "
        f"{results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
        f"NER model `{results.get('ner_model')}`.",
        "",
        "## Targets (largest size measured)",
        "",
        "| measure | target | value | met |",
        "|---|---|---|---|",
    ]
    for key, target in summary.get("targets", {}).items():
        met = {True: "yes", False: "**no**", None: "not measured"}[target["met"]]
        lines.append(f"| `{key}` | {target['target']} | {_fmt(target['value'])} | {met} |")
    for size, res in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        lines += [
            "",
            f"## {int(size):,} articles ({res['articles']} collected, {res['words']:,} words, {res['hosts']} hosts)",
        ]
        lines += _night_lines(res)
        if "dagster" in res:
            d = res["dagster"]
            lines.append(
                f"- through Dagster (`newsgraph run`): {_fmt(d['wall_s'])} s wall, "
                f"peak RSS {_fmt(d['peak_rss_mb'])} MB; "
                f"Dagster's overhead {_fmt(d['overhead_s'])} s ({100 * d['overhead_fraction']:.0f} %)"
            )
        ct = res.get("cleanup_vs_trafilatura", {})
        if ct.get("pages"):
            lines.append(
                f"- cleanup {1000 * ct['cleanup_s_per_page']:.2f} ms/page vs plain trafilatura "
                f"{1000 * ct['trafilatura_s_per_page']:.2f} ms/page on the same {ct['pages']} HTML pages "
                f"(ratio {_fmt(ct['ratio'])}, CPU time)"
            )
        if res.get("rdflib_vs_store_skipped"):
            lines.append(f"- rdflib vs the store: not run at this size ({res['rdflib_vs_store_skipped']})")
        rs = res.get("rdflib_vs_store")
        if rs:
            lines += [
                f"- loading the night's {rs['triples']:,} triples: rdflib in memory {_fmt(rs['rdflib_load_s'])} s "
                f"(+{_fmt(rs['rdflib_load_rss_mb'])} MB), embedded store {_fmt(rs['store_load_s'])} s"
                + (f" (+ night tallies {_fmt(rs['store_tallies_s'])} s)" if "store_tallies_s" in rs else ""),
                "- named queries below: both engines hold the night and its tallies",
                "",
                "| named query | store p50 ms | store p95 ms | rdflib p50 ms | rdflib p95 ms |",
                "|---|---:|---:|---:|---:|",
            ]
            for name, q in rs["queries"].items():
                lines.append(
                    f"| {name} | {_ms(q['store'], 'p50_ms')} | {_ms(q['store'], 'p95_ms')} | "
                    f"{_ms(q['rdflib'], 'p50_ms')} | {_ms(q['rdflib'], 'p95_ms')} |"
                )
    sparql = results.get("sparql")
    if sparql:
        lines += [
            "",
            f"## Named queries on a store of {sparql['triples']:,} triples ({sparql['articles']:,} articles)",
            "",
            f"Built by bulk-loading renamed copies of the largest night in {sparql['load_s']} s"
            f" (night tallies of all {sparql.get('tally_runs', '?')} runs refreshed in"
            f" {sparql.get('tallies_s', '?')} s).",
            "",
            "Shipped: `ontology/queries/*.rq` (reading the night tallies); direct: `bench/queries/*.rq`, the same"
            " questions asked of the article graphs (the shipped queries before tallies; same rows,"
            " `tests/store/test_tallies.py`).",
            "",
            "| named query | rows | runs | p50 ms | p95 ms | compacted: p50 ms | p95 ms "
            "| direct: rows | p50 ms | p95 ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        proposed = sparql.get("proposed_queries", {})
        compacted = sparql.get("compacted_queries", {})
        for name, q in sparql["queries"].items():
            r, c = proposed.get(name, {}), compacted.get(name, {})
            lines.append(
                f"| {name} | {q.get('rows', '-')} | {q.get('runs', '-')} | {_ms(q, 'p50_ms')} | {_ms(q, 'p95_ms')} | "
                f"{_ms(c, 'p50_ms') if c else '-'} | {_ms(c, 'p95_ms') if c else '-'} | "
                f"{r.get('rows', '-')} | {_ms(r, 'p50_ms') if r else '-'} | {_ms(r, 'p95_ms') if r else '-'} |"
            )
        if sparql.get("compaction"):
            done = sparql["compaction"]
            lines += [
                "",
                f"Compacted: the same store after `newsgraph compact` ({_fmt(done['seconds'])} s, "
                f"{done['files_before']} → {done['files_after']} files); the target reads the bulk-loaded store.",
            ]
        bound = {name: q["parameters"] for name, q in sparql["queries"].items() if q.get("parameters")}
        if bound:
            lines += ["", "Parameters bound (`newsgraph_tools.bench.comparisons.query_substitutions`):"]
            lines += [
                f"- {name}: " + ", ".join(f"`?{var}` = `{term}`" for var, term in terms.items())
                for name, terms in bound.items()
            ]
    inc = results.get("incremental")
    if inc:
        lines += [
            "",
            f"## Incremental cost: a night of {inc['night_articles']:,} new articles",
            "",
            "| store before (articles) | triples | build s | publish s | publish peak RSS MB |",
            "|---:|---:|---:|---:|---:|",
        ]
        for size, b in sorted(inc["backgrounds"].items(), key=lambda kv: int(kv[0])):
            lines.append(
                f"| {int(size):,} | {b['triples']:,} | {b['load_s']} | {b['publish_s']} | {b['publish_peak_rss_mb']} |"
            )
    lines += adhoc_markdown(results.get("adhoc"))
    lines += kb_markdown(results.get("kb_dump"))
    if plot_name:
        lines += ["", f"![throughput and memory per stage]({plot_name})"]
    if NOTES.is_file():
        lines += ["", NOTES.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def kb_markdown(kb: dict[str, Any] | None) -> list[str]:
    """The kb section (``newsgraph bench --sections kb``): dump ingest, index sizes, linking cost."""
    if not kb:
        return []
    ing, dump = kb["ingest"], kb["synthetic_dump"]
    small, big = kb["index_default"], kb["index_with_dump"]
    lines = [
        "",
        f"## Wikidata dump ingest and a {big['entities']:,}-entity index (`newsgraph bench --sections kb`)",
        "",
        f"Synthetic dump in the real line format: {dump['lines']:,} lines from the recorded entity shapes"
        f" ({dump['gz_bytes'] / 1e6:,.0f} MB gzipped, {ing['decompressed_bytes'] / 1e9:,.2f} GB of JSON).",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| entities read | {ing['entities_read']:,} |",
        f"| kept | {ing['kept']:,} ({', '.join(f'{k} {v:,}' for k, v in ing['kept_by_type'].items())}) |",
        f"| workers | {ing['workers']} |",
        f"| seconds | {_fmt(ing['seconds'])} |",
        f"| entities/s | {ing['entities_per_s']:,.0f} |",
        f"| decompressed JSON MB/s | {_fmt(ing['decompressed_mb_per_s'])} |",
        f"| peak RSS, reader + workers | {_fmt(ing['peak_rss_mb_all_processes'])} MB |",
        f"| output rows | {ing['output_bytes'] / 1e6:,.0f} MB |",
        f"| extrapolated to {kb['full_dump_items_assumed'] / 1e6:.0f}M items"
        f" | {ing['extrapolated_full_dump_hours']} h |",
        "",
        "| index | entities | names | size MB | build s | build peak RSS MB | cold ms/mention | warm ms/mention |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, index, linking in (
        ("default", small, kb["linking_default"]),
        ("default + dump rows", big, kb["linking_with_dump"]),
    ):
        lines.append(
            f"| {label} | {index['entities']:,} | {index['names']:,} | {index['size_bytes'] / 1e6:,.1f} |"
            f" {_fmt(index['wall_s'])} | {_fmt(index['peak_rss_mb'])} | {_fmt(linking['cold_ms_per_mention'])} |"
            f" {_fmt(linking['warm_ms_per_mention'])} |"
        )
    return lines


def plot(results: dict[str, Any], path: Path) -> None:
    """Seconds per article of each stage by size (log-log), and peak RSS of each stage by size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results["sizes"], key=int)
    xs = [int(s) for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name in STAGES:
        if not all(name in results["sizes"][s].get("stages", {}) for s in sizes):
            continue  # a stage newer than some of the sizes measured, or sizes measured streamed only
        left.plot(
            xs,
            [1000 * results["sizes"][s]["stages"][name]["seconds"] / results["sizes"][s]["articles"] for s in sizes],
            marker="o",
            label=name,
        )
        right.plot(xs, [results["sizes"][s]["stages"][name]["peak_rss_mb"] for s in sizes], marker="o", label=name)
    left.plot(
        xs,
        [1000 * results["sizes"][s]["bare_ner_s"] / results["sizes"][s]["articles"] for s in sizes],
        linestyle="--",
        color="black",
        label="bare nlp.pipe",
    )
    if all("streamed" in results["sizes"][s] for s in sizes):
        left.plot(
            xs,
            [1000 * results["sizes"][s]["articles"] ** -1 * results["sizes"][s]["streamed"]["night_s"] for s in sizes],
            color="black",
            marker="s",
            label="night, streamed (incl. publish)",
        )
    for axis, title, unit in ((left, "time per article", "ms per article"), (right, "peak RSS per stage", "MB")):
        axis.set_xscale("log")
        axis.set_title(title)
        axis.set_xlabel("articles in the night")
        axis.set_ylabel(unit)
        axis.grid(True, alpha=0.3)
    left.set_yscale("log")
    left.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(results: dict[str, Any], docs_file: Path) -> None:
    """docs/benchmarks.md and docs/benchmarks.png."""
    plot_path = docs_file.with_suffix(".png")
    plot(results, plot_path)
    docs_file.write_text(markdown(results, plot_path.name), encoding="utf-8")


def merge_section(out: Path, docs: Path | None, key: str, section: dict[str, Any]) -> dict[str, Any]:
    """Put one section's results into ``out`` under ``key`` (the other sections kept), refresh the targets
    and rewrite ``docs`` from them where the nights have been measured."""
    import json
    import os
    import time

    results = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    section["machine"] = {"cpus": os.cpu_count()}
    section["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results[key] = section
    if "sizes" in results:
        results["summary"] = summarize(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if docs is not None and "machine" in results and "sizes" in results:
        plot_file = docs.with_suffix(".png")
        docs.write_text(markdown(results, plot_file.name if plot_file.is_file() else None), encoding="utf-8")
    return section
