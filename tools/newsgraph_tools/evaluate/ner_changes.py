"""What a normaliser option changes on unseen news, for reading by eye.

``python -m newsgraph_tools.evaluate.ner_changes --option repair_spans --option consistent_parts
[--limit N]`` tags each article of ../shared/corpora/10kgnad/test.csv once (evaluation only: the corpus
is non-commercial and never trained on), runs the entity normaliser with the options off and on, and
prints as JSON how many mentions were dropped, added, re-spanned and re-typed, each with its context.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language

from newsgraph_tools.checkout import SHARED
from newsgraph_tools.evaluate.news import read_news_csv
from pipelines.ner.components import NORMALIZER_FACTORY, EntityNormalizer

Span3 = tuple[int, int, str]
CONTEXT = 30


def mention_changes(text: str, before: Iterable[Span3], after: Iterable[Span3]) -> list[dict[str, str]]:
    """Each mention that differs: ``retyped`` (same span), ``respanned`` (overlapping), ``dropped`` or ``added``."""
    gone = sorted(set(before) - set(after))
    new = sorted(set(after) - set(before))
    changes = []

    def row(kind: str, old: Span3 | None, now: Span3 | None) -> dict[str, str]:
        start = min(s[0] for s in (old, now) if s is not None)
        end = max(s[1] for s in (old, now) if s is not None)
        return {
            "change": kind,
            "before": f"{text[old[0] : old[1]]} {old[2]}" if old else "",
            "after": f"{text[now[0] : now[1]]} {now[2]}" if now else "",
            "context": " ".join(text[max(0, start - CONTEXT) : end + CONTEXT].split()),
        }

    for old in gone:
        match = next((n for n in new if n[0] < old[1] and old[0] < n[1]), None)
        if match is None:
            changes.append(row("dropped", old, None))
            continue
        new.remove(match)
        changes.append(row("retyped" if match[:2] == old[:2] else "respanned", old, match))
    changes.extend(row("added", None, now) for now in new)
    return changes


def compare_options(nlp: Language, texts: Sequence[str], options: Sequence[str]) -> dict[str, Any]:
    """Counts and list of the mention changes the normaliser ``options`` make on ``texts``."""
    normalizer = nlp.get_pipe(NORMALIZER_FACTORY)
    if not isinstance(normalizer, EntityNormalizer):
        raise ValueError(f"the pipeline has no {NORMALIZER_FACTORY} component")
    saved = {option: getattr(normalizer, option) for option in options}
    changes: list[dict[str, str]] = []
    mentions = {False: 0, True: 0}
    try:
        with nlp.select_pipes(disable=[NORMALIZER_FACTORY]):
            tagged = list(nlp.pipe(texts))
        for doc in tagged:
            found: dict[bool, set[Span3]] = {}
            for on in (False, True):
                for option in options:
                    setattr(normalizer, option, on)
                out = normalizer(doc.copy())
                found[on] = {(e.start_char, e.end_char, e.label_) for e in out.ents}
                mentions[on] += len(found[on])
            changes.extend(mention_changes(doc.text, found[False], found[True]))
    finally:
        for option, value in saved.items():
            setattr(normalizer, option, value)
    return {
        "options": list(options),
        "articles": len(texts),
        "mentions_off": mentions[False],
        "mentions_on": mentions[True],
        "counts": dict(Counter(c["change"] for c in changes)),
        "changes": changes,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the JSON report of the module docstring."""
    from pipelines.ner.loading import load_ner

    parser = argparse.ArgumentParser(prog="python -m newsgraph_tools.evaluate.ner_changes", description=__doc__)
    parser.add_argument("--option", action="append", required=True, help="a boolean normaliser option, repeatable")
    parser.add_argument("--model", default="default")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "10kgnad" / "test.csv")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args(argv)
    texts = [article.text for article in read_news_csv(args.corpus)][: args.limit]
    report = compare_options(load_ner(args.model), texts, args.option)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
