"""``newsgraph run`` names its Dagster run and its page; ``backfill`` ends with one summary of all nights."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipelines.cli import _backfill_outcome, envelope
from pipelines.cli import main as cli
from pipelines.settings import Settings
from tests.support.samples import sample_files

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture
def one_article(tmp_path: Path) -> Path:
    """A sources file replaying one sample article: a night in seconds, not minutes."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(sample_files()[1], folder)
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: one\n    kind: directory\n    path: corpus\n    language: de\n")
    return sources


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEWSGRAPH_DAGSTER_URL", raising=False)
    return tmp_path / "home"


def test_the_ui_address_defaults_to_make_dev() -> None:
    assert Settings.from_env({}).dagster_url == "http://127.0.0.1:3000/"
    assert Settings.from_env({"NEWSGRAPH_DAGSTER_URL": "https://ops.example/dagster"}).dagster_url == (
        "https://ops.example/dagster/"
    )


def test_run_names_its_dagster_run_and_its_page(
    home: Path, one_article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSGRAPH_DAGSTER_URL", "http://127.0.0.1:3333/ui")
    assert cli(["run", "--date", "2026-01-01", "--sources", str(one_article)]) == 0
    captured = capsys.readouterr()
    run_id = re.search(rf"^  Dagster run:      ({UUID})$", captured.out, re.MULTILINE)
    assert run_id, captured.out
    assert f"\n  in the UI:        http://127.0.0.1:3333/ui/runs/{run_id[1]} " in captured.out
    assert f"as Dagster run {run_id[1]}" in captured.err
    from pipelines.instance import open_instance

    with open_instance(Settings.from_env()) as instance:
        run = instance.get_run_by_id(run_id[1])
    assert run is not None and run.tags.get("dagster/partition") == "2026-01-01"


def test_backfill_ends_with_one_summary(home: Path, one_article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "partitions").mkdir(parents=True)
    (home / "partitions" / "2026-01-03").write_text("a file where the night's folder belongs")
    assert cli(["backfill", "--from", "2026-01-02", "--to", "2026-01-03", "--sources", str(one_article)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert re.fullmatch(
        r"backfill 2026-01-02 to 2026-01-03: 2 nights, 1 succeeded, 1 failed \(2026-01-03\); "
        r"1 article, [1-9]\d* triples published",
        lines[0],
    ), lines[0]
    assert lines[1] == "  articles:         1 clean of 1 collected"
    assert re.fullmatch(
        r"  triples:          [1-9]\d* published; the store holds \d+ \(compacted in \d+\.\d s\)", lines[2]
    )
    assert "compacting the store's files (newsgraph compact)" in captured.err
    assert re.fullmatch(rf"  failed:           2026-01-03  http://127\.0\.0\.1:3000/runs/{UUID}", lines[3]), lines
    assert sum("query '" in line for line in lines) == 1, "the example query once, not once per night"
    nights = [line for line in captured.err.splitlines() if line.startswith("newsgraph: night ")]
    assert [line.split(":")[1].strip() for line in nights] == ["night 2026-01-02 succeeded", "night 2026-01-03 FAILED"]
    assert "newsgraph: (2026-01-03)" not in captured.err
    (failed_step,) = [line for line in captured.err.splitlines() if "2026-01-03: step scrape_to_graph: " in line]
    assert "File exists" in failed_step, "the cause, not Dagster's wrapper around it"


def test_backfill_without_compaction_leaves_the_files(
    home: Path, one_article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli(
            [
                "backfill",
                "--from",
                "2026-01-02",
                "--to",
                "2026-01-02",
                "--sources",
                str(one_article),
                "--json",
                "--no-compact",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert json.loads(captured.out)["result"]["total"]["compaction"] is None
    assert "compacting" not in captured.err


def _night(partition: str, succeeded: bool, articles: int, triples: int) -> dict[str, object]:
    return {
        "partition": partition,
        "succeeded": succeeded,
        "run_id": f"run-{partition}",
        "run_url": f"http://127.0.0.1:3000/runs/run-{partition}",
        "articles_collected": articles,
        "articles": articles,
        "triples_published": triples,
        "errors": [] if succeeded else [{"input": partition, "message": "step raw_articles: boom"}],
    }


def test_backfill_json_totals_every_night(home: Path) -> None:
    nights = [_night("2026-01-01", True, 5, 100), _night("2026-01-02", False, 0, 0), _night("2026-01-03", True, 2, 40)]
    answer = json.loads(json.dumps(envelope("backfill", _backfill_outcome(Settings.from_env(), nights))))
    assert answer["command"] == "backfill" and answer["ok"] is False
    assert answer["result"]["total"] == {
        "nights": 3,
        "succeeded": 2,
        "failed": 1,
        "failed_nights": ["2026-01-02"],
        "articles": 7,
        "articles_collected": 7,
        "triples_published": 140,
        "store_triples": None,
        "compaction": None,
    }
    assert [n["partition"] for n in answer["result"]["nights"]] == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert answer["errors"] == [{"input": "2026-01-02", "message": "step raw_articles: boom"}]
    assert answer["summary"] == (
        "backfill 2026-01-01 to 2026-01-03: 3 nights, 2 succeeded, 1 failed (2026-01-02); "
        "7 articles, 140 triples published"
    )
