"""The rewritten named queries (bench/queries) return what the shipped ones (ontology/queries) return."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from pipelines.bench.stores import PROPOSED_QUERIES, bulk_load
from pipelines.store import EmbeddedStore, named_queries
from tests.bench.test_graph_streaming import _articles, _write


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    tmp = tmp_path_factory.mktemp("rewritten")
    path = _write(tmp / "graph.trig", _articles(3))
    data = ox.serialize(ox.parse(path=str(path), format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS) or b""
    bulk_load(tmp / "store", data.decode(), 12)  # 4 renamed copies over 4 outlets: shared entities repeat
    return EmbeddedStore(tmp / "store", read_only=True)


@pytest.mark.parametrize("name", sorted(named_queries(PROPOSED_QUERIES)))
def test_rewritten_query_returns_the_same_rows(store: EmbeddedStore, name: str) -> None:
    shipped = named_queries()[name].sparql
    rewritten = named_queries(PROPOSED_QUERIES)[name].sparql

    def rows(sparql: str) -> list[tuple[str, ...]]:
        return sorted(tuple(str(v) for v in row) for row in store.query(sparql))  # type: ignore[union-attr]

    expected = rows(shipped)
    assert expected, f"{name} returns no rows on the test store: the comparison would prove nothing"
    assert rows(rewritten) == expected


def test_every_shipped_query_has_a_rewrite() -> None:
    assert set(named_queries(PROPOSED_QUERIES)) == set(named_queries())
    assert Path(PROPOSED_QUERIES).is_dir()
