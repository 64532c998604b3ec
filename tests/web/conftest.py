"""A small published store (golden article, a hostile article, two nights) and a real server over it."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from pipelines.domain import Block, CleanDocument, EntityInfo, EntityLabel, LinkedMention, RawDocument, Removal
from pipelines.graph import build_article_graph, build_run_graph
from pipelines.namespaces import Namespaces
from pipelines.store import EmbeddedStore
from pipelines.web import StoreSpec, WebConfig, running_server
from tests.graph.samples import golden_dataset, golden_input, merge

NS = Namespaces()
HOSTILE_ID = "hostile0001"
SECOND_NIGHT = "2026-11-21"
HOSTILE_HEADLINE = 'Achtung <script>alert("headline")</script> & <b>fett</b>'
HOSTILE_TEXT = (
    'Der Bericht aus Berlin enthielt <script>alert("body")</script> und <img src=x onerror=alert(2)>.\n\n'
    "Die <b>Evil</b> GmbH widersprach in Berlin."
)
EVIL_NAME = "<b>Evil</b> GmbH"


def hostile_dataset() -> Dataset:
    """An article whose text, headline and an entity name carry markup, processed on a second night."""
    golden = golden_input()
    run = dataclasses.replace(
        golden["run"],
        run_id=SECOND_NIGHT,
        partition=SECOND_NIGHT,
        started_at=f"{SECOND_NIGHT}T23:00:00+00:00",
        ended_at=f"{SECOND_NIGHT}T23:05:00+00:00",
    )
    raw = RawDocument(
        doc_id=HOSTILE_ID,
        url="https://example.org/hostile",
        source="example-feed",
        content_type="text/html",
        content_hash=hashlib.sha256(HOSTILE_TEXT.encode()).hexdigest(),
        fetched_at=f"{SECOND_NIGHT}T22:00:00+00:00",
        outlet="Example <i>Zeitung</i>",
        language="de",
    )
    clean = CleanDocument(
        title=HOSTILE_HEADLINE,
        blocks=[Block(type="body", text=t) for t in HOSTILE_TEXT.split("\n\n")],
        removed=[Removal(text="<script>tracker()</script>", category="script", reason="<noscript> block", line=1)],
        metadata={"date": SECOND_NIGHT},
        language="de",
    )
    assert clean.text == HOSTILE_TEXT
    berlin = [i for i in range(len(HOSTILE_TEXT)) if HOSTILE_TEXT.startswith("Berlin", i)]
    evil = HOSTILE_TEXT.index(EVIL_NAME)
    mentions = [
        LinkedMention(start=b, end=b + 6, text="Berlin", label="LOC", qid="Q64", confidence=0.9, entity_name="Berlin")
        for b in berlin
    ]
    mentions.append(
        LinkedMention(
            start=evil,
            end=evil + len(EVIL_NAME),
            text=EVIL_NAME,
            label="ORG",
            qid=None,
            confidence=0.4,
            entity_name=EVIL_NAME,
        )
    )
    entities: dict[str, EntityInfo] = {"Q64": golden["entities"]["Q64"]}  # from ../shared/kb via the golden input
    article = build_article_graph(raw, clean, mentions, entities, run, NS)
    return merge(article, build_run_graph(run, NS, {"articles": 1}))


@dataclass(frozen=True)
class Published:
    store_path: Path
    dataset: Dataset


@dataclass(frozen=True)
class Site:
    url: str
    store_path: Path
    config: WebConfig


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    path = tmp_path_factory.mktemp("web") / "store"
    ds = merge(golden_dataset(), hostile_dataset())
    with EmbeddedStore(path) as store:
        store.publish(ds)
    return Published(path, ds)


@contextmanager
def serving(published: Published, tmp_path_factory: pytest.TempPathFactory, name: str, **limits: Any) -> Iterator[Site]:
    """A server on 127.0.0.1 over the published store, with its own dumps folder and the given limits."""
    config = WebConfig(StoreSpec(path=published.store_path), dumps_dir=tmp_path_factory.mktemp(name), **limits)
    with running_server(config) as url:
        yield Site(url, published.store_path, config)


@pytest.fixture(scope="session")
def site(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serving(published, tmp_path_factory, "dumps", query_timeout_s=2.0, max_results=200, workers=2) as served:
        yield served


@pytest.fixture
def reader(published: Published) -> Iterator[EmbeddedStore]:
    """The published store opened read-only beside the server (as the tests' source of truth)."""
    with EmbeddedStore(published.store_path, read_only=True) as store:
        yield store


STORY_NIGHT = "2026-11-20"
STORY_ARTICLES = {
    "story0001": (
        "Example Zeitung",
        "Nato bietet Russland neue Gespräche an",
        "Nato-Generalsekretär Jens Stoltenberg hat Russland zu weiteren Gesprächen eingeladen. "
        "„Wir sind bereit, zuzuhören“, sagte Stoltenberg am Mittwoch in Brüssel. Die Lage sei ernst, betonte er.",
    ),
    "story0002": (
        "Beispiel Kurier",
        "Stoltenberg hält die Tür für Moskau offen",
        "Der Nato-Generalsekretär Jens Stoltenberg sprach in Brüssel über Russland. "
        "„Die Tür bleibt <b>offen</b> <script>alert(1)</script>“, sagte Stoltenberg.",
    ),
}
STORY_NAMES: dict[str, tuple[EntityLabel, str | None]] = {
    "Jens Stoltenberg": ("PER", "Q57665"),
    "Stoltenberg": ("PER", "Q57665"),
    "Nato": ("ORG", "Q7184"),
    "Russland": ("LOC", "Q159"),
    "Brüssel": ("LOC", None),
}
HOSTILE_QUOTE = "Die Tür bleibt <b>offen</b> <script>alert(1)</script>"


def _name_mentions(text: str) -> list[LinkedMention]:
    """Every occurrence of the story names, longest name first, never overlapping."""
    taken: list[tuple[int, int]] = []
    out = []
    for name in sorted(STORY_NAMES, key=len, reverse=True):
        label, qid = STORY_NAMES[name]
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                out.append(LinkedMention(start, end, name, label, qid, 0.9 if qid else 0.4, name))
            start = text.find(name, end)
    return sorted(out, key=lambda m: m.start)


def story_dataset() -> tuple[Dataset, str]:
    """Two outlets' reports of one event, through the real quote finder, and the story that groups them."""
    from datetime import date

    from pipelines.graph.quotes import add_quotes, build_story_graph
    from pipelines.quotes.stage import article_quotes
    from pipelines.quotes.stories import Story, story_id

    golden = golden_input()
    run = golden["run"]
    graphs = []
    for doc_id, (outlet, headline, body) in STORY_ARTICLES.items():
        raw = RawDocument(
            doc_id=doc_id,
            url=f"https://example.org/{doc_id}",
            source="example-feed",
            content_type="text/html",
            content_hash=hashlib.sha256(body.encode()).hexdigest(),
            fetched_at=f"{STORY_NIGHT}T21:00:00+00:00",
            outlet=outlet,
            language="de",
        )
        clean = CleanDocument(
            title=headline, blocks=[Block(type="body", text=body)], removed=[], metadata={}, language="de"
        )
        mentions = _name_mentions(clean.text)
        entities = {q: golden["entities"][q] for q in {m.qid for m in mentions if m.qid}}
        ds = build_article_graph(raw, clean, mentions, entities, run, NS)
        found = article_quotes(doc_id, clean, mentions)
        add_quotes(ds.graph(NS.article_graph_iri(doc_id)), doc_id, clean.text, found, run, NS)
        graphs.append(ds)
    first = next(iter(STORY_ARTICLES))
    story = Story(
        story_id(first),
        list(STORY_ARTICLES),
        [str(NS.wikidata_iri("Q57665")), str(NS.wikidata_iri("Q7184"))],
        date.fromisoformat(STORY_NIGHT),
    )
    headlines = {d: h for d, (_o, h, _b) in STORY_ARTICLES.items()}
    stories = build_story_graph([story], headlines, run, NS)
    return merge(*graphs, stories, build_run_graph(run, NS, {"articles": len(graphs)})), story.story_id


@dataclass(frozen=True)
class StorySite:
    url: str
    story_id: str


@pytest.fixture(scope="session")
def story_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StorySite]:
    """A server over a store holding a story of two articles with their quotes."""
    path = tmp_path_factory.mktemp("story") / "store"
    ds, story = story_dataset()
    with EmbeddedStore(path) as store:
        store.publish(ds)
    config = WebConfig(
        StoreSpec(path=path), dumps_dir=tmp_path_factory.mktemp("story-dumps"), query_timeout_s=5.0, workers=1
    )
    with running_server(config) as url:
        yield StorySite(url, story)
