"""Sharing the query workers between clients, so one client (or two) cannot take them all.

Each client may run at most ``per_client`` queries at once; a request beyond that waits in the
queue like any other. When a worker frees up it goes to the waiting client that is running the
fewest queries; among equals, to the one served longest ago (round robin), so a client that
resends the moment its query ends does not jump ahead of one that has been waiting. Nobody waits
longer than the queue's own deadline: a request that gets no worker in time is answered "busy" at
once instead of piling up.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class FairGate:
    """``slots`` worker slots handed out fairly; ``acquire`` waits at most its timeout."""

    slots: int
    per_client: int = 1
    _cond: threading.Condition = field(default_factory=threading.Condition, init=False)
    _running: Counter[str] = field(default_factory=Counter, init=False)
    _waiting: list[tuple[int, str]] = field(default_factory=list, init=False)
    _tickets: itertools.count[int] = field(default_factory=itertools.count, init=False)
    _served: dict[str, int] = field(default_factory=dict, init=False)  # client -> ticket last given a slot

    def _next(self) -> int | None:
        """The ticket to serve now: a free slot, the least-running eligible client, the oldest ticket."""
        if sum(self._running.values()) >= self.slots:
            return None
        eligible = [
            (self._running[c], self._served.get(c, -1), t)
            for t, c in self._waiting
            if self._running[c] < self.per_client
        ]
        return min(eligible)[2] if eligible else None

    def acquire(self, client: str, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        with self._cond:
            ticket = next(self._tickets)
            self._waiting.append((ticket, client))
            try:
                while self._next() != ticket:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._cond.wait(remaining)
                self._running[client] += 1
                self._served[client] = ticket
                return True
            finally:
                self._waiting.remove((ticket, client))
                self._cond.notify_all()

    def release(self, client: str) -> None:
        with self._cond:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]
            if len(self._served) > 10_000:  # forget idle clients; only the order among recent ones matters
                self._served = {c: t for c, t in self._served.items() if c in self._running}
            self._cond.notify_all()

    def running(self, client: str) -> int:
        with self._cond:
            return self._running[client]
