"""Choose the NER model by configuration: "default", "fast", a directory, or a spaCy package.

Whatever is chosen ends with the entity normaliser, so every model yields PER/LOC/ORG/MISC
mentions with the same compound convention and downstream code never cares which made them.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from pipelines.ner.components import E5_FACTORY, NORMALIZER_FACTORY, E5EntityRecognizer
from pipelines.shipped import data_dir

MODELS_DIR = data_dir() / "models"
NAMED_MODELS = {"default": "de_newsgraph_e5", "fast": "de_newsgraph_fast"}
# components of full spaCy packages that NER does not need (dropped for speed)
UNNEEDED_PIPES = (
    "parser",
    "tagger",
    "morphologizer",
    "lemmatizer",
    "attribute_ruler",
    "senter",
    "trainable_lemmatizer",
)


class NerModelNotFoundError(ValueError):
    """The configured NER model is neither a named model, a directory nor an installed package."""


def resolve_model(model: str, models_dir: Path = MODELS_DIR) -> str | Path:
    """Named model → its directory; an existing path → itself; otherwise a package name."""
    if model in NAMED_MODELS:
        path = models_dir / NAMED_MODELS[model]
        if not (path / "config.cfg").is_file():
            raise NerModelNotFoundError(
                f"NER model {model!r} expected at {path} (missing config.cfg); "
                "run `make train-ner` or check out data/models"
            )
        return path
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "config.cfg").is_file():
            raise NerModelNotFoundError(f"NER model path {path} is not a spaCy pipeline directory (no config.cfg)")
        return path
    if not spacy.util.is_package(model):
        raise NerModelNotFoundError(
            f"NER model {model!r} is not 'default', 'fast', an existing directory or an installed spaCy package"
        )
    return model


def load_ner(
    model: str = "default",
    *,
    models_dir: Path = MODELS_DIR,
    threads: int | None = None,
    workers: int | None = None,
) -> Language:
    """A spaCy pipeline that sets ``doc.ents`` with PER/LOC/ORG/MISC (see module docstring).

    ``threads`` (ONNX Runtime threads per run) and ``workers`` (documents tagged at once, 0 = one
    per CPU) override the e5 model's configuration; other models ignore them.
    """
    target = resolve_model(model, models_dir)
    try:
        nlp = spacy.load(target, exclude=list(UNNEEDED_PIPES))
    except (OSError, KeyError) as exc:
        raise NerModelNotFoundError(f"cannot load NER model {model!r} from {target}: {exc}") from exc
    if E5_FACTORY in nlp.pipe_names:
        component = nlp.get_pipe(E5_FACTORY)
        if isinstance(component, E5EntityRecognizer):
            if threads is not None:
                component.set_threads(threads)
            if workers is not None:
                component.set_workers(workers)
    if not any("doc.ents" in nlp.get_pipe_meta(name).assigns for name in nlp.pipe_names):
        raise NerModelNotFoundError(
            f"NER model {model!r} has no component that sets doc.ents (pipes: {nlp.pipe_names})"
        )
    if NORMALIZER_FACTORY not in nlp.pipe_names:
        nlp.add_pipe(NORMALIZER_FACTORY, last=True)
    return nlp
