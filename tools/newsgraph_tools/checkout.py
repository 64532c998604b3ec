"""The checkout the tools work on: its saved test pages, gold judgements, bench notes and the models they write.

The tools are developer code, installed editable from the repository (``make install``), so the checkout
is the folder this package sits in; ../shared (third-party gold data and corpora) sits beside it.
"""

from __future__ import annotations

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
SHARED = CHECKOUT.parent / "shared"
