"""Errors of the knowledge-base package: one line that says what was wrong and where."""

from __future__ import annotations


class KBError(ValueError):
    """A knowledge-base source or index could not be read."""


class KBSourceError(KBError):
    """A source file is malformed (names the file and line)."""


class KBIndexError(KBError):
    """The SQLite index is missing or not an index built by build_index."""


class KBIndexOutdated(KBIndexError):
    """The index was built by another version of the code (schema differs): rebuild it."""
