"""Candidates are compared as the product decodes them: constrained Viterbi at their best entity penalty."""

from __future__ import annotations

import numpy as np
import pytest

from newsgraph_tools.train.decoded import decoded_score, span_f1
from pipelines.ner.germeval import TAGS


def word_scores(*rows: dict[str, float]) -> np.ndarray:
    """[words, tags] log-probabilities: each row names its tags' probabilities, the rest share what is left."""
    out = np.zeros((len(rows), len(TAGS)), dtype=np.float32)
    for i, row in enumerate(rows):
        rest = (1.0 - sum(row.values())) / (len(TAGS) - len(row))
        out[i] = np.log([row.get(tag, rest) for tag in TAGS])
    return out


def test_the_penalty_that_drops_an_unsure_entity_wins_and_ties_keep_the_smaller() -> None:
    gold = [["B-PER", "O", "O"], ["B-LOC", "O"]]
    log_probs = [
        word_scores({"B-PER": 0.9}, {"O": 0.9}, {"B-ORG": 0.55, "O": 0.4}),  # "Brownies" as ORG: barely
        word_scores({"B-LOC": 0.95}, {"O": 0.9}),
    ]
    score = decoded_score(log_probs, gold, (0.0, 0.5, 1.0, 2.0))
    assert score.f1_by_penalty[0.0] == pytest.approx(0.8)  # 2 right of 3 predicted
    assert score.f1_by_penalty[1.0] == score.f1_by_penalty[2.0] == 1.0
    assert (score.f1, score.penalty) == (1.0, 0.5)


def test_decoding_never_starts_an_entity_inside_and_parts_are_not_scored() -> None:
    gold = [["O", "B-ORG", "I-ORG", "B-LOCpart"]]
    # argmax would give O, I-ORG, I-ORG: a span without its beginning
    log_probs = [word_scores({"O": 0.9}, {"I-ORG": 0.5, "B-ORG": 0.4}, {"I-ORG": 0.9}, {"B-LOCpart": 0.9})]
    score = decoded_score(log_probs, gold, (0.0,))
    assert score.f1 == 1.0
    assert span_f1(gold, [["O", "B-ORG", "I-ORG", "O"]], ("ORG", "LOCpart"))["f1"] < 1.0  # parts count if asked
