"""Lines a site repeats across tonight's pages: its menus, footers and boxes, whatever their words.

The rules know the furniture of the outlets someone wrote them for; a site nobody wrote one for still
shows the same menu, footer and newsletter box on every article page, word for word, while its articles
differ. A line standing on at least ``MIN_PAGES`` of a site's pages tonight, and on at least half of
them, is the site's, not the article's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipelines.cleanup.invisible import drop_invisible

MIN_PAGES = 3
MIN_SHARE = 0.5
_SPACE = re.compile(r"\s+")


def line_key(line: str) -> str:
    return _SPACE.sub(" ", drop_invisible(line)).strip()


def site_of(url: str | None) -> str | None:
    """The site a page belongs to: its host name, without ``www.``; None for a URL without a host."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or None


@dataclass(frozen=True)
class SiteLines:
    """How many of a site's pages tonight hold each line."""

    site: str
    pages: int
    counts: Counter[str] = field(default_factory=Counter)

    def repeated(self, line: str) -> int | None:
        """On how many pages the line stands, if that makes it the site's furniture; else None."""
        count = self.counts.get(line_key(line), 0)
        return count if count >= MIN_PAGES and count >= MIN_SHARE * self.pages else None


def count_sites(pages: Iterable[tuple[str, str]]) -> dict[str, SiteLines]:
    """For (site, text dump) pairs, per site: how many pages hold each non-empty line."""
    counts: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for site, text in pages:
        totals[site] += 1
        counts.setdefault(site, Counter()).update({key for line in text.splitlines() if (key := line_key(line))})
    return {site: SiteLines(site, totals[site], counts[site]) for site in counts}
