"""Paragraphs a site repeats across tonight's HTML pages: the boxes the extractor keeps as text.

The main-content extractor keeps what reads like prose, and some furniture does: the author's note under
every article, a plea to support the newsroom, where a series first ran. On one page each is a paragraph
like any other; across a site's cleaned pages tonight it stands word for word under different headlines.
A paragraph on at least ``MIN_PAGES`` of a site's HTML pages, on at least half of them and under as many
different titles, is the site's, not the article's (the numbers of ``site_lines``, which does the same
for text dumps line by line). Different titles keep the paragraphs that versions of one story share.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from pipelines.cleanup.site_lines import MIN_PAGES, MIN_SHARE, line_key
from pipelines.domain import CleanDocument, Removal

CATEGORY = "boilerplate"


def _title(clean: CleanDocument, index: int) -> str:
    """The page's headline; a page without one counts as a story of its own."""
    title = clean.title or next((b.text for b in clean.blocks if b.type == "title"), None)
    return line_key(title) if title else f"#{index}"


def repeated_paragraphs(pages: Iterable[tuple[str, CleanDocument]]) -> dict[str, frozenset[str]]:
    """For (site, cleaned HTML page) pairs: per site, the keys (``site_lines.line_key``) of the paragraphs
    it repeats tonight. Sites with fewer than ``MIN_PAGES`` pages repeat nothing."""
    by_site: dict[str, list[CleanDocument]] = {}
    for site, clean in pages:
        by_site.setdefault(site, []).append(clean)
    out: dict[str, frozenset[str]] = {}
    for site, docs in by_site.items():
        if len(docs) < MIN_PAGES:
            continue
        counts: Counter[str] = Counter()
        titles: dict[str, set[str]] = {}
        for index, clean in enumerate(docs):
            title = _title(clean, index)
            for key in {line_key(b.text) for b in clean.blocks if b.type != "title"} - {""}:
                counts[key] += 1
                titles.setdefault(key, set()).add(title)
        repeated = frozenset(
            key
            for key, count in counts.items()
            if count >= MIN_PAGES and count >= MIN_SHARE * len(docs) and len(titles[key]) >= MIN_PAGES
        )
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
        f"word for word on {MIN_PAGES} or more and half of the HTML pages of {site} tonight, under different "
        "headlines: the site's, not the article's"
    )
    dropped = [Removal(b.text, CATEGORY, reason) for b, gone in zip(clean.blocks, goes, strict=True) if gone]
    return dataclasses.replace(clean, blocks=kept, removed=[*clean.removed, *dropped])
