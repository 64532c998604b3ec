"""The embedded store's own behaviour (on disk, one writer or many readers) and the night's validation gate.

What every store does is in ``test_store_contract.py``.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from pipelines import nightly
from pipelines.graph import build_article_graph, validate_dataset
from pipelines.namespaces import NIF, Namespaces
from pipelines.store import EmbeddedStore, StoreError
from pipelines.workspace import PartitionWorkspace
from tests.graph.samples import golden_dataset, golden_input, merge

ARTICLE_GRAPH = "https://w3id.org/newsgraph/id/graph/article/golden0001"
RUN_GRAPH = "https://w3id.org/newsgraph/id/graph/run/2026-11-20"


def _nquads(store: EmbeddedStore, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / name
    store.dump(path, "nquads")
    return sorted(path.read_text(encoding="utf-8").splitlines())


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "store")


def test_a_night_that_failed_validation_is_not_published(store: EmbeddedStore, tmp_path: Path) -> None:
    store.publish(golden_dataset())
    before = _nquads(store, tmp_path, "before.nq")
    data = golden_input()
    ns = Namespaces()
    # a second, valid article in the same night must not be published either
    good_raw = dataclasses.replace(data["raw"], doc_id="good0003", url="https://example.org/good")
    good = build_article_graph(good_raw, data["clean"], data["mentions"], data["entities"], data["run"], ns)
    bad = golden_dataset()
    bad.graph(URIRef(ARTICLE_GRAPH)).set(
        (
            URIRef("https://w3id.org/newsgraph/id/article/golden0001/text#char=186,192"),
            NIF.anchorOf,
            Literal("Bonn"),
        )
    )
    ws = PartitionWorkspace(tmp_path / "partitions", "2026-11-20")
    ws.dir.mkdir(parents=True)
    merge(bad, good).serialize(ws.path("graph.trig"), format="trig")
    result = nightly.validate(ws, workers=1)
    assert not result.conforms and result.per_graph[ARTICLE_GRAPH] == 1
    with pytest.raises(nightly.PublicationRefused, match="has not passed SHACL validation"):
        nightly.publish(ws, store, ns)
    assert _nquads(store, tmp_path, "after.nq") == before


def test_a_store_dump_still_conforms_to_the_shapes(store: EmbeddedStore, tmp_path: Path) -> None:
    """oxigraph normalises literals on write (nonNegativeInteger -> integer); the shapes accept that."""
    store.publish(golden_dataset())
    store.dump(tmp_path / "dump.nq", "nquads")
    dumped = Dataset()
    dumped.parse(tmp_path / "dump.nq", format="nquads")
    result = validate_dataset(dumped)
    assert result.conforms, result.summary()
    assert result.per_graph == {ARTICLE_GRAPH: 0, RUN_GRAPH: 0}


def test_a_second_process_reads_the_store_read_only(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer = EmbeddedStore(path)
    writer.publish(golden_dataset())
    count = writer.triple_count()
    writer.flush()
    del writer
    code = (
        "import sys; from pathlib import Path; from pipelines.store import EmbeddedStore, PublishError\n"
        f"s = EmbeddedStore(Path({str(path)!r}), read_only=True)\n"
        "print(s.triple_count())\n"
        "from rdflib import Dataset\n"
        "try:\n    s.publish(Dataset())\nexcept PublishError as e:\n    print('refused', e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(count)
    assert "refused" in done.stdout and "read-only" in done.stdout


def test_close_releases_the_store_for_the_next_writer(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as first:
        first.publish(golden_dataset())
        count = first.triple_count()
        with pytest.raises(StoreError, match="cannot open store"):
            EmbeddedStore(path)  # the first writer still holds the lock
    with EmbeddedStore(path) as second:
        assert second.triple_count() == count


def test_opening_a_missing_store_read_only_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        EmbeddedStore(tmp_path / "nothing", read_only=True)


def test_result_terms_are_made_once_per_result_and_equal_to_single_conversions() -> None:
    import pyoxigraph as ox

    from pipelines.oxterms import to_rdflib
    from pipelines.store.embedded import SelectResult, convert_result

    store = ox.Store()
    speaker, said = ox.NamedNode("http://example.org/speaker"), ox.NamedNode("http://example.org/said")
    for text in ("eins", "zwei", "drei"):
        store.add(ox.Quad(speaker, said, ox.Literal(text, language="de"), ox.DefaultGraph()))
    query = "SELECT ?s ?o ?missing WHERE { ?s ?p ?o } ORDER BY ?o"
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    expected = [tuple(to_rdflib(solution[name]) for name in ("s", "o", "missing")) for solution in solutions]
    result = convert_result(store.query(query))
    assert isinstance(result, SelectResult) and result.rows == expected
    assert len({id(row[0]) for row in result.rows}) == 1 and all(row[2] is None for row in result.rows)
