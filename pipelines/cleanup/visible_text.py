"""An HTML page's visible text, one block a line: what a reader (or a naive scraper) sees of it.

The last resort for a page whose main text the extractor cannot find: the text mode, which knows
junk lines by what they say and where they stand, reads the page as a text dump instead. Unlike a
naive scraper's dump, each line knows whether the page shows it only as links (a menu, a list of
teasers), which is never article text. Walked with an explicit stack, so a deeply nested page cannot
exhaust the recursion limit.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import NamedTuple

from lxml.etree import _Element

from pipelines.cleanup.dom_furniture import INVISIBLE_TAGS

# elements a browser starts on a new line (HTML's block-level and table elements, and br)
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip
_UNSHOWN = INVISIBLE_TAGS | {"head"}  # the head's title names the page in a tab, not on it


class VisibleLine(NamedTuple):
    text: str
    links_only: bool  # every word of it is the text of a link


def visible_lines(root: _Element) -> list[VisibleLine]:
    """The text of ``root`` a browser would show, a line per block, white space collapsed, empty lines dropped."""
    lines: list[VisibleLine] = []
    current: list[str] = []
    linked = unlinked = 0
    for piece, in_link in itertools.chain(_pieces(root), [(None, False)]):  # the last line ends with the page
        if piece is None:  # a block starts or ends
            if line := " ".join("".join(current).split()):
                lines.append(VisibleLine(line, linked > 0 and unlinked == 0))
            current.clear()
            linked = unlinked = 0
            continue
        current.append(piece)
        if piece.strip():
            if in_link:
                linked += 1
            else:
                unlinked += 1
    return lines


def _pieces(root: _Element) -> Iterator[tuple[str | None, bool]]:
    """The page's text pieces in reading order, each with whether it is inside a link; ``None`` between blocks."""
    stack: list[tuple[_Element, bool]] = [(root, False)]
    links = 0  # open <a> elements around the current position
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else None  # comments and processing instructions
        if closing:
            if tag == "a":
                links -= 1
            if tag in BLOCK_TAGS:
                yield None, False
            if element.tail and element is not root:
                yield element.tail, links > 0
            continue
        if tag is None or tag in _UNSHOWN or element.get("hidden") is not None:
            if element.tail and element is not root:
                yield element.tail, links > 0
            continue
        if tag in BLOCK_TAGS:
            yield None, False
        if tag == "a":
            links += 1
        if element.text:
            yield element.text, links > 0
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
