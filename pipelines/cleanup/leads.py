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
from typing import NamedTuple

from lxml.etree import _Element

from pipelines.cleanup.dom_furniture import element_text, own_text
from pipelines.cleanup.lines import is_prose
from pipelines.cleanup.rules import line_hit
from pipelines.cleanup.script import detect_language
from pipelines.cleanup.structure import MAX_LEAD_CHARS
from pipelines.domain import Block

MIN_LEAD_CHARS = 80  # shorter prose under a headline is a dateline, a kicker or a byline, not a lead
MAX_LEAD_STEPS = 40  # elements looked at after the headline: a lead sits right under it
_SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")  # end the search where the article kept one; never a lead
MAX_BLOCKS_ABOVE_TITLE = 2  # a kicker, a breadcrumb or a date the cleanup kept above the headline
MAX_BOXED_LEAD_CHARS = 1500  # a press release's lead box may hold its whole first paragraph
MIN_BOXED_LEAD_WORDS = 10  # a lead box's one-sentence teaser may end without a full stop
MAX_LEAD_PARAGRAPHS = 3  # a lead box holds a paragraph or two; more is an article the extractor lost
MAX_FIRST_BLOCKS = 3  # the walk ends at any of the first kept blocks (the first one's text may differ)
_COMMENT = re.compile(r"comment|kommentar", re.I)
_LIST_SEPARATOR = re.compile(r"\s[-|·•/]\s")  # "Ausbildung - Bremen - Luftwaffe": a tag list, not a teaser
LEAD_CLASS = re.compile(r"lead|intro|summary|standfirst|vorspann|teaser-?text|abstract|dek\b|excerpt", re.I)


def normal(text: str) -> str:
    """Text as compared between the page and the kept blocks: spaces collapsed, lower case."""
    return " ".join(text.split()).lower()


def _title_at(blocks: list[Block]) -> int | None:
    """Where the headline stands: first, or after a kicker or a breadcrumb the cleanup kept above it."""
    return next((i for i, b in enumerate(blocks[: MAX_BLOCKS_ABOVE_TITLE + 1]) if b.type == "title"), None)


def recover_described_lead(blocks: list[Block], tree: _Element, description: str | None) -> None:
    """Insert the element whose text is the page's own description, when it is prose of a lead's size."""
    at = _title_at(blocks)
    if at is None or any(b.type == "lead" for b in blocks) or not description:
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
                blocks.insert(at + 1, Block("lead", text))
            return


class _Candidate(NamedTuple):
    element: _Element
    text: str
    key: str  # normal(text)


class _KeptText:
    """The kept blocks' text as compared with a candidate, joined only when a candidate gets that far."""

    def __init__(self, blocks: list[Block]) -> None:
        self._blocks = blocks
        self._text: str | None = None

    def __contains__(self, key: str) -> bool:
        if self._text is None:
            self._text = " | ".join(normal(b.text) for b in self._blocks)
        return key in self._text


def recover_dropped_lead(blocks: list[Block], tree: _Element, language: str | None) -> None:
    """Insert the first prose paragraph (80–700 characters, in the article's language, no rule against it)
    that stands between the page's headline and the article's first kept block; where that paragraph (or
    a lead the extractor kept) sits in a lead box (``class="teaser-text"``, ``intro``, …), the box's
    further paragraphs too, in the page's order.

    The headline is the last ``h1`` before the article, or else a subheading element that reads as the
    title the cleanup chose. Nothing is inserted where neither stands before the kept text.
    """
    at = _title_at(blocks)
    if at is None:
        return
    lead_at = at + 1 if at + 1 < len(blocks) and blocks[at + 1].type == "lead" else None
    if any(b.type == "lead" for b in blocks) and lead_at is None:
        return
    after = (lead_at if lead_at is not None else at) + 1
    if after >= len(blocks):
        return
    firsts = [normal(b.text) for b in blocks[after : after + MAX_FIRST_BLOCKS]]
    candidates = _between_headline_and(tree, normal(blocks[at].text), firsts)
    if candidates is None:
        return
    kept = _KeptText(blocks)
    if lead_at is not None:
        _complete_lead_box(blocks, lead_at, candidates, kept, language)
        return
    found: list[str] = []
    box: _Element | None = None
    for element, text, _key in candidates:
        if box is not None and not _inside(element, box):
            break
        own_box = box if box is not None else _lead_box(element)
        if not _reads_as_lead(text, kept, language, boxed=own_box is not None):
            continue
        found.append(text)
        box = own_box
        if box is None or len(found) >= MAX_LEAD_PARAGRAPHS:
            break
    blocks[after:after] = [Block("lead", text) for text in found]


