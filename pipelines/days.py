"""Which day things belong to, and how times are written.

Two different days must never be confused: the day an article belongs to in the news (from the page
or what its source says about it) and the night that processed it (provenance, on the run). Times
are kept and written in UTC, so a value labelled UTC is UTC whatever the machine's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Berlin"  # the zone in which a night is a calendar day (partitions, the schedule)
BERLIN = ZoneInfo(TIMEZONE)


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_iso(moment: datetime) -> str:
    """``moment`` in UTC as ISO 8601 with ``Z``; a naive datetime is refused, its zone would be a guess."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_utc_iso(text: str) -> str | None:
    """An ISO 8601 datetime with any offset rewritten in UTC (``Z``); None for text that is none."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        return None
    return utc_iso(parsed) if parsed.tzinfo is not None else None


def http_date_utc(header: str | None) -> str | None:
    """An HTTP date (``Last-Modified``: RFC 9110, always GMT) as ISO 8601 UTC; None when absent or unreadable."""
    if not header:
        return None
    try:
        parsed = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    return utc_iso(parsed.replace(tzinfo=parsed.tzinfo or UTC))


def night_of(moment: datetime) -> str:
    """The night a run started at ``moment`` processes: the Berlin calendar day that ended last.

    The 02:00 schedule and ``newsgraph run`` without ``--date`` both ask this, so they mean the same
    day; today's own partition is still open and only runs when asked for by date.
    """
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone")
    return (moment.astimezone(BERLIN).date() - timedelta(days=1)).isoformat()


def news_day(page_date: str | None, last_modified: str | None, captured: str | None) -> str | None:
    """The day an article belongs to (YYYY-MM-DD), from what the page and its source say, never the night.

    In order: the page's own full date (text or HTML metadata, the day as written); the HTTP
    Last-Modified day in UTC; the capture date a replayed sample's manifest gives. A page date of only
    a month or year is too coarse for a day, so a source date decides then. None when nothing says.
    """
    for value in (page_date, last_modified, captured):
        day = _day(value)
        if day is not None:
            return day
    return None


def _day(value: str | None) -> str | None:
    """The calendar day a date or datetime is written with (a page's own date is the day it says)."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None
