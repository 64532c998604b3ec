"""Write the exported e5 tagger as a normal spaCy pipeline directory (``spacy.load(path)``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy

from pipelines.ner.components import E5_FACTORY, NORMALIZER_FACTORY, E5EntityRecognizer


def write_e5_pipeline(onnx_path: Path, tags: Sequence[str], out_dir: Path, meta: dict[str, Any]) -> Path:
    nlp = spacy.blank("de")
    component = nlp.add_pipe(E5_FACTORY)
    assert isinstance(component, E5EntityRecognizer)
    component.load_model(onnx_path, tags)
    nlp.add_pipe(NORMALIZER_FACTORY)
    nlp.meta.update(meta)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return out_dir
