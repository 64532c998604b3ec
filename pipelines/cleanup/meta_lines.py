"""A post's meta line: when, by whom and where filed, strung together with separators ("Freitag | 14. Juni
2019 | 15:49 von Anna Beispiel in Mode | 0 Kommentare", "21. Jan 2022 // Anna Beispiel", "Posted 11. April
2018 by Anna Beispiel"). News pages and blogs set one above or under the article; its date and author go to
the metadata, the line itself is no article text.

A line counts only where a date stands in it with an author, a comment count or a separator, and little
else is left once those, times, weekdays and their connecting words are taken out: "Termin: 21.02.2020,
19 Uhr" (no separator) and "Bern, 17.08.2007 - Rede von Moritz Leuenberger beim Städtegipfel" (too much
left) stay, and so does a fixture or a result ("12.03.2024 | Hamburg – Bremen").
"""

from __future__ import annotations

import re

from pipelines.cleanup.categories import Hit
from pipelines.cleanup.dates import parse_date

MAX_META_LINE = 120
MAX_LEFT_WORDS = 3  # a category or a place may stand beside the date ("24. April 2020 | Pressemitteilungen")

_MONTH = r"(?:Jan|Feb|Mär|Mar|Apr|Mai|May|Jun|Jul|Aug|Sep|Okt|Oct|Nov|Dez|Dec)[a-zä]*\.?"
_DATE = re.compile(
    rf"\b\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
    rf"\b\d{{1,2}}\.?\s{_MONTH}\s\d{{4}}\b|\b{_MONTH}\s\d{{1,2}},?\s\d{{4}}\b",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s?(?:Uhr|AM|PM|h)\b)?|\b\d{1,2}\s?Uhr\b", re.IGNORECASE)
_NAME_WORD = r"[A-ZÄÖÜ][a-zäöüß][\w.'’-]*"  # "Anna", "McKay"; not "IN" of "von Anna IN Mode"
_AUTHOR = re.compile(rf"(?i:\b(?:von|by))\s+(?P<author>{_NAME_WORD}(?:\s+(?:von\s+|van\s+|de\s+)?{_NAME_WORD}){{0,2}})")
_COMMENTS = re.compile(r"\b\d+\s+(?:Kommentare?|Comments?|Antworten|Replies)\b", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"\b(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.IGNORECASE,
)
_CONNECTORS = re.compile(
    r"\b(?:am|um|at|on|in|posted|gepostet|veröffentlicht|erstellt|aktualisiert|updated|published|"
    r"geschrieben|written)\b",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\||\s(?://|/|•|·)\s")
_PAIRING = re.compile(r"\w\s+[–—-]\s+\w")
_SPLIT = re.compile(r"[\s|/•·,:;()#–—-]+")


def meta_line_hit(line: str) -> Hit | None:
    """A date-and-author line as a byline (a dateline where it names nobody), or None."""
    if len(line) > MAX_META_LINE or line.rstrip().endswith((".", "!", "?")) or not _DATE.search(line):
        return None
    author = _AUTHOR.search(line)
    if author is None and not _COMMENTS.search(line) and not _SEPARATOR.search(line):
        return None
    rest = line if author is None else line[: author.start()] + " " + line[author.end() :]
    for pattern in (_DATE, _TIME, _COMMENTS, _WEEKDAY, _CONNECTORS):
        rest = pattern.sub(" ", rest)
    if len([word for word in _SPLIT.split(rest) if word]) > MAX_LEFT_WORDS:
        return None
    if author is None and (_PAIRING.search(rest) or any(ch.isdigit() for ch in rest)):
        return None  # "12.03.2024 | Heim – Gast", "… | 2:1": a fixture or a result, not the post's date
    metadata = {"author": author.group("author")} if author else {}
    if date := parse_date(line):
        metadata["date"] = date
    if author:
        return Hit("byline", "date and author line of the post", metadata)
    return Hit("dateline", "date line of the post (date, time, category)", metadata)
