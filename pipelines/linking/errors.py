"""Errors of the linking package."""

from __future__ import annotations


class LinkingError(ValueError):
    """Bad input to the linker (names the mention and what is wrong with it)."""
