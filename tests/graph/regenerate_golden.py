"""Rewrite tests/graph/golden/expected.trig from the golden input (review the diff before committing)."""

from __future__ import annotations

from tests.graph.samples import GOLDEN_DIR, golden_dataset

if __name__ == "__main__":
    golden_dataset().serialize(GOLDEN_DIR / "expected.trig", format="trig")
    print(f"wrote {GOLDEN_DIR / 'expected.trig'}")
