"""The retry ledger: URLs that failed, retried on later nights up to a limit, then given up and reported.

A small SQLite table keyed by canonical URL. Attempts count *nights*, not requests: rerunning the
same night does not use up another attempt, so reruns stay idempotent.

Cleanup enters the pages it fails on too (reasons in ``CLEANUP_REASONS``). Such a page was
collected, so the scraper would find it unchanged and drop it; an open cleanup entry makes the
scraper emit it again, and only cleanup closes the entry, so its retries stay bounded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipelines.scraping.fetch import is_transient

_SCHEMA = """
CREATE TABLE IF NOT EXISTS retry_ledger (
    url TEXT PRIMARY KEY,          -- canonical URL
    source TEXT NOT NULL,
    attempts INTEGER NOT NULL,     -- nights on which it failed
    first_partition TEXT NOT NULL,
    last_partition TEXT NOT NULL,
    last_reason TEXT NOT NULL,
    last_detail TEXT NOT NULL,
    given_up INTEGER NOT NULL DEFAULT 0,
    resolved_partition TEXT        -- the night it was finally collected
)
"""


CLEANUP_REASONS = frozenset({"cleanup_over_budget", "cleanup_refused", "cleanup_raw_missing"})


def is_retryable(reason: str) -> bool:
    """Transient fetch failures, and every cleanup failure: a page may be fixed, or cleanup improved, by then."""
    return is_transient(reason) or reason in CLEANUP_REASONS


@dataclass(frozen=True)
class RetryPolicy:
    """How often a failed URL is tried again on later nights.

    A failure for which ``retryable(reason)`` is false (a 404, a binary file, a page in another
    language) is given up at once; others are tried on up to ``max_attempts`` nights in all.
    """

    max_attempts: int = 3
    retryable: Callable[[str], bool] = is_retryable

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {self.max_attempts}")


@dataclass(frozen=True)
class LedgerEntry:
    url: str
    source: str
    attempts: int
    first_partition: str
    last_partition: str
    last_reason: str
    last_detail: str
    given_up: bool
    resolved_partition: str | None = None

    @property
    def pending(self) -> bool:
        return not self.given_up and self.resolved_partition is None

    @property
    def after_collection(self) -> bool:
        """The page was collected but cleanup failed on it: owed to cleanup, not to the fetcher."""
        return self.last_reason in CLEANUP_REASONS

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__}


class RetryLedger:
    """Failed URLs and what became of them, persistent across nights."""

    def __init__(self, connection: sqlite3.Connection, policy: RetryPolicy | None = None) -> None:
        self.db = connection
        self.policy = policy or RetryPolicy()
        self.db.execute(_SCHEMA)
        self.db.commit()

    def entry(self, url: str) -> LedgerEntry | None:
        row = self.db.execute("SELECT * FROM retry_ledger WHERE url = ?", (url,)).fetchone()
        return _entry(row) if row else None

    def record_failure(self, url: str, source: str, reason: str, detail: str, partition: str) -> LedgerEntry:
        """Count tonight's failure (once per night) and decide whether the URL is given up."""
        old = self.entry(url)
        if old is None or old.resolved_partition is not None:
            attempts, first = 1, partition
        else:
            first = old.first_partition
            attempts = old.attempts if old.last_partition == partition else old.attempts + 1
        given_up = attempts >= self.policy.max_attempts or not self.policy.retryable(reason)
        self.db.execute(
            "INSERT OR REPLACE INTO retry_ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (url, source, attempts, first, partition, reason, detail, int(given_up)),
        )
        self.db.commit()
        entry = self.entry(url)
        assert entry is not None
        return entry

    def record_success(self, url: str, partition: str) -> LedgerEntry | None:
        """The URL was collected: close its entry (kept, so the status can say it recovered)."""
        old = self.entry(url)
        if old is None or old.resolved_partition is not None:
            return old
        self.db.execute("UPDATE retry_ledger SET resolved_partition = ?, given_up = 0 WHERE url = ?", (partition, url))
        self.db.commit()
        return self.entry(url)

    def record_collected(self, url: str, partition: str) -> LedgerEntry | None:
        """The scraper collected the URL: this closes a fetch failure, never an entry cleanup still owes."""
        old = self.entry(url)
        if old is not None and old.after_collection:
            return old
        return self.record_success(url, partition)

    def pending(self, source: str | None = None) -> list[LedgerEntry]:
        """URLs to try again: failed before, neither given up nor collected since."""
        query = "SELECT * FROM retry_ledger WHERE given_up = 0 AND resolved_partition IS NULL"
        params: tuple[str, ...] = ()
        if source is not None:
            query += " AND source = ?"
            params = (source,)
        return [_entry(r) for r in self.db.execute(query + " ORDER BY first_partition, url", params)]

    def given_up(self) -> list[LedgerEntry]:
        rows = self.db.execute("SELECT * FROM retry_ledger WHERE given_up = 1 ORDER BY last_partition, url")
        return [_entry(r) for r in rows]

    def forget(self, url: str) -> bool:
        """Give a given-up URL a fresh start (an operator fixed the cause); True if it was there."""
        cursor = self.db.execute("DELETE FROM retry_ledger WHERE url = ?", (url,))
        self.db.commit()
        return cursor.rowcount > 0


def _entry(row: sqlite3.Row | tuple[Any, ...]) -> LedgerEntry:
    values = tuple(row)
    url, source, attempts, first, last, reason, detail, given_up, resolved = values
    return LedgerEntry(url, source, attempts, first, last, reason, detail, bool(given_up), resolved)
