"""Being a polite visitor: robots.txt rules per host, and a per-host rate limit and concurrency cap.

robots.txt follows RFC 9309: a 2xx file is obeyed, a 4xx (no file) allows everything, and an
unreachable file or a 5xx forbids the host for the night (the pages are retried the next night).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: crawlers may ignore what follows the first 500 KiB


def origin_of(url: str) -> str:
    """scheme://host[:port]: what one robots.txt speaks for (RFC 9309), the key of :class:`RobotsCache`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class RobotsRules:
    """What one host's robots.txt says to us (or why we could not find out)."""

    parser: RobotFileParser | None  # None: no usable file
    allow_all: bool
    crawl_delay_s: float | None = None
    problem: str = ""  # why the host is forbidden when the file could not be read

    def allows(self, agent: str, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)


def parse_robots(text: str, agent: str) -> RobotsRules:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    delay = parser.crawl_delay(agent)
    return RobotsRules(parser=parser, allow_all=True, crawl_delay_s=float(delay) if delay is not None else None)


ALLOW_ALL = RobotsRules(parser=None, allow_all=True)


def forbid_all(problem: str) -> RobotsRules:
    return RobotsRules(parser=None, allow_all=False, problem=problem)


class RobotsCache:
    """robots.txt per origin (scheme://host:port), fetched once per night with ``load``."""

    def __init__(self, load: Callable[[str], RobotsRules]) -> None:
        self._load = load
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules(self, origin: str) -> RobotsRules:
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch per origin even when many workers ask at once
            if origin not in self._rules:
                self._rules[origin] = self._load(origin)
            return self._rules[origin]


class HostGate:
    """At most ``max_concurrent`` requests at once to one host, and at least ``interval_s`` between starts."""

    def __init__(self, max_concurrent: int, interval_s: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._lock = threading.Lock()
        self._next_start = 0.0
        self.interval_s = interval_s
        self._sleep = sleep

    def slow_down_to(self, interval_s: float) -> None:
        """Never speeds up: a stricter limit (robots Crawl-delay, a slower source) wins."""
        with self._lock:
            self.interval_s = max(self.interval_s, interval_s)

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self.interval_s
            if start > now:
                self._sleep(start - now)
            yield


class HostGates:
    """One :class:`HostGate` per host, created on first use."""

    def __init__(self, max_concurrent: int, default_rate_per_s: float) -> None:
        if max_concurrent < 1 or default_rate_per_s <= 0:
            raise ValueError("max_per_host must be at least 1 and the default rate positive")
        self.max_concurrent = max_concurrent
        self.default_interval_s = 1.0 / default_rate_per_s
        self._gates: dict[str, HostGate] = {}
        self._lock = threading.Lock()

    def gate(self, host: str, rate_per_s: float | None = None) -> HostGate:
        """The host's gate; a source's own ``rate_per_s`` sets a new gate's pace (faster or slower than
        the default), and on an existing gate can only slow it down."""
        interval = 1.0 / rate_per_s if rate_per_s else self.default_interval_s
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = HostGate(self.max_concurrent, interval)
                return gate
        if rate_per_s:
            gate.slow_down_to(interval)  # a host shared by several sources gets the slowest of their limits
        return gate