def _complete_lead_box(
    blocks: list[Block], lead_at: int, candidates: list[_Candidate], kept: _KeptText, language: str | None
) -> None:
    """Put the paragraphs of a lead box the extractor dropped around the lead it kept, in the page's order
    (it may have taken the body's first paragraph for the lead, or kept one paragraph of the box)."""
    lead_key = normal(blocks[lead_at].text)
    before: list[str] = []
    after: list[str] = []
    for element, text, key in candidates:
        if key == lead_key:
            before, after = after, []
        elif _lead_box(element) is not None and _reads_as_lead(text, kept, language, boxed=True):
            after.append(text)
    before = before[-MAX_LEAD_PARAGRAPHS:]
    after = after[: MAX_LEAD_PARAGRAPHS - len(before)]
    blocks[lead_at + 1 : lead_at + 1] = [Block("lead", text) for text in after]
    blocks[lead_at:lead_at] = [Block("lead", text) for text in before]


def _between_headline_and(tree: _Element, title: str, firsts: list[str]) -> list[_Candidate] | None:
    """The text elements from the headline to the first of the article's kept blocks that follow it, or
    None where the walk meets no headline before one of them."""
    headline_seen, steps = False, 0
    candidates: list[_Candidate] = []
    for element in tree.iter("h1", *_SUBHEADINGS, "p", "div"):
        if element.tag == "h1" or (element.tag in _SUBHEADINGS and normal(element_text(element)) == title):
            headline_seen, steps, candidates = True, 0, []
            continue
        if not headline_seen:
            continue
        steps += 1
        if steps > MAX_LEAD_STEPS:
            headline_seen = False  # too far from the headline; a later one may still head the article
            continue
        text = own_text(element) if element.tag == "div" else element_text(element)
        key = normal(text)
        if not key:
            continue
        if any(key == first or (len(first) > 40 and first[:60] in key) for first in firsts):
            return candidates
        if element.tag not in _SUBHEADINGS and not _elsewhere(element):
            candidates.append(_Candidate(element, text, key))
    return None


def _reads_as_lead(text: str, kept: _KeptText, language: str | None, *, boxed: bool) -> bool:
    """Prose of a lead's size, not yet kept, in the article's language, and no rule against it; where the
    page's markup names it the lead, it may be longer and end without a full stop."""
    longest = MAX_BOXED_LEAD_CHARS if boxed else MAX_LEAD_CHARS
    if not MIN_LEAD_CHARS <= len(text) <= longest or normal(text) in kept:
        return False
    prose = is_prose(text) or (
        boxed and len(text.split()) >= MIN_BOXED_LEAD_WORDS and len(_LIST_SEPARATOR.findall(text)) < 2
    )
    if not prose or line_hit(text) is not None:
        return False
    return language is None or detect_language(text) == language


def _lead_box(element: _Element) -> _Element | None:
    """The element itself or a near ancestor whose class or id names it the lead."""
    node: _Element | None = element
    for _level in range(3):
        if node is None or node.tag in ("article", "main", "body"):
            return None
        if LEAD_CLASS.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return node
        node = node.getparent()
    return None


def _elsewhere(element: _Element) -> bool:
    """Text inside a link (another page's teaser) or a comment is never this article's lead."""
    for ancestor in element.iterancestors():
        if ancestor.tag == "a" or _COMMENT.search(f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"):
            return True
    return False


def _inside(element: _Element, box: _Element) -> bool:
    return element is box or any(ancestor is box for ancestor in element.iterancestors())
