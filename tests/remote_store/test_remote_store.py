"""RemoteStore against a real ``oxigraph serve``: the same night gives the same answers as the embedded store.

What every store does is in ``tests/store/test_store_contract.py``; here, what only a server has
(unreachable, another client) and the comparisons of both stores on the same data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Dataset, URIRef

from pipelines.graph import validate_dataset
from pipelines.namespaces import Namespaces
from pipelines.store import (
    EmbeddedStore,
    PublishError,
    RemoteStore,
    SelectResult,
    StoreError,
    StoreQueryError,
    load_query,
    named_queries,
)
from pipelines.store.tallies import publish_with_tallies
from tests.graph.samples import SEED_DATA, golden_dataset, golden_input, seed_dataset
from tests.remote_store.oxigraph_server import free_port, oxigraph_server

NS = Namespaces()
ARTICLE_GRAPH = str(NS.article_graph_iri(golden_input()["raw"].doc_id))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


@pytest.fixture
def remote(server: str) -> RemoteStore:
    return RemoteStore.oxigraph(server, timeout_s=30)


def _embedded(tmp_path: Path, ds: Dataset) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "embedded")
    store.publish(ds)
    return store


def _lines(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").splitlines())


# seed_dataset builds the article graphs without the quote stage (tests/quotes runs it); "-this-week": the
# seeds are older than a week
WITHOUT_QUOTE_STAGE = frozenset({"roles-according-to-the-press", "stories-of-the-day"})


@pytest.mark.needs_shared(*SEED_DATA)
def test_a_night_of_seeds_queries_the_same_on_both_stores(
    remote: RemoteStore, tmp_path: Path, shared_dir: Path
) -> None:
    ds = seed_dataset(shared_dir)
    names = [str(g.identifier) for g in ds.graphs() if len(g)]
    embedded = EmbeddedStore(tmp_path / "embedded")
    ours_counts = publish_with_tallies(embedded, names, lambda: embedded.publish(ds), NS)
    assert validate_dataset(ds).conforms
    # the tallies are computed on the server, as at night
    theirs_counts = publish_with_tallies(remote, names, lambda: remote.publish(ds), NS)
    assert theirs_counts["tallies"] == ours_counts["tallies"] > 0
    for query in named_queries().values():
        ours, theirs = embedded.query(query.sparql), remote.query(query.sparql)
        assert isinstance(ours, SelectResult) and isinstance(theirs, SelectResult)
        assert theirs.variables == ours.variables, query.name
        assert sorted(map(repr, theirs.rows)) == sorted(map(repr, ours.rows)), query.name
        assert len(ours) or query.name.endswith("-this-week") or query.name in WITHOUT_QUOTE_STAGE, query.name


def test_substitutions_bind_the_named_query_parameters(remote: RemoteStore, tmp_path: Path) -> None:
    remote.publish(golden_dataset())
    embedded = _embedded(tmp_path, golden_dataset())
    wd = "http://www.wikidata.org/entity/"
    bindings = {"entityA": URIRef(wd + "Q57665"), "entityB": URIRef(wd + "Q61053")}
    sparql = load_query("articles-mentioning-two-entities").sparql
    ours, theirs = embedded.query(sparql, bindings), remote.query(sparql, bindings)
    assert isinstance(ours, SelectResult) and isinstance(theirs, SelectResult)
    assert theirs.python() == ours.python() and len(ours) == 1


def test_dump_is_the_same_dataset_as_the_embedded_dump(remote: RemoteStore, tmp_path: Path) -> None:
    remote.publish(golden_dataset())
    embedded = _embedded(tmp_path, golden_dataset())
    assert remote.dump(tmp_path / "remote.nq") == embedded.triple_count()
    embedded.dump(tmp_path / "embedded.nq")
    assert _lines(tmp_path / "remote.nq") == _lines(tmp_path / "embedded.nq")


def test_unreachable_and_misconfigured_stores_say_so(server: str) -> None:
    with pytest.raises(PublishError, match=r"read-only: publishing 2 graph\(s\) refused"):
        RemoteStore.oxigraph(server, read_only=True).publish(golden_dataset())
    nowhere = RemoteStore.oxigraph(f"http://127.0.0.1:{free_port()}", timeout_s=2)
    with pytest.raises(StoreError, match="cannot reach the store"):
        nowhere.triple_count()
    with pytest.raises(StoreQueryError, match="HTTP 400"):
        RemoteStore.oxigraph(server).query("SELECT WHERE {")
    with pytest.raises(StoreError, match="is not an http"):
        RemoteStore("ftp://example.org/sparql")


def test_the_server_really_holds_the_published_graph(remote: RemoteStore, server: str) -> None:
    """Another client (plain HTTP, Graph Store Protocol) sees what RemoteStore published."""
    remote.publish(golden_dataset())
    response = requests.get(
        f"{server}/store", params={"graph": ARTICLE_GRAPH}, headers={"Accept": "text/turtle"}, timeout=10
    )
    assert response.status_code == 200
    assert str(NS.article_iri(golden_input()["raw"].doc_id)) in response.text
