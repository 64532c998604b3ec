"""The retry ledger counts nights, not runs, and gives up as configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.scraping import RetryPolicy, ScrapeState


def test_transient_failures_are_retried_on_later_nights_then_given_up(tmp_path: Path) -> None:
    with ScrapeState.open(tmp_path, RetryPolicy(max_attempts=3)) as state:
        ledger = state.ledger
        url = "https://news.example/a"
        first = ledger.record_failure(url, "site", "http_503", "Service Unavailable", "2026-11-20")
        assert (first.attempts, first.given_up, first.pending) == (1, False, True)
        rerun = ledger.record_failure(url, "site", "timeout", "no answer", "2026-11-20")
        assert rerun.attempts == 1 and rerun.last_reason == "timeout"  # a rerun of the night is not another try
        assert ledger.record_failure(url, "site", "timeout", "no answer", "2026-11-21").attempts == 2
        assert [e.url for e in ledger.pending("site")] == [url]
        assert ledger.pending("other") == []
        last = ledger.record_failure(url, "site", "timeout", "no answer", "2026-11-22")
        assert (last.attempts, last.given_up, last.first_partition) == (3, True, "2026-11-20")
        assert ledger.pending() == [] and [e.url for e in ledger.given_up()] == [url]
    with ScrapeState.open(tmp_path) as reopened:  # persistent
        entry = reopened.ledger.entry(url)
        assert entry is not None and entry.given_up
        assert reopened.ledger.forget(url) and reopened.ledger.entry(url) is None


def test_permanent_failures_are_given_up_at_once_and_success_resolves(tmp_path: Path) -> None:
    with ScrapeState.open(tmp_path) as state:
        gone = state.ledger.record_failure("https://news.example/gone", "site", "http_404", "Not Found", "2026-11-20")
        assert gone.given_up and gone.attempts == 1
        state.ledger.record_failure("https://news.example/b", "site", "connection_error", "reset", "2026-11-20")
        healed = state.ledger.record_success("https://news.example/b", "2026-11-21")
        assert healed is not None and healed.resolved_partition == "2026-11-21" and not healed.pending
        assert state.ledger.pending() == []
        again = state.ledger.record_failure("https://news.example/b", "site", "timeout", "slow", "2026-11-25")
        assert again.attempts == 1 and again.pending  # a new failure after recovery starts afresh


def test_policy_is_validated() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    always = RetryPolicy(max_attempts=2, retryable=lambda reason: True)
    with ScrapeState.in_memory(always) as state:
        entry = state.ledger.record_failure("https://news.example/x", "s", "http_404", "Not Found", "2026-11-20")
        assert not entry.given_up
