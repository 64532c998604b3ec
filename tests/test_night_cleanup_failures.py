"""A page cleanup fails on fails alone and comes back the next night, in real nights over pages served
on 127.0.0.1.

The nights in :func:`nights` are ``newsgraph run`` (the Dagster job in process). One page carries a
huge tag cloud: cleaning an ordinary page takes a few milliseconds and that one about a second, so
a budget of 0.1 s separates them by an order of magnitude either way, and so does the default 10 s.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.scraping import ScrapeState
from pipelines.store import EmbeddedStore, SelectResult
from pipelines.workspace import PartitionWorkspace
from tests.support.homes import home_settings
from tests.support.httpserver import LocalServer, Response, Route, serve
from tests.support.nights import scrape_and_clean as night_scrape_and_clean
from tests.support.site import HTML_UTF8, article_html, german_text

NIGHT_1, NIGHT_2 = "2026-11-20", "2026-11-21"
TIGHT_BUDGET = "0.1"
ORDINARY = ("/artikel/1.html", "/artikel/2.html", "/artikel/3.html")
SLOW = "/artikel/schlagworte.html"
TAGS = 40_000  # ~2.5 MB of tag links: about a second of cleanup


def tag_cloud_page() -> bytes:
    tags = "".join(f'<li><a href="/thema/schlagwort-{k}">Schlagwort {k}</a></li>' for k in range(TAGS))
    page = article_html(7, "Schlagworte des Tages")
    return page.replace("<footer>", f'<aside class="tags"><ul>{tags}</ul></aside><footer>').encode()


@dataclass(frozen=True)
class Store:
    """What a night left in the store."""

    urls: frozenset[str]
    triples: int


@dataclass
class Nights:
    home: Path
    stores: dict[str, Store]  # run name -> the store after it
    fetches: dict[str, dict[str, dict[str, object]]]  # run name -> url -> its record in fetches.jsonl


@pytest.fixture(scope="module")
def site() -> Iterator[LocalServer]:
    routes: dict[str, Route] = {
        path: Response(body=article_html(i, f"Meldung {i}").encode(), headers=HTML_UTF8, etag=True)
        for i, path in enumerate(ORDINARY, start=1)
    }
    routes[SLOW] = Response(body=tag_cloud_page(), headers=HTML_UTF8, etag=True)
    with serve(routes) as server:
        yield server


def store_now(home: Path) -> Store:
    settings = home_settings(home)
    with EmbeddedStore(settings.store_path, read_only=True) as store:
        result = store.query(
            "PREFIX schema: <http://schema.org/> "
            "SELECT ?u WHERE { GRAPH ?g { ?a a schema:NewsArticle ; schema:url ?u } }"
        )
        assert isinstance(result, SelectResult)
        return Store(frozenset(str(row[0]) for row in result), store.triple_count())


@pytest.fixture(scope="module")
def nights(site: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> Nights:
    """Night 1 with a tight budget and its rerun, then night 2 with the default budget and its rerun."""
    home = tmp_path_factory.mktemp("home")
    source = {
        "name": "beispiel",
        "kind": "urls",
        "language": "de",
        "outlet": "Beispielzeitung",
        "urls": [site.url(p) for p in (ORDINARY[0], SLOW, *ORDINARY[1:])],  # the slow page is not last
        "allowed_hosts": ["127.0.0.1"],
        "allow_private_network": True,
        "rate_limit_per_s": 50,
    }
    sources = home / "sources.yaml"
    sources.write_text(json.dumps({"sources": [source]}), encoding="utf-8")
    runs = Nights(home, {}, {})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSGRAPH_HOME", str(home))
        for name, partition, budget in (
            ("night 1", NIGHT_1, TIGHT_BUDGET),
            ("night 1 again", NIGHT_1, TIGHT_BUDGET),
            ("night 2", NIGHT_2, None),
            ("night 2 again", NIGHT_2, None),
        ):
            if budget is None:
                mp.delenv("NEWSGRAPH_CLEANUP_BUDGET", raising=False)
            else:
                mp.setenv("NEWSGRAPH_CLEANUP_BUDGET", budget)
            assert main(["run", "--date", partition, "--sources", str(sources)]) == 0, name
            runs.stores[name] = store_now(home)
            runs.fetches[name] = {str(r["url"]): r for r in jsonl(home / "partitions" / partition / "fetches.jsonl")}
    return runs


def jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def status_text(home: Path, partition: str, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch) -> str:
    mp.setenv("NEWSGRAPH_HOME", str(home))
    capsys.readouterr()
    assert main(["status", "--date", partition]) == 0
    return capsys.readouterr().out


def test_a_page_over_budget_fails_alone_and_the_rest_is_published(
    site: LocalServer,
    nights: Nights,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home, stores = nights.home, nights.stores
    assert stores["night 1"].urls == {site.url(p) for p in ORDINARY}
    folder = home / "partitions" / NIGHT_1
    (failure,) = jsonl(folder / "failures-cleanup.jsonl")
    assert failure["url"] == site.url(SLOW)
    assert failure["reason"] == "cleanup took longer than the per-page budget of 0.1 s"
    assert (failure["outcome"], failure["retry"], failure["nights_failed"]) == ("cleanup_over_budget", "next_night", 1)
    assert len(jsonl(folder / "clean.jsonl")) == len(ORDINARY)

    shown = status_text(home, NIGHT_1, capsys, monkeypatch)
    assert "cleanup:    3 documents, 1 failed" in shown
    assert (
        f"cleanup: {site.url(SLOW)}: cleanup took longer than the per-page budget of 0.1 s "
        "[retry next night, failed 1 night(s)]"
    ) in shown


def test_the_page_comes_back_the_next_night_although_unchanged_and_is_published(
    site: LocalServer,
    nights: Nights,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home, stores = nights.home, nights.stores
    assert stores["night 2"].urls == {site.url(p) for p in (*ORDINARY, SLOW)}
    folder = home / "partitions" / NIGHT_2
    assert jsonl(folder / "failures-cleanup.jsonl") == []
    fetched = nights.fetches["night 2"]
    assert {fetched[site.url(p)]["outcome"] for p in ORDINARY} == {"unchanged"}
    slow = fetched[site.url(SLOW)]
    assert (slow["outcome"], slow["status"]) == ("ok", 304)
    assert "again after cleanup_over_budget on 2026-11-20" in str(slow["detail"])
    assert [r["url"] for r in jsonl(folder / "raw.jsonl")] == [site.url(SLOW)]
    assert "collected earlier tonight" in str(nights.fetches["night 2 again"][site.url(SLOW)]["detail"])

    with ScrapeState.open(home / "state") as state:
        entry = state.ledger.entry(site.url(SLOW))
    assert entry is not None and entry.resolved_partition == NIGHT_2
    assert "ledger:     0 URLs waiting for a retry, 0 given up in all" in status_text(
        home, NIGHT_2, capsys, monkeypatch
    )


def test_a_rerun_of_either_night_gives_the_same_store(nights: Nights) -> None:
    stores = nights.stores
    assert stores["night 1 again"] == stores["night 1"]
    assert stores["night 2 again"] == stores["night 2"]


# --- retries are bounded (scrape and cleanup only, no store) ----------------------------------

NAVIGATION_ONLY = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Themen</title></head><body><nav><ul>'
    + "".join(f'<li><a href="/thema/{k}">{w}</a></li>' for k, w in enumerate(german_text(2)[1].split()))
    + "</ul></nav></body></html>"
).encode()


def scrape_and_clean(server: LocalServer, home: Path, partition: str) -> PartitionWorkspace:
    return night_scrape_and_clean(home, partition, (server.url("/a"), server.url("/b")))


def test_a_refused_page_is_tried_on_three_nights_then_only_a_new_version_is(tmp_path: Path) -> None:
    routes: dict[str, Route] = {
        "/a": Response(body=article_html(1, "A").encode(), headers=HTML_UTF8, etag=True),
        "/b": Response(body=NAVIGATION_ONLY, headers=HTML_UTF8, etag=True),
    }
    seen: dict[str, tuple[list[str], Sequence[tuple[object, ...]]]] = {}
    with serve(routes) as server:
        for partition in ("2026-11-20", "2026-11-21", "2026-11-21", "2026-11-22", "2026-11-23"):
            ws = scrape_and_clean(server, tmp_path, partition)
            documents = [str(r["url"]).removeprefix(server.base_url) for r in ws.read_jsonl("raw.jsonl")]
            failed = [(f["outcome"], f["retry"], f["nights_failed"]) for f in ws.read_jsonl("failures-cleanup.jsonl")]
            seen[partition] = (documents, failed)
        routes["/b"] = Response(body=article_html(2, "B").encode(), headers=HTML_UTF8, etag=True)
        changed = scrape_and_clean(server, tmp_path, "2026-11-24")
        url_b = server.url("/b")
    refused = ("cleanup_refused",)
    assert seen["2026-11-20"] == (["/a", "/b"], [(*refused, "next_night", 1)])
    assert seen["2026-11-21"] == (["/b"], [(*refused, "next_night", 2)])  # its rerun did not count a night
    assert seen["2026-11-22"] == (["/b"], [(*refused, "given_up", 3)])
    assert seen["2026-11-23"] == ([], [])
    fetched = {str(r["url"]).removeprefix(server.base_url): r["outcome"] for r in changed.read_jsonl("fetches.jsonl")}
    assert fetched == {"/a": "unchanged", "/b": "ok"}  # given up by cleanup, yet still checked for a new version
    assert [r["doc_id"] for r in changed.read_jsonl("clean.jsonl")] == [
        r["doc_id"] for r in changed.read_jsonl("raw.jsonl")
    ]
    with ScrapeState.open(tmp_path / "state") as state:
        entry = state.ledger.entry(url_b)
    assert entry is not None and entry.resolved_partition == "2026-11-24" and not entry.given_up
