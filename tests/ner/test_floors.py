"""Quality floors of the shipped default model on data in ../shared (skipped where absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from newsgraph_tools.evaluate.ner import evaluate_germeval, evaluate_gold, load_gold_articles

pytestmark = pytest.mark.needs_shared("corpora/germeval2014", "gold/entities", "gold/cleanup")


def test_default_reaches_f1_082_on_unseen_germeval(default_nlp: Language, shared_dir: Path) -> None:
    scores = evaluate_germeval(default_nlp, shared_dir / "corpora" / "germeval2014" / "NER-de-dev-a.tsv")
    assert scores["sentences"] == 1100
    assert scores["micro"]["f1"] >= 0.82, scores["micro"]
    assert scores["PER"]["f1"] >= 0.88 and scores["LOC"]["f1"] >= 0.85 and scores["ORG"]["f1"] >= 0.75


def test_default_recalls_095_of_seed_gold_mentions(default_nlp: Language, shared_dir: Path) -> None:
    scores = evaluate_gold(default_nlp, shared_dir)
    assert scores["span_recall"] >= 0.95, scores["missed_spans"]
    assert scores["micro"]["f1"] >= 0.85, scores["micro"]


def test_gold_compounds_are_cut_like_the_guidelines(default_nlp: Language, shared_dir: Path) -> None:
    from pipelines.ner import find_mentions

    articles = load_gold_articles(shared_dir)
    found = list(find_mentions(default_nlp, [text for _, text, _ in articles]))
    total = hits = 0
    for (_, _, gold), mentions in zip(articles, found, strict=True):
        spans = {(m.start, m.end) for m in mentions}
        for m in gold:
            if m["in_compound"]:
                total += 1
                hits += (m["start"], m["end"]) in spans
    assert total == 42  # "Nato" in "Nato-Staaten" and the like (gold SUMMARY.md)
    assert hits / total >= 0.85
