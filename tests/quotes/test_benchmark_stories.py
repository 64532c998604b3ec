"""Stories on the benchmark corpus: the five sample articles report one event, every other page its own.

Two copies of each base page (the benchmark varies copies by one paragraph) go through the real
cleanup, NER model, linker and quote finder as one night; a story may only hold copies of one page or
the sample articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from newsgraph_tools.bench.corpus import DEFAULT_SAMPLES_DIR, base_pages, build_corpus
from pipelines import factory
from pipelines.cleanup import clean_document
from pipelines.namespaces import Namespaces
from pipelines.ner import find_mentions
from pipelines.quotes.stage import article_quotes, night_stories
from pipelines.settings import Settings

NIGHT = date(2026, 1, 1)


@pytest.fixture(scope="module")
def night() -> dict[str, str]:
    """Story id -> base page of each article in a story, for a night of two copies of every base page."""
    settings = Settings.from_env()
    pages = build_corpus(2 * len(base_pages()))
    profiles = factory.profiles(settings)
    clean = {
        f"p{i:03d}": clean_document(p.body, p.content_type, url=f"https://bench.example{p.path}", profiles=profiles)
        for i, p in enumerate(pages)
    }
    base = {f"p{i:03d}": p.base for i, p in enumerate(pages)}
    nlp = factory.ner_for(settings)
    linker = factory.linker(settings)
    ids = list(clean)
    found = find_mentions(nlp, [clean[d].text for d in ids])
    linked = {d: linker.link(clean[d].text, mentions) for d, mentions in zip(ids, found, strict=True)}
    quotes = {d: article_quotes(d, clean[d], linked[d]) for d in ids}
    stories = night_stories(clean, linked, quotes, Namespaces(), NIGHT)
    return {f"{s.story_id}/{d}": base[d] for s in stories for d in s.articles}


def test_no_two_unrelated_benchmark_articles_share_a_story(night: dict[str, str]) -> None:
    samples = {p.stem for p in DEFAULT_SAMPLES_DIR.glob("*.txt")}
    members: dict[str, set[str]] = {}
    for key, page in night.items():
        members.setdefault(key.split("/", 1)[0], set()).add(page)
    for pages in members.values():
        assert len(pages) == 1 or pages <= samples, sorted(pages)


def test_the_sample_articles_are_one_story(night: dict[str, str]) -> None:
    samples = {p.stem for p in DEFAULT_SAMPLES_DIR.glob("*.txt")}
    holding = {key.split("/", 1)[0] for key, page in night.items() if page in samples}
    assert len(holding) == 1
    assert {page for key, page in night.items() if key.split("/", 1)[0] in holding} == samples
