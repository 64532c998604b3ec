"""A page over the cleanup budget fails alone: a real night (``newsgraph run``, the Dagster job in process)
over article pages served on 127.0.0.1, one of them with a huge tag cloud that makes cleanup slow.

Cleaning an ordinary page takes a few milliseconds and the slow one about a second, so a budget of
0.1 s separates them by an order of magnitude either way, and so does the default 10 s.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.settings import Settings
from pipelines.store import EmbeddedStore, SelectResult
from tests.support.httpserver import LocalServer, Response, Route, serve
from tests.support.site import HTML_UTF8, article_html

NIGHT = "2026-11-20"
TIGHT_BUDGET = "0.1"
ORDINARY = ("/artikel/1.html", "/artikel/2.html", "/artikel/3.html")
SLOW = "/artikel/schlagworte.html"
TAGS = 40_000  # ~2.5 MB of tag links: about a second of cleanup


def tag_cloud_page() -> bytes:
    tags = "".join(f'<li><a href="/thema/schlagwort-{k}">Schlagwort {k}</a></li>' for k in range(TAGS))
    page = article_html(7, "Schlagworte des Tages")
    return page.replace("<footer>", f'<aside class="tags"><ul>{tags}</ul></aside><footer>').encode()


@pytest.fixture(scope="module")
def site() -> Iterator[LocalServer]:
    routes: dict[str, Route] = {
        path: Response(body=article_html(i, f"Meldung {i}").encode(), headers=HTML_UTF8, etag=True)
        for i, path in enumerate(ORDINARY, start=1)
    }
    routes[SLOW] = Response(body=tag_cloud_page(), headers=HTML_UTF8, etag=True)
    with serve(routes) as server:
        yield server


@pytest.fixture(scope="module")
def home(site: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    urls = [site.url(p) for p in (ORDINARY[0], SLOW, *ORDINARY[1:])]  # the slow page is not last
    source = {
        "name": "beispiel",
        "kind": "urls",
        "language": "de",
        "outlet": "Beispielzeitung",
        "urls": urls,
        "allowed_hosts": ["127.0.0.1"],
        "allow_private_network": True,
        "rate_limit_per_s": 50,
    }
    (home / "sources.yaml").write_text(json.dumps({"sources": [source]}), encoding="utf-8")
    return home


def run_night(home: Path, partition: str, monkeypatch: pytest.MonkeyPatch, budget: str | None) -> None:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(home))
    if budget is None:
        monkeypatch.delenv("NEWSGRAPH_CLEANUP_BUDGET", raising=False)
    else:
        monkeypatch.setenv("NEWSGRAPH_CLEANUP_BUDGET", budget)
    assert main(["run", "--date", partition, "--sources", str(home / "sources.yaml")]) == 0


def published_urls(home: Path) -> set[str]:
    settings = Settings.from_env({"NEWSGRAPH_HOME": str(home)})
    with EmbeddedStore(settings.store_path, read_only=True) as store:
        result = store.query(
            "PREFIX schema: <http://schema.org/> "
            "SELECT ?u WHERE { GRAPH ?g { ?a a schema:NewsArticle ; schema:url ?u } }"
        )
    assert isinstance(result, SelectResult)
    return {str(row[0]) for row in result}


def jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_a_page_over_budget_fails_alone_and_the_rest_is_published(
    site: LocalServer, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_night(home, NIGHT, monkeypatch, TIGHT_BUDGET)

    assert published_urls(home) == {site.url(p) for p in ORDINARY}
    folder = home / "partitions" / NIGHT
    (failure,) = jsonl(folder / "failures-cleanup.jsonl")
    assert failure["url"] == site.url(SLOW)
    assert failure["reason"] == "cleanup took longer than the per-page budget of 0.1 s"
    assert len(jsonl(folder / "clean.jsonl")) == len(ORDINARY)

    capsys.readouterr()
    assert main(["status", "--date", NIGHT]) == 0
    shown = capsys.readouterr().out
    assert "cleanup:    3 documents, 1 failed" in shown
    assert f"cleanup: {site.url(SLOW)}: cleanup took longer than the per-page budget of 0.1 s" in shown
