"""Typing the kept paragraphs: title, lead, heading or body.

The title is a headline-like paragraph before any running text; the lead is the first paragraph
under the title when page furniture (share bar, picture, caption) separates it from the body, as
news pages lay out their "Vorspann"; headings are headline-like paragraphs followed by text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.cleanup.lines import is_headline_like, is_prose
from pipelines.domain import BlockType

# Furniture that news pages put between the lead and the body.
LEAD_SEPARATORS = frozenset({"share", "caption", "credit_caption", "video", "byline", "dateline", "advertisement"})
MAX_LEAD_CHARS = 700


@dataclass
class Paragraph:
    text: str
    lines: list[int] = field(default_factory=list)
    type: BlockType = "body"
    separated_after: set[str] = field(default_factory=set)  # categories removed right after it


def assign_types(paragraphs: list[Paragraph]) -> None:
    """Set ``type`` on each paragraph in place."""
    if not paragraphs:
        return
    first = paragraphs[0]
    if is_headline_like(first.text) and len(first.text.split()) >= 2:
        first.type = "title"
        if len(paragraphs) > 2:
            lead = paragraphs[1]
            if is_prose(lead.text) and len(lead.text) <= MAX_LEAD_CHARS and lead.separated_after & LEAD_SEPARATORS:
                lead.type = "lead"
    for index, paragraph in enumerate(paragraphs):
        if paragraph.type != "body" or index == len(paragraphs) - 1:
            continue
        if is_headline_like(paragraph.text) and paragraphs[index + 1].type != "title":
            paragraph.type = "heading"
