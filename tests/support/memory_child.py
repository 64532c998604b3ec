"""A child process's task that holds some memory for a while (light to import: spawned children import it)."""

from __future__ import annotations

import time


def hold_memory(megabytes: int, seconds: float) -> None:
    block = bytearray(megabytes * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
    time.sleep(seconds)
