"""Train the "fast" model: spaCy's efficiency CNN NER on the same GermEval sentences.

A few MB and an order of magnitude faster than the e5 model, for very large nights. It learns
the same labels, ``part`` variants included, and ends with the same entity normaliser.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.init_config import init_config
from spacy.cli.train import train as spacy_train
from spacy.tokens import Doc, DocBin, Span

from pipelines.ner.components import NORMALIZER_FACTORY
from pipelines.ner.germeval import Sentence, bio_spans

log = logging.getLogger(__name__)


def to_docbin(sentences: Sequence[Sentence], path: Path) -> None:
    nlp = spacy.blank("de")
    bin_ = DocBin(store_user_data=False)
    for s in sentences:
        doc = Doc(nlp.vocab, words=s.words)
        doc.ents = [Span(doc, a, b, label=t) for a, b, t in bio_spans(s.tags)]
        bin_.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(path)


def train_fast(
    train: Sequence[Sentence],
    dev: Sequence[Sentence],
    work_dir: Path,
    out_dir: Path,
    meta: dict[str, Any],
    max_steps: int = 4000,
    seed: int = 13,
    reuse: bool = False,
) -> Path:
    """Train with spaCy's own loop and write the pipeline (plus the normaliser) to ``out_dir``.

    ``dev`` only feeds spaCy's progress table; the last model is kept (no selection on it), so
    pass sentences that are not the evaluation set.
    """
    if not (reuse and (work_dir / "output" / "model-last" / "config.cfg").is_file()):
        work_dir.mkdir(parents=True, exist_ok=True)
        to_docbin(train, work_dir / "train.spacy")
        to_docbin(dev, work_dir / "dev.spacy")
        config = init_config(lang="de", pipeline=["ner"], optimize="efficiency")
        config_path = work_dir / "config.cfg"
        config.to_disk(config_path)
        overrides = {
            "paths.train": str(work_dir / "train.spacy"),
            "paths.dev": str(work_dir / "dev.spacy"),
            "training.max_steps": max_steps,
            "training.seed": seed,
            "system.seed": seed,
            "training.eval_frequency": 500,
        }
        spacy_train(config_path, work_dir / "output", overrides=overrides)
    nlp = spacy.load(work_dir / "output" / "model-last")
    nlp.add_pipe(NORMALIZER_FACTORY, last=True)
    nlp.meta.update(meta)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    nlp.to_disk(out_dir)
    return out_dir
