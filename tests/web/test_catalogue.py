"""The dumps page (size, triples, night, format of every file) and the named-graphs page, on a real server.

The store read beside the server is the source of truth: every count on the pages is checked against it
and against the files themselves.
"""

from __future__ import annotations

import gzip
import time
from collections import Counter
from pathlib import Path

import requests
from lxml import html as lxml_html
from rdflib import Dataset
from rdflib.namespace import RDFS

from pipelines.namespaces import SCHEMA
from pipelines.store import EmbeddedStore
from pipelines.web import StoreSpec, WebConfig, running_server
from tests.graph.samples import golden_dataset
from tests.support.rdf import integer
from tests.support.store import select
from tests.web.conftest import HOSTILE_ID, NS, SECOND_NIGHT, Site, hostile_dataset

FIRST_NIGHT = "2026-11-20"


def _graph_sizes(reader: EmbeddedStore) -> Counter[str]:
    rows = select(reader, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    return Counter({str(g): integer(n) for g, n in rows})


def _dump_rows(site: Site, timeout_s: float = 90) -> dict[str, dict[str, str]]:
    """The dumps page's rows by file, once every file has been made (the page reloads until then)."""
    deadline = time.monotonic() + timeout_s
    while True:
        page = lxml_html.fromstring(requests.get(f"{site.url}/dumps", timeout=30).text)
        rows = {}
        for tr in page.xpath("//table[@class='dumps']//tr[@data-file]"):
            cells = {
                name: td
                for td in tr.xpath("./td")
                for name in td.get("class", "").split()
                if name not in ("num", "small", "muted")
            }
            rows[tr.get("data-file")] = {
                "date": cells["date"].text_content().strip(),
                "format": cells["format"].text_content().strip(),
                "triples": cells["triples"].get("data-triples"),
                "bytes": cells["size"].get("data-bytes"),
                "size": cells["size"].text_content().strip(),
                "made": cells["made"].text_content().strip(),
            }
        if rows and all(r["bytes"] for r in rows.values()):
            return rows
        assert time.monotonic() < deadline, f"dumps still being made after {timeout_s} s: {rows}"
        time.sleep(0.5)


def test_dumps_page_shows_size_triples_night_and_format(site: Site, reader: EmbeddedStore) -> None:
    rows = _dump_rows(site)
    names = ["latest", SECOND_NIGHT, FIRST_NIGHT]
    assert list(rows) == [f"{n}.{ext}.gz" for n in names for ext in ("nq", "trig")]
    sizes = _graph_sizes(reader)
    expected_triples = {
        "latest": reader.triple_count(),
        SECOND_NIGHT: sizes[str(NS.article_graph_iri(HOSTILE_ID))] + sizes[str(NS.run_graph_iri(SECOND_NIGHT))],
        FIRST_NIGHT: sizes[str(NS.article_graph_iri("golden0001"))] + sizes[str(NS.run_graph_iri(FIRST_NIGHT))],
    }
    for file, row in rows.items():
        name, extension = file.split(".")[:2]
        assert row["format"] == {"nq": "N-Quads", "trig": "TriG"}[extension]
        assert row["date"] == (SECOND_NIGHT if name == "latest" else name)  # latest: the day of the last update
        assert row["made"][:4] == time.strftime("%Y", time.gmtime())
        body = requests.get(f"{site.url}/dumps/{file}", timeout=60).content
        assert int(row["bytes"]) == len(body), file  # the page tells the size of the very file served
        assert row["size"].endswith(("bytes", "kB", "MB", "GB"))
        ds = Dataset()
        ds.parse(data=gzip.decompress(body), format="nquads" if extension == "nq" else "trig")
        assert sum(len(g) for g in ds.graphs()) == int(row["triples"]), file
        own = [g for g in ds.graphs() if not str(g.identifier).startswith(NS.described_graph_prefix)]
        counted = ds.graphs() if name == "latest" else own  # a night's own graphs, then its nodes'
        assert sum(len(g) for g in counted) == expected_triples[name], file
        mentioned = {e for g in own for e in g.objects(None, SCHEMA.mentions)}
        labelled = {e for g in ds.graphs() for e in mentioned if (e, RDFS.label, None) in g}
        assert mentioned and labelled == mentioned, file  # descriptions: the file reads on its own


def test_a_new_night_remakes_latest_but_not_the_older_nights_file(tmp_path: Path) -> None:
    path, dumps = tmp_path / "store", tmp_path / "dumps"
    with EmbeddedStore(path) as store:
        store.publish(golden_dataset())
    config = WebConfig(StoreSpec(path=path), dumps_dir=dumps, workers=1, stats_ttl_s=0)
    with running_server(config) as url:
        site = Site(url, path, config)
        before = _dump_rows(site)
        assert list(before) == [f"{n}.{ext}.gz" for n in ("latest", FIRST_NIGHT) for ext in ("nq", "trig")]
        stamps = {file: (dumps / file).stat().st_mtime_ns for file in before}
        with EmbeddedStore(path) as writer:
            writer.publish(hostile_dataset())
        time.sleep(1.1)  # readers look for a changed store at most once a second
        after = _dump_rows(site)
        assert f"{SECOND_NIGHT}.nq.gz" in after
        for extension in ("nq", "trig"):
            night, latest = f"{FIRST_NIGHT}.{extension}.gz", f"latest.{extension}.gz"
            assert (dumps / night).stat().st_mtime_ns == stamps[night] and after[night] == before[night]
            assert (dumps / latest).stat().st_mtime_ns != stamps[latest]
            assert int(after[latest]["triples"]) > int(before[latest]["triples"])


def test_named_graphs_page_lists_every_graph_with_its_triples(site: Site, reader: EmbeddedStore) -> None:
    sizes = _graph_sizes(reader)
    page = lxml_html.fromstring(requests.get(f"{site.url}/graphs", timeout=30).text)
    listed = {
        tr.xpath("./td")[0].text_content().strip(): [td.text_content().strip() for td in tr.xpath("./td")[1:]]
        for tr in page.xpath("//table[@class='graphs']//tr[td]")
    }
    assert set(listed) == set(sizes)
    for graph, (kind, night, triples) in listed.items():
        assert int(triples.replace(",", "")) == sizes[graph], graph
        if graph.startswith(NS.described_graph_prefix):  # one shared node's description, of no night
            assert (kind, night) == ("described", "–")
            continue
        assert kind == graph.split("/")[-2]
        assert night == graph.split("/")[-1] if kind == "run" else night in (FIRST_NIGHT, SECOND_NIGHT)
    assert listed[str(NS.article_graph_iri(HOSTILE_ID))][1] == SECOND_NIGHT
    nights = {
        tr.get("data-night"): tr.xpath("./td")[-2].text_content().strip()
        for tr in page.xpath("//table[@class='nights']//tr[@data-night]")
    }
    assert nights == {
        SECOND_NIGHT: str(sizes[str(NS.article_graph_iri(HOSTILE_ID))] + sizes[str(NS.run_graph_iri(SECOND_NIGHT))]),
        FIRST_NIGHT: str(sizes[str(NS.article_graph_iri("golden0001"))] + sizes[str(NS.run_graph_iri(FIRST_NIGHT))]),
    }
    intro = page.xpath("//main/p")[0].text_content()
    assert f"{len(sizes)} graphs hold" in intro and f"{sum(sizes.values()):,} triples" in intro


def test_named_graphs_page_filters_and_pages(site: Site) -> None:
    def graphs(**params: str) -> list[str]:
        page = lxml_html.fromstring(requests.get(f"{site.url}/graphs", params=params, timeout=30).text)
        return [tr.xpath("./td")[0].text_content().strip() for tr in page.xpath("//table[@class='graphs']//tr[td]")]

    assert graphs(night=SECOND_NIGHT) == [str(NS.run_graph_iri(SECOND_NIGHT)), str(NS.article_graph_iri(HOSTILE_ID))]
    assert graphs(kind="article") == [str(NS.article_graph_iri("golden0001")), str(NS.article_graph_iri(HOSTILE_ID))]
    every = graphs()
    paged = [g for number in range(1, len(every) + 1) for g in graphs(per_page="1", page=str(number))]
    assert paged == every
    first = requests.get(f"{site.url}/graphs", params={"per_page": "1"}, timeout=30).text
    assert 'rel="next"' in first and f"page 1 of {len(every)}" in first
    assert graphs(night="not-a-night") == every  # a malformed filter is ignored, not an error
