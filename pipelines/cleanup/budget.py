"""A time budget for cleaning one page, so one pathological page cannot hold up a night.

CPython's regular-expression engine checks for signals while it matches, so a SIGALRM timer
interrupts even a backtracking pattern. Timers only fire in the main thread of a process; off it
(or where the platform has no ``setitimer``) the budget is not enforced.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from pipelines.cleanup.errors import CleanupError

DEFAULT_PAGE_BUDGET_S = 10.0


class OverBudgetError(CleanupError):
    """Cleaning one page took longer than its budget."""


@contextmanager
def page_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise OverBudgetError inside the block once ``seconds`` (default DEFAULT_PAGE_BUDGET_S) have passed."""
    seconds = DEFAULT_PAGE_BUDGET_S if seconds is None else seconds
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise OverBudgetError(f"cleanup took longer than the per-page budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
