"""Pick the best of several training seeds and ship a model only above a quality floor.

A retrain with the same recipe lands a point or two apart from run to run (CPU training is not
bit-identical), sometimes under the floor the product promises. So ``make train-ner`` trains one
candidate per seed, keeps the one with the best GermEval dev-a F1, builds the shippable model
from it in a candidate folder, scores that on dev-a, and replaces the shipped model only when the
score reaches the floor; below it the shipped model stays untouched and the run fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from typing import Any


class BelowFloorError(RuntimeError):
    """A candidate model scored below the floor; the shipped model was not replaced."""


@dataclass(frozen=True)
class SeedRun:
    """One candidate: its seed, its dev-a typed F1 and where its weights are; a candidate made by
    averaging the weights of several runs names their seeds in ``averaged`` (and has seed 0)."""

    seed: int
    f1: float
    checkpoint: Path
    averaged: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        if self.averaged:
            return "the average of seeds " + ", ".join(str(seed) for seed in self.averaged)
        return f"seed {self.seed}"


@dataclass(frozen=True)
class SeedSelection:
    runs: tuple[SeedRun, ...]
    best: SeedRun
    averaged: SeedRun | None = None  # the weight average of the runs, when one was made

    def spread(self) -> dict[str, float]:
        """Min, mean and max dev-a F1 over the seeds: how much one retrain can vary."""
        scores = [run.f1 for run in self.runs]
        return {"min": min(scores), "mean": round(fmean(scores), 4), "max": max(scores)}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "seeds": [{"seed": run.seed, "f1": run.f1} for run in self.runs],
            "best_seed": self.best.seed,
            "chosen": self.best.name,
            "spread": self.spread(),
        }
        if self.averaged is not None:
            out["averaged"] = {"seeds": list(self.averaged.averaged), "f1": self.averaged.f1}
        return out


def parse_seeds(text: str) -> tuple[int, ...]:
    """``"13,14,15"`` → (13, 14, 15); at least one seed, no repeats."""
    try:
        seeds = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"seeds {text!r}: expected whole numbers separated by commas, e.g. 13,14,15") from None
    if not seeds:
        raise ValueError(f"seeds {text!r}: name at least one seed")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds {text!r}: a seed is repeated")
    return seeds


Average = Callable[[Sequence[SeedRun]], SeedRun | None]


def greedy_soup(runs: Sequence[SeedRun], average: Callable[[Sequence[SeedRun]], SeedRun]) -> SeedRun | None:
    """The "greedy soup" of Wortsman et al. (2022): the runs in order of their own dev-a F1, each added
    to the average only when the average with it scores higher than without; None when no run improves
    on the best one alone. (Averaging every run lets one weak run pull the others down.)"""
    ordered = sorted(runs, key=lambda run: -run.f1)  # stable: equal scores keep the seeds' order
    kept, kept_f1, soup = [ordered[0]], ordered[0].f1, None
    for run in ordered[1:]:
        trial = average([*kept, run])
        if trial.f1 > kept_f1:
            kept, kept_f1, soup = [*kept, run], trial.f1, trial
    return soup


def select_seed(
    seeds: Sequence[int], train_one: Callable[[int], SeedRun], average: Average | None = None
) -> SeedSelection:
    """Train once per seed; the best dev-a F1 wins (on a tie, the seed named first). With ``average``
    and two or more seeds, the average of the runs' weights is a candidate too (it wins ties: one
    model that agrees with several runs varies less from retrain to retrain than any one of them)."""
    if not seeds:
        raise ValueError("select_seed needs at least one seed")
    runs = tuple(train_one(seed) for seed in seeds)
    best = max(runs, key=lambda run: run.f1)  # max keeps the first of equal scores
    averaged = average(runs) if average is not None and len(runs) > 1 else None  # None: nothing worth averaging
    if averaged is not None and averaged.f1 >= best.f1:
        best = averaged
    return SeedSelection(runs, best, averaged)


def check_floor(model: str, f1: float, floor: float, shipped: Path) -> None:
    """Raise :class:`BelowFloorError` when the candidate's dev-a F1 is under ``floor``."""
    if f1 < floor:
        raise BelowFloorError(
            f"{model}: the candidate scores typed F1 {f1:.4f} on GermEval dev-a, below the floor {floor:.2f}; "
            f"{shipped} was left unchanged (train more seeds, or lower the floor knowingly)"
        )


def promote(candidate: Path, shipped: Path) -> None:
    """Replace the shipped model folder with the candidate folder (the candidate folder is moved)."""
    shipped.parent.mkdir(parents=True, exist_ok=True)
    old = shipped.with_name(shipped.name + ".replaced")
    if old.exists():
        shutil.rmtree(old)
    if shipped.exists():
        shipped.rename(old)
    shutil.move(str(candidate), str(shipped))
    if old.exists():
        shutil.rmtree(old)


@dataclass(frozen=True)
class Shipped:
    model: str
    f1: float
    floor: float
    selection: SeedSelection

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "f1": self.f1, "floor": self.floor, **self.selection.to_dict()}


def train_select_ship(
    model: str,
    seeds: Sequence[int],
    *,
    train_one: Callable[[int], SeedRun],
    build: Callable[[SeedSelection, Path], object],
    score: Callable[[Path], float],
    candidate_dir: Path,
    shipped_dir: Path,
    floor: float,
    average: Average | None = None,
) -> Shipped:
    """Train per seed, build the best into ``candidate_dir``, score it, and ship it if it reaches ``floor``.

    ``build`` writes the shippable model folder from the selection; ``score`` returns its dev-a
    typed F1. Below the floor :class:`BelowFloorError` is raised and the candidate is left in
    ``candidate_dir`` for inspection.
    """
    selection = select_seed(seeds, train_one, average)
    if candidate_dir.exists():
        shutil.rmtree(candidate_dir)
    candidate_dir.parent.mkdir(parents=True, exist_ok=True)
    build(selection, candidate_dir)
    f1 = score(candidate_dir)
    check_floor(model, f1, floor, shipped_dir)
    promote(candidate_dir, shipped_dir)
    return Shipped(model, f1, floor, selection)
