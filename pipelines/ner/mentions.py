"""Run a loaded NER pipeline over clean texts and return the product's Mention records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from pipelines.domain import ENTITY_LABELS, Mention


def find_mentions(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[list[Mention]]:
    """One list of mentions per text, in order; ``text[m.start:m.end] == m.text``."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield [
            Mention(start=ent.start_char, end=ent.end_char, text=ent.text, label=ent.label_)
            for ent in doc.ents
            if ent.label_ in ENTITY_LABELS
        ]
