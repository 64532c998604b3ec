"""spaCy imported without PyTorch, which its ML library would otherwise load only because it is installed.

thinc (spaCy's) imports ``torch`` at import time when it can. The shipped models run on ONNX Runtime
and never use it, but a machine with the tools' train extra has it installed, and every process that
tags then pays for it: 1.0 s and ~180 MB more at ``import spacy`` on the bench machine. While spaCy
is imported, ``torch`` is made unimportable; afterwards it is importable again (training imports it
itself), and thinc simply runs without its PyTorch support, which nothing here uses.
"""

from __future__ import annotations

import sys


def import_spacy_without_torch() -> None:
    """Import spaCy (and thinc) with ``torch`` hidden, unless one of them, or torch, is already loaded."""
    if any(name in sys.modules for name in ("spacy", "thinc", "torch")):
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # import torch -> ImportError
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", ...) is None:
            del sys.modules["torch"]
