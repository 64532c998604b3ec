"""Mention replacement keeps every sentence's context and labels and only varies the names."""

from __future__ import annotations

import random

from newsgraph_tools.train.augment import MentionPool, augmented, mention_pool, replace_mentions
from pipelines.ner.germeval import Sentence, bio_spans

MERKEL = Sentence(
    ["Angela", "Merkel", "besucht", "die", "Nato-Zentrale", "in", "Brüssel", "."],
    ["B-PER", "I-PER", "O", "O", "B-ORGpart", "O", "B-LOC", "O"],
)
SIEMENS = Sentence(
    ["Die", "Siemens", "AG", "baut", "in", "Kleinostheim", "."],
    ["O", "B-ORG", "I-ORG", "O", "O", "B-LOC", "O"],
)
PLAIN = Sentence(["Es", "regnet", "."], ["O", "O", "O"])


def test_the_pool_holds_main_type_mentions_only() -> None:
    pool = mention_pool([MERKEL, SIEMENS, PLAIN])
    assert pool["PER"] == [("Angela", "Merkel")]
    assert pool["LOC"] == [("Brüssel",), ("Kleinostheim",)]
    assert pool["ORG"] == [("Siemens", "AG")]
    assert pool["MISC"] == []
    assert "ORGpart" not in pool


def test_a_replaced_mention_keeps_its_type_and_the_context_stays() -> None:
    pool: MentionPool = {"PER": [("Olaf", "Scholz", "junior")], "LOC": [("Kleinostheim",)], "ORG": [], "MISC": []}
    copy = replace_mentions(MERKEL, pool, random.Random(1), rate=1.0)
    assert copy is not None
    assert copy.words == ["Olaf", "Scholz", "junior", "besucht", "die", "Nato-Zentrale", "in", "Kleinostheim", "."]
    assert copy.tags == ["B-PER", "I-PER", "I-PER", "O", "O", "B-ORGpart", "O", "B-LOC", "O"]
    assert [label for _, _, label in bio_spans(copy.tags)] == ["PER", "ORGpart", "LOC"]


def test_nothing_replaced_gives_no_copy() -> None:
    pool = mention_pool([MERKEL, SIEMENS])
    assert replace_mentions(PLAIN, pool, random.Random(1), rate=1.0) is None
    assert replace_mentions(MERKEL, pool, random.Random(1), rate=0.0) is None


def test_augmented_corpus_is_the_originals_then_copies_and_is_reproducible() -> None:
    corpus = [MERKEL, SIEMENS, PLAIN]
    first = augmented(corpus, copies=2, rate=1.0, seed=7)
    assert first[:3] == corpus
    assert len(first) == 3 + 2 * 2  # the sentence without a mention is never copied
    assert first == augmented(corpus, copies=2, rate=1.0, seed=7)
    for copy in first[3:]:
        assert len(copy.words) == len(copy.tags)
        assert {label for _, _, label in bio_spans(copy.tags)} <= {"PER", "LOC", "ORG", "ORGpart"}
