"""A small published store (golden article, a hostile article, two nights) and a real server over it."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset

from pipelines.domain import Block, CleanDocument, EntityInfo, LinkedMention, RawDocument, Removal
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


@pytest.fixture(scope="session")
def site(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    config = WebConfig(
        StoreSpec(path=published.store_path),
        dumps_dir=tmp_path_factory.mktemp("dumps"),
        query_timeout_s=2.0,
        max_results=200,
        workers=2,
    )
    with running_server(config) as url:
        yield Site(url, published.store_path, config)


@pytest.fixture
def reader(published: Published) -> Iterator[EmbeddedStore]:
    """The published store opened read-only beside the server (as the tests' source of truth)."""
    with EmbeddedStore(published.store_path, read_only=True) as store:
        yield store
