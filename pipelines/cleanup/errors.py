"""The one error type the cleanup stage raises for bad input (a ValueError with a one-line reason)."""

from __future__ import annotations


class CleanupError(ValueError):
    """Input the cleaner cannot work with: empty, undecodable, no article content, bad profile."""
