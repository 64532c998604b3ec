"""The scorer of ../shared/corpora/extraction-dev (its ``score.py``), ported so any manifest in that format
is scored the same way without importing code from the shared folder.

Per page, by the manifest's ``gold_type``:

- ``snippets`` (trafilatura's own evaluation): each ``with`` snippet found in the output is a true positive,
  missing a false negative; each ``without`` snippet found a false positive, absent a true negative.
  A snippet is found when it is a substring of the output after white-space normalisation.
- ``fulltext``: bag of lower-cased ``\\w+`` tokens; overlap is the multiset intersection with ``gold_text``.

Summaries: macro is the mean of the per-page P/R/F1, micro comes from pooled counts (trafilatura reports
micro for snippets). A crash, a timeout or an empty output scores as an empty extraction (``None``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

_TOKEN = re.compile(r"\w+", re.UNICODE)
GOLD_TYPES = ("snippets", "fulltext")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_page(entry: dict[str, Any], output: str | None) -> dict[str, Any]:
    """Counts and P/R/F1 of one page's output against its gold."""
    output = output or ""
    if entry["gold_type"] == "snippets":
        out = norm(output)
        tp = sum(1 for snippet in entry["with"] if norm(snippet) in out)
        fp = sum(1 for snippet in entry["without"] if norm(snippet) in out)
        fn = len(entry["with"]) - tp
        tn = len(entry["without"]) - fp
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "p": p, "r": r, "f1": _f1(p, r)}
    gold = Counter(token.lower() for token in _TOKEN.findall(entry["gold_text"]))
    pred = Counter(token.lower() for token in _TOKEN.findall(output))
    overlap = sum((gold & pred).values())
    npred, ngold = sum(pred.values()), sum(gold.values())
    p = overlap / npred if npred else 0.0
    r = overlap / ngold if ngold else 0.0
    return {"overlap": overlap, "npred": npred, "ngold": ngold, "p": p, "r": r, "f1": _f1(p, r)}


def summarize(rows: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """(entry, score) pairs -> {gold type: {n, macro, micro}} for the gold types present."""
    rows = list(rows)
    result: dict[str, Any] = {}
    for gold_type in GOLD_TYPES:
        scores = [score for entry, score in rows if entry["gold_type"] == gold_type]
        if not scores:
            continue
        n = len(scores)
        macro = {key: sum(s[key] for s in scores) / n for key in ("p", "r", "f1")}
        micro: dict[str, float]
        if gold_type == "snippets":
            tp, fp, fn, tn = (sum(s[key] for s in scores) for key in ("tp", "fp", "fn", "tn"))
            mp = tp / (tp + fp) if tp + fp else 0.0
            mr = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            micro = {"p": mp, "r": mr, "f1": f1, "acc": (tp + tn) / (tp + fp + fn + tn)}
        else:
            overlap, npred, ngold = (sum(s[key] for s in scores) for key in ("overlap", "npred", "ngold"))
            mp = overlap / npred if npred else 0.0
            mr = overlap / ngold if ngold else 0.0
            micro = {"p": mp, "r": mr, "f1": _f1(mp, mr)}
        result[gold_type] = {"n": n, "macro": macro, "micro": micro}
    return result


def snippet_misses(entry: dict[str, Any], output: str | None) -> dict[str, list[str]]:
    """The ``with`` snippets an output lacks and the ``without`` snippets it keeps (what the counts count)."""
    if entry["gold_type"] != "snippets":
        return {"missing": [], "leaked": []}
    out = norm(output or "")
    return {
        "missing": [snippet for snippet in entry["with"] if norm(snippet) not in out],
        "leaked": [snippet for snippet in entry["without"] if norm(snippet) in out],
    }
