"""The same server over a remote store: ``oxigraph serve`` holds the graph, the web server reads it over HTTP."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic

from pipelines.store import RemoteStore
from pipelines.web import StoreSpec, WebConfig, running_server
from tests.graph.samples import golden_dataset
from tests.remote_store.oxigraph_server import oxigraph_server
from tests.web.conftest import NS, hostile_dataset


@pytest.fixture(scope="module")
def remote_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, RemoteStore]]:
    root = tmp_path_factory.mktemp("remote-web")
    with oxigraph_server(root / "oxigraph") as store_url:
        remote = RemoteStore.oxigraph(store_url)
        remote.publish(golden_dataset())
        remote.publish(hostile_dataset())
        spec = StoreSpec(kind="remote", query_url=remote.query_url, graph_store_url=remote.graph_store_url)
        config = WebConfig(spec, dumps_dir=root / "dumps", query_timeout_s=10, max_results=1000, workers=1)
        with running_server(config) as url:
            yield url, remote


def test_sparql_article_and_dump_over_a_remote_store(remote_site: tuple[str, RemoteStore], tmp_path: Path) -> None:
    url, remote = remote_site
    answer = requests.get(
        f"{url}/sparql",
        params={"query": "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <http://schema.org/NewsArticle> }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == "2"

    article = urlsplit(str(NS.article_iri("golden0001"))).path
    turtle = requests.get(url + article, headers={"Accept": "text/turtle"}, timeout=30)
    assert isomorphic(
        Graph().parse(data=turtle.content, format="turtle"), remote.graph(str(NS.article_graph_iri("golden0001")))
    )
    page = requests.get(url + article, headers={"Accept": "text/html"}, timeout=30)
    assert 'href="/wikidata/Q57665"' in page.text

    dump = requests.get(f"{url}/dumps/latest.nq.gz", timeout=60)
    assert len(gzip.decompress(dump.content).splitlines()) == remote.triple_count()
    refused = requests.post(f"{url}/sparql", data={"update": "DROP ALL"}, timeout=30)
    assert refused.status_code == 403 and remote.triple_count() > 0


def test_a_remote_store_that_does_not_answer_is_a_bad_gateway(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    spec = StoreSpec(kind="remote", query_url=f"http://127.0.0.1:{port}/query")
    config = WebConfig(spec, dumps_dir=tmp_path / "dumps", query_timeout_s=10, workers=1)
    with running_server(config) as url:
        answer = requests.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert answer.status_code == 502
    assert "cannot reach the store" in answer.text
