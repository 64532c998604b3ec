"""Resident memory of this process (and of its worker processes), sampled in a thread while a stage runs.

Linux only (``/proc/self/status``): ``VmRSS`` is the resident set now, ``VmHWM`` the process's peak
so far. A stage's peak is the highest ``VmRSS`` seen while it ran (sampled every few milliseconds,
so a spike shorter than the interval can be missed; the process peak ``VmHWM`` never misses one).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

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


def _status_kb(key: str, pid: int | str = "self") -> int:
    """A size line of /proc/<pid>/status in kB (0 where the process or the line is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
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


class _Polling:
    """Calls ``sample`` every ``interval_s`` in a daemon thread between ``_start`` and ``_finish`` (and once more
    at the finish, so the end of the block is never missed)."""

    def __init__(self, interval_s: float, name: str) -> None:
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def _start(self) -> None:
        self._thread.start()

    def _finish(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._finish()


class RssSampler(_Polling):
    """``with RssSampler() as s: ...`` then ``s.peak_mb``: the highest RSS seen inside the block."""

    def __init__(self, interval_s: float = 0.01) -> None:
        super().__init__(interval_s, "rss-sampler")
        self.start_mb = 0.0
        self.peak_mb = 0.0
        self._exact = False

    def sample(self) -> None:
        self.peak_mb = max(self.peak_mb, rss_mb())

    def __enter__(self) -> RssSampler:
        self._exact = reset_peak()  # then VmHWM at the end is this block's exact peak
        self.start_mb = self.peak_mb = rss_mb()
        self._start()
        return self

    def _finish(self) -> None:
        super()._finish()
        self.peak_mb = max(self.peak_mb, process_peak_mb() if self._exact else 0.0)


def _children_of(root: int) -> list[int]:
    """Every live descendant of ``root`` (from the parent pid in /proc/<pid>/stat)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name in parentheses may hold spaces: the fields after its last ")" are fixed
        parent = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    frontier = [root]
    while frontier:
        kids = children.get(frontier.pop(), [])
        found.extend(kids)
        frontier.extend(kids)
    return found


class ProcessTreeSampler(_Polling):
    """``with ProcessTreeSampler() as t: ...``: the peak of each child process and of the whole tree.

    The kernel's ``RUSAGE_CHILDREN`` peak of a spawned worker counts the parent's image it was forked
    from before it exec'd, so it says how big the parent was, not the worker. Each live descendant's
    own ``VmHWM`` (its peak since exec) is read from /proc every ``interval_s`` instead, and the sum of
    ``VmRSS`` over this process and its descendants at each sample gives the most the night held at
    once. A child's growth in its last interval before it exits, and a tree spike shorter than one
    interval, can be missed.
    """

    def __init__(self, interval_s: float = 0.5) -> None:
        super().__init__(interval_s, "process-tree-sampler")
        self.child_peaks_mb: dict[int, float] = {}
        self.tree_peak_mb = 0.0
        self._root = os.getpid()

    def sample(self) -> None:
        tree_kb = _status_kb("VmRSS", self._root)
        for pid in _children_of(self._root):
            peak_mb = _status_kb("VmHWM", pid) / 1024
            if peak_mb:
                self.child_peaks_mb[pid] = max(self.child_peaks_mb.get(pid, 0.0), peak_mb)
            tree_kb += _status_kb("VmRSS", pid)
        self.tree_peak_mb = max(self.tree_peak_mb, tree_kb / 1024)

    @property
    def largest_child_mb(self) -> float:
        return max(self.child_peaks_mb.values(), default=0.0)

    def __enter__(self) -> ProcessTreeSampler:
        self.sample()
        self._start()
        return self
