"""Choose the e5 model's entity penalty on held-out sentences, and measure how well the choice carries.

Trained on 5,100 GermEval sentences, the tagger finds more entities than held-out annotation has
(dev-a precision .77 against recall .84: everyday nouns, sub-word names and GermEval's unannotated
institutions tagged ORG). A penalty on every entity tag's log-probability before decoding
(:func:`pipelines.ner.decoding.entity_bias`) moves it towards the balance point. The penalty is a
single number chosen on dev-a; to know what the choice is worth on sentences it was not chosen on,
each half of dev-a (alternate sentences) is scored with the penalty that is best on the other half.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph_tools.evaluate.ner import Span3, germeval_conventions, germeval_gold, prf
from pipelines.ner.components import E5_FACTORY, E5EntityRecognizer

FOLDS = 2


@dataclass(frozen=True)
class Calibration:
    penalty: float  # the best allowed one on all of dev-a (ties: the smaller)
    f1_by_penalty: dict[float, float]  # dev-a typed F1 at each penalty
    cross_validated_f1: float  # each fold scored at the allowed penalty best on the other folds
    fold_penalties: tuple[float, ...]  # the penalty chosen for each fold
    refused: tuple[float, ...] = ()  # penalties the product's other promises rule out (seed recall)

    @property
    def uncalibrated_f1(self) -> float:
        return self.f1_by_penalty[min(self.f1_by_penalty)]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["f1_by_penalty"] = {str(k): v for k, v in self.f1_by_penalty.items()}
        out["uncalibrated_f1"] = self.uncalibrated_f1
        return out


def _f1(gold: Sequence[set[Span3]], pred: Sequence[set[Span3]], rows: Sequence[int]) -> float:
    return float(prf([gold[i] for i in rows], [pred[i] for i in rows])["micro"]["f1"])


def _best(scores: dict[float, float]) -> float:
    return min(scores, key=lambda penalty: (-scores[penalty], penalty))


def calibrate(
    predict: Callable[[float], Sequence[set[Span3]]],
    gold: Sequence[set[Span3]],
    penalties: Sequence[float],
    folds: int = FOLDS,
    allowed: Callable[[float], bool] = lambda penalty: True,
) -> Calibration:
    """The ``allowed`` penalty with the best typed F1 on ``gold``, and the cross-validated F1 of choosing
    it so. ``allowed`` says whether a penalty keeps the model's other promises (e.g. the seed articles'
    span recall); a penalty it refuses is scored but never chosen."""
    refused = tuple(float(p) for p in penalties if not allowed(float(p)))
    if len(refused) == len(penalties):
        raise ValueError(f"no penalty to choose from: all of {list(penalties)} were refused")
    predictions = {float(p): predict(float(p)) for p in penalties}
    everything = range(len(gold))
    fold_rows = [list(range(k, len(gold), folds)) for k in range(folds)]
    f1_all = {p: round(_f1(gold, pred, everything), 4) for p, pred in predictions.items()}
    choices = [p for p in predictions if p not in refused]
    chosen: list[float] = []
    tp = n_pred = n_gold = 0
    for k, rows in enumerate(fold_rows):
        others = [i for j, other in enumerate(fold_rows) if j != k for i in other]
        penalty = _best({p: _f1(gold, predictions[p], others) for p in choices})
        chosen.append(penalty)
        micro = prf([gold[i] for i in rows], [predictions[penalty][i] for i in rows])["micro"]
        tp, n_pred, n_gold = tp + micro["tp"], n_pred + micro["predicted"], n_gold + micro["gold"]
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    cv_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Calibration(_best({p: f1_all[p] for p in choices}), f1_all, round(cv_f1, 4), tuple(chosen), refused)


def calibrate_pipeline(
    nlp: Language,
    corpus_file: Path,
    penalties: Sequence[float],
    allowed: Callable[[Language], bool] = lambda nlp: True,
) -> Calibration:
    """Calibrate an e5 pipeline on a GermEval file (GermEval's conventions: no compound cutting, units kept);
    ``allowed`` is asked of the pipeline decoding at each penalty. The pipeline is left decoding with the
    chosen penalty."""
    tagger = nlp.get_pipe(E5_FACTORY)
    if not isinstance(tagger, E5EntityRecognizer):
        raise TypeError(f"{E5_FACTORY} is not the e5 tagger; only the e5 model has an entity penalty")
    docs, gold = germeval_gold(nlp, corpus_file)

    def predict(penalty: float) -> list[set[Span3]]:
        tagger.set_entity_penalty(penalty)
        fresh = [Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]) for d in docs]
        return [{(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in nlp.pipe(fresh, batch_size=64)]

    def keeps_promises(penalty: float) -> bool:
        tagger.set_entity_penalty(penalty)
        return allowed(nlp)

    refused = {float(p) for p in penalties if not keeps_promises(float(p))}
    with germeval_conventions(nlp):
        result = calibrate(predict, gold, penalties, allowed=lambda penalty: penalty not in refused)
    tagger.set_entity_penalty(result.penalty)
    return result


def write_penalty(model_dir: Path, penalty: float) -> None:
    """Record the penalty in the model's config.cfg, where spaCy reads it on load."""
    from spacy.util import load_config

    path = Path(model_dir) / "config.cfg"
    config = load_config(path)
    config["components"][E5_FACTORY]["entity_penalty"] = penalty
    config.to_disk(path)
