"""Two nights on the sample corpus through Dagster, the newer one first, then served.

The sample's texts mostly carry no full date; ``data/samples/manifest.yaml`` gives each file's
capture date. Articles must be dated by that (or their page), never by the night that processed
them, and running the older night after the newer one must leave the articles with the newer night.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass

import dagster as dg
import pytest
import requests
import yaml
from rdflib import Dataset
from rdflib.namespace import RDF

from pipelines import factory
from pipelines.defs import build_definitions
from pipelines.namespaces import SCHEMA
from pipelines.settings import DATA_DIR, Settings
from pipelines.store import SelectResult
from pipelines.web import StoreSpec, WebConfig, running_server
from tests.support.homes import home_settings

NEWER, OLDER = "2026-03-11", "2026-03-10"


@dataclass
class Nights:
    settings: Settings
    instance: dg.DagsterInstance
    url: str

    def select(self, sparql: str) -> list[tuple[str, ...]]:
        with factory.store(self.settings, read_only=True) as store:
            result = store.query(sparql)
        assert isinstance(result, SelectResult)
        return [tuple(str(term) for term in row) for row in result]


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nights]:
    home = tmp_path_factory.mktemp("newsgraph-home")
    settings = home_settings(home)
    with dg.DagsterInstance.ephemeral() as instance:
        job = build_definitions(settings).resolve_job_def("nightly")
        for partition in (NEWER, OLDER):
            result = job.execute_in_process(partition_key=partition, instance=instance, raise_on_error=False)
            assert result.success, [e.message for e in result.all_events if e.is_failure]
        config = WebConfig(StoreSpec(path=settings.store_path), dumps_dir=home / "dumps", workers=2)
        with running_server(config) as url:
            yield Nights(settings, instance, url)


def manifest_days() -> dict[str, str]:
    manifest = yaml.safe_load((DATA_DIR / "samples" / "manifest.yaml").read_text(encoding="utf-8"))
    return {f"urn:newsgraph:samples:{name.rsplit('.', 1)[0]}": e["captured"] for name, e in manifest["files"].items()}


def test_articles_are_dated_by_their_page_or_the_manifest_never_by_the_night(nights: Nights) -> None:
    rows = nights.select(
        "PREFIX schema: <http://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?url ?day WHERE { GRAPH ?g { ?a a schema:NewsArticle ; schema:url ?url ; dcterms:date ?day } }"
    )
    assert {
        url: day for url, day in rows
    } == manifest_days()  # where a page gives a full date, it agrees with the manifest


def test_run_times_are_utc(nights: Nights) -> None:
    rows = nights.select(
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
        "SELECT ?t WHERE { ?run ng:partition ?p { ?run prov:startedAtTime ?t } UNION { ?run prov:endedAtTime ?t } }"
    )
    assert len(rows) == 4 and all(t.endswith(("Z", "+00:00")) for (t,) in rows), rows  # rdflib writes Z so


def _dump(nights: Nights, night: str) -> Dataset:
    answer = requests.get(f"{nights.url}/dumps/{night}.nq.gz", timeout=120)
    assert answer.status_code == 200
    ds = Dataset()
    ds.parse(data=gzip.decompress(answer.content), format="nquads")
    return ds


def test_the_older_night_run_after_the_newer_one_leaves_the_articles_in_the_newer_dump(nights: Nights) -> None:
    def articles(ds: Dataset) -> set[str]:
        return {str(s) for s, _p, _o, _g in ds.quads((None, RDF.type, SCHEMA.NewsArticle, None))}

    assert len(articles(_dump(nights, NEWER))) == 5
    assert articles(_dump(nights, OLDER)) == set()
    event = nights.instance.get_latest_materialization_event(dg.AssetKey("published_graph"))
    assert event is not None and event.asset_materialization is not None
    assert event.asset_materialization.partition == OLDER
    assert event.asset_materialization.metadata["kept_with_other_nights"].value == 5


def test_entity_chart_spans_the_news_days(nights: Nights) -> None:
    (entity, days) = nights.select(
        "PREFIX schema: <http://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?e (GROUP_CONCAT(DISTINCT STR(?d); SEPARATOR=' ') AS ?days) WHERE { "
        "?a schema:mentions ?e ; dcterms:date ?d FILTER(STRSTARTS(STR(?e), 'http://www.wikidata.org/entity/')) } "
        "GROUP BY ?e ORDER BY DESC(COUNT(DISTINCT ?d)) ?e LIMIT 1"
    )[0]
    expected = sorted(set(days.split()))
    assert len(expected) >= 3, "the sample's most widely mentioned item is in news of several days"
    qid = entity.rsplit("/", 1)[1]
    page = requests.get(f"{nights.url}/wikidata/{qid}", headers={"Accept": "text/html"}, timeout=60)
    chart = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert re.findall(r"<title>(\d{4}-\d{2}-\d{2}): \d+ mentions?</title>", chart) == expected
    assert all(day.startswith("2022-") for day in expected) and NEWER not in chart and OLDER not in chart
