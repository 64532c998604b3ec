"""Resident memory of this process, sampled in a thread while a stage runs.

Linux only (``/proc/self/status``): ``VmRSS`` is the resident set now, ``VmHWM`` the process's peak
so far. A stage's peak is the highest ``VmRSS`` seen while it ran (sampled every few milliseconds,
so a spike shorter than the interval can be missed; the process peak ``VmHWM`` never misses one).
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS; False where not permitted."""
    global _peak_before_resets_mb
    _peak_before_resets_mb = process_peak_mb()
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _status_kb(key: str) -> int:
    try:
        text = STATUS.read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    return _status_kb("VmRSS") / 1024


_peak_before_resets_mb = 0.0  # VmHWM as it was before RssSampler reset it


def process_peak_mb() -> float:
    """Highest resident memory this process ever had (VmHWM, and what it was before any reset), in MB."""
    return max(_status_kb("VmHWM") / 1024, _peak_before_resets_mb)


class RssSampler:
    """``with RssSampler() as s: ...`` then ``s.peak_mb``: the highest RSS seen inside the block."""

    def __init__(self, interval_s: float = 0.01) -> None:
        self.interval_s = interval_s
        self.start_mb = 0.0
        self.peak_mb = 0.0
        self._exact = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.peak_mb = max(self.peak_mb, rss_mb())

    def __enter__(self) -> RssSampler:
        self._exact = reset_peak()  # then VmHWM at the end is this block's exact peak
        self.start_mb = self.peak_mb = rss_mb()
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, rss_mb(), process_peak_mb() if self._exact else 0.0)
