"""Scoring a tagger's word log-probabilities as the product decodes them (no PyTorch needed).

Training used to compare seeds and weight averages by their argmax F1, but the product never takes
the argmax: it decodes with constrained Viterbi after lowering the log-probability of beginning an
entity (``pipelines.ner.decoding``), at a penalty chosen for each model. Two candidates can swap
places between the two (measured: a weight average .800 argmax but .830 decoded, against the best
seed's .790 and .823), so candidates are compared the way they would ship.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipelines.domain import ENTITY_LABELS
from pipelines.ner.decoding import allowed_transitions, entity_bias, viterbi
from pipelines.ner.germeval import TAGS, bio_spans


def span_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], types: Sequence[str]) -> dict[str, float]:
    """Typed exact-span micro P/R/F1 over the given types, plus per-type F1."""
    stats = {t: [0, 0, 0] for t in types}  # tp, n_pred, n_gold
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g = {s for s in bio_spans(list(g_tags)) if s[2] in stats}
        p = {s for s in bio_spans(list(p_tags[: len(g_tags)])) if s[2] in stats}
        for s in p:
            stats[s[2]][1] += 1
            stats[s[2]][0] += s in g
        for s in g:
            stats[s[2]][2] += 1
    result: dict[str, float] = {}
    tp = sum(v[0] for v in stats.values())
    n_pred = sum(v[1] for v in stats.values())
    n_gold = sum(v[2] for v in stats.values())
    result["precision"] = tp / n_pred if n_pred else 0.0
    result["recall"] = tp / n_gold if n_gold else 0.0
    pr = result["precision"] + result["recall"]
    result["f1"] = 2 * result["precision"] * result["recall"] / pr if pr else 0.0
    for t, (t_tp, t_pred, t_gold) in stats.items():
        denom = t_pred + t_gold
        result[f"f1_{t}"] = 2 * t_tp / denom if denom else 0.0
    return result


@dataclass(frozen=True)
class DecodedScore:
    """Typed F1 as the product decodes: constrained Viterbi at the entity penalty best on these sentences."""

    f1: float
    penalty: float
    f1_by_penalty: dict[float, float]


def decoded_score(
    log_probs: Sequence[np.ndarray], gold: Sequence[Sequence[str]], penalties: Sequence[float]
) -> DecodedScore:
    """Score word log-probabilities with the product's decoding (``pipelines.ner.decoding``): a model is
    shipped with the penalty chosen for it, so candidates are compared each at its own best penalty,
    not by their argmax (which the product never uses)."""
    start, trans = allowed_transitions(TAGS)
    by_penalty: dict[float, float] = {}
    for penalty in penalties:
        bias = entity_bias(TAGS, penalty)
        pred = [[TAGS[j] for j in viterbi(lp + bias, start, trans)] for lp in log_probs]
        by_penalty[float(penalty)] = round(span_f1(gold, pred, ENTITY_LABELS)["f1"], 4)
    best = min(by_penalty, key=lambda penalty: (-by_penalty[penalty], penalty))
    return DecodedScore(by_penalty[best], best, by_penalty)
