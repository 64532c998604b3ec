"""Paragraphs a site repeats across tonight's HTML pages: the boxes the extractor keeps as text.

The main-content extractor keeps what reads like prose, and some furniture does: the author's note under
every article, a plea to support the newsroom, where a series first ran. On one page each is a paragraph
like any other; across a site's cleaned pages tonight it stands word for word under different headlines.
A paragraph on at least ``MIN_PAGES`` of a site's HTML pages, and on at least half of them, is the site's,
not the article's: the rule ``site_lines`` applies to text dumps line by line, pages counted as stories
in the same way (versions of one article keep what they share).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from pipelines.cleanup.site_lines import MIN_PAGES, count_keys, line_key
from pipelines.domain import CleanDocument, Removal

CATEGORY = "boilerplate"


def paragraph_keys(clean: CleanDocument) -> frozenset[str]:
    """The page's paragraphs (all but its title) as ``site_lines.line_key`` gives them."""
    return frozenset(key for b in clean.blocks if b.type != "title" and (key := line_key(b.text)))


def repeated_paragraphs(pages: Iterable[tuple[str, CleanDocument]]) -> dict[str, frozenset[str]]:
    """For (site, cleaned HTML page) pairs: per site, the keys (``site_lines.line_key``) of the paragraphs
    it repeats tonight, counted per story as ``site_lines`` counts a dump's lines."""
    sites = count_keys((site, paragraph_keys(clean)) for site, clean in pages)
    out = {}
    for site, paragraphs in sites.items():
        repeated = frozenset(key for key in paragraphs.counts if paragraphs.repeated(key) is not None)
        if repeated:
            out[site] = repeated
    return out


def drop_repeated(clean: CleanDocument, site: str, repeated: frozenset[str]) -> CleanDocument:
    """The page without the paragraphs its site repeats tonight, each recorded as removed; the page as it
    was if none is on it, or if they are all it has (nothing would be left to call the article)."""
    goes = [b.type != "title" and line_key(b.text) in repeated for b in clean.blocks]
    kept = [b for b, gone in zip(clean.blocks, goes, strict=True) if not gone]
    if not any(goes) or all(b.type == "title" for b in kept):
        return clean
    reason = (
        f"word for word on {MIN_PAGES} or more and half of the HTML pages of {site} tonight: the site's, "
        "not the article's"
    )
    dropped = [Removal(b.text, CATEGORY, reason) for b, gone in zip(clean.blocks, goes, strict=True) if gone]
    return dataclasses.replace(clean, blocks=kept, removed=[*clean.removed, *dropped])
