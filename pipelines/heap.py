"""Keeping a long night's garbage collector off the objects that live all night.

A night's processes hold hundreds of thousands of objects from their first seconds to their last:
imported modules, the NER pipeline, the compiled shapes, the quote tables. CPython's full collections
walk all of them again and again although none ever becomes garbage; in a graph builder that walking
was a fifth of its CPU, taken from NER (bench/notes.md). Freezing them once they are loaded moves them
out of the collector's sight; what the night allocates afterwards is collected as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def settle() -> int:
    """Collect what is garbage now, then freeze everything still alive; returns how many objects
    the collector no longer walks. Call it in a process that has loaded what it keeps."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@contextmanager
def settled() -> Iterator[int]:
    """:func:`settle` for the time of the block, in a process that outlives it (a test run, a
    long-lived orchestrator): afterwards the frozen objects are the collector's again."""
    try:
        yield settle()
    finally:
        gc.unfreeze()
