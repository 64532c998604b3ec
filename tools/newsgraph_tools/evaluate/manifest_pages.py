"""``newsgraph eval cleanup --pages DIR``: the cleanup on any page set in extraction-dev's manifest format,
beside trafilatura and jusText on the same pages, scored by :mod:`newsgraph_tools.evaluate.extraction_score`.

DIR holds ``manifest.jsonl`` (one page a line: ``id``, ``url``, ``gold_type``, the gold, and the inputs
``local_html`` and ``local_text_input`` relative to DIR; see ../shared/corpora/extraction-dev/README.md).
Two modes, each page given to every tool of the mode in turn so a busy machine slows them alike:

- ``html``: the raw page bytes; ours is ``clean_document`` as a fetched page (content type text/html),
  with the manifest's pages of one host taken as that site's pages of a night (as ``nightly.cleanup``
  does: paragraphs the site repeats across them go), against ``trafilatura.extract`` and jusText on the
  same bytes;
- ``text``: the page's visible-text dump; ours is ``clean_document`` as text/plain, with the manifest's
  pages of one host taken as that site's pages of a night (as ``nightly.cleanup`` does: lines the site
  repeats across them go), against jusText given the dump as one paragraph per line (trafilatura needs
  markup, so it runs in HTML mode only).

Every tool runs each page under the cleanup's per-page time budget; a page that fails, runs over or
returns nothing is reported with its reason and scores as an empty extraction (as score.py does).
Seconds are wall-clock time; CPU seconds (this process) are given too, as other jobs distort them less.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from newsgraph_tools.evaluate.cleanup import lines_as_html
from newsgraph_tools.evaluate.extraction_score import score_page, snippet_misses, summarize
from pipelines import progress
from pipelines.cleanup.budget import page_budget
from pipelines.cleanup.document import read_document
from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.profiles import ProfileRegistry
from pipelines.cleanup.site_lines import MIN_PAGES, SiteLines, count_sites, site_of
from pipelines.cleanup.site_paragraphs import drop_repeated, repeated_paragraphs

TEXT_TYPE = "text/plain"  # what a visible-text dump is read as, by ours and by the night's site lines

OURS = "newsgraph"
MODES = {"html": "local_html", "text": "local_text_input"}
WORST = 5

Extractor = Callable[[bytes, str | None], str]


class ManifestError(CleanupError):
    """The page folder has no usable manifest."""


def load_manifest(pages_dir: Path, every: int = 1) -> list[dict[str, Any]]:
    """The manifest's pages sorted by id; with ``every`` K, the 1st, (K+1)th, … of them (a fixed sample)."""
    path = Path(pages_dir) / "manifest.jsonl"
    if not path.is_file():
        raise ManifestError(f"{path}: no manifest (one JSON page a line, as in extraction-dev)")
    if every < 1:
        raise ManifestError(f"every {every}: expected 1 or more")
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, entry in enumerate(entries, 1):
        missing = {"id", "gold_type"} - set(entry)
        if missing:
            raise ManifestError(f"{path}:{number}: no {', '.join(sorted(missing))}")
    return sorted(entries, key=lambda entry: str(entry["id"]))[::every]


def _ours(
    content: bytes,
    url: str | None,
    *,
    content_type: str,
    profiles: ProfileRegistry | None,
    sites: Mapping[str, SiteLines] | None = None,
    paragraphs: Mapping[str, frozenset[str]] | None = None,
) -> str:
    from pipelines.cleanup import clean_document

    site = site_of(url) or ""
    clean = clean_document(content, content_type, url=url, profiles=profiles, site=(sites or {}).get(site))
    if paragraphs and site in paragraphs:
        clean = drop_repeated(clean, site, paragraphs[site])
    return clean.text


def night_view(
    tools: dict[str, Extractor],
    pages_dir: Path,
    entries: list[dict[str, Any]],
    mode: str = "text",
    budget_s: float | None = None,
) -> dict[str, Extractor]:
    """Ours as the night runs it: the manifest's pages of one host are that site's pages of a night, so
    ours also drops the lines the site repeats across its text dumps (``cleanup.site_lines``) or the
    paragraphs it repeats across its HTML pages (``cleanup.site_paragraphs``)."""
    ours = tools.get(OURS)
    if not (isinstance(ours, partial) and ours.func is _ours):
        return tools
    if mode == "html":
        paragraphs = _site_paragraphs(pages_dir, entries, ours.keywords.get("profiles"), budget_s)
        return {**tools, OURS: partial(ours, paragraphs=paragraphs)}
    pages = []
    for entry in entries:
        site = site_of(entry.get("url"))
        content, missing = _read_input(pages_dir / entry[MODES["text"]])
        if site is None or missing is not None:
            continue
        try:  # read as the night reads a page before counting its site's lines
            text, _is_html = read_document(content, TEXT_TYPE)
        except CleanupError:
            continue  # the cleanup itself reports why the page cannot be read
        pages.append((site, text))
    return {**tools, OURS: partial(ours, sites=count_sites(pages))}


