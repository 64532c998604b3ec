"""Progress bars for long steps, shown only when the command line asks for them.

Library code wraps its long loops in :func:`track` or :func:`bar`; in a Dagster run, a test or a pipe
nothing is drawn and the loop runs as before. ``newsgraph`` turns bars on (:func:`shown`) when stderr
is a terminal and ``--quiet`` is not given, so scripts reading stdout never see them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import IO, Any, TypeVar

T = TypeVar("T")

_stream: IO[str] | None = None


@contextmanager
def shown(stream: IO[str] | None) -> Iterator[None]:
    """Draw bars on ``stream`` (None: draw none) until the block ends."""
    global _stream
    previous, _stream = _stream, stream
    try:
        yield
    finally:
        _stream = previous


def active() -> bool:
    return _stream is not None


def track(iterable: Iterable[T], desc: str, *, total: int | None = None, unit: str = "items") -> Iterable[T]:
    """``iterable`` itself when bars are off, else the same items with a bar advancing per item."""
    if _stream is None:
        return iterable
    if total is None and isinstance(iterable, Sized):
        total = len(iterable)
    return _tqdm(iterable=iterable, desc=desc, total=total, unit=unit)


@contextmanager
def bar(desc: str, *, total: float | None = None, unit: str = "items", unit_scale: bool = False) -> Iterator[Any]:
    """A bar advanced by hand (``.update(n)``); a do-nothing object when bars are off."""
    handle = _tqdm(desc=desc, total=total, unit=unit, unit_scale=unit_scale, disable=_stream is None)
    try:
        yield handle
    finally:
        handle.close()


def write(message: str) -> None:
    """A line on stderr that does not tear an open bar apart."""
    if _stream is None:
        print(message, file=sys.stderr, flush=True)
        return
    from tqdm import tqdm

    tqdm.write(message, file=_stream)


def _tqdm(**options: Any) -> Any:
    from tqdm import tqdm

    stream = _stream or sys.stderr
    options["unit"] = " " + options.get("unit", "items").lstrip()  # "4370 entities", "12.5 entities/s"
    sized = _columns(stream) > 0  # a terminal that reports no width (a bare pty) would get an empty bar
    return tqdm(file=stream, leave=False, dynamic_ncols=sized, ncols=None if sized else 80, mininterval=0.2, **options)


def _columns(stream: IO[str]) -> int:
    import os

    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 0
