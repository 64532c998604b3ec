"""The article's lead, found again where the main-content extractor left it out.

Extractors often drop the lead (Vorspann, teaser text) that a page sets between its headline and
its first paragraph: it sits in a header box of its own ("intro", "chapo", "entry-summary"), apart
from the body they score. A news article without its lead loses its most important sentences, so
cleanup looks for it twice, on the tree after the page furniture is pruned: where the page shows
the text of its own description, and otherwise as the running text between the headline (``h1``)
and the first block the cleanup kept.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from pipelines.cleanup.dom_furniture import element_text, own_text
from pipelines.cleanup.lines import is_prose
from pipelines.cleanup.rules import line_hit
from pipelines.cleanup.script import detect_language
from pipelines.cleanup.structure import MAX_LEAD_CHARS
from pipelines.domain import Block

MIN_LEAD_CHARS = 80  # shorter prose under a headline is a dateline, a kicker or a byline, not a lead
MAX_LEAD_STEPS = 40  # elements looked at after the headline: a lead sits right under it
_SPACE = re.compile(r"\s+")
_SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")  # end the search where the article kept one; never a lead


def normal(text: str) -> str:
    """Text as compared between the page and the kept blocks: spaces collapsed, lower case."""
    return _SPACE.sub(" ", text).strip().lower()


def _wants_lead(blocks: list[Block]) -> bool:
    return bool(blocks) and blocks[0].type == "title" and not any(b.type == "lead" for b in blocks)


def recover_described_lead(blocks: list[Block], tree: _Element, description: str | None) -> None:
    """Insert the element whose text is the page's own description, when it is prose of a lead's size."""
    if not _wants_lead(blocks) or not description:
        return
    wanted = normal(description)
    if len(wanted) < 40:
        return
    known = {normal(b.text) for b in blocks}
    size = len(wanted)
    for element in tree.iter("p", "div", "span", "strong"):
        if abs(len(element.text_content()) - size) > size // 2 + 20:
            continue  # cheap length check before normalising the text
        text = element_text(element)
        if normal(text) == wanted and is_prose(text) and len(text) <= MAX_LEAD_CHARS:
            if normal(text) not in known:
                blocks.insert(1, Block("lead", text))
            return


def recover_dropped_lead(blocks: list[Block], tree: _Element, language: str | None) -> None:
    """Insert the first prose paragraph (80–700 characters, in the article's language, no rule against it)
    that stands between the page's last headline before the article and the article's first kept block.

    Nothing is inserted where the page has no ``h1`` before the kept text, or where the extractor kept a
    lead already.
    """
    if not _wants_lead(blocks) or len(blocks) < 2:
        return
    first = normal(blocks[1].text)
    kept = " | ".join(normal(b.text) for b in blocks)
    headline_seen, steps = False, 0
    candidates: list[str] = []
    for element in tree.iter("h1", *_SUBHEADINGS, "p", "div"):
        if element.tag == "h1":
            headline_seen, steps, candidates = True, 0, []
            continue
        if not headline_seen:
            continue
        steps += 1
        if steps > MAX_LEAD_STEPS:
            headline_seen = False  # too far from the headline; a later h1 may still head the article
            continue
        text = own_text(element) if element.tag == "div" else element_text(element)
        key = normal(text)
        if not key:
            continue
        if key == first or (len(first) > 40 and first[:60] in key):
            break
        if element.tag not in _SUBHEADINGS:
            candidates.append(text)
    else:
        return
    for text in candidates:
        if not MIN_LEAD_CHARS <= len(text) <= MAX_LEAD_CHARS or normal(text) in kept:
            continue
        if not is_prose(text) or line_hit(text) is not None:
            continue
        if language is not None and detect_language(text) != language:
            continue
        blocks.insert(1, Block("lead", text))
        return
