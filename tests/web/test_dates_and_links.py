"""Times labelled UTC are UTC, an article's day is its news day (not the night), and links are followable."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, XSD

from pipelines.namespaces import SCHEMA
from pipelines.store import EmbeddedStore
from tests.web.conftest import NS
from tests.web.dated_site import (
    CAPTURED,
    GOLDEN_DAY,
    LAST_UPDATE_UTC,
    LATE_NIGHT,
    SAMPLE_ID,
    DatedSite,
    dated_site_fixture,  # noqa: F401 (the dated_site fixture)
    local,
)


class Links(HTMLParser):
    """Every ``href`` of a page, and the ``<time>`` elements with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self.times: list[tuple[dict[str, str | None], str]] = []
        self._time: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("href") is not None:
            self.links.append((values["href"] or "", values))
        if tag == "time":
            self._time = values

    def handle_data(self, data: str) -> None:
        if self._time is not None:
            self.times.append((self._time, data))
            self._time = None


def page(site: DatedSite, path: str) -> Links:
    answer = requests.get(site.url + path, headers={"Accept": "text/html"}, timeout=60)
    assert answer.status_code == 200, answer.text[:300]
    parser = Links()
    parser.feed(answer.text)
    return parser


def test_home_page_shows_the_last_update_in_utc(dated_site: DatedSite) -> None:
    """The run's times were written in Berlin time (+01:00); the label says UTC, so the value is UTC."""
    times = page(dated_site, "/").times
    assert ({"datetime": LAST_UPDATE_UTC}, "2026-12-06 05:03 UTC") in times


def test_void_modified_is_an_xsd_datetime_in_utc(dated_site: DatedSite) -> None:
    answer = requests.get(f"{dated_site.url}/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
    assert re.search(rf'dcterms:modified "{re.escape(LAST_UPDATE_UTC)}"\^\^xsd:dateTime', answer.text), answer.text
    void = Graph().parse(data=answer.content, format="turtle")
    modified = void.value(URIRef(f"{dated_site.url}/.well-known/void#dataset"), DCTERMS.modified)
    assert isinstance(modified, Literal) and modified.datatype == XSD.dateTime
    assert modified.toPython().utcoffset().total_seconds() == 0


def test_an_undated_sample_article_is_dated_by_its_capture_not_its_night(dated_site: DatedSite) -> None:
    path = local(NS.article_iri(SAMPLE_ID))
    links = page(dated_site, path)
    assert ({"datetime": CAPTURED, "title": "capture date of the page"}, CAPTURED) in links.times
    night = [href for href, _ in links.links if href == local(NS.run_iri(LATE_NIGHT))]
    assert night, "the night that processed it stays on the page, as provenance"
    served = Graph().parse(
        data=requests.get(dated_site.url + path, headers={"Accept": "text/turtle"}, timeout=30).content,
        format="turtle",
    )
    with EmbeddedStore(dated_site.store_path, read_only=True) as store:
        assert isomorphic(served, store.graph(str(NS.article_graph_iri(SAMPLE_ID))))
    article = NS.article_iri(SAMPLE_ID)
    assert served.value(article, DCTERMS.date) == Literal(CAPTURED, datatype=XSD.date)
    assert served.value(article, SCHEMA.datePublished) is None


def test_original_link_only_where_the_source_is_a_web_url(dated_site: DatedSite) -> None:
    sample = page(dated_site, local(NS.article_iri(SAMPLE_ID)))
    assert not [a for _href, a in sample.links if "original" in (a.get("class") or "")]
    golden = page(dated_site, local(NS.article_iri("golden0001")))
    originals = [href for href, a in golden.links if "original" in (a.get("class") or "")]
    assert originals == ["https://example.org/politik/stoltenberg-russland"]
    for links in (sample, golden):
        for href, _a in links.links:
            assert urlsplit(href).scheme in ("", "http", "https"), f"a link a browser cannot follow: {href}"


def test_entity_chart_spans_the_news_days(dated_site: DatedSite) -> None:
    """Stoltenberg is in both articles: the chart runs from the capture day to the golden article's day."""
    answer = requests.get(f"{dated_site.url}/wikidata/Q57665", headers={"Accept": "text/html"}, timeout=30)
    chart = answer.text[answer.text.index("<svg") : answer.text.index("</svg>")]
    days = re.findall(r"<title>(\d{4}-\d{2}-\d{2}): \d+ mentions?</title>", chart)
    assert days == [CAPTURED, GOLDEN_DAY]
    assert "2026" not in chart
    listed = page(dated_site, "/wikidata/Q57665")
    assert listed.links  # the articles' table links them; their days are news days too
    assert "2026-" not in answer.text.split("Articles mentioning", 1)[1].split("</table>", 1)[0]
