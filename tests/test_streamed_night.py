"""The streamed night (stages overlapped) leaves the files the stages leave when run one after the other.

Served over HTTP on 127.0.0.1: the five samples as HTML pages and as text dumps of one site (whose
repeated lines are known only once the night's pages are in), a page that cannot be cleaned and one
that cannot be fetched, so every path of the streamed night is taken.
"""

from __future__ import annotations

import filecmp
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from pipelines import night as night_module
from pipelines import nightly, streamed
from pipelines.night import SettingsParts, run_night
from pipelines.scraping import HttpFetcher, Source
from pipelines.scraping.collect import _Night as CollectingNight
from pipelines.settings import DEFAULT_USER_AGENT
from pipelines.stages import STAGES, NightFile
from pipelines.workspace import PartitionWorkspace
from tests.support.homes import home_settings
from tests.support.httpserver import LocalServer, Response, serve
from tests.support.samples import as_html_page, sample_files

PARTITION = "2026-11-20"
NOW = datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
ENDED = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
SITE_LINES = ("Startseite | Politik | Wirtschaft | Sport", "© Beispielverlag – Impressum – Datenschutz")
LATE_LINE = "Nachrichten aus der Region Hannover und dem Umland"
AUTHOR_NOTE = (  # under four of the five HTML articles: the site's, once all are cleaned
    "Unsere Autorin lebt seit vielen Jahren in Linden und schreibt für die Lokalredaktion über Verkehr, "
    "Stadtentwicklung und die Arbeit im Rathaus."
)
SHARED_PARAGRAPH = (  # under two of them: the articles' own
    "Die Stadtverwaltung will im kommenden Frühjahr eine Bürgerversammlung zu den Plänen im Freizeitheim abhalten."
)


def _routes() -> dict[str, Response]:
    routes: dict[str, Response] = {}
    for k, path in enumerate(sample_files()):
        text = path.read_text(encoding="utf-8")
        html_headers = {"Content-Type": "text/html; charset=utf-8"}
        lines = text.splitlines()  # the paragraphs go in after the article's third line, well before its end
        extra = [AUTHOR_NOTE] * (k < 4) + [SHARED_PARAGRAPH] * (k < 2)
        article = as_html_page("\n".join([*lines[:3], *extra, *lines[3:]]), f"Artikel {k}")
        routes[f"/html/{k}"] = Response(body=article, headers=html_headers)
        local = [LATE_LINE, ""] if k % 2 == 0 else []  # on 3 of 5 dumps: the site's only once all are in
        dump = "\n".join([SITE_LINES[0], "", *local, text, "", SITE_LINES[1]])
        routes[f"/dump/{k}"] = Response(body=dump.encode(), headers={"Content-Type": "text/plain; charset=utf-8"})
    words = sample_files()[0].read_text(encoding="utf-8").split()[:12]
    navigation = "".join(f'<li><a href="/thema/{k}">{w}</a></li>' for k, w in enumerate(words))
    head = '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Themen</title></head>'
    page = f"{head}<body><nav><ul>{navigation}</ul></nav></body></html>"
    html_headers = {"Content-Type": "text/html; charset=utf-8"}
    routes["/themen"] = Response(body=page.encode(), headers=html_headers)  # links only: nothing to keep
    routes["/weg"] = Response(status=404, body=b"not found")
    return routes


class _LocalParts(SettingsParts):
    """The night's parts with one source over the local server."""

    def __init__(self, home: Path, urls: Sequence[str]) -> None:
        super().__init__(home_settings(home))
        self.urls = tuple(urls)

    def sources(self) -> list[Source]:
        return [
            Source(
                name="lokal",
                kind="urls",
                language="de",
                urls=self.urls,
                allowed_hosts=("127.0.0.1",),
                allow_private_network=True,
            )
        ]

    def fetcher(self) -> HttpFetcher:
        return HttpFetcher(DEFAULT_USER_AGENT, timeout_s=2, retries=0, backoff_s=0.01, default_rate_per_s=500)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with serve(_routes()) as local:
        yield local


def _urls(server: LocalServer) -> list[str]:
    interleaved = [p for k in range(len(sample_files())) for p in (f"/dump/{k}", f"/html/{k}")]
    return [server.url(p) for p in ["/themen", *interleaved, "/weg"]]


@pytest.fixture(scope="module", params=[2, 0], ids=["two-workers", "in-process"])
def nights(
    server: LocalServer, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[Path, Path]]:
    staged_home, streamed_home = tmp_path_factory.mktemp("staged"), tmp_path_factory.mktemp("streamed")
    with pytest.MonkeyPatch.context() as patch:
        for module in (night_module, streamed):
            patch.setattr(module, "utc_now", lambda: ENDED)
        patch.setattr(CollectingNight, "stamp", lambda _night: NOW.isoformat(timespec="seconds"))  # fetch times
        run_night(_LocalParts(staged_home, _urls(server)), PARTITION, stages=STAGES[:-1], now=NOW)
        parts = _LocalParts(streamed_home, _urls(server))
        patch.setattr(streamed, "NER_BATCH", 3)  # several batches, and a part batch at the end
        told: list[streamed.Progress] = []
        night = streamed.run_streamed(
            parts.workspace(PARTITION), parts, now=NOW, workers=request.param, progress=told.append, progress_every_s=0
        )
    assert told and told[-1].collected == told[-1].tagged + 1 == told[-1].checked + 1, told[-1]  # /themen: no text
    assert all(a.collected <= b.collected and a.seconds <= b.seconds for a, b in pairwise(told)), "in order"
    # every dump is cleaned again at the end: after NER read its first cleanup, or while it still waited for NER
    finals = night.counts.get("dumps_speculative", 0) + night.counts.get("dumps_final_before_ner", 0)
    assert finals == len(sample_files()), night.counts
    assert night.counts.get("dumps_tagged_again", 0) <= 2, (
        "at most the two whose text lost the line once all dumps were in"
    )
    assert night.counts.get("dumps_built_again", 0) == 0, "the others' cleanup did not change"
    assert night.counts.get("html_site_paragraphs", 0) == 4, "the HTML pages with the site's author note"
    assert night.counts.get("html_tagged_again", 0) + night.counts.get("html_final_before_ner", 0) <= 2, (
        "at most the two cleaned before the note stood on three pages"
    )
    yield staged_home / "partitions" / PARTITION, streamed_home / "partitions" / PARTITION


