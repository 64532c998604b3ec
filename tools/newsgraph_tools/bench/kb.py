"""``newsgraph bench --sections kb``: the Wikidata dump ingest and linking against a 1M-entity index.

The synthetic dump is in the real line format, made from the recorded entity shapes in
../shared/wikidata-api (Putin's person shape, Bielefeld's city shape, Moscow's labels-only shape,
and Bielefeld's shape without P31 for the items a news graph does not keep), trimmed to a few claims
each, with synthetic ids and names recombined from the German labels of ../shared/kb.
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsgraph_tools.bench.runner import _run_child
from pipelines import progress
from pipelines.kb.dump import DumpOptions, ingest_dump

MIX = (("person", 0.58), ("place", 0.35), ("unclassed", 0.05), ("labels_only", 0.02))
FULL_DUMP_ITEMS = 110_000_000
_CLAIMS_KEPT = 3
_SITELINKS_KEPT = 20


def _trim(entity: dict[str, Any], languages: tuple[str, ...]) -> dict[str, Any]:
    item = copy.deepcopy(entity)
    for key in ("labels", "descriptions", "aliases"):
        item[key] = {lang: value for lang, value in (item.get(key) or {}).items() if lang in languages}
    for lang in list(item["aliases"]):
        item["aliases"][lang] = item["aliases"][lang][:3]
    claims = item.get("claims") or {}
    keep = ["P31", *[p for p in claims if p != "P31"][:_CLAIMS_KEPT]]
    item["claims"] = {p: claims[p][:1] for p in keep if p in claims}
    item["sitelinks"] = dict(list((item.get("sitelinks") or {}).items())[:_SITELINKS_KEPT])
    return item


def templates(shared_dir: Path) -> dict[str, str]:
    """kind → one line of JSON with ``__QID__``, ``__DE__`` and ``__EN__`` where the id and names go."""
    api = shared_dir / "wikidata-api"
    putin = json.loads((api / "nomenklatura__wbgetentities_Q7747_full.json").read_text())["entities"]["Q7747"]
    bielefeld = json.loads((api / "wikibase-sdk__Q2112.json").read_text())
    moscow = json.loads((api / "nomenklatura__wbgetentities_Q649_labels.json").read_text())["entities"]["Q649"]
    person = _trim(putin, ("en", "de", "ru"))
    place = _trim(bielefeld, ("de", "en", "fr", "ru"))
    unclassed = copy.deepcopy(place)
    unclassed["claims"].pop("P31", None)
    shapes = {"person": person, "place": place, "unclassed": unclassed, "labels_only": copy.deepcopy(moscow)}
    lines = {}
    for kind, shape in shapes.items():
        shape["id"] = "__QID__"
        shape.setdefault("labels", {})["de"] = {"language": "de", "value": "__DE__"}
        shape["labels"]["en"] = {"language": "en", "value": "__EN__"}
        lines[kind] = json.dumps(shape, ensure_ascii=False, separators=(",", ":"))
    return lines


def name_parts(shared_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """Given names, surnames (from two-word person labels) and place names of ../shared/kb/entities.jsonl."""
    given: set[str] = set()
    surnames: set[str] = set()
    places: set[str] = set()
    for line in (shared_dir / "kb" / "entities.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        label = row.get("label_de") or row.get("label_en")
        if not label:
            continue
        if row.get("type") == "PER" and len(label.split()) == 2:
            first, last = label.split()
            given.add(first)
            surnames.add(last)
        elif row.get("type") in ("LOC", "GPE"):
            places.add(label)
    return sorted(given), sorted(surnames), sorted(places)


def write_synthetic_dump(path: Path, lines: int, shared_dir: Path, *, seed: int = 14) -> dict[str, Any]:
    """A gzipped dump of ``lines`` entity lines (plus "[" and "]"); its size and mix."""
    rng = random.Random(seed)
    shapes = templates(shared_dir)
    given, surnames, places = name_parts(shared_dir)
    quarters = ("", "", " Nord", " Süd", " West", " Ost", "-Mitte", " am See", " an der Ruhr")
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    counts = dict.fromkeys(kinds, 0)
    started = time.perf_counter()
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(b"[\n")
        batch: list[str] = []
        for n in progress.track(range(lines), "synthetic dump", unit="lines"):
            kind = rng.choices(kinds, weights)[0]
            counts[kind] += 1
            if kind == "person":
                name = f"{rng.choice(given)} {rng.choice(surnames)}"
            else:
                name = rng.choice(places) + rng.choice(quarters)
            escaped = json.dumps(name, ensure_ascii=False)[1:-1]
            line = shapes[kind].replace("__QID__", f"Q{1_000_000 + n}").replace("__DE__", escaped)
            batch.append(line.replace("__EN__", escaped) + ("," if n < lines - 1 else ""))
            if len(batch) >= 10_000:
                handle.write(("\n".join(batch) + "\n").encode())
                batch = []
        if batch:
            handle.write(("\n".join(batch) + "\n").encode())
        handle.write(b"]\n")
    return {
        "lines": lines,
        "mix": counts,
        "gz_bytes": path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 1),
        "template_bytes": {k: len(v) for k, v in shapes.items()},
    }


class _TreeRss:
    """Peak of the summed RSS of this process and its children (the dump workers), sampled."""

    def __init__(self, interval_s: float = 0.2) -> None:
        self.interval_s = interval_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss_kb(pid: str) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _tree_mb(self) -> float:
        me = str(os.getpid())
        total = self._rss_kb(me)
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                total += self._rss_kb(stat.parent.name)
        return total / 1024

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.peak_mb = max(self.peak_mb, self._tree_mb())

    def __enter__(self) -> _TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _build_index_child(rows: Path | None, out: Path, log: Path) -> dict[str, Any]:
    """build_index in its own process: wall time and that process's peak RSS."""
    stats_file = out.with_suffix(".json")
    extra = f"[Path({str(rows)!r})]" if rows else "[]"
    code = (
        "import json, sys; from pathlib import Path; from pipelines.kb import build_index; "
        f"stats = build_index(Path({str(out)!r}), extra_sources={extra}); "
        f"Path({str(stats_file)!r}).write_text(json.dumps(stats))"
    )
    child = _run_child([sys.executable, "-c", code], dict(os.environ), log)
    stats = json.loads(stats_file.read_text())
    return {**child, "entities": stats["entities"], "names": stats["names"], "size_bytes": stats["size_bytes"]}


