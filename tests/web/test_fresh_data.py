"""The server sees what a night publishes while it runs (workers reopen the read-only store on change)."""

from __future__ import annotations

import time
from pathlib import Path

import requests

from pipelines.store import EmbeddedStore
from pipelines.web import StoreSpec, WebConfig, running_server
from tests.graph.samples import golden_dataset
from tests.web.conftest import hostile_dataset

COUNT = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <http://schema.org/NewsArticle> }"


def _articles(url: str) -> int:
    answer = requests.get(f"{url}/sparql", params={"query": COUNT, "format": "json"}, timeout=30)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_a_night_published_while_serving_shows_up(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        store.publish(golden_dataset())
    config = WebConfig(StoreSpec(path=path), dumps_dir=tmp_path / "dumps", workers=1, stats_ttl_s=0)
    with running_server(config) as url:
        assert _articles(url) == 1
        with EmbeddedStore(path) as writer:  # the nightly writer opens the store beside the serving readers
            writer.publish(hostile_dataset())
        deadline = time.monotonic() + 20
        while _articles(url) != 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _articles(url) == 2
        home = requests.get(url + "/", timeout=30).text
        assert "<b>2</b><span>articles</span>" in home


def test_before_the_first_night_pages_say_so_then_work(tmp_path: Path) -> None:
    path = tmp_path / "store"
    config = WebConfig(StoreSpec(path=path), dumps_dir=tmp_path / "dumps", workers=1, stats_ttl_s=0)
    with running_server(config) as url:
        home = requests.get(url + "/", timeout=30)
        assert home.status_code == 503 and "no published store" in home.text and "run a night first" in home.text
        sparql = requests.get(f"{url}/sparql", params={"query": COUNT}, timeout=30)
        assert sparql.status_code == 503 and "no published store" in sparql.text
        with EmbeddedStore(path) as writer:
            writer.publish(golden_dataset())
        time.sleep(1.1)  # readers look for a changed store at most once a second
        assert requests.get(url + "/", timeout=30).status_code == 200


def test_queries_keep_answering_while_the_store_is_published_and_compacted(tmp_path: Path) -> None:
    """Readers reopen the store while a writer merges its files; none of their answers is a server error."""
    import threading

    from tests.support.documents import other_article

    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        store.publish(golden_dataset())
    config = WebConfig(StoreSpec(path=path), dumps_dir=tmp_path / "dumps", workers=1, stats_ttl_s=0)
    statuses: list[int] = []
    done = threading.Event()

    def ask(url: str) -> None:
        while not done.is_set():
            answer = requests.get(f"{url}/sparql", params={"query": COUNT, "format": "json"}, timeout=30)
            statuses.append(answer.status_code)

    with running_server(config) as url:
        client = threading.Thread(target=ask, args=(url,))
        client.start()
        try:
            for dataset in (hostile_dataset(), other_article(), golden_dataset()) * 2:
                with EmbeddedStore(path) as writer:
                    writer.publish(dataset)
                    writer.flush()
                    writer.compact()
                time.sleep(1.1)  # a reader looks for changed files at most once a second
        finally:
            done.set()
            client.join(timeout=60)
        assert _articles(url) == 3
    assert statuses and set(statuses) <= {200, 503}, statuses
