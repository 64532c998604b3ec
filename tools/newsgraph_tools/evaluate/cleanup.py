"""Scoring the cleanup stage against the gold, side by side with plain trafilatura and jusText.

- ``evaluate_cleanup``: per seed, token precision/recall/F1 of the kept text, gold-removed lines that
  leak into the output, block typing, removal categories and metadata; the same token scores and
  leaks for trafilatura and jusText given the same input (each line as an HTML paragraph).
- ``evaluate_pages``: the saved HTML pages' must / must-not snippets for all three cleaners.
- ``measure_speed``: HTML mode per page against trafilatura on the same pages, text mode in MB/s.

Run ``python -m newsgraph_tools.evaluate.cleanup [--shared ../shared]`` for a printed report.
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsgraph_tools.checkout import CHECKOUT, SHARED
from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.html_mode import clean_html
from pipelines.cleanup.profiles import ProfileRegistry
from pipelines.cleanup.text_mode import clean_text
from pipelines.domain import CleanDocument

_TOKEN = re.compile(r"\w+|[^\w\s]")
MIN_LEAK_CHARS = 8  # gold-removed lines shorter than this ("0", "Live") are not counted as leaks
PAGES_DIR = CHECKOUT / "tests" / "cleanup" / "pages"


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text))


def token_scores(output: str, gold: str) -> dict[str, float]:
    """Bag-of-tokens precision, recall and F1 of ``output`` against ``gold``."""
    ours, theirs = tokens(output), tokens(gold)
    overlap = sum((ours & theirs).values())
    precision = overlap / max(1, sum(ours.values()))
    recall = overlap / max(1, sum(theirs.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def leaks(output: str, gold: dict[str, Any]) -> list[str]:
    """Gold-removed lines (of MIN_LEAK_CHARS+ characters) that are still in the output."""
    found = []
    for removal in gold["removed"]:
        text = removal["text"].strip()
        if len(text) >= MIN_LEAK_CHARS and text in output:
            found.append(text)
    return found


def lines_as_html(text: str) -> str:
    """A text dump as the simplest HTML page (one paragraph per line), for the HTML extractors."""
    paragraphs = "".join(f"<p>{html_lib.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip())
    head = '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"></head>'
    return f"{head}<body><article>\n{paragraphs}</article></body></html>"


def trafilatura_text(page: str, url: str | None = None) -> str:
    import trafilatura

    return trafilatura.extract(page, url=url, include_comments=False) or ""


def justext_text(page: str, url: str | None = None) -> str:
    import justext

    paragraphs = justext.justext(page.encode("utf-8"), justext.get_stoplist("German"), encoding="utf-8")
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


BASELINES: dict[str, Callable[[str, str | None], str]] = {
    "trafilatura": trafilatura_text,
    "justext": justext_text,
}


def _seed_report(doc: CleanDocument, gold: dict[str, Any]) -> dict[str, Any]:
    gold_text = "\n\n".join(b["text"] for b in gold["blocks"])
    output = doc.text
    ours_by_line = {(r.line, r.category) for r in doc.removed}
    removed_lines = {r.line for r in doc.removed}
    categories: dict[str, list[int]] = {}
    for removal in gold["removed"]:
        right = (removal["line"], removal["category"]) in ours_by_line
        counts = categories.setdefault(removal["category"], [0, 0])
        counts[0] += int(right)
        counts[1] += 1
    typed = [b for b in gold["blocks"] if b["type"] in ("title", "lead", "heading")]
    ours_types = {b.text: b.type for b in doc.blocks}
    typed_right = sum(ours_types.get(b["text"]) == b["type"] for b in typed)
    metadata_right = sum(doc.metadata.get(k) == v for k, v in gold["metadata"].items())
    return {
        "tokens": token_scores(output, gold_text),
        "leaked": leaks(output, gold),
        "blocks_exact": [(b.type, b.text) for b in doc.blocks] == [(b["type"], b["text"]) for b in gold["blocks"]],
        "typed": [typed_right, len(typed)],
        "removals_in_gold_category": [sum(c[0] for c in categories.values()), len(gold["removed"])],
        "gold_removals_removed": sum(r["line"] in removed_lines for r in gold["removed"]),
        "categories": categories,
        "metadata": [metadata_right, len(gold["metadata"])],
    }


def evaluate_cleanup(
    seeds_dir: Path, gold_dir: Path, profiles: ProfileRegistry | None = None, *, baselines: bool = True
) -> dict[str, Any]:
    """Score clean_text on every seed with a gold file; totals; trafilatura and jusText alongside."""
    seeds_dir, gold_dir = Path(seeds_dir), Path(gold_dir)
    gold_files = sorted(gold_dir.glob("*.json"))
    if not gold_files:
        raise CleanupError(f"no gold files (*.json) in {gold_dir}")
    per_seed: dict[str, Any] = {}
    side: dict[str, dict[str, Any]] = {name: {} for name in BASELINES} if baselines else {}
    for gold_path in gold_files:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (seeds_dir / gold["file"]).read_text(encoding="utf-8")
        doc = clean_text(text, profiles=profiles)
        per_seed[gold["file"]] = _seed_report(doc, gold)
        gold_text = "\n\n".join(b["text"] for b in gold["blocks"])
        page = lines_as_html(text)
        for name in side:
            output = BASELINES[name](page, None)
            side[name][gold["file"]] = {
                "tokens": token_scores(output, gold_text),
                "leaked": leaks(output, gold),
            }
    totals = _totals(per_seed)
    return {
        "seeds": per_seed,
        "totals": totals,
        "baselines": {name: {"seeds": runs, "totals": _totals(runs)} for name, runs in side.items()},
    }


def _totals(runs: dict[str, Any]) -> dict[str, Any]:
    f1s = [r["tokens"]["f1"] for r in runs.values()]
    totals: dict[str, Any] = {
        "min_f1": min(f1s),
        "mean_f1": round(sum(f1s) / len(f1s), 4),
        "leaked_lines": sum(len(r["leaked"]) for r in runs.values()),
    }
    if all("typed" in r for r in runs.values()):
        right = sum(r["removals_in_gold_category"][0] for r in runs.values())
        total = sum(r["removals_in_gold_category"][1] for r in runs.values())
        per_category: dict[str, list[int]] = {}
        for run in runs.values():
            for category, (ok, count) in run["categories"].items():
                slot = per_category.setdefault(category, [0, 0])
                slot[0] += ok
                slot[1] += count
        totals.update(
            {
                "typed": [
                    sum(r["typed"][0] for r in runs.values()),
                    sum(r["typed"][1] for r in runs.values()),
                ],
                "category_accuracy": round(right / max(1, total), 4),
                "category_recall": {c: round(ok / n, 4) for c, (ok, n) in sorted(per_category.items())},
                "blocks_exact": sum(bool(r["blocks_exact"]) for r in runs.values()),
                "metadata": [
                    sum(r["metadata"][0] for r in runs.values()),
                    sum(r["metadata"][1] for r in runs.values()),
                ],
            }
        )
        totals["done"] = bool(
            totals["min_f1"] >= 0.99
            and totals["leaked_lines"] == 0
            and totals["typed"][0] == totals["typed"][1]
            and totals["category_accuracy"] >= 0.9
        )
    return totals


def load_pages(pages_dir: Path = PAGES_DIR, kind: str = "html") -> list[tuple[str, str, dict[str, Any]]]:
    """(name, content, expectations) for every saved page (``kind`` "html" or "txt") with its .json."""
    pages = []
    for path in sorted(Path(pages_dir).glob(f"*.{kind}")):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append((path.stem, path.read_text(encoding="utf-8"), expected))
    return pages


def check_page(output: str, expected: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "missing": [s for s in expected.get("must", []) if s not in output],
        "leaked": [s for s in expected.get("must_not", []) if s in output],
    }


def clean_page(
    content: str, kind: str, url: str | None = None, profiles: ProfileRegistry | None = None
) -> CleanDocument:
    """Our cleaner on a saved page of either kind."""
    if kind == "html":
        return clean_html(content, url=url, profiles=profiles)
    return clean_text(content, url=url, profiles=profiles)


def evaluate_pages(pages_dir: Path = PAGES_DIR, profiles: ProfileRegistry | None = None) -> dict[str, Any]:
    """Must / must-not snippets of the saved pages (HTML, and text dumps given to the HTML extractors
    as one paragraph per line): ours, trafilatura and jusText."""
    results: dict[str, Any] = {"ours": {}, **{name: {} for name in BASELINES}}
    snippets = 0
    for kind in ("html", "txt"):
        for name, content, expected in load_pages(pages_dir, kind):
            url = expected.get("url")
            snippets += len(expected.get("must", [])) + len(expected.get("must_not", []))
            results["ours"][name] = check_page(clean_page(content, kind, url, profiles).text, expected)
            page = content if kind == "html" else lines_as_html(content)
            for baseline, run in BASELINES.items():
                results[baseline][name] = check_page(run(page, url), expected)
    summary = {}
    for cleaner, pages in results.items():
        failures = sum(len(r["missing"]) + len(r["leaked"]) for r in pages.values())
        summary[cleaner] = {"snippets_ok": snippets - failures, "snippets": snippets}
    return {"pages": results, "summary": summary}


def measure_speed(
    pages_dir: Path = PAGES_DIR,
    texts: list[str] | None = None,
    *,
    repeats: int = 20,
    text_bytes: int = 2_000_000,
) -> dict[str, float]:
    """HTML mode against trafilatura.extract on the same pages (interleaved, per page), and text mode
    throughput in MB/s over ``texts`` (default: the pages' extracted texts) until ``text_bytes``.
    Times are CPU time of this process (``time.process_time``), so other jobs on a shared machine
    distort them less than wall-clock time would."""
    import trafilatura

    pages = [(page, expected.get("url")) for _name, page, expected in load_pages(pages_dir)]
    if not pages:
        raise CleanupError(f"no pages to time in {pages_dir}")
    ours = theirs = 0.0
    for page, url in pages:  # warm-up: model loading and caches are not per-page costs
        clean_html(page, url=url)
        trafilatura.extract(page, url=url)
    for _ in range(repeats):
        for page, url in pages:
            start = time.process_time()
            trafilatura.extract(page, url=url)
            middle = time.process_time()
            clean_html(page, url=url)
            ours += time.process_time() - middle
            theirs += middle - start
    runs = repeats * len(pages)
    samples = texts or [clean_html(page, url=url).text for page, url in pages]
    done = 0
    start = time.process_time()
    while done < text_bytes:
        for text in samples:
            clean_text(text)
            done += len(text.encode("utf-8"))
    elapsed = time.process_time() - start
    return {
        "html_ms_per_page": round(ours / runs * 1000, 3),
        "trafilatura_ms_per_page": round(theirs / runs * 1000, 3),
        "html_ratio": round(ours / theirs, 3),
        "text_mb_per_s": round(done / elapsed / 1e6, 3),
    }


def format_report(result: dict[str, Any]) -> str:
    """A compact table of ``evaluate_cleanup`` output for the terminal."""
    header = f"{'seed':<29} F1     P      R      leaks typed  cat    | trafilatura F1/leaks | jusText"
    lines = [header]
    for seed, run in result["seeds"].items():
        side = [result["baselines"][b]["seeds"][seed] for b in result["baselines"]]
        extra = " | ".join(f"{s['tokens']['f1']:.3f}/{len(s['leaked'])}" for s in side)
        scores = run["tokens"]
        lines.append(
            f"{seed:<29} {scores['f1']:.3f}  {scores['precision']:.3f}  {scores['recall']:.3f}"
            f"  {len(run['leaked']):>5} {run['typed'][0]}/{run['typed'][1]:<4}"
            f" {run['removals_in_gold_category'][0]}/{run['removals_in_gold_category'][1]:<4} | {extra}"
        )
    lines.append("totals: " + json.dumps(result["totals"], ensure_ascii=False))
    for name, side in result["baselines"].items():
        lines.append(f"{name}: " + json.dumps(side["totals"], ensure_ascii=False))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Evaluate the cleanup stage against the gold and baselines")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--speed", action="store_true", help="also time HTML and text mode")
    args = parser.parse_args(argv)
    result = evaluate_cleanup(args.shared / "seeds", args.shared / "gold" / "cleanup")
    print(format_report(result))
    print("pages: " + json.dumps(evaluate_pages()["summary"]))
    if args.speed:
        seeds = [p.read_text(encoding="utf-8") for p in sorted((args.shared / "seeds").glob("*.txt"))]
        print("speed: " + json.dumps(measure_speed(texts=seeds or None)))


if __name__ == "__main__":
    main()
