"""A time budget for cleaning one page, so one pathological page cannot hold up a night.

CPython's regular-expression engine checks for signals while it matches, so a SIGALRM timer
interrupts even a backtracking pattern. Timers only fire in the main thread of a process; off it
(or where the platform has no ``setitimer``) the budget is not enforced.

The timer raises a ``BaseException``: libraries the cleanup calls catch ``Exception`` (trafilatura's
``load_html`` logs it and parses again), which would swallow an ordinary exception and let the page
run on. Should something swallow even that, the page still fails when it is done.
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


class _Expired(BaseException):
    """Raised by the timer inside the block; turned into OverBudgetError when it leaves the block."""


@contextmanager
def page_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise OverBudgetError inside the block once ``seconds`` (default DEFAULT_PAGE_BUDGET_S) have passed."""
    seconds = DEFAULT_PAGE_BUDGET_S if seconds is None else seconds
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    message = f"cleanup took longer than the per-page budget of {seconds:g} s"
    fired = False

    def expire(_signum: int, _frame: FrameType | None) -> None:
        nonlocal fired
        fired = True
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise OverBudgetError(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:
        raise OverBudgetError(message)
