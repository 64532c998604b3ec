"""Scores of mention detection and linking against the seed gold (../shared/gold/entities).

The clean text of an article is "\\n\\n".join of the block texts of ../shared/gold/cleanup/<same>.json.
Mentions come from ``find_mentions(text)`` (the NER), or from the gold spans themselves (perfect NER)
where it is None. Metrics:

- mention detection P/R/F1 on exact spans;
- linking accuracy: gold mentions with a QID whose span the NER found, predicted QID == gold QID;
- NIL accuracy: gold mentions without a QID whose span the NER found, predicted NIL;
- document entity sets P/R/F1: per article the set of QIDs plus NIL clusters; a predicted NIL cluster
  (one NIL key) matches a gold NIL entity when one of its mentions has the span of one of the entity's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newsgraph_tools.checkout import CHECKOUT
from pipelines import progress
from pipelines.domain import LinkedMention, Mention
from pipelines.linking.errors import LinkingError
from pipelines.linking.linker import Linker
from pipelines.linking.morphology import nil_key

RESOLVED_NILS = CHECKOUT / "eval" / "linking" / "seed-gold-resolved.jsonl"


def read_resolved_nils(path: Path = RESOLVED_NILS) -> dict[str, str]:
    """Gold entity name → QID for gold NIL entities the shipped KB now holds (eval/linking/README.md)."""
    resolved: dict[str, str] = {}
    for line_no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            name, qid = str(row["entity_name"]), str(row["qid"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise LinkingError(f"{path}:{line_no}: needs 'entity_name' and 'qid' ({exc})") from exc
        if not (qid.startswith("Q") and row.get("kb_source")):
            raise LinkingError(f"{path}:{line_no}: a resolved QID needs the KB source it was read from")
        resolved[name] = qid
    return resolved


@dataclass
class GoldArticle:
    name: str
    text: str
    mentions: list[dict[str, Any]]


@dataclass
class LinkingReport:
    articles: int = 0
    mention_precision: float = 0.0
    mention_recall: float = 0.0
    mention_f1: float = 0.0
    linking_accuracy: float = 0.0
    linking_total: int = 0
    nil_accuracy: float = 0.0
    nil_total: int = 0
    entity_precision: float = 0.0
    entity_recall: float = 0.0
    entity_f1: float = 0.0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"mentions P/R/F1 {self.mention_precision:.3f}/{self.mention_recall:.3f}/{self.mention_f1:.3f}  "
            f"linking acc {self.linking_accuracy:.3f} (n={self.linking_total})  "
            f"NIL acc {self.nil_accuracy:.3f} (n={self.nil_total})  "
            f"entity-set P/R/F1 {self.entity_precision:.3f}/{self.entity_recall:.3f}/{self.entity_f1:.3f}"
        )


def load_gold(gold_dir: Path, cleanup_dir: Path, resolved: Mapping[str, str] | None = None) -> list[GoldArticle]:
    """The gold articles with their clean texts (checked against the gold's sha256); gold NIL entities
    named in ``resolved`` get that QID."""
    articles = []
    files = sorted(p for p in Path(gold_dir).glob("*.json"))
    if not files:
        raise LinkingError(f"{gold_dir}: no gold entity files (*.json)")
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        cleanup_path = Path(cleanup_dir) / gold.get("file", path.name)
        try:
            blocks = json.loads(cleanup_path.read_text(encoding="utf-8"))["blocks"]
        except (OSError, KeyError, json.JSONDecodeError) as exc:
            raise LinkingError(f"{cleanup_path}: cannot read the cleanup gold blocks ({exc})") from exc
        text = "\n\n".join(block["text"] for block in blocks)
        if gold.get("text_sha256") and hashlib.sha256(text.encode()).hexdigest() != gold["text_sha256"]:
            raise LinkingError(f"{path.name}: clean text of {cleanup_path.name} does not match text_sha256")
        mentions = [
            {**m, "qid": resolved[m["entity_name"]]}
            if resolved and not m["qid"] and m.get("entity_name") in resolved
            else m
            for m in gold["mentions"]
        ]
        articles.append(GoldArticle(name=path.name, text=text, mentions=mentions))
    return articles


def gold_mentions(article: GoldArticle) -> list[Mention]:
    return [Mention(m["start"], m["end"], m["text"], m["type"]) for m in article.mentions]


def _prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def _entity_sets(article: GoldArticle, predicted: list[LinkedMention]) -> tuple[int, int, int]:
    gold_qids = {m["qid"] for m in article.mentions if m["qid"]}
    gold_nil: dict[str, set[tuple[int, int]]] = {}
    for m in article.mentions:
        if not m["qid"]:
            gold_nil.setdefault(m["entity_name"], set()).add((m["start"], m["end"]))
    pred_qids = {p.qid for p in predicted if p.qid}
    pred_nil: dict[str, set[tuple[int, int]]] = {}
    for p in predicted:
        if p.qid is None:
            pred_nil.setdefault(nil_key(p.entity_name, p.label), set()).add((p.start, p.end))
    matched_gold_nil = {g for g, spans in gold_nil.items() if any(spans & p for p in pred_nil.values())}
    matched_pred_nil = {k for k, spans in pred_nil.items() if any(spans & g for g in gold_nil.values())}
    tp = len(gold_qids & pred_qids) + len(matched_gold_nil)
    predicted_count = len(pred_qids) + len(pred_nil)
    gold_count = len(gold_qids) + len(gold_nil)
    # A predicted NIL cluster matching two gold NIL entities counts once on the predicted side.
    tp_pred = len(gold_qids & pred_qids) + len(matched_pred_nil)
    return min(tp, tp_pred), predicted_count, gold_count


def evaluate_linking(
    gold: Path,
    find_mentions: Callable[[str], list[Mention]] | None,
    linker: Linker,
    *,
    max_errors: int = 50,
) -> dict[str, Any]:
    """``newsgraph eval linking``: scores with the NER's mentions and with the gold spans (perfect NER).

    ``gold`` is the folder holding ``entities/`` and ``cleanup/`` (../shared/gold). Without
    ``find_mentions`` only the gold-span scores are computed.
    """
    result: dict[str, Any] = {"kb_version": linker.kb.version, "mode": linker.mode}
    resolved = read_resolved_nils()
    runs: list[tuple[str, Callable[[str], list[Mention]] | None, Mapping[str, str] | None]] = [
        ("gold_spans", None, resolved),
        ("gold_spans_as_written", None, None),
    ]
    if find_mentions is not None:
        runs.insert(0, ("ner", find_mentions, resolved))
    for name, finder, names in runs:
        report = score_linking(linker, finder, gold_dir=gold / "entities", cleanup_dir=gold / "cleanup", resolved=names)
        data = report.to_dict()
        data["summary"] = report.summary()
        data["errors"] = data["errors"][:max_errors]
        result[name] = data
    result["resolved_nil_entities"] = resolved
    return result


def score_linking(
    linker: Linker,
    find_mentions: Callable[[str], list[Mention]] | None = None,
    *,
    gold_dir: Path,
    cleanup_dir: Path,
    resolved: Mapping[str, str] | None = None,
) -> LinkingReport:
    """Run NER (or gold spans) + linking over the gold articles and score them (see module docstring)."""
    articles = load_gold(gold_dir, cleanup_dir, resolved)
    report = LinkingReport(articles=len(articles))
    span_tp = span_pred = span_gold = 0
    link_ok = link_n = nil_ok = nil_n = 0
    ent_tp = ent_pred = ent_gold = 0
    for article in progress.track(articles, "linking gold", unit="articles"):
        mentions = find_mentions(article.text) if find_mentions else gold_mentions(article)
        predicted = linker.link(article.text, mentions)
        by_span = {(m.start, m.end): m for m in predicted}
        span_pred += len(predicted)
        span_gold += len(article.mentions)
        for gold in article.mentions:
            found = by_span.get((gold["start"], gold["end"]))
            if found is None:
                continue
            span_tp += 1
            if gold["qid"]:
                link_n += 1
                link_ok += found.qid == gold["qid"]
            else:
                nil_n += 1
                nil_ok += found.qid is None
            if found.qid != gold["qid"]:
                report.errors.append(
                    {
                        "article": article.name,
                        "span": [gold["start"], gold["end"]],
                        "text": gold["text"],
                        "gold": gold["qid"],
                        "predicted": found.qid,
                        "predicted_name": found.entity_name,
                        "confidence": found.confidence,
                    }
                )
        tp, pred, gold_count = _entity_sets(article, predicted)
        ent_tp, ent_pred, ent_gold = ent_tp + tp, ent_pred + pred, ent_gold + gold_count
    report.mention_precision, report.mention_recall, report.mention_f1 = _prf(span_tp, span_pred, span_gold)
    report.linking_accuracy = round(link_ok / link_n, 4) if link_n else 0.0
    report.linking_total = link_n
    report.nil_accuracy = round(nil_ok / nil_n, 4) if nil_n else 0.0
    report.nil_total = nil_n
    report.entity_precision, report.entity_recall, report.entity_f1 = _prf(ent_tp, ent_pred, ent_gold)
    return report
