"""Scores of the quote stage against the seed gold (../shared/gold/quotes, GUIDELINES.md there).

Clean text = "\\n\\n".join of the blocks of ../shared/gold/cleanup/<same>.json. Mentions come from the
real NER and linker (``find_mentions``), or from the entities gold where it is None. Metrics:

- quote spans P/R/F1, exact (same start and end) and overlap (one-to-one, largest overlap first);
- speaker accuracy over the gold quotes matched by overlap that have a speaker: the predicted speaker is
  the gold speaker mention, another mention of the same Wikidata item, a mention with the same last word
  (a NIL name written shorter) or, for unnamed speakers, an overlapping noun phrase;
- roles P/R/F1: person and role text overlap a gold role's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipelines import progress
from pipelines.domain import LinkedMention
from pipelines.quotes.extract import find_quotes
from pipelines.quotes.records import Quote, Role, Speaker
from pipelines.quotes.roles import find_roles

MentionFinder = Callable[[str], list[LinkedMention]]


@dataclass
class QuoteReport:
    articles: int = 0
    gold_quotes: int = 0
    predicted_quotes: int = 0
    exact_precision: float = 0.0
    exact_recall: float = 0.0
    exact_f1: float = 0.0
    overlap_precision: float = 0.0
    overlap_recall: float = 0.0
    overlap_f1: float = 0.0
    speaker_accuracy: float = 0.0
    speaker_total: int = 0
    role_precision: float = 0.0
    role_recall: float = 0.0
    role_f1: float = 0.0
    gold_roles: int = 0
    predicted_roles: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"quotes exact P/R/F1 {self.exact_precision:.3f}/{self.exact_recall:.3f}/{self.exact_f1:.3f}  "
            f"overlap P/R/F1 {self.overlap_precision:.3f}/{self.overlap_recall:.3f}/{self.overlap_f1:.3f}  "
            f"speaker acc {self.speaker_accuracy:.3f} (n={self.speaker_total})  "
            f"roles P/R/F1 {self.role_precision:.3f}/{self.role_recall:.3f}/{self.role_f1:.3f}"
        )


def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> dict[int, int]:
    """One-to-one overlap matching, largest overlap first: gold index -> predicted index."""
    pairs = sorted(
        ((_overlap(p, g), gi, pi) for pi, p in enumerate(pred) for gi, g in enumerate(gold) if _overlap(p, g) > 0),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    return matched


def speaker_correct(pred: Speaker | None, gold: dict[str, Any], text: str) -> bool:
    if pred is None:
        return False
    g = gold["speaker"]
    if (pred.span.start, pred.span.end) == (g["start"], g["end"]):
        return True
    if gold.get("speaker_kind") == "unnamed" or not pred.named:
        return _overlap((pred.span.start, pred.span.end), (g["start"], g["end"])) > 0
    if gold.get("speaker_qid") and pred.qid == gold["speaker_qid"]:
        return True
    return pred.span.text.split()[-1].casefold() == g["text"].split()[-1].casefold()


def _load(shared: Path) -> list[tuple[str, str, list[str], dict[str, Any], list[dict[str, Any]]]]:
    gold = shared / "gold"
    out = []
    for path in sorted((gold / "quotes").glob("*.json")):
        clean = json.loads((gold / "cleanup" / path.name).read_text(encoding="utf-8"))
        text = "\n\n".join(b["text"] for b in clean["blocks"])
        types = [b["type"] for b in clean["blocks"]]
        entities = json.loads((gold / "entities" / path.name).read_text(encoding="utf-8"))
        out.append((path.stem, text, types, json.loads(path.read_text(encoding="utf-8")), entities["mentions"]))
    return out


def gold_mentions(rows: Sequence[dict[str, Any]]) -> list[LinkedMention]:
    return [
        LinkedMention(m["start"], m["end"], m["text"], m["type"], m["qid"], 1.0, m.get("entity_name") or m["text"])
        for m in rows
    ]


def evaluate_quotes(shared: Path, find_mentions: MentionFinder | None = None) -> QuoteReport:
    report = QuoteReport()
    exact_tp = overlap_tp_g = overlap_tp_p = speaker_ok = 0
    role_tp_p = role_tp_g = 0
    for name, text, types, gold, gold_ents in progress.track(_load(shared), "quotes", unit="articles"):
        mentions = find_mentions(text) if find_mentions is not None else gold_mentions(gold_ents)
        quotes = find_quotes(text, mentions, types)
        roles = find_roles(text, mentions)
        report.articles += 1
        g_quotes = gold["quotes"]
        report.gold_quotes += len(g_quotes)
        report.predicted_quotes += len(quotes)
        g_spans = [(q["start"], q["end"]) for q in g_quotes]
        p_spans = [(q.start, q.end) for q in quotes]
        exact_tp += len(set(g_spans) & set(p_spans))
        matched = match_spans(p_spans, g_spans)
        overlap_tp_g += len(matched)
        overlap_tp_p += len(matched)
        for gi, g in enumerate(g_quotes):
            if gi not in matched:
                report.errors.append({"article": name, "error": "missed", "gold": g["text"][:80], "kind": g["kind"]})
                continue
            if g["speaker"] is None:
                continue
            report.speaker_total += 1
            pred = quotes[matched[gi]]
            if speaker_correct(pred.speaker, g, text):
                speaker_ok += 1
            else:
                report.errors.append(_speaker_error(name, g, pred))
        for pi, q in enumerate(quotes):
            if pi not in matched.values():
                report.errors.append({"article": name, "error": "spurious", "predicted": q.text[:80], "kind": q.kind})
        tp_p, tp_g = _match_roles(roles, gold["roles"], name, report.errors)
        role_tp_p += tp_p
        role_tp_g += tp_g
        report.gold_roles += len(gold["roles"])
        report.predicted_roles += len(roles)
    report.exact_precision, report.exact_recall, report.exact_f1 = _prf(
        exact_tp, report.predicted_quotes, exact_tp, report.gold_quotes
    )
    report.overlap_precision, report.overlap_recall, report.overlap_f1 = _prf(
        overlap_tp_p, report.predicted_quotes, overlap_tp_g, report.gold_quotes
    )
    report.speaker_accuracy = speaker_ok / report.speaker_total if report.speaker_total else 0.0
    report.role_precision, report.role_recall, report.role_f1 = _prf(
        role_tp_p, report.predicted_roles, role_tp_g, report.gold_roles
    )
    return report


def _speaker_error(name: str, gold: dict[str, Any], pred: Quote) -> dict[str, Any]:
    return {
        "article": name,
        "error": "speaker",
        "quote": gold["text"][:60],
        "gold": gold["speaker"]["text"],
        "predicted": pred.speaker.span.text if pred.speaker else None,
    }


def _match_roles(
    roles: Sequence[Role], gold: Sequence[dict[str, Any]], name: str, errors: list[dict[str, Any]]
) -> tuple[int, int]:
    def hit(r: Role, g: dict[str, Any]) -> bool:
        person = _overlap((r.person.start, r.person.end), (g["person"]["start"], g["person"]["end"])) > 0
        role = _overlap((r.role_text.start, r.role_text.end), (g["role_text"]["start"], g["role_text"]["end"])) > 0
        return person and role

    tp_p = sum(1 for r in roles if any(hit(r, g) for g in gold))
    tp_g = 0
    for g in gold:
        if any(hit(r, g) for r in roles):
            tp_g += 1
        else:
            errors.append(
                {"article": name, "error": "role missed", "gold": f"{g['person']['text']} | {g['role_text']['text']}"}
            )
    for r in roles:
        if not any(hit(r, g) for g in gold):
            errors.append(
                {"article": name, "error": "role spurious", "predicted": f"{r.person.text} | {r.role_text.text}"}
            )
    return tp_p, tp_g
