"""Read GermEval 2014 NER files (CC BY 4.0) and map their tags to the product's label set.

Outer tags only. OTH becomes MISC; ``-part`` tags (a name inside a compound, "Nato-Staaten") are
kept as ``<TYPE>part`` so the model can learn them and the compound splitter can cut the name out;
``-deriv`` tags (adjectives such as "russisch") become O, since derived words are not mentions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAIN_TYPES = ("PER", "LOC", "ORG", "MISC")
PART_TYPES = tuple(f"{t}part" for t in MAIN_TYPES)
ALL_TYPES = MAIN_TYPES + PART_TYPES
TAGS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in ALL_TYPES for p in ("B", "I")))


class GermEvalFormatError(ValueError):
    """A GermEval file line does not have the expected columns."""


@dataclass(frozen=True)
class Sentence:
    words: list[str]
    tags: list[str]  # BIO over ALL_TYPES


def map_tag(tag: str, *, keep_parts: bool = True) -> str:
    """GermEval outer tag → product BIO tag (OTH→MISC, deriv→O, part→<TYPE>part or O)."""
    if tag == "O":
        return "O"
    prefix, _, label = tag.partition("-")
    if prefix not in ("B", "I") or not label:
        raise GermEvalFormatError(f"unknown GermEval tag {tag!r}")
    base = label.removesuffix("deriv").removesuffix("part")
    base = "MISC" if base == "OTH" else base
    if base not in MAIN_TYPES:
        raise GermEvalFormatError(f"unknown GermEval label {label!r} in tag {tag!r}")
    if label.endswith("deriv"):
        return "O"
    if label.endswith("part"):
        return f"{prefix}-{base}part" if keep_parts else "O"
    return f"{prefix}-{base}"


def read_germeval(path: Path, *, keep_parts: bool = True, limit: int | None = None) -> Iterator[Sentence]:
    """Sentences of a GermEval TSV file (index, token, outer tag, inner tag)."""
    words: list[str] = []
    tags: list[str] = []
    count = 0
    with Path(path).open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if words:
                    yield Sentence(words, tags)
                    count += 1
                    if limit is not None and count >= limit:
                        return
                words, tags = [], []
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise GermEvalFormatError(f"{path}:{line_no}: expected index, token, tag columns, got {line!r}")
            words.append(cols[1])
            try:
                tags.append(map_tag(cols[2], keep_parts=keep_parts))
            except GermEvalFormatError as exc:
                raise GermEvalFormatError(f"{path}:{line_no}: {exc}") from None
    if words and (limit is None or count < limit):
        yield Sentence(words, tags)


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) word spans of a BIO sequence; a stray I- starts a new span."""
    spans: list[tuple[int, int, str]] = []
    start, current = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if current and (prefix != "I" or label != current):
            spans.append((start, i, current))
            current = ""
        if prefix == "B" or (prefix == "I" and label != current):
            start, current = i, label
    return spans
