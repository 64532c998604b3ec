"""Score floors on the seed gold (perfect NER = gold spans; and NER handing whole compounds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph_tools.evaluate.linking import (
    evaluate_linking,
    gold_mentions,
    load_gold,
    read_resolved_nils,
    score_linking,
)
from newsgraph_tools.evaluate.linking_benchmark import measure_speed
from pipelines.domain import Mention
from pipelines.kb import KnowledgeBase
from pipelines.linking import Linker
from pipelines.linking.compounds import _full_token

pytestmark = pytest.mark.needs_shared("gold/entities", "gold/cleanup")


def check_floors(linker: Linker, shared_dir: Path, find_mentions: object = None) -> None:
    gold = shared_dir / "gold"
    report = score_linking(
        linker,
        find_mentions,
        gold_dir=gold / "entities",
        cleanup_dir=gold / "cleanup",
        resolved=read_resolved_nils(),
    )
    assert report.linking_total + report.nil_total == 334, report.summary()
    assert report.linking_total > 300, "the resolved gold NILs count as links"
    assert report.linking_accuracy >= 0.95, report.errors
    assert report.nil_accuracy >= 0.90, report.errors
    assert report.entity_f1 >= 0.90, report.summary()
    assert report.mention_f1 == 1.0, report.summary()


def test_gold_spans_meet_the_floors(default_kb: KnowledgeBase, shared_dir: Path) -> None:
    check_floors(Linker(default_kb), shared_dir)


def test_every_resolved_gold_nil_is_a_gold_entity_and_in_the_index(default_kb: KnowledgeBase, shared_dir: Path) -> None:
    gold = shared_dir / "gold"
    names = {
        m["entity_name"] for a in load_gold(gold / "entities", gold / "cleanup") for m in a.mentions if not m["qid"]
    }
    resolved = read_resolved_nils()
    assert resolved and set(resolved) <= names
    assert all(default_kb.record(qid) is not None for qid in resolved.values())


def test_ner_handing_whole_compounds_still_meets_the_floors(default_kb: KnowledgeBase, shared_dir: Path) -> None:
    """An NER that returns "Nato-Staaten" instead of "Nato": the linker recovers the gold spans."""
    gold = shared_dir / "gold"
    articles = {a.text: a for a in load_gold(gold / "entities", gold / "cleanup")}

    def whole_compounds(text: str) -> list[Mention]:
        result = []
        for m in articles[text].mentions:
            start, end = _full_token(text, m["start"], m["end"]) if m["in_compound"] else (m["start"], m["end"])
            result.append(Mention(start, end, text[start:end], m["type"]))
        return result

    assert any(" " not in m.text and "-" in m.text for t in articles for m in whole_compounds(t))
    check_floors(Linker(default_kb), shared_dir, whole_compounds)


def test_eval_command_reports_ner_and_gold_span_scores(default_kb: KnowledgeBase, shared_dir: Path) -> None:
    gold = shared_dir / "gold"
    articles = {a.text: a for a in load_gold(gold / "entities", gold / "cleanup")}

    def first_mention_missing(text: str) -> list[Mention]:
        return gold_mentions(articles[text])[1:]

    result = evaluate_linking(gold, first_mention_missing, Linker(default_kb))
    assert result["kb_version"] == default_kb.version and result["mode"] == "offline"
    assert result["gold_spans"]["mention_f1"] == 1.0
    assert result["ner"]["mention_precision"] == 1.0
    assert result["ner"]["mention_recall"] == round(329 / 334, 4)  # one gold mention dropped per article


def test_measure_speed_links_every_replicated_document(default_kb: KnowledgeBase, shared_dir: Path) -> None:
    gold = shared_dir / "gold"
    articles = {a.text: a for a in load_gold(gold / "entities", gold / "cleanup")}
    result = measure_speed(Linker(default_kb), lambda t: gold_mentions(articles[t]), list(articles), repeat=2)
    assert result["documents"] == 10 and result["mentions"] == 2 * 334
    assert result["linking_seconds"] > 0 and result["linking_to_ner_ratio"] > 0