def parse_comparison(dump: Path, *, lines: int = 20_000) -> dict[str, Any]:
    """Seconds to parse the same dump lines with json and with orjson (one core): why orjson is used."""
    import orjson

    sample: list[bytes] = []
    with gzip.open(dump, "rb") as handle:
        for raw in handle:
            line = raw.strip().rstrip(b",")
            if line not in (b"[", b"]", b""):
                sample.append(line)
            if len(sample) >= lines:
                break
    timings: dict[str, float | None] = {}
    for name, loads in (("json", json.loads), ("orjson", orjson.loads)):
        started = time.perf_counter()
        for line in sample:
            loads(line)
        timings[f"{name}_s"] = round(time.perf_counter() - started, 3)
    timings["lines"] = len(sample)
    plain, fast = timings["json_s"] or 0.0, timings["orjson_s"] or 0.0
    timings["orjson_speedup"] = round(plain / fast, 2) if fast else None
    return timings


def linking_cost(index: Path, shared_dir: Path, *, rounds: int = 3) -> dict[str, Any]:
    """ms per gold mention with a fresh index connection and linker (cold caches) per round, and warm."""
    from newsgraph_tools.evaluate.linking import gold_mentions, load_gold
    from pipelines.kb import KnowledgeBase
    from pipelines.linking import Linker

    articles = load_gold(shared_dir / "gold" / "entities", shared_dir / "gold" / "cleanup")
    work = [(a.text, gold_mentions(a)) for a in articles]
    mentions = sum(len(m) for _, m in work)
    cold, warm = [], []
    linked: set[str] = set()
    for _ in range(rounds):
        linker = Linker(KnowledgeBase(index))
        started = time.perf_counter()
        result = [linker.link(text, found) for text, found in work]
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        for text, found in work:
            linker.link(text, found)
        warm.append(time.perf_counter() - started)
        linked = {m.qid for doc in result for m in doc if m.qid}
        linker.kb.close()
    return {
        "articles": len(work),
        "mentions": mentions,
        "cold_ms_per_mention": round(1000 * statistics.median(cold) / mentions, 3),
        "warm_ms_per_mention": round(1000 * statistics.median(warm) / mentions, 3),
        "linked_distinct_qids": len(linked),
    }


