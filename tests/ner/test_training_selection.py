"""Seed selection and the quality floor of ``make train-ner``, with a tiny stand-in learner.

The stand-in is a real (if crude) learner: a word → tag lexicon learned from a seed-dependent
sample of invented GermEval-style sentences, scored with the project's own span scorer on other
invented sentences. Real training is far too slow for a unit test; the selection, refusal and
promotion code under test is the one ``make train-ner`` runs.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from newsgraph_tools.evaluate.ner import prf
from newsgraph_tools.train.ner import parse_args
from newsgraph_tools.train.selection import (
    Average,
    BelowFloorError,
    SeedRun,
    SeedSelection,
    Shipped,
    greedy_soup,
    parse_seeds,
    select_seed,
    train_select_ship,
)
from pipelines.ner.germeval import Sentence, bio_spans


def sentence(text: str) -> Sentence:
    """'Merkel/PER besucht Paris/LOC' → words and BIO tags (one-word entities)."""
    words, tags = [], []
    for item in text.split():
        word, _, label = item.partition("/")
        words.append(word)
        tags.append(f"B-{label}" if label else "O")
    return Sentence(words, tags)


TRAIN = [
    sentence(s)
    for s in (
        "Merkel/PER besucht Paris/LOC .",
        "Siemens/ORG baut in Berlin/LOC .",
        "Scholz/PER spricht mit Macron/PER .",
        "Die Bahn/ORG fährt nach Hamburg/LOC .",
        "Müller/PER wechselt zu Bayern/ORG .",
        "In Wien/LOC tagt die Opec/ORG .",
        "Biden/PER fliegt nach Kairo/LOC .",
        "Die Linke/ORG verliert in Sachsen/LOC .",
    )
]
DEV = [
    sentence(s)
    for s in (
        "Macron/PER trifft Scholz/PER in Wien/LOC .",
        "Siemens/ORG und die Bahn/ORG streiten .",
        "Merkel/PER lobt Hamburg/LOC und Kairo/LOC .",
    )
]


def learn_lexicon(seed: int, share: float = 0.5) -> dict[str, str]:
    """Word → tag from a seed-dependent sample of the training sentences."""
    sample = random.Random(seed).sample(TRAIN, round(len(TRAIN) * share))
    return {w: t for s in sample for w, t in zip(s.words, s.tags, strict=True) if t != "O"}


def dev_f1(lexicon: dict[str, str]) -> float:
    gold = [set(bio_spans(s.tags)) for s in DEV]
    pred = [set(bio_spans([lexicon.get(w, "O") for w in s.words])) for s in DEV]
    return float(prf(gold, pred)["micro"]["f1"])


class StandIn:
    """train_one / build / score over lexicon files, the shape train_select_ship expects."""

    def __init__(self, work: Path, share: float = 0.5) -> None:
        self.work = work
        self.share = share

    def train_one(self, seed: int) -> SeedRun:
        lexicon = learn_lexicon(seed, self.share)
        checkpoint = self.work / f"seed{seed}.json"
        checkpoint.write_text(json.dumps(lexicon), encoding="utf-8")
        return SeedRun(seed, dev_f1(lexicon), checkpoint)

    def build(self, selection: SeedSelection, out: Path) -> None:
        out.mkdir(parents=True)
        (out / "lexicon.json").write_bytes(selection.best.checkpoint.read_bytes())

    def score(self, out: Path) -> float:
        return dev_f1(json.loads((out / "lexicon.json").read_text(encoding="utf-8")))

    def ship(self, floor: float, average: Average | None = None) -> Shipped:
        """train_select_ship over SEEDS into work/candidates and work/models."""
        return train_select_ship(
            "lexicon_model",
            SEEDS,
            train_one=self.train_one,
            build=self.build,
            score=self.score,
            candidate_dir=self.work / "candidates" / "lexicon_model",
            shipped_dir=self.work / "models" / "lexicon_model",
            floor=floor,
            average=average,
        )


SEEDS = (1, 2, 3, 4, 5)


def test_the_best_seed_on_dev_is_kept_and_the_spread_reported(tmp_path: Path) -> None:
    scores = {seed: dev_f1(learn_lexicon(seed)) for seed in SEEDS}
    selection = select_seed(SEEDS, StandIn(tmp_path).train_one)
    assert selection.best.f1 == max(scores.values())
    assert scores[selection.best.seed] == max(scores.values())
    assert [run.seed for run in selection.runs] == list(SEEDS)
    spread = selection.spread()
    assert spread["min"] == min(scores.values()) and spread["max"] == max(scores.values())
    assert spread["mean"] == pytest.approx(sum(scores.values()) / len(SEEDS), abs=1e-4)
    assert selection.to_dict()["best_seed"] == selection.best.seed


def test_equal_scores_keep_the_seed_named_first(tmp_path: Path) -> None:
    selection = select_seed((7, 3, 5), StandIn(tmp_path, share=1.0).train_one)  # every seed sees everything
    assert len({run.f1 for run in selection.runs}) == 1
    assert selection.best.seed == 7


def test_a_candidate_at_the_floor_replaces_the_shipped_model(tmp_path: Path) -> None:
    stand_in = StandIn(tmp_path)
    shipped = tmp_path / "models" / "lexicon_model"
    shipped.mkdir(parents=True)
    (shipped / "old.json").write_text("{}", encoding="utf-8")
    best = max(dev_f1(learn_lexicon(seed)) for seed in SEEDS)
    result = stand_in.ship(floor=best)
    assert result.f1 == best
    assert sorted(p.name for p in shipped.iterdir()) == ["lexicon.json"]
    assert dev_f1(json.loads((shipped / "lexicon.json").read_text(encoding="utf-8"))) == best
    assert not (tmp_path / "candidates" / "lexicon_model").exists()
    assert not (tmp_path / "models" / "lexicon_model.replaced").exists()


def test_a_candidate_below_the_floor_is_refused_and_the_shipped_model_kept(tmp_path: Path) -> None:
    stand_in = StandIn(tmp_path)
    shipped = tmp_path / "models" / "lexicon_model"
    shipped.mkdir(parents=True)
    (shipped / "old.json").write_text('{"kept": true}', encoding="utf-8")
    best = max(dev_f1(learn_lexicon(seed)) for seed in SEEDS)
    candidate = tmp_path / "candidates" / "lexicon_model"
    with pytest.raises(BelowFloorError, match=r"below the floor .* left unchanged") as refused:
        stand_in.ship(floor=best + 0.01)
    assert f"{best:.4f}" in str(refused.value)
    assert json.loads((shipped / "old.json").read_text(encoding="utf-8")) == {"kept": True}
    assert sorted(p.name for p in shipped.iterdir()) == ["old.json"]
    assert (candidate / "lexicon.json").is_file()  # left for inspection


def test_seed_lists_are_checked() -> None:
    assert parse_seeds("13, 14,15") == (13, 14, 15)
    for bad, reason in (("", "at least one"), ("13,13", "repeated"), ("13,x", "whole numbers")):
        with pytest.raises(ValueError, match=reason):
            parse_seeds(bad)


def test_training_options_carry_seeds_and_floors() -> None:
    args = parse_args([])
    assert args.seeds == (13, 14, 15) and args.floor == 0.82
    args = parse_args(["--seeds", "1,2", "--floor", "0.82", "--fast-floor", "0.4"])
    assert (args.seeds, args.floor, args.fast_floor) == ((1, 2), 0.82, 0.4)
    with pytest.raises(SystemExit):
        parse_args(["--seeds", "1,1"])


def merged_lexicon(stand_in: StandIn, runs: Sequence[SeedRun]) -> SeedRun:
    """The stand-in's 'weight average': one lexicon holding what every run learned."""
    merged: dict[str, str] = {}
    for run in runs:
        merged.update(json.loads(run.checkpoint.read_text(encoding="utf-8")))
    checkpoint = stand_in.work / "average.json"
    checkpoint.write_text(json.dumps(merged), encoding="utf-8")
    return SeedRun(0, dev_f1(merged), checkpoint, averaged=tuple(run.seed for run in runs))


