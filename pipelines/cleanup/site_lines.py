"""Lines a site repeats across tonight's pages: its menus, footers and boxes, whatever their words.

The rules know the furniture of the outlets someone wrote them for; a site nobody wrote one for still
shows the same menu, footer and newsletter box on every article page, word for word, while its articles
differ. A line standing on at least ``MIN_PAGES`` of a site's stories tonight, and on at least half of
them, is the site's, not the article's. Pages are counted as stories (``stories``): versions of one
article (an update under a new address, a print view) share most of their text, and what they share is
the article's, however many of the site's pages tonight they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipelines.cleanup.invisible import drop_invisible

MIN_PAGES = 3
MIN_SHARE = 0.5
LONG_LINE = 60  # a line this long is a paragraph of text, not a menu entry or a label
SAME_STORY = 0.5  # pages whose long lines overlap this much (shared / all of both) tell one story,
SAME_STORY_LINES = 3  # if they share at least this many (a short article's page is mostly furniture)
MAX_VERSIONS = 20  # a line on more pages than this is not what versions of one story share


def line_key(line: str) -> str:
    return " ".join(drop_invisible(line).split())


def site_of(url: str | None) -> str | None:
    """The site a page belongs to: its host name, without ``www.``; None for a URL without a host."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or None


@dataclass(frozen=True)
class SiteLines:
    """How many of a site's stories tonight hold each line."""

    site: str
    pages: int  # stories: versions of one article count once
    counts: Counter[str] = field(default_factory=Counter)

    def repeated(self, line: str) -> int | None:
        """On how many pages the line stands, if that makes it the site's furniture; else None."""
        count = self.counts.get(line_key(line), 0)
        return count if count >= MIN_PAGES and count >= MIN_SHARE * self.pages else None


def with_page(lines: SiteLines | None, site: str, keys: frozenset[str]) -> SiteLines:
    """A site's counts so far with one more page's keys, counted per page (stories are known only once all
    pages are in): what the streamed night cleans with before the night is over."""
    counts = lines.counts if lines is not None else Counter()
    counts.update(keys)
    return SiteLines(site, (lines.pages if lines is not None else 0) + 1, counts)


def stories(pages: Sequence[frozenset[str]]) -> list[int]:
    """For each page (its line keys), the number of its story: pages that share at least
    ``SAME_STORY_LINES`` long lines, and at least ``SAME_STORY`` of all the long lines of both (Jaccard),
    directly or through another page, are versions of one story.
    Only lines on at most ``MAX_VERSIONS`` pages propose a pair (the site's furniture is on all)."""
    long = [frozenset(key for key in keys if len(key) >= LONG_LINE) for keys in pages]
    holders: dict[str, list[int]] = {}
    for index, keys in enumerate(long):
        for key in keys:
            holders.setdefault(key, []).append(index)
    story = list(range(len(pages)))

    def root(index: int) -> int:
        while story[index] != index:
            story[index] = story[story[index]]
            index = story[index]
        return index

    checked: set[tuple[int, int]] = set()
    for held in holders.values():
        if not 2 <= len(held) <= MAX_VERSIONS:
            continue
        for i, first in enumerate(held):
            for second in held[i + 1 :]:
                if (first, second) in checked:
                    continue
                checked.add((first, second))
                shared = len(long[first] & long[second])
                if shared >= SAME_STORY_LINES and shared >= SAME_STORY * len(long[first] | long[second]):
                    one, other = sorted((root(first), root(second)))
                    story[other] = one  # a story is numbered by its first page
    return [root(index) for index in range(len(pages))]


def count_keys(pages: Iterable[tuple[str, frozenset[str]]]) -> dict[str, SiteLines]:
    """For (site, a page's line keys) pairs, per site: on how many stories (``stories``) each line stands."""
    by_site: dict[str, list[frozenset[str]]] = {}
    for site, keys in pages:
        by_site.setdefault(site, []).append(keys)
    out = {}
    for site, site_pages in by_site.items():
        lines_of_story: dict[int, set[str]] = {}
        for keys, story in zip(site_pages, stories(site_pages), strict=True):
            lines_of_story.setdefault(story, set()).update(keys)
        counts: Counter[str] = Counter()
        for story_lines in lines_of_story.values():
            counts.update(story_lines)
        out[site] = SiteLines(site, len(lines_of_story), counts)
    return out


def page_keys(text: str) -> frozenset[str]:
    """A text dump's non-empty lines, as ``SiteLines`` counts them."""
    return frozenset(key for line in text.splitlines() if (key := line_key(line)))


def count_sites(pages: Iterable[tuple[str, str]]) -> dict[str, SiteLines]:
    """For (site, text dump) pairs, per site: on how many stories each non-empty line stands."""
    return count_keys((site, page_keys(text)) for site, text in pages)
