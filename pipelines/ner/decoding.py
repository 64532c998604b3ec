"""Constrained BIO decoding: the best tag path in which every I-X follows B-X or I-X.

Argmax per word can produce broken spans (O followed by I-ORG, B-PER then I-LOC); a Viterbi
pass over the word log-probabilities with those transitions forbidden fixes them cheaply.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def allowed_transitions(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(start penalty [n], transition penalty [n, n]): 0 where allowed, -inf where not."""
    n = len(tags)
    start = np.zeros(n, dtype=np.float32)
    trans = np.zeros((n, n), dtype=np.float32)
    for j, tag in enumerate(tags):
        if not tag.startswith("I-"):
            continue
        start[j] = -np.inf
        label = tag[2:]
        for i, prev in enumerate(tags):
            if prev not in (f"B-{label}", f"I-{label}"):
                trans[i, j] = -np.inf
    return start, trans


def log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def viterbi(log_probs: np.ndarray, start: np.ndarray, trans: np.ndarray) -> list[int]:
    """Best allowed tag-id path for one sequence of word log-probabilities [words, tags]."""
    if len(log_probs) == 0:
        return []
    score = log_probs[0] + start
    back = np.zeros(log_probs.shape, dtype=np.int64)
    for t in range(1, len(log_probs)):
        total = score[:, None] + trans
        back[t] = total.argmax(axis=0)
        score = total.max(axis=0) + log_probs[t]
    path = [int(score.argmax())]
    for t in range(len(log_probs) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    path.reverse()
    return path