def test_the_average_of_the_runs_is_shipped_when_it_beats_every_seed(tmp_path: Path) -> None:
    stand_in = StandIn(tmp_path, share=0.25)
    best_single = max(dev_f1(learn_lexicon(seed, 0.25)) for seed in SEEDS)
    result = stand_in.ship(floor=0.0, average=lambda runs: merged_lexicon(stand_in, runs))
    averaged = result.selection.averaged
    assert averaged is not None and averaged.averaged == SEEDS
    assert averaged.f1 > best_single
    assert result.selection.best == averaged and result.f1 == averaged.f1
    assert result.selection.best.name == "the average of seeds 1, 2, 3, 4, 5"
    report = result.selection.to_dict()
    assert report["chosen"] == averaged.name and report["averaged"] == {"seeds": list(SEEDS), "f1": averaged.f1}


def test_an_average_worse_than_the_best_seed_is_reported_but_not_chosen(tmp_path: Path) -> None:
    stand_in = StandIn(tmp_path)

    def forgetful_average(runs: Sequence[SeedRun]) -> SeedRun:
        checkpoint = tmp_path / "average.json"
        checkpoint.write_text("{}", encoding="utf-8")
        return SeedRun(0, dev_f1({}), checkpoint, averaged=tuple(run.seed for run in runs))

    selection = select_seed(SEEDS, stand_in.train_one, forgetful_average)
    assert selection.averaged is not None and selection.averaged.f1 == 0.0
    assert selection.best.averaged == () and selection.best.f1 == max(run.f1 for run in selection.runs)
    assert select_seed((4,), stand_in.train_one, forgetful_average).averaged is None  # nothing to average


