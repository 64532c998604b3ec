"""Map the label sets of other NER models to the product's PER/LOC/ORG/MISC.

Any spaCy NER can be configured (our own models, de_core_news_* with WikiNER labels, OntoNotes
models with PERSON/GPE/NORP...); downstream code only ever sees the four product labels.
A label mapped to None is dropped (nationalities, dates, numbers are not named entities here).
"""

from __future__ import annotations

PART_SUFFIX = "part"

DEFAULT_LABEL_MAP: dict[str, str | None] = {
    "PER": "PER",
    "PERSON": "PER",
    "I-PER": "PER",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "LOCATION": "LOC",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "MISC": "MISC",
    "OTH": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "WORK_OF_ART": "MISC",
    "PRODUCT": "MISC",
    "NORP": None,
    "LANGUAGE": None,
    "DATE": None,
    "TIME": None,
    "PERCENT": None,
    "MONEY": None,
    "QUANTITY": None,
    "ORDINAL": None,
    "CARDINAL": None,
}


class UnknownLabelError(ValueError):
    """An NER label that the label map does not know."""


def map_label(label: str, label_map: dict[str, str | None] | None = None) -> tuple[str | None, bool]:
    """(product label or None to drop, whether the label marks a name inside a compound)."""
    table = DEFAULT_LABEL_MAP if label_map is None else {**DEFAULT_LABEL_MAP, **label_map}
    is_part = label.endswith(PART_SUFFIX) and label != PART_SUFFIX
    base = label[: -len(PART_SUFFIX)] if is_part else label
    if base.endswith("deriv"):  # GermEval-style derived adjectives are not mentions
        return None, False
    if base not in table:
        raise UnknownLabelError(f"NER label {label!r} has no mapping to PER/LOC/ORG/MISC; add it to label_map")
    return table[base], is_part
