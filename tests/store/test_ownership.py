"""An article stays with the night that first published its version, whatever order nights are run in.

Each test publishes real night workspaces (graph file built and SHACL-validated as the pipeline does)
into a real embedded store through ``nightly.publish``, then asks the store which night holds what.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from pipelines import nightly
from pipelines.domain import CleanDocument, RawDocument
from pipelines.graph import build_article_graph, build_run_graph
from pipelines.graph.stream import GraphFileWriter
from pipelines.namespaces import PREFIXES, Namespaces
from pipelines.store import EmbeddedStore
from pipelines.store.ownership import Holder, stays_with_holder
from pipelines.workspace import PartitionWorkspace
from tests.graph.samples import golden_input, sample_run
from tests.support.store import select

NS = Namespaces()
OLDER, NEWER = "2026-03-10", "2026-03-11"
Article = tuple[RawDocument, CleanDocument]

HOLDERS = """
PREFIX schema: <http://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?g ?night ?hash WHERE {
    GRAPH ?g { ?a a schema:NewsArticle ; prov:wasGeneratedBy ?run ; dcterms:source/ng:contentHash ?hash }
    GRAPH ?r { ?run ng:partition ?night }
}"""


def article(doc_id: str, version: str = "v1") -> Article:
    golden = golden_input()
    raw = dataclasses.replace(
        golden["raw"],
        doc_id=doc_id,
        url=f"https://example.org/politik/{doc_id}",
        content_hash=hashlib.sha256(f"{doc_id} {version}".encode()).hexdigest(),
    )
    clean = dataclasses.replace(golden["clean"], title=f"{golden['clean'].title} ({version})")
    return raw, clean


def night(root: Path, partition: str, articles: list[Article]) -> PartitionWorkspace:
    """A night's workspace as the graph and validation stages leave it."""
    golden = golden_input()
    ws = PartitionWorkspace(root, partition)
    ws.dir.mkdir(parents=True, exist_ok=True)
    run = sample_run(partition)
    with GraphFileWriter(ws.path("graph.trig"), PREFIXES) as out:
        for raw, clean in articles:
            out.add(build_article_graph(raw, clean, golden["mentions"], golden["entities"], run, NS))
        out.add(build_run_graph(run, NS, {"articles": len(articles)}))
    ws.write_json("graphs.json", sorted(out.graphs))
    ws.write_jsonl("raw.jsonl", (raw.to_dict() for raw, _clean in articles))
    assert nightly.validate(ws, workers=1).conforms
    return ws


def holders(store: EmbeddedStore) -> dict[str, tuple[str, str]]:
    """Article graph -> (the night holding it, the content hash of its page)."""
    return {str(r["g"]): (str(r["night"]), str(r["hash"])) for r in select(store, HOLDERS).dicts()}


def tallies(store: EmbeddedStore, partition: str) -> Graph:
    return store.graph(str(NS.tally_graph_iri(partition)))


def graph_of(doc_id: str) -> str:
    return str(NS.article_graph_iri(doc_id))


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "store")


def test_an_older_night_run_after_a_newer_one_moves_nothing(store: EmbeddedStore, tmp_path: Path) -> None:
    a, b = article("a0001"), article("b0001")
    nightly.publish(night(tmp_path, NEWER, [a, b]), store, NS)
    newer_articles = {g: store.graph(g) for g in (graph_of("a0001"), graph_of("b0001"))}
    newer_tallies = tallies(store, NEWER)
    assert len(newer_tallies)

    report = nightly.publish(night(tmp_path, OLDER, [a, article("b0001", "v0")]), store, NS)

    assert report.counts["kept_with_other_nights"] == 2
    assert report.details["kept_by_night"] == {graph_of("a0001"): NEWER, graph_of("b0001"): NEWER}
    assert {g: n for g, (n, _h) in holders(store).items()} == {graph_of("a0001"): NEWER, graph_of("b0001"): NEWER}
    for name, before in newer_articles.items():
        assert isomorphic(store.graph(name), before), f"{name} was rewritten by an older night"
    assert isomorphic(tallies(store, NEWER), newer_tallies)
    assert not len(tallies(store, OLDER)), "the older night holds no article, so it counts none"
    assert len(store.graph(str(NS.run_graph_iri(OLDER)))), "its run is recorded all the same"


def test_the_same_page_stays_with_the_night_that_first_published_it(store: EmbeddedStore, tmp_path: Path) -> None:
    a = article("a0001")
    nightly.publish(night(tmp_path, OLDER, [a]), store, NS)
    report = nightly.publish(night(tmp_path, NEWER, [a, article("c0001")]), store, NS)
    assert report.counts["kept_with_other_nights"] == 1
    assert {g: n for g, (n, _h) in holders(store).items()} == {graph_of("a0001"): OLDER, graph_of("c0001"): NEWER}


def test_a_changed_page_on_a_newer_night_belongs_to_that_night(store: EmbeddedStore, tmp_path: Path) -> None:
    nightly.publish(night(tmp_path, OLDER, [article("a0001", "v1")]), store, NS)
    updated = article("a0001", "v2")
    report = nightly.publish(night(tmp_path, NEWER, [updated]), store, NS)
    assert report.counts["kept_with_other_nights"] == 0
    assert holders(store) == {graph_of("a0001"): (NEWER, updated[0].content_hash)}
    assert not len(tallies(store, OLDER)), "the older night lost its article, and its tallies with it"


def test_a_rerun_of_a_night_replaces_its_own_articles(store: EmbeddedStore, tmp_path: Path) -> None:
    nightly.publish(night(tmp_path, OLDER, [article("a0001", "v1")]), store, NS)
    rerun = article("a0001", "v2")
    nightly.publish(night(tmp_path, OLDER, [rerun]), store, NS)
    assert holders(store) == {graph_of("a0001"): (OLDER, rerun[0].content_hash)}


@pytest.mark.parametrize(
    ("held", "night", "content", "stays"),
    [
        (None, OLDER, "h1", False),  # new article
        (Holder(OLDER, "h1"), OLDER, "h2", False),  # rerun of its own night
        (Holder(NEWER, "h2"), OLDER, "h1", True),  # older night, any version
        (Holder(OLDER, "h1"), NEWER, "h1", True),  # same page again
        (Holder(OLDER, "h1"), NEWER, "h2", False),  # the page changed: the newer night publishes it
        (Holder(None, "h1"), NEWER, "h1", False),  # a holder without a night cannot claim it
    ],
)
def test_who_keeps_an_article(held: Holder | None, night: str, content: str, stays: bool) -> None:
    assert stays_with_holder(held, night, content) is stays