def _scored_average(
    scores: dict[tuple[int, ...], float], tried: list[tuple[int, ...]]
) -> Callable[[Sequence[SeedRun]], SeedRun]:
    """An 'average' whose dev F1 for each set of seeds is given, recording what was tried."""

    def average(runs: Sequence[SeedRun]) -> SeedRun:
        seeds = tuple(run.seed for run in runs)
        tried.append(seeds)
        return SeedRun(0, scores[seeds], Path(f"average-{'-'.join(map(str, seeds))}"), averaged=seeds)

    return average


def test_the_greedy_soup_adds_runs_best_first_and_only_while_the_average_improves() -> None:
    runs = [SeedRun(15, 0.815, Path("15")), SeedRun(13, 0.826, Path("13")), SeedRun(14, 0.823, Path("14"))]
    tried: list[tuple[int, ...]] = []
    scores: dict[tuple[int, ...], float] = {(13, 14): 0.830, (13, 14, 15): 0.822}
    soup = greedy_soup(runs, _scored_average(scores, tried))
    assert tried == [(13, 14), (13, 14, 15)]  # the best run first, then the others by their own score
    assert soup is not None and soup.averaged == (13, 14) and soup.f1 == 0.830
    assert soup.checkpoint == Path("average-13-14")  # the kept average, not the last one tried


def test_the_greedy_soup_is_none_when_no_run_improves_the_best_alone() -> None:
    runs = [SeedRun(1, 0.80, Path("1")), SeedRun(2, 0.79, Path("2")), SeedRun(3, 0.78, Path("3"))]
    scores: dict[tuple[int, ...], float] = {(1, 2): 0.80, (1, 3): 0.795}  # an equal score is no gain
    tried: list[tuple[int, ...]] = []
    assert greedy_soup(runs, _scored_average(scores, tried)) is None
    assert tried == [(1, 2), (1, 3)]


def test_a_greedy_soup_that_beats_every_seed_is_shipped(tmp_path: Path) -> None:
    stand_in = StandIn(tmp_path, share=0.25)

    def merged(runs: Sequence[SeedRun]) -> SeedRun:
        lexicon: dict[str, str] = {}
        for run in runs:
            lexicon.update(json.loads(run.checkpoint.read_text(encoding="utf-8")))
        checkpoint = tmp_path / f"average-{'-'.join(str(run.seed) for run in runs)}.json"
        checkpoint.write_text(json.dumps(lexicon), encoding="utf-8")
        return SeedRun(0, dev_f1(lexicon), checkpoint, averaged=tuple(run.seed for run in runs))

    result = stand_in.ship(floor=0.0, average=lambda runs: greedy_soup(runs, merged))
    soup = result.selection.averaged
    assert soup is not None and len(soup.averaged) >= 2
    assert result.selection.best == soup and soup.f1 > max(run.f1 for run in result.selection.runs)
    assert result.f1 == dev_f1(json.loads(soup.checkpoint.read_text(encoding="utf-8")))
