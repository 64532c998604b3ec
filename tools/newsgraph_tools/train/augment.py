"""Mention replacement: more training sentences from the ones GermEval gives, for names it lacks.

5,100 annotated sentences show the model each organisation a few times at most, so it learns the
names as much as the contexts. A copy of a sentence in which each PER/LOC/ORG/MISC mention is, with
some probability, swapped for another mention of the same type from the training set keeps the
context and its label and varies the name (Dai and Adel 2020, "An Analysis of Simple Data
Augmentation for Named Entity Recognition"). Name parts inside compounds (``-part``) stay as they
are: they belong to the word around them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from pipelines.ner.germeval import MAIN_TYPES, Sentence, bio_spans

MentionPool = dict[str, list[tuple[str, ...]]]


def mention_pool(sentences: Sequence[Sentence]) -> MentionPool:
    """Every main-type mention's words, by type, in corpus order (repeats kept: frequent names weigh more)."""
    pool: MentionPool = {label: [] for label in MAIN_TYPES}
    for sentence in sentences:
        for start, end, label in bio_spans(sentence.tags):
            if label in pool:
                pool[label].append(tuple(sentence.words[start:end]))
    return pool


def replace_mentions(sentence: Sentence, pool: MentionPool, rng: random.Random, rate: float) -> Sentence | None:
    """A copy with each main-type mention replaced with probability ``rate``; None if none was."""
    words: list[str] = []
    tags: list[str] = []
    position = 0
    replaced = False
    for start, end, label in bio_spans(sentence.tags):
        if label not in pool or not pool[label] or rng.random() >= rate:
            continue
        words.extend(sentence.words[position:start])
        tags.extend(sentence.tags[position:start])
        name = rng.choice(pool[label])
        words.extend(name)
        tags.extend([f"B-{label}", *[f"I-{label}"] * (len(name) - 1)])
        position = end
        replaced = True
    if not replaced:
        return None
    words.extend(sentence.words[position:])
    tags.extend(sentence.tags[position:])
    return Sentence(words, tags)


def augmented(sentences: Sequence[Sentence], *, copies: int, rate: float, seed: int) -> list[Sentence]:
    """The sentences followed by ``copies`` mention-replaced copies of each sentence that has a mention."""
    rng = random.Random(seed)
    pool = mention_pool(sentences)
    out = list(sentences)
    for _ in range(copies):
        for sentence in sentences:
            copy = replace_mentions(sentence, pool, rng, rate)
            if copy is not None:
                out.append(copy)
    return out
