"""Benchmark (not a test): how much linking adds to NER time on the sample corpus replicated N times.

The target is "linking adds ≤ 20 % to NER time, cache warm": one warm-up pass fills the index's and the
Wikidata client's caches, then NER and linking are timed separately over ``texts × repeat``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from newsgraph_tools.evaluate.linking import load_gold
from pipelines.domain import Mention
from pipelines.linking.linker import Linker


def sample_texts(gold_dir: Path, cleanup_dir: Path) -> list[str]:
    """The clean texts of the seed articles (the same texts the gold refers to)."""
    return [article.text for article in load_gold(gold_dir, cleanup_dir)]


def measure_speed(
    linker: Linker,
    find_mentions: Callable[[str], list[Mention]],
    texts: Sequence[str],
    *,
    repeat: int = 100,
) -> dict[str, float]:
    """Seconds of NER and of linking over ``texts`` replicated ``repeat`` times, and their ratio."""
    if repeat < 1 or not texts:
        raise ValueError(f"measure_speed needs texts and repeat >= 1 (got {len(texts)} texts, repeat={repeat})")
    for text in texts:  # warm-up: caches filled, lazy loading done
        linker.link(text, find_mentions(text))
    corpus = list(texts) * repeat
    started = time.perf_counter()
    found = [find_mentions(text) for text in corpus]
    ner_seconds = time.perf_counter() - started
    started = time.perf_counter()
    linked = sum(len(linker.link(text, mentions)) for text, mentions in zip(corpus, found, strict=True))
    linking_seconds = time.perf_counter() - started
    return {
        "documents": float(len(corpus)),
        "mentions": float(linked),
        "ner_seconds": round(ner_seconds, 4),
        "linking_seconds": round(linking_seconds, 4),
        "linking_ms_per_document": round(1000 * linking_seconds / len(corpus), 3),
        "linking_us_per_mention": round(1e6 * linking_seconds / max(1, linked), 1),
        "linking_to_ner_ratio": round(linking_seconds / ner_seconds, 4) if ner_seconds > 0 else float("inf"),
    }
