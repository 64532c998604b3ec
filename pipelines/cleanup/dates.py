"""Dates as written in German news pages ("12.01.2022", "3. Mai 2024", "2022-01") to ISO, and the
"date 2022-01" field labels naive scrapers leave in front of a line."""

from __future__ import annotations

import re

_DATE_DMY = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "januar",
            "februar",
            "märz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ]
    )
}
_DATE_LONG = re.compile(r"\b(\d{1,2})\.\s(" + "|".join(_MONTHS) + r")\s(\d{4})\b", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO (YYYY-MM-DD, or YYYY-MM when only that is given)."""
    if m := _DATE_ISO.search(text):
        return m.group(0)
    if m := _DATE_DMY.search(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return f"{year:04d}-{month:02d}-{day:02d}"
    if m := _DATE_LONG.search(text):
        return f"{int(m.group(3)):04d}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    return None


_DATE_LABEL = re.compile(r"^\s*(?:date|datum)\s*:?\s*(?P<date>\d{4}-\d{2}(?:-\d{2})?)\b\s*", re.IGNORECASE)


def split_date_label(line: str) -> tuple[str, str | None]:
    """A leaked "date 2022-01 " field label at the start: (rest of the line, the date)."""
    m = _DATE_LABEL.match(line)
    if not m:
        return line, None
    return line[m.end() :], m.group("date")
