"""Story grouping on a random sample of unseen news put on one day, printed for reading (evaluation only).

``python -m newsgraph_tools.evaluate.news_stories [--seed 14] [--size 400]`` reads ../shared/corpora/10kgnad/test.csv
(never shipped), runs the configured NER model (mentions cached like ``newsgraph eval linking``), the
linker and the quote finder, groups the sample as one night and prints each story with the start of its
articles, for judging by eye (bench/notes.md, issue 21). Nothing is written but the NER cache.
"""

from __future__ import annotations

import argparse
import random
from datetime import date
from pathlib import Path

from newsgraph_tools.checkout import SHARED
from pipelines.domain import Block, CleanDocument
from pipelines.namespaces import Namespaces
from pipelines.settings import Settings

DAY = date(2016, 1, 1)
SHOWN = 110


def main(argv: list[str] | None = None) -> int:
    from newsgraph_tools.evaluate.news import cached_mentions, model_key, read_news_csv
    from pipelines import factory
    from pipelines.ner import find_mentions
    from pipelines.quotes.stage import article_quotes, night_stories

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "10kgnad" / "test.csv")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--size", type=int, default=400)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    corpus = read_news_csv(args.corpus)
    nlp = factory.ner_for(settings)
    model = settings.ner_model.replace("/", "_")
    cache = settings.cache_dir / "eval" / f"mentions-{args.corpus.parent.name}-{model}.json"
    mentions = cached_mentions(corpus, lambda texts: find_mentions(nlp, texts), cache, model_key(nlp))
    linker = factory.linker(settings)
    sample = random.Random(args.seed).sample(range(len(corpus)), args.size)
    clean, linked, found = {}, {}, {}
    for i in sample:
        doc_id = f"row{corpus[i].row:05d}"
        clean[doc_id] = CleanDocument(title=None, blocks=[Block(type="body", text=corpus[i].text)], language="de")
        linked[doc_id] = linker.link(corpus[i].text, mentions[i])
        found[doc_id] = article_quotes(doc_id, clean[doc_id], linked[doc_id])
    stories = night_stories(clean, linked, found, Namespaces(), DAY)
    print(f"{len(stories)} stories, {sum(len(s.articles) for s in stories)} of {args.size} articles in them")
    for story in stories:
        print(f"--- {len(story.articles)} articles")
        for doc_id in story.articles:
            print(f"  {doc_id}  {clean[doc_id].text[:SHOWN]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
