"""The entity penalty: decoding that leaves uncertain words O, chosen on held-out sentences."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from newsgraph_tools.train.calibration import calibrate, calibrate_pipeline, write_penalty
from pipelines.ner import load_ner
from pipelines.ner.components import E5_FACTORY, NORMALIZER_FACTORY, E5EntityRecognizer, EntityNormalizer
from pipelines.ner.decoding import allowed_transitions, entity_bias, viterbi
from pipelines.ner.loading import resolve_model

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-ORGpart", "I-ORGpart"]
TEXT = (
    "Der Vorstand der Magdeburger Verkehrsbetriebe traf sich mit Vertretern von Siemens und der Stadt Magdeburg. "
    "Bürgermeisterin Simone Borris lobte die Brownies der Kantine."
)


def test_bias_lowers_only_the_beginning_of_an_entity() -> None:
    assert entity_bias(TAGS, 1.5).tolist() == [0.0, -1.5, 0.0, -1.5, 0.0, 0.0, 0.0]
    assert entity_bias(TAGS, 0.0).tolist() == [0.0] * 7
    with pytest.raises(ValueError, match="0 or more"):
        entity_bias(TAGS, -1.0)


def test_an_uncertain_word_becomes_o_a_confident_name_keeps_its_length() -> None:
    start, trans = allowed_transitions(TAGS)
    scores = np.log(
        np.array(
            [
                [0.05, 0.90, 0.01, 0.01, 0.01, 0.01, 0.01],  # confident B-PER
                [0.30, 0.01, 0.65, 0.01, 0.01, 0.01, 0.01],  # I-PER, less sure: the name goes on all the same
                [0.45, 0.01, 0.01, 0.51, 0.01, 0.005, 0.005],  # a toss-up between O and B-ORG
            ],
            dtype=np.float32,
        )
    )
    assert viterbi(scores, start, trans) == [1, 2, 3]
    assert viterbi(scores + entity_bias(TAGS, 1.0), start, trans) == [1, 2, 0]


def test_calibration_picks_the_best_penalty_and_scores_each_half_with_the_other_halfs_choice() -> None:
    gold = [{(0, 5, "PER")}, {(0, 5, "ORG")}, {(0, 5, "LOC")}, {(0, 5, "PER")}]
    spurious = {(10, 15, "ORG")}
    # penalty 0: every sentence has an extra span; 1: the extras are gone; 2: the even sentences lose their name too
    by_penalty = {
        0.0: [g | spurious for g in gold],
        1.0: [set(g) for g in gold],
        2.0: [set() if i % 2 == 0 else set(g) for i, g in enumerate(gold)],
    }
    result = calibrate(lambda p: by_penalty[p], gold, penalties=(0.0, 1.0, 2.0))
    assert result.penalty == 1.0
    assert result.f1_by_penalty == {0.0: 0.6667, 1.0: 1.0, 2.0: 0.6667}
    assert result.uncalibrated_f1 == 0.6667
    assert result.fold_penalties == (1.0, 1.0)
    assert result.cross_validated_f1 == 1.0


def test_a_refused_penalty_is_scored_but_never_chosen() -> None:
    gold = [{(0, 5, "PER")}, {(0, 5, "ORG")}]
    by_penalty: dict[float, list[set[tuple[int, int, str]]]] = {
        0.0: [g | {(9, 12, "LOC")} for g in gold],
        1.0: [set(g) for g in gold],
        2.0: [set(), set()],
    }
    result = calibrate(lambda p: by_penalty[p], gold, penalties=(0.0, 1.0, 2.0), allowed=lambda p: p != 1.0)
    assert result.f1_by_penalty[1.0] == 1.0
    assert result.penalty == 0.0 and result.fold_penalties == (0.0, 0.0)
    assert result.refused == (1.0,)
    with pytest.raises(ValueError, match="all of"):
        calibrate(lambda p: by_penalty[p], gold, penalties=(1.0,), allowed=lambda p: False)


def test_ties_go_to_the_smaller_penalty() -> None:
    gold = [{(0, 5, "PER")}, {(0, 5, "PER")}]
    result = calibrate(lambda p: [set(g) for g in gold], gold, penalties=(2.0, 0.5, 1.0))
    assert result.penalty == 0.5


@pytest.fixture(scope="module")
def model_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("model") / "de_newsgraph_e5"
    shutil.copytree(Path(resolve_model("default")), target)
    return target


def _tagger(nlp: Language) -> E5EntityRecognizer:
    tagger = nlp.get_pipe(E5_FACTORY)
    assert isinstance(tagger, E5EntityRecognizer)
    return tagger


def test_a_penalty_written_to_the_config_is_the_one_the_loaded_model_decodes_with(model_copy: Path) -> None:
    write_penalty(model_copy, 0.0)
    plain = [(e.text, e.label_) for e in load_ner(str(model_copy))(TEXT).ents]
    write_penalty(model_copy, 6.0)  # far above any calibrated one: the least certain name goes
    nlp = load_ner(str(model_copy))
    assert _tagger(nlp).entity_penalty == 6.0
    strict = [(e.text, e.label_) for e in nlp(TEXT).ents]
    assert set(strict) < set(plain)
    _tagger(nlp).set_entity_penalty(0.0)
    assert [(e.text, e.label_) for e in nlp(TEXT).ents] == plain


def test_the_shipped_model_decodes_with_the_penalty_its_card_reports() -> None:
    import json

    model_dir = Path(resolve_model("default"))
    scores = json.loads((model_dir / "scores.json").read_text(encoding="utf-8"))
    assert _tagger(load_ner("default")).entity_penalty == scores["calibration"]["penalty"]


@pytest.mark.needs_shared("corpora/germeval2014")
def test_calibrating_on_germeval_sentences_leaves_the_pipeline_at_the_chosen_penalty(
    model_copy: Path, shared_dir: Path
) -> None:
    corpus = shared_dir / "corpora" / "germeval2014"
    nlp: Language = load_ner(str(model_copy))
    sample = model_copy.parent / "dev-sample.tsv"
    lines = (corpus / "NER-de-dev-a.tsv").read_text(encoding="utf-8").split("\n\n")[:120]
    sample.write_text("\n\n".join(lines) + "\n\n", encoding="utf-8")
    result = calibrate_pipeline(
        nlp, sample, penalties=(0.0, 1.5, 9.0), allowed=lambda tagged: _tagger(tagged).entity_penalty < 5
    )
    assert set(result.f1_by_penalty) == {0.0, 1.5, 9.0}
    assert result.refused == (9.0,)
    assert result.penalty in (0.0, 1.5)
    assert _tagger(nlp).entity_penalty == result.penalty
    assert 0.5 < result.cross_validated_f1 <= 1.0
    normalizer = nlp.get_pipe(NORMALIZER_FACTORY)
    assert isinstance(normalizer, EntityNormalizer)
    assert normalizer.split_compounds and normalizer.drop_units
