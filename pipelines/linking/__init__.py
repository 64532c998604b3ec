"""Linking decisions: mentions → Wikidata items or NIL (see linker.py)."""

from pipelines.linking.errors import LinkingError
from pipelines.linking.linker import MODES, Linker
from pipelines.linking.morphology import nil_key

__all__ = ["MODES", "Linker", "LinkingError", "nil_key"]