def _without_timings(path: Path) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [{k: v for k, v in row.items() if k not in ("elapsed_s", "at")} for row in rows]


def test_every_file_is_the_same(nights: tuple[Path, Path]) -> None:
    staged, streamed_dir = nights
    names = sorted(p.name for p in staged.iterdir())
    assert names == sorted(p.name for p in streamed_dir.iterdir())
    assert NightFile.GRAPH in names and NightFile.VALIDATION in names and NightFile.STORIES in names
    for name in names:
        if name == NightFile.FETCHES:  # each fetch's own time and duration
            assert _without_timings(staged / name) == _without_timings(streamed_dir / name)
        else:
            assert filecmp.cmp(staged / name, streamed_dir / name, shallow=False), name


def test_the_night_took_every_path(nights: tuple[Path, Path]) -> None:
    """Text dumps cleaned with their site's repeated lines, HTML pages, and both kinds of failure."""
    ws = PartitionWorkspace(nights[1].parent, PARTITION)
    clean = nightly.load_clean(ws)
    raws = {r.doc_id: r for r in nightly.load_raw(ws)}
    dumps = [d for d in clean if "/dump/" in raws[d].url]
    assert len(dumps) == len(sample_files()) and len(clean) == 2 * len(sample_files())
    removed = [r for d in dumps for r in clean[d].removed]
    assert any(SITE_LINES[0] in r.text for r in removed) and any(SITE_LINES[1] in r.text for r in removed)
    assert all(SITE_LINES[0] not in clean[d].text for d in dumps)
    articles = [d for d in clean if "/html/" in raws[d].url]
    assert all(AUTHOR_NOTE not in clean[d].text for d in articles)
    notes = [r for d in articles for r in clean[d].removed if r.text == AUTHOR_NOTE]
    assert len(notes) == 4 and {r.category for r in notes} == {"boilerplate"}, notes
    assert sum(SHARED_PARAGRAPH in clean[d].text for d in articles) == 2, "on two of five pages: kept"
    (cleanup_failure,) = ws.rows(NightFile.failures("cleanup"))
    assert cleanup_failure["url"].endswith("/themen")
    assert [f["url"].rsplit("/", 1)[-1] for f in ws.rows(NightFile.failures("scrape"))] == ["weg"]
    assert ws.read_json(NightFile.VALIDATION)["conforms"] is True


def test_the_recorded_validation_is_taken_while_the_graph_and_shapes_are_the_same(
    nights: tuple[Path, Path], tmp_path: Path
) -> None:
    ws = PartitionWorkspace(nights[1].parent, PARTITION)
    recorded = nightly.recorded_validation(ws)
    assert recorded is not None and recorded.conforms and len(recorded.per_graph) > 10
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    for path in sorted(nightly_shapes_dir().glob("*.ttl")):
        (shapes / path.name).write_bytes(path.read_bytes())
    assert nightly.recorded_validation(ws, shapes) is not None
    (shapes / "extra.ttl").write_text("# another shape file\n", encoding="utf-8")
    assert nightly.recorded_validation(ws, shapes) is None, "other shapes: validate again"


def nightly_shapes_dir() -> Path:
    from pipelines.graph.validation import DEFAULT_SHAPES_DIR

    return DEFAULT_SHAPES_DIR


def test_once_the_pages_are_in_both_workers_build_graphs_as_one_process_would(
    nights: tuple[Path, Path], server: LocalServer, tmp_path: Path
) -> None:
    """Graph batches wait in the parent; after ``pages_collected`` the cleaning worker takes them too, and
    what either worker returns is what building in this process gives."""
    from pipelines.night_workers import build_and_check

    staged = PartitionWorkspace(nights[0].parent, PARTITION)
    raws, clean, linked = nightly.load_raw(staged), nightly.load_clean(staged), nightly.load_linked(staged)
    parts = _LocalParts(tmp_path, _urls(server))
    with streamed._Night(parts.workspace(PARTITION), parts, 2, None) as night:
        workers = night.workers
        items = [[(raw, clean[raw.doc_id], linked[raw.doc_id])] for raw in raws if raw.doc_id in linked]
        assert len(items) >= 6, "more batches than the builder holds in flight"
        workers.pages_collected()
        built = [workers.check(batch, night._entities_of(batch)) for batch in items]
        assert len(workers._in_flight) == 2, "batches went to both workers"
        for batch, future in zip(items, built, strict=True):
            here = build_and_check(batch, night._entities_of(batch), workers.settings)
            assert future.result(timeout=120) == here
