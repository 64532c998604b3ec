"""A store as nights on the sample leave it, and a server over it.

Two articles: the golden one (a web URL and a date on the page, published on 2026-11-20) and one
from a replayed sample file (a ``urn:`` URL, no date in its text, the manifest's capture date),
processed on a later night whose run times an older version wrote in Berlin time (+01:00).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, XSD

from pipelines.graph import build_article_graph, build_run_graph
from pipelines.store import EmbeddedStore
from pipelines.web import StoreSpec, WebConfig, running_server
from tests.graph.samples import golden_dataset, golden_input, merge
from tests.web.conftest import NS

SAMPLE_ID = "sample0001"
SAMPLE_URL = "urn:newsgraph:samples:000_b30a090474883040"
CAPTURED = "2022-01-12"
GOLDEN_DAY = "2022-01-18"  # the golden article's own date
LATE_NIGHT = "2026-12-05"
BERLIN_START = "2026-12-06T06:02:41+01:00"
BERLIN_END = "2026-12-06T06:03:46+01:00"
LAST_UPDATE_UTC = "2026-12-06T05:03:46Z"


def sample_dataset() -> Dataset:
    """The replayed sample article and its night's run, with the run times in Berlin time."""
    golden = golden_input()
    run = dataclasses.replace(
        golden["run"], run_id=LATE_NIGHT, partition=LATE_NIGHT, started_at=BERLIN_START, ended_at=BERLIN_END
    )
    raw = dataclasses.replace(
        golden["raw"],
        doc_id=SAMPLE_ID,
        url=SAMPLE_URL,
        source="samples",
        content_type="text/plain",
        content_hash=hashlib.sha256(SAMPLE_ID.encode()).hexdigest(),
        fetched_at=BERLIN_START,
        outlet=None,
        captured=CAPTURED,
        last_modified=None,
    )
    clean = dataclasses.replace(golden["clean"], metadata={})
    article = build_article_graph(raw, clean, golden["mentions"], golden["entities"], run, NS)
    runs = build_run_graph(run, NS, {"articles": 1})
    record = runs.graph(NS.run_graph_iri(LATE_NIGHT))
    node = NS.run_iri(LATE_NIGHT)
    record.set((node, PROV.startedAtTime, Literal(BERLIN_START, datatype=XSD.dateTime)))
    record.set((node, PROV.endedAtTime, Literal(BERLIN_END, datatype=XSD.dateTime)))
    return merge(article, runs)


@dataclass(frozen=True)
class DatedSite:
    url: str
    dataset: Dataset
    store_path: Path


@pytest.fixture(scope="module", name="dated_site")
def dated_site_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatedSite]:
    path = tmp_path_factory.mktemp("dated") / "store"
    ds = merge(golden_dataset(), sample_dataset())
    with EmbeddedStore(path) as store:
        store.publish(ds)
    config = WebConfig(StoreSpec(path=path), dumps_dir=tmp_path_factory.mktemp("dated-dumps"), workers=2)
    with running_server(config) as url:
        yield DatedSite(url, ds, path)


def local(iri: object) -> str:
    """The path our server answers ``iri`` at."""
    return "/" + str(iri).split("/", 3)[3]
