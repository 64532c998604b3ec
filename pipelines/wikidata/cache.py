"""A persistent response cache (SQLite on disk), so a night's run asks Wikidata each question once."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any


class ResponseCache:
    """Maps a request key to its parsed JSON answer; entries older than ``max_age`` seconds are ignored."""

    def __init__(self, path: Path | str | None, *, max_age: float | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.max_age = max_age
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path) if self.path else ":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, body TEXT NOT NULL, stored REAL)"
            )
            self._conn.commit()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any | None:
        with self._lock:
            row = self._conn.execute("SELECT body, stored FROM responses WHERE key = ?", (key,)).fetchone()
        if row is None or (self.max_age is not None and time.time() - row[1] > self.max_age):
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(row[0])

    def put(self, key: str, value: Any) -> None:
        body = json.dumps(value, ensure_ascii=False)
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?)", (key, body, time.time()))
            self._conn.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        self._conn.close()
