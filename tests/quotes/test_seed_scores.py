"""Score floor of the quote stage on the seed gold, with the real NER model and linker."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph_tools.evaluate.quotes import evaluate_quotes
from pipelines import factory
from pipelines.ner import find_mentions
from pipelines.settings import Settings

pytestmark = pytest.mark.needs_shared("gold/quotes", "gold/cleanup", "gold/entities")


def test_quote_stage_meets_the_floor_on_the_seed_gold(shared_dir: Path) -> None:
    settings = Settings.from_env()
    nlp = factory.ner_for(settings)
    linker = factory.linker(settings)
    report = evaluate_quotes(shared_dir, lambda text: list(linker.link(text, next(iter(find_mentions(nlp, [text]))))))
    assert report.overlap_f1 >= 0.85, report.summary()
    assert report.speaker_accuracy >= 0.90, report.summary()
    assert report.role_precision >= 0.85 and report.role_recall >= 0.85, report.summary()