def _site_paragraphs(
    pages_dir: Path, entries: list[dict[str, Any]], profiles: ProfileRegistry | None, budget_s: float | None
) -> dict[str, frozenset[str]]:
    """The paragraphs each host with enough pages repeats across them, from ours on each page first."""
    from pipelines.cleanup import clean_document

    hosts = Counter(site_of(entry.get("url")) for entry in entries)
    cleaned = []
    for entry in entries:
        site = site_of(entry.get("url"))
        if site is None or hosts[site] < MIN_PAGES:
            continue
        content, missing = _read_input(pages_dir / entry[MODES["html"]])
        if missing is not None:
            continue
        try:
            with page_budget(budget_s):
                clean = clean_document(content, "text/html", url=entry.get("url"), profiles=profiles)
        except CleanupError:
            continue  # the page's own run reports why
        cleaned.append((site, clean))
    return repeated_paragraphs(cleaned)


def _trafilatura(content: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(content, url=url, include_comments=False) or ""


def _justext(page: bytes) -> str:
    import justext

    paragraphs = justext.justext(page, justext.get_stoplist("German"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _justext_html(content: bytes, url: str | None) -> str:
    return _justext(content)


def _justext_text(content: bytes, url: str | None) -> str:
    return _justext(lines_as_html(content.decode("utf-8", "replace")).encode("utf-8"))


def extractors(profiles: ProfileRegistry | None = None) -> dict[str, dict[str, Extractor]]:
    """The tools of each mode, ours first."""
    return {
        "html": {
            OURS: partial(_ours, content_type="text/html", profiles=profiles),
            "trafilatura": _trafilatura,
            "justext": _justext_html,
        },
        "text": {
            OURS: partial(_ours, content_type=TEXT_TYPE, profiles=profiles),
            "justext": _justext_text,
        },
    }


def run_page(extract: Extractor, content: bytes, url: str | None, budget_s: float | None) -> dict[str, Any]:
    """One tool on one page within the budget: its output (None on failure), error, wall and CPU seconds."""
    output: str | None = None
    error: str | None = None
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        with page_budget(budget_s):
            output = extract(content, url)
    except Exception as exc:  # a failing page is reported and scored empty, never fatal
        error = f"{type(exc).__name__}: {exc}"[:300]
    if output is not None and not output.strip() and error is None:
        error = "empty output"
    return {
        "output": output,
        "error": error,
        "seconds": time.perf_counter() - wall,
        "cpu_seconds": time.process_time() - cpu,
    }


def _page_row(entry: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    score = score_page(entry, run["output"])
    return {
        "id": entry["id"],
        "error": run["error"],
        "seconds": round(run["seconds"], 4),
        "cpu_seconds": round(run["cpu_seconds"], 4),
        "out_chars": len(run["output"] or ""),
        **score,
        **snippet_misses(entry, run["output"]),
    }


def _tool_report(entries: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    slowest = max(rows, key=lambda row: (row["seconds"], row["id"]), default=None)
    count = max(1, len(rows))
    return {
        "pages": len(rows),
        "scores": summarize(zip(entries, rows, strict=True)),
        "seconds_per_page": round(sum(row["seconds"] for row in rows) / count, 4),
        "cpu_seconds_per_page": round(sum(row["cpu_seconds"] for row in rows) / count, 4),
        "slowest": {key: slowest[key] for key in ("id", "seconds", "cpu_seconds")} if slowest else None,
        "failed": [{"id": row["id"], "error": row["error"]} for row in rows if row["error"]],
        "per_page": rows,
    }


def worst_pages(rows: list[dict[str, Any]], count: int = WORST) -> list[dict[str, Any]]:
    """The lowest-scoring pages (most wrong snippets first among equals), with what went wrong."""
    ranked = sorted(rows, key=lambda row: (row["f1"], -len(row["missing"]) - len(row["leaked"]), row["id"]))
    keys = ("id", "f1", "p", "r", "error", "missing", "leaked")
    return [{key: row[key] for key in keys} for row in ranked[:count]]


def evaluate_manifest(
    pages_dir: Path,
    *,
    profiles: ProfileRegistry | None = None,
    budget_s: float | None = None,
    every: int = 1,
    modes: Sequence[str] = tuple(MODES),
    tools: dict[str, dict[str, Extractor]] | None = None,
) -> dict[str, Any]:
    """Every page of the manifest through every tool of each mode; scores, times and failures per tool."""
    pages_dir = Path(pages_dir)
    entries = load_manifest(pages_dir, every)
    tools = tools or extractors(profiles)
    unknown = set(modes) - set(MODES)
    if unknown:
        raise ManifestError(f"unknown mode(s) {', '.join(sorted(unknown))}: choose from {', '.join(MODES)}")
    report: dict[str, Any] = {"pages_dir": str(pages_dir), "pages": len(entries), "every": every, "modes": {}}
    for mode in modes:
        field = MODES[mode]
        chosen = [entry for entry in entries if entry.get(field)]
        mode_tools = night_view(tools[mode], pages_dir, chosen, mode, budget_s)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in mode_tools}
        _warm_up(mode_tools, pages_dir, chosen, field, budget_s)
        for entry in progress.track(chosen, f"eval {mode}", unit="pages"):
            content, missing = _read_input(pages_dir / entry[field])
            for name, extract in mode_tools.items():
                run = missing or run_page(extract, content, entry.get("url"), budget_s)
                runs[name].append(_page_row(entry, run))
        report["modes"][mode] = {
            "pages": len(chosen),
            "tools": {name: _tool_report(chosen, rows) for name, rows in runs.items()},
        }
        if OURS in runs:
            report["modes"][mode]["worst"] = worst_pages(runs[OURS])
    return report


def _read_input(path: Path) -> tuple[bytes, dict[str, Any] | None]:
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return b"", {"output": None, "error": f"unreadable input: {exc}", "seconds": 0.0, "cpu_seconds": 0.0}


def _warm_up(
    tools: dict[str, Extractor], pages_dir: Path, entries: list[dict[str, Any]], field: str, budget_s: float | None
) -> None:
    """Run each tool once before timing: loading models and imports is not a per-page cost."""
    for entry in entries[:1]:
        content, missing = _read_input(pages_dir / entry[field])
        if missing is None:
            for extract in tools.values():
                run_page(extract, content, entry.get("url"), budget_s)


def format_summary(report: dict[str, Any]) -> str:
    """One screen: per mode and tool micro P/R/F1, pages, failures, seconds per page and the slowest page;
    our worst pages."""
    lines = [f"cleanup on {report['pages']} pages of {report['pages_dir']}" + _sample_note(report), _HEADER]
    for mode, run in report["modes"].items():
        for name, tool in run["tools"].items():
            lines += _tool_lines(mode, name, tool)
        for row in run.get("worst", []):
            wrong = f"{len(row['missing'])} missing, {len(row['leaked'])} leaked"
            error = f"; {row['error'].split(':')[0]}" if row["error"] else ""
            lines.append(f"{mode:<5}worst of {OURS}: F1 {row['f1']:.3f}  {row['id']}  ({wrong}{error})")
    lines.append("P/R/F1 micro (pooled snippets); failed: crashed, over the time budget or empty; s: wall clock")
    return "\n".join(lines)


_HEADER = (
    f"{'mode':<5}{'tool':<12}{'gold':<9}{'P':>6}{'R':>6}{'F1':>6}{'macroF1':>8}{'pages':>6}{'failed':>7}"
    f"{'s/page':>7}{'CPU':>7}  slowest page"
)


def _tool_lines(mode: str, name: str, tool: dict[str, Any]) -> list[str]:
    slowest = tool["slowest"] or {"id": "-", "seconds": 0.0, "cpu_seconds": 0.0}
    lines = []
    for gold_type, score in tool["scores"].items():
        micro, macro = score["micro"], score["macro"]
        lines.append(
            f"{mode:<5}{name:<12}{gold_type:<9}{micro['p']:>6.3f}{micro['r']:>6.3f}{micro['f1']:>6.3f}"
            f"{macro['f1']:>8.3f}{tool['pages']:>6}{len(tool['failed']):>7}"
            f"{tool['seconds_per_page']:>7.3f}{tool['cpu_seconds_per_page']:>7.3f}"
            f"  {slowest['seconds']:.2f} s ({slowest['cpu_seconds']:.2f} CPU) {slowest['id']}"
        )
    return lines


def summary_line(report: dict[str, Any]) -> str:
    """The micro F1 of every tool in every mode on one line."""
    parts = []
    for mode, run in report["modes"].items():
        scores = []
        for name, tool in run["tools"].items():
            f1 = "/".join(f"{score['micro']['f1']:.3f}" for score in tool["scores"].values())
            scores.append(f"{name} {f1 or '-'}")
        parts.append(f"{mode} F1 " + ", ".join(scores))
    return f"cleanup on {report['pages']} pages: " + "; ".join(parts)


def _sample_note(report: dict[str, Any]) -> str:
    return f" (every {report['every']}-th page of the sorted manifest)" if report["every"] > 1 else ""
