"""What the quote stage finds in one article: quotes and role statements (JSON round-trip).

Offsets are Python ``str`` indices into ``CleanDocument.text``, like every mention's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

QUOTE_KINDS = ("direct", "partial", "indirect")
ATTRIBUTIONS = ("explicit", "continuation", "headline")
SPEAKER_REFS = ("name", "pronoun", "description", "unnamed")
ROLE_KINDS = ("position", "party", "other")


def _plain(record: Any) -> dict[str, Any]:
    """What ``dataclasses.asdict`` gives for these records (their values are immutable), without its deep
    copies: a night writes hundreds of thousands of quotes and roles."""
    return {name: _plain(v) if is_dataclass(v := getattr(record, name)) else v for name in _names(type(record))}


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(record_type: type) -> tuple[str, ...]:
    names = _NAMES.get(record_type)
    if names is None:
        names = _NAMES[record_type] = tuple(f.name for f in fields(record_type))
    return names


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])


@dataclass(frozen=True)
class Speaker:
    """Who a quote is attributed to: the named mention (or an unnamed noun phrase) and how the text refers to it."""

    span: Span  # the named mention, or the unnamed noun phrase
    label: str | None  # NER label of the named mention; None for an unnamed speaker
    qid: str | None
    entity_name: str  # KB label or NIL name of the mention ("" for an unnamed speaker)
    ref: Span  # the expression in the attribution: name, pronoun, description or the unnamed phrase
    ref_kind: str  # one of SPEAKER_REFS

    @property
    def named(self) -> bool:
        return self.label is not None


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str
    kind: str  # one of QUOTE_KINDS
    attribution: str  # one of ATTRIBUTIONS
    cue: Span | None
    speaker: Speaker | None
    mood: str | None = None  # indirect quotes: konjunktiv, indikativ, headline

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        cue = Span(**data["cue"]) if data.get("cue") else None
        speaker = None
        if data.get("speaker"):
            s = dict(data["speaker"])
            speaker = Speaker(**{**s, "span": Span(**s["span"]), "ref": Span(**s["ref"])})
        return cls(**{**data, "cue": cue, "speaker": speaker})


@dataclass(frozen=True)
class Role:
    """A role the text gives a person: "Nato-Generalsekretär Jens Stoltenberg", "Olaf Scholz (SPD)"."""

    person: Span
    person_qid: str | None
    person_name: str  # KB label or NIL name of the person mention
    role_text: Span
    kind: str  # one of ROLE_KINDS
    construction: str  # prenominal, apposition, postnominal_apposition, parenthetical
    organisation: Span | None = None
    organisation_label: str | None = None  # NER label of the organisation mention
    organisation_qid: str | None = None
    organisation_name: str = ""
    position_qid: str | None = None  # the Wikidata position, where the KB has one that clearly matches

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Role:
        org = Span(**data["organisation"]) if data.get("organisation") else None
        return cls(
            **{**data, "person": Span(**data["person"]), "role_text": Span(**data["role_text"]), "organisation": org}
        )


@dataclass
class ArticleQuotes:
    doc_id: str
    quotes: list[Quote] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "quotes": [q.to_dict() for q in self.quotes],
            "roles": [r.to_dict() for r in self.roles],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleQuotes:
        return cls(
            data["doc_id"],
            [Quote.from_dict(q) for q in data.get("quotes", [])],
            [Role.from_dict(r) for r in data.get("roles", [])],
        )
