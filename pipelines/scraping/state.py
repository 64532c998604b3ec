"""The scraper's persistent state under the state folder: one SQLite file, ``scrape.sqlite``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pipelines.scraping.ledger import RetryLedger, RetryPolicy
from pipelines.scraping.memory import PageMemory

STATE_FILE = "scrape.sqlite"


class ScrapeState:
    """Page memory (validators, versions, each night's documents) and the retry ledger."""

    def __init__(self, connection: sqlite3.Connection, policy: RetryPolicy | None = None) -> None:
        self.db = connection
        self.pages = PageMemory(connection)
        self.ledger = RetryLedger(connection, policy)

    @classmethod
    def open(cls, state_dir: Path, policy: RetryPolicy | None = None) -> ScrapeState:
        state_dir.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(state_dir / STATE_FILE, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        return cls(connection, policy)

    @classmethod
    def in_memory(cls, policy: RetryPolicy | None = None) -> ScrapeState:
        """State that lasts one run (no conditional GETs or retries across nights)."""
        return cls(sqlite3.connect(":memory:"), policy)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ScrapeState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
