"""Entities inside German hyphenated compounds.

A name used as the modifier of a generic head ("Nato-Staaten", "US-Außenminister",
"Ukraine-Konflikt") is a mention of the name part only, with exact offsets ("Nato"). A compound
whose head names an institution or format ("Nato-Russland-Rat", "EU-Kommission",
"Normandie-Format") is itself the name and stays whole. The heads are a small data list
(``institution_heads.txt``), matched with German inflection endings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

INFLECTION_ENDINGS = ("", "s", "es", "e", "en", "n", "ern", "er")
# modifiers that precede a name without being part of it ("Ex-Nato-Chef", "Anti-Nato-Protest")
NON_NAME_PREFIXES = frozenset({"ex", "anti", "pro", "nicht", "post", "prä", "vize", "alt", "neo", "pseudo"})
HYPHENS = "-\u2010\u2011"


@dataclass(frozen=True)
class InstitutionHeads:
    exact: dict[str, str]  # lower-case head → label
    suffix: dict[str, str]  # lower-case ending → label

    def label_of(self, head: str) -> str | None:
        """Label if ``head`` (one compound segment) names an institution or format, else None."""
        word = head.lower()
        for ending in INFLECTION_ENDINGS:
            if ending and not word.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)] if ending else word
            if stem in self.exact:
                return self.exact[stem]
            for suffix, label in self.suffix.items():
                if stem.endswith(suffix):
                    return label
        return None


@cache
def default_institution_heads() -> InstitutionHeads:
    text = resources.files("pipelines.ner").joinpath("institution_heads.txt").read_text(encoding="utf-8")
    return parse_institution_heads(text)


def parse_institution_heads(text: str) -> InstitutionHeads:
    exact: dict[str, str] = {}
    suffix: dict[str, str] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2:
            raise ValueError(f"institution heads line {line_no}: expected '<head> <TYPE>', got {raw!r}")
        head, label = parts
        if head.startswith("*"):
            suffix[head[1:].lower()] = label
        else:
            exact[head.lower()] = label
    return InstitutionHeads(exact, suffix)


def split_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the hyphen-separated segments of ``text``."""
    segments = []
    start = 0
    for i, ch in enumerate(text):
        if ch in HYPHENS:
            segments.append((start, i))
            start = i + 1
    segments.append((start, len(text)))
    return segments


def compound_head(text: str) -> str:
    """The last hyphen-separated segment of a compound ("Anhänger" of "Trump-Anhänger")."""
    segments = [s for s in split_segments(text) if s[1] > s[0]]
    return text[segments[-1][0] : segments[-1][1]] if segments else ""


def resolve_part(text: str, label: str, heads: InstitutionHeads) -> tuple[int, int, str] | None:
    """For a compound the model tagged as containing a name part, the mention inside it.

    Returns (start, end, label) relative to ``text``, or None where no name can be cut out
    (no hyphen, e.g. "Europapolitik").
    """
    segments = [s for s in split_segments(text) if s[1] > s[0]]
    if len(segments) < 2:
        return None
    head_start, head_end = segments[-1]
    institution = heads.label_of(text[head_start:head_end])
    if institution is not None:
        return 0, len(text), institution
    for start, end in segments[:-1]:
        word = text[start:end]
        if word.lower() in NON_NAME_PREFIXES or (not word[0].isupper() and not word[0].isdigit()):
            continue
        return start, end, label
    return None
