"""Records passed between the pipeline's stages.

Every stage reads and writes these plain dataclasses, so the stages can be developed, tested and
rerun independently, and so the Dagster layer only moves them around. Each record round-trips
through JSON (``to_dict``/``from_dict``), which is how intermediate results are persisted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

BlockType = Literal["title", "lead", "heading", "body"]
EntityLabel = Literal["PER", "LOC", "ORG", "MISC"]
ENTITY_LABELS: tuple[EntityLabel, ...] = get_args(EntityLabel)
BLOCK_TYPES: tuple[BlockType, ...] = get_args(BlockType)


def entity_label(value: str | None) -> EntityLabel | None:
    """``value`` as an entity label, or None when it is not one (e.g. a KB item of no known type)."""
    return next((label for label in ENTITY_LABELS if label == value), None)


@dataclass(frozen=True)
class RawDocument:
    """A page exactly as fetched, before anything else touches it."""

    doc_id: str  # stable id derived from the canonical URL (pipelines.scraping.urls.doc_id_for)
    url: str  # canonical source URL
    source: str  # name of the configured source it came from
    content_type: str  # "text/plain" or "text/html" (media type only)
    content_hash: str  # sha256 hex of ``content``; raw pages are stored under this name
    fetched_at: str  # ISO 8601 datetime with offset
    outlet: str | None = None  # publisher name, where known
    language: str | None = None  # declared language of the source, e.g. "de"
    final_url: str | None = None  # after redirects, where different
    captured: str | None = None  # capture date of a replayed sample (YYYY-MM-DD)
    charset: str | None = None  # codec the scraper verified against the bytes (HTML/text from HTTP)
    last_modified: str | None = None  # the page's HTTP Last-Modified, ISO 8601 in UTC

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RawDocument:
        return cls(**data)

    @property
    def content_type_header(self) -> str:
        """The media type with the verified charset, as the cleanup stage decodes it."""
        return f"{self.content_type}; charset={self.charset}" if self.charset else self.content_type


@dataclass
class Block:
    """A kept piece of the article, typed."""

    type: BlockType
    text: str
    lines: list[int] = field(default_factory=list)  # 1-based source lines (text input)


@dataclass
class Removal:
    """A removed piece of boilerplate, with why it went."""

    text: str
    category: str  # e.g. comments, footer_copyright, teaser, caption, agency_tag ...
    reason: str  # which rule or signal fired, short and human readable
    line: int | None = None  # 1-based source line (text input)


@dataclass
class CleanDocument:
    """The cleanup stage's result for one raw document."""

    title: str | None
    blocks: list[Block]
    removed: list[Removal] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)  # date, agency, credits, author, site ...
    language: str | None = None  # detected language code

    @property
    def text(self) -> str:
        """The clean text that NER and the graph refer to by character offsets."""
        return "\n\n".join(block.text for block in self.blocks)

    def to_dict(self) -> dict[str, Any]:
        """As ``dataclasses.asdict`` gives it, without its deep copies (a night writes every block and removal)."""
        return {
            "title": self.title,
            "blocks": [{"type": b.type, "text": b.text, "lines": list(b.lines)} for b in self.blocks],
            "removed": [
                {"text": r.text, "category": r.category, "reason": r.reason, "line": r.line} for r in self.removed
            ],
            "metadata": self.metadata,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CleanDocument:
        return cls(
            title=data.get("title"),
            blocks=[Block(**b) for b in data.get("blocks", [])],
            removed=[Removal(**r) for r in data.get("removed", [])],
            metadata=dict(data.get("metadata", {})),
            language=data.get("language"),
        )


@dataclass(frozen=True)
class Mention:
    """A named-entity span found by NER: ``text == clean_text[start:end]``."""

    start: int
    end: int
    text: str
    label: EntityLabel

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label}


@dataclass(frozen=True)
class Candidate:
    """A knowledge-base item considered for a mention, with its score."""

    qid: str
    label: str
    score: float


@dataclass
class LinkedMention:
    """A mention after linking: a Wikidata QID, or NIL (``qid is None``)."""

    start: int
    end: int
    text: str
    label: EntityLabel  # the NER label
    qid: str | None  # "Q…" or None for NIL
    confidence: float  # in [0, 1]
    entity_name: str  # KB label for a linked mention; normalised name for NIL
    candidates: list[Candidate] = field(default_factory=list)  # what it beat (best first)

    def to_dict(self) -> dict[str, Any]:
        """As ``dataclasses.asdict`` gives it (same keys, same order), without its deep copies: a night
        writes hundreds of thousands."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "qid": self.qid,
            "confidence": self.confidence,
            "entity_name": self.entity_name,
            "candidates": [{"qid": c.qid, "label": c.label, "score": c.score} for c in self.candidates],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkedMention:
        values = dict(data)
        values["candidates"] = [Candidate(**c) for c in values.get("candidates", [])]
        return cls(**values)


@dataclass(frozen=True)
class EntityInfo:
    """What the knowledge base says about a linked item (labels go into the graph)."""

    qid: str
    label_de: str | None
    label_en: str | None
    type: EntityLabel | None
    description: str | None = None


@dataclass(frozen=True)
class StageFailure:
    """A document (or URL) a stage could not handle, and why: one line of ``failures-<stage>.jsonl``.

    Every stage records the same type; a field that does not apply to a stage stays None and is left
    out of the file.
    """

    stage: str  # scrape, cleanup, ner, linking, quotes, graph
    reason: str  # scrape: the fetch outcome; later stages: the error message
    doc_id: str | None = None
    url: str | None = None
    source: str | None = None  # the configured source (scrape)
    detail: str | None = None  # more on the reason (scrape)
    outcome: str | None = None  # the retry ledger's reason (cleanup)
    retry: str | None = None  # "next_night" or "given_up": what the retry ledger will do
    nights_failed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: value for name, value in asdict(self).items() if value is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageFailure:
        return cls(**data)


@dataclass(frozen=True)
class RunInfo:
    """One night's run: the provenance every generated graph points at."""

    run_id: str  # derived from the partition, so a rerun of a night replaces its run record
    partition: str  # YYYY-MM-DD
    started_at: str  # ISO 8601 with offset
    ended_at: str | None
    code_version: str
    ner_model: str  # name of the NER model
    ner_model_version: str
    kb_version: str
