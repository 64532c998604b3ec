"""An HTML page's visible text, one block a line: what a reader (or a naive scraper) sees of it.

The last resort for a page whose main text the extractor cannot find: the text mode, which knows
junk lines by what they say and where they stand, reads the page as a text dump instead. Walked
with an explicit stack, so a deeply nested page cannot exhaust the recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterator

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


def visible_lines(root: _Element) -> list[str]:
    """The text of ``root`` a browser would show, a line per block, white space collapsed, empty lines dropped."""
    lines: list[str] = []
    current: list[str] = []
    for piece in _pieces(root):
        if piece is None:  # a block starts or ends
            if line := " ".join("".join(current).split()):
                lines.append(line)
            current.clear()
        else:
            current.append(piece)
    if line := " ".join("".join(current).split()):
        lines.append(line)
    return lines


def _pieces(root: _Element) -> Iterator[str | None]:
    stack: list[tuple[_Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else None  # comments and processing instructions
        if closing:
            if tag in BLOCK_TAGS:
                yield None
            if element.tail and element is not root:
                yield element.tail
            continue
        if tag is None or tag in _UNSHOWN or element.get("hidden") is not None:
            if element.tail and element is not root:
                yield element.tail
            continue
        if tag in BLOCK_TAGS:
            yield None
        if element.text:
            yield element.text
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
