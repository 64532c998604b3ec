"""Teasers found by the link below them: a headline or a cut-off blurb followed by "Weiterlesen", "Mehr"
or "Read more" points to another page. A whole paragraph above such a link stays: on a paywalled news
page it is the article's lead above "Weiterlesen".
"""

from __future__ import annotations

import re

from pipelines.cleanup.categories import Hit
from pipelines.cleanup.lines import Line, is_headline_like

READ_MORE = re.compile(
    r"^[»›→>\s]*(?:Weiterlesen|Weiter lesen|Mehr|Mehr lesen|Mehr erfahren|Read more|Continue reading|Zum Artikel|"
    r"Zum Beitrag|Artikel lesen|Beitrag lesen|Ganzen Artikel lesen)\s*[»›→>…]*$",
    re.IGNORECASE,
)
CUT_OFF = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*$")


def _cut_off_or_headline(text: str) -> str | None:
    if CUT_OFF.search(text):
        return "text cut off above a read-more link (teaser of another page)"
    if is_headline_like(text):
        return "headline above a read-more link (teaser of another page)"
    return None


def mark_read_more_teasers(lines: list[Line]) -> None:
    """The kept line right above a read-more link is a teaser if it is cut off or a headline."""
    previous: Line | None = None
    for line in lines:
        if line.blank:
            continue
        linked = previous is not None and previous.kept and READ_MORE.match(line.text)
        if linked and previous is not None and (why := _cut_off_or_headline(previous.text)):
            previous.hit = Hit("teaser", why)
        previous = line
