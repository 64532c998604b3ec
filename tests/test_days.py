"""Which day an article and a run mean, and times in UTC, whatever the machine's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from pipelines.days import BERLIN, http_date_utc, news_day, night_of, to_utc_iso, utc_iso


def test_times_are_written_in_utc_with_z() -> None:
    berlin_evening = datetime(2026, 12, 6, 6, 2, 41, tzinfo=timezone(timedelta(hours=1)))
    assert utc_iso(berlin_evening) == "2026-12-06T05:02:41Z"
    assert to_utc_iso("2026-12-06T06:03:46.064013+01:00") == "2026-12-06T05:03:46.064013Z"
    assert to_utc_iso("2026-11-21T23:05:00Z") == "2026-11-21T23:05:00Z"
    assert to_utc_iso("2026-11-21T23:05:00") is None  # no zone: a guess would be wrong half the time
    assert to_utc_iso("yesterday") is None
    with pytest.raises(ValueError):
        utc_iso(datetime(2026, 1, 1))


def test_http_last_modified_becomes_utc() -> None:
    assert http_date_utc("Tue, 18 Jan 2022 09:12:00 GMT") == "2022-01-18T09:12:00Z"
    assert http_date_utc("Tue, 18 Jan 2022 10:12:00 +0100") == "2022-01-18T09:12:00Z"
    assert http_date_utc("not a date") is None
    assert http_date_utc(None) is None


@pytest.mark.parametrize(
    ("berlin", "night"),
    [
        (datetime(2026, 3, 10, 2, 0), "2026-03-09"),  # the schedule's tick
        (datetime(2026, 3, 10, 0, 30), "2026-03-09"),  # before the tick: still the day that ended
        (datetime(2026, 3, 10, 23, 59), "2026-03-09"),  # today's partition is still open
        (datetime(2026, 3, 29, 3, 0), "2026-03-28"),  # the night clocks skip 02:00
        (datetime(2026, 10, 25, 2, 30), "2026-10-24"),  # the night 02:00-03:00 happens twice
    ],
)
def test_a_run_means_the_berlin_day_that_ended_last(berlin: datetime, night: str) -> None:
    moment = berlin.replace(tzinfo=BERLIN)
    assert night_of(moment) == night
    assert night_of(moment.astimezone(UTC)) == night  # the same instant in any zone


def test_late_evening_utc_is_already_the_next_day_in_berlin() -> None:
    assert night_of(datetime(2026, 3, 9, 23, 30, tzinfo=UTC)) == "2026-03-09"  # 00:30 on the 10th in Berlin


@pytest.mark.parametrize(
    ("page", "last_modified", "captured", "day"),
    [
        ("2022-01-12", "2022-03-01T10:00:00Z", "2022-07-07", "2022-01-12"),  # the page's own date first
        ("2022-01-18T23:30:00+01:00", None, None, "2022-01-18"),  # the day the page says, not UTC's
        ("2022-01", "2022-01-19T08:00:00Z", None, "2022-01-19"),  # a month is no day: the source decides
        ("2022-01", None, "2022-01-18", "2022-01-18"),  # the sample manifest's capture date
        (None, None, "2022-07-07", "2022-07-07"),
        ("2022", None, None, None),  # nothing says which day: no day, never the night
        ("junk", "also junk", None, None),
    ],
)
def test_an_article_is_dated_by_its_page_then_its_source(
    page: str | None, last_modified: str | None, captured: str | None, day: str | None
) -> None:
    assert news_day(page, last_modified, captured) == day
