"""Where an NER model goes wrong: a span confusion table and the most frequent errors.

F1 says how much is wrong; this says what. Every gold span lands in exactly one cell of its row
(the predicted label of a span with the same boundaries, ``boundary`` when a predicted span only
overlaps it, ``missed`` when nothing does), and every predicted span in exactly one cell of its
column (a gold row, the ``boundary`` row, or the ``spurious`` row), so the rows add up to the gold
counts and the columns to the predicted counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from pipelines.domain import ENTITY_LABELS

Span3 = tuple[int, int, str]
NO_ENTITY = "O"
BOUNDARY = "boundary"
MISSED = "missed"
SPURIOUS = "spurious"


@dataclass(frozen=True, order=True)
class SpanError:
    """One kind of mistake on one surface text; ``predicted_text`` only for boundary errors."""

    kind: str  # "type", "boundary", "missed" or "spurious"
    text: str  # the gold span's text (the predicted span's for spurious ones)
    gold: str  # gold label, or O
    predicted: str  # predicted label(s), or O
    predicted_text: str | None = None


def _overlapping(span: Span3, others: Sequence[Span3]) -> list[Span3]:
    return sorted(o for o in others if o[0] < span[1] and span[0] < o[1])


def analyse_document(text: str, gold: set[Span3], pred: set[Span3]) -> tuple[Counter[tuple[str, str]], list[SpanError]]:
    """(confusion cells as (row, column) counts, errors) of one document."""
    cells: Counter[tuple[str, str]] = Counter()
    errors: list[SpanError] = []
    pred_label = {(a, b): t for a, b, t in pred}
    gold_bounds = {(a, b) for a, b, _ in gold}
    pred_list, gold_list = sorted(pred), sorted(gold)
    for a, b, label in gold_list:
        surface = text[a:b]
        if (a, b) in pred_label:
            predicted = pred_label[(a, b)]
            cells[(label, predicted)] += 1
            if predicted != label:
                errors.append(SpanError("type", surface, label, predicted))
            continue
        overlapping = _overlapping((a, b, label), pred_list)
        if overlapping:
            cells[(label, BOUNDARY)] += 1
            predicted_text = " | ".join(text[x:y] for x, y, _ in overlapping)
            predicted = "/".join(dict.fromkeys(t for _, _, t in overlapping))
            errors.append(SpanError(BOUNDARY, surface, label, predicted, predicted_text))
        else:
            cells[(label, MISSED)] += 1
            errors.append(SpanError(MISSED, surface, label, NO_ENTITY))
    for a, b, label in pred_list:
        if (a, b) in gold_bounds:
            continue
        if _overlapping((a, b, label), gold_list):
            cells[(BOUNDARY, label)] += 1
        else:
            cells[(SPURIOUS, label)] += 1
            errors.append(SpanError(SPURIOUS, text[a:b], NO_ENTITY, label))
    return cells, errors


def analyse(
    texts: Sequence[str],
    gold: Sequence[set[Span3]],
    pred: Sequence[set[Span3]],
    labels: Sequence[str] = ENTITY_LABELS,
    top: int = 20,
) -> dict[str, Any]:
    """Confusion table, error counts by kind and the ``top`` most frequent errors (ties by text)."""
    cells: Counter[tuple[str, str]] = Counter()
    errors: Counter[SpanError] = Counter()
    for text, g, p in zip(texts, gold, pred, strict=True):
        doc_cells, doc_errors = analyse_document(text, g, p)
        cells.update(doc_cells)
        errors.update(doc_errors)
    rows = [*labels, BOUNDARY, SPURIOUS]
    columns = [*labels, BOUNDARY, MISSED]
    confusion = {
        row: {
            col: cells[(row, col)] for col in columns if not (row in (BOUNDARY, SPURIOUS) and col in (BOUNDARY, MISSED))
        }
        for row in rows
    }
    by_kind = Counter[str]()
    for error, count in errors.items():
        by_kind[error.kind] += count
    ranked = sorted(errors.items(), key=lambda item: (-item[1], item[0].text, item[0]))
    return {
        "confusion": confusion,
        "errors_by_kind": {kind: by_kind[kind] for kind in ("type", BOUNDARY, MISSED, SPURIOUS)},
        "top_errors": [{**asdict(error), "count": count} for error, count in ranked[:top]],
    }


def _short(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _error_line(error: dict[str, Any]) -> str:
    if error["kind"] == BOUNDARY:
        what = f"{_short(error['text'])} {error['gold']} → {_short(error['predicted_text'])} {error['predicted']}"
    else:
        what = f"{_short(error['text'])} {error['gold']} → {error['predicted']}"
    return f"{error['count']:>5}  {error['kind']:<8}  {what}"


def report_lines(scores: dict[str, Any], labels: Sequence[str] = ENTITY_LABELS) -> list[str]:
    """The per-label scores, the confusion table and the top errors of a GermEval report, as text.

    Surface texts are cut at 40 characters so each error stays on one line; --json has them whole.
    """
    lines = [
        f"GermEval dev-a, {scores['sentences']} sentences, typed exact span:",
        f"  {'label':<8}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}",
    ]
    for label in [*labels, "micro"]:
        s = scores[label]
        lines.append(
            f"  {label:<8}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['gold']:>7}{s['predicted']:>7}"
        )
    analysis = scores["errors"]
    columns = [*labels, BOUNDARY, MISSED]
    lines.append("Spans by gold label (rows) and prediction (columns; a label = same boundaries):")
    lines.append("  " + f"{'':<9}" + "".join(f"{col:>9}" for col in columns))
    for row, cells in analysis["confusion"].items():
        lines.append(
            "  " + f"{row:<9}" + "".join(f"{cells[col]:>9}" if col in cells else f"{'':>9}" for col in columns)
        )
    lines.append(f"The {len(analysis['top_errors'])} most frequent errors (count, kind, gold → predicted):")
    lines += [_error_line(error) for error in analysis["top_errors"]]
    return lines