def run_kb_bench(
    shared_dir: Path, work_dir: Path, *, lines: int = 1_100_000, workers: int = 0, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Generate, ingest, index and link; every number the kb section of the report shows."""
    work_dir.mkdir(parents=True, exist_ok=True)
    dump = work_dir / "synthetic-latest-all.json.gz"
    log(f"kb: writing a synthetic dump of {lines:,} lines")
    generated = write_synthetic_dump(dump, lines, shared_dir)
    rows = work_dir / "wikidata-dump.jsonl"
    log("kb: ingesting it")
    with _TreeRss() as rss:
        report = ingest_dump(dump, rows, DumpOptions(workers=workers, progress=progress.active()))
    rate = report["entities_per_s"] or 0.0
    parsing = parse_comparison(dump)
    ingest = {
        **{k: report[k] for k in ("entities_read", "kept", "kept_by_type", "workers", "seconds", "entities_per_s")},
        "input_gz_bytes": report["input_bytes"],
        "decompressed_bytes": report["decompressed_bytes"],
        "decompressed_mb_per_s": round(report["decompressed_bytes"] / 1e6 / report["seconds"], 1),
        "output_bytes": report["output_bytes"],
        "peak_rss_mb_all_processes": round(rss.peak_mb, 1),
        "extrapolated_full_dump_hours": round(FULL_DUMP_ITEMS / rate / 3600, 2) if rate else None,
    }
    log("kb: building the default index and the index with the dump rows")
    default = _build_index_child(None, work_dir / "default.sqlite", work_dir / "default-index.log")
    big = _build_index_child(rows, work_dir / "dump.sqlite", work_dir / "dump-index.log")
    log("kb: linking the gold mentions against both")
    return {
        "synthetic_dump": generated,
        "ingest": ingest,
        "parsing": parsing,
        "index_default": default,
        "index_with_dump": big,
        "linking_default": linking_cost(work_dir / "default.sqlite", shared_dir),
        "linking_with_dump": linking_cost(work_dir / "dump.sqlite", shared_dir),
        "full_dump_items_assumed": FULL_DUMP_ITEMS,
    }


def kb_bench_command(settings: Any, out: Path, docs: Path | None, *, lines: int) -> dict[str, Any]:
    """Run the kb section, merge it into ``out`` as "kb_dump" (other sections kept) and rewrite ``docs``."""
    import shutil
    import tempfile

    from newsgraph_tools.bench.report import merge_section

    if not settings.shared_dir.is_dir():
        raise ValueError(f"the kb benchmark needs the recorded entities in {settings.shared_dir} (NEWSGRAPH_SHARED)")
    work = Path(tempfile.mkdtemp(prefix="newsgraph-bench-kb-"))
    try:
        section = run_kb_bench(settings.shared_dir, work, lines=lines, log=lambda m: progress.write(f"bench: {m}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return merge_section(out, docs, "kb_dump", section)
