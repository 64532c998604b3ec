"""``newsgraph eval cleanup --pages DIR`` on a manifest made here from the saved test pages: the scores,
the sample rule, failures and the time budget reported per page, and the command's output."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsgraph_tools.evaluate.cleanup import PAGES_DIR
from newsgraph_tools.evaluate.manifest_pages import (
    OURS,
    ManifestError,
    evaluate_manifest,
    extractors,
    format_summary,
    load_manifest,
    worst_pages,
)
from pipelines import cli


def _saved_pages_manifest(folder: Path) -> Path:
    """The saved HTML pages and text dumps as a manifest in extraction-dev's format (must/must_not as gold)."""
    entries = []
    for kind, field in (("html", "local_html"), ("txt", "local_text_input")):
        (folder / kind).mkdir(parents=True, exist_ok=True)
        for page in sorted(PAGES_DIR.glob(f"*.{kind}")):
            expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
            shutil.copy(page, folder / kind / page.name)
            entries.append(
                {
                    "id": f"saved:{page.stem}",
                    "url": expected.get("url"),
                    "gold_type": "snippets",
                    "with": expected["must"],
                    "without": expected["must_not"],
                    field: f"{kind}/{page.name}",
                }
            )
    lines = [json.dumps(entry, ensure_ascii=False) for entry in reversed(entries)]
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _tiny_manifest(folder: Path, ids: list[str]) -> Path:
    """Pages whose HTML is just the page id, each with the id as the one ``with`` snippet and 'junk' without."""
    (folder / "html").mkdir(parents=True)
    entries = []
    for page_id in ids:
        (folder / "html" / f"{page_id}.html").write_text(page_id, encoding="utf-8")
        entry = {"id": page_id, "gold_type": "snippets", "with": [page_id], "without": ["junk"]}
        entries.append({**entry, "url": None, "local_html": f"html/{page_id}.html"})
    (folder / "manifest.jsonl").write_text("\n".join(json.dumps(e) for e in entries) + "\n", encoding="utf-8")
    return folder


def _echo(content: bytes, url: str | None) -> str:
    return content.decode("utf-8")


@pytest.fixture(scope="module")
def saved_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return evaluate_manifest(_saved_pages_manifest(tmp_path_factory.mktemp("pages")))


def test_saved_pages_score_perfectly_in_both_modes(saved_report: dict[str, Any]) -> None:
    html, text = saved_report["modes"]["html"], saved_report["modes"]["text"]
    assert (html["pages"], text["pages"]) == (len(list(PAGES_DIR.glob("*.html"))), len(list(PAGES_DIR.glob("*.txt"))))
    for run in (html, text):
        ours = run["tools"][OURS]
        assert ours["scores"]["snippets"]["micro"]["f1"] == 1.0
        assert ours["failed"] == []
        assert all(row["missing"] == [] and row["leaked"] == [] for row in ours["per_page"])
    assert set(html["tools"]) == {OURS, "trafilatura", "justext"}
    assert set(text["tools"]) == {OURS, "justext"}


def test_baselines_are_scored_on_the_same_pages(saved_report: dict[str, Any]) -> None:
    for run in saved_report["modes"].values():
        ids = {name: [row["id"] for row in tool["per_page"]] for name, tool in run["tools"].items()}
        assert len({tuple(page_ids) for page_ids in ids.values()}) == 1
        justext = run["tools"]["justext"]["scores"]["snippets"]["micro"]
        assert justext["f1"] < 1.0
        assert all(tool["seconds_per_page"] > 0 for tool in run["tools"].values())


def test_summary_fits_a_screen_and_names_the_worst_pages(saved_report: dict[str, Any]) -> None:
    summary = format_summary(saved_report)
    assert len(summary.splitlines()) <= 25
    rows = [line.split()[:2] for line in summary.splitlines()[2:]]
    assert [row for row in rows if row[1] != "worst"] == [
        ["html", OURS],
        ["html", "trafilatura"],
        ["html", "justext"],
        ["text", OURS],
        ["text", "justext"],
        ["P/R/F1", "micro"],
    ]
    worst = saved_report["modes"]["html"]["worst"]
    assert len(worst) == 5 and all(row["id"] in summary for row in worst)


def test_the_sample_is_every_kth_page_of_the_sorted_manifest(tmp_path: Path) -> None:
    folder = _tiny_manifest(tmp_path, ["p3", "p1", "p5", "p2", "p4"])
    assert [entry["id"] for entry in load_manifest(folder)] == ["p1", "p2", "p3", "p4", "p5"]
    assert [entry["id"] for entry in load_manifest(folder, every=2)] == ["p1", "p3", "p5"]


def test_a_failing_page_is_reported_and_scored_empty(tmp_path: Path) -> None:
    folder = _tiny_manifest(tmp_path, ["good", "bad"])

    def picky(content: bytes, url: str | None) -> str:
        if content == b"bad":
            raise ValueError("cannot read this one")
        return content.decode("utf-8")

    report = evaluate_manifest(folder, modes=["html"], tools={"html": {OURS: picky, "echo": _echo}})
    ours = report["modes"]["html"]["tools"][OURS]
    assert ours["failed"] == [{"id": "bad", "error": "ValueError: cannot read this one"}]
    assert ours["scores"]["snippets"]["micro"]["r"] == 0.5
    assert report["modes"]["html"]["tools"]["echo"]["scores"]["snippets"]["micro"]["f1"] == 1.0
    assert report["modes"]["html"]["worst"][0]["id"] == "bad"


def test_a_page_over_the_budget_is_stopped_and_reported(tmp_path: Path) -> None:
    folder = _tiny_manifest(tmp_path, ["slow"])

    def stuck(content: bytes, url: str | None) -> str:
        time.sleep(30)
        return ""

    report = evaluate_manifest(folder, modes=["html"], budget_s=0.2, tools={"html": {OURS: stuck}})
    ours = report["modes"]["html"]["tools"][OURS]
    assert "budget" in ours["failed"][0]["error"]
    assert ours["slowest"]["seconds"] < 5


def test_an_absent_input_file_is_a_failed_page(tmp_path: Path) -> None:
    folder = _tiny_manifest(tmp_path, ["here", "gone"])
    (folder / "html" / "gone.html").unlink()
    report = evaluate_manifest(folder, modes=["html"], tools={"html": {OURS: _echo}})
    failed = report["modes"]["html"]["tools"][OURS]["failed"]
    assert [row["id"] for row in failed] == ["gone"] and "unreadable input" in failed[0]["error"]


def test_worst_pages_rank_by_f1_then_by_wrong_snippets() -> None:
    rows = [
        {"id": "a", "f1": 0.5, "p": 1.0, "r": 0.3, "error": None, "missing": ["x"], "leaked": []},
        {"id": "b", "f1": 0.5, "p": 0.5, "r": 0.5, "error": None, "missing": ["x"], "leaked": ["y"]},
        {"id": "c", "f1": 0.9, "p": 1.0, "r": 0.8, "error": None, "missing": [], "leaked": []},
    ]
    assert [row["id"] for row in worst_pages(rows, 2)] == ["b", "a"]


def test_a_folder_without_a_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="no manifest"):
        evaluate_manifest(tmp_path, tools={"html": {}, "text": {}})


def test_extractors_cover_both_modes_with_ours_first() -> None:
    tools = extractors()
    assert [next(iter(tools[mode])) for mode in ("html", "text")] == [OURS, OURS]


def test_the_command_prints_a_summary_and_the_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(tmp_path / "home"))
    folder = _saved_pages_manifest(tmp_path / "pages")
    assert cli.main(["eval", "cleanup", "--pages", str(folder), "--every", "4"]) == 0
    out = capsys.readouterr().out
    assert "\nhtml trafilatura " in out and f"\ntext {OURS} " in out
    assert cli.main(["eval", "cleanup", "--pages", str(folder), "--every", "4", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is True and document["summary"].startswith("cleanup on 4 pages")
    assert document["result"]["every"] == 4
    assert cli.main(["eval", "ner", "--pages", str(folder)]) == 1
    assert "--pages scores the cleanup only" in capsys.readouterr().err


def _text_dump(k: int) -> str:
    menu = ["Stadtgeschehen", "Vereinsleben", "Leserreisen"]
    body = (
        "Der Gemeinderat hat am Dienstag nach langer Debatte beschlossen, das alte Hallenbad nicht zu sanieren, "
        "sondern an seiner Stelle ein neues Bad zu bauen, das im Jahr 2029 eröffnen soll."
    )
    return "\n".join([f"Seite {k}: {body}", *menu, f"Und weiter auf Seite {k}: {body}"])  # a box inside the text


def _html_page(k: int) -> str:
    note = "Unser Autor schreibt seit vielen Jahren für die Lokalredaktion über den Gemeinderat und die Vereine."
    body = (
        f"Der Gemeinderat hat am Dienstag über den Antrag Nummer {k} beraten und nach langer Debatte "
        "beschlossen, das alte Hallenbad nicht zu sanieren, sondern an seiner Stelle ein neues Bad zu bauen."
    )
    return (
        f"<html><head><title>Meldung {k}</title></head><body><article><h1>Meldung {k}</h1>"
        f"<p>{body}</p><p>{note}</p><p>{body.replace('Dienstag', 'Mittwoch')}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("mode", "page", "kept", "furniture"),
    [
        ("text", _text_dump, "Seite {k}: Der Gemeinderat", "Leserreisen"),  # the site's menu inside the text
        ("html", _html_page, "über den Antrag Nummer {k}", "Unser Autor schreibt"),  # the author's note
    ],
)
def test_a_hosts_pages_are_read_as_one_night_of_that_site(
    tmp_path: Path, mode: str, page: Callable[[int], str], kept: str, furniture: str
) -> None:
    from newsgraph_tools.evaluate.manifest_pages import MODES, OURS, evaluate_manifest, extractors

    (tmp_path / mode).mkdir()
    with (tmp_path / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for k in range(3):
            (tmp_path / mode / f"{k}.{mode}").write_text(page(k), encoding="utf-8")
            entry = {
                "id": f"p{k}",
                "url": f"https://www.muster.de/{k}",
                "gold_type": "snippets",
                "with": [kept.format(k=k)],
                "without": [furniture],
                MODES[mode]: f"{mode}/{k}.{mode}",
            }
            manifest.write(json.dumps(entry) + "\n")
    ours = extractors()[mode][OURS]
    for tool, precision in ((ours, 1.0), (lambda content, url: ours(content, url), 0.5)):  # night view, page alone
        report = evaluate_manifest(tmp_path, modes=(mode,), tools={mode: {OURS: tool}})
        micro = report["modes"][mode]["tools"][OURS]["scores"]["snippets"]["micro"]
        assert (micro["p"], micro["r"]) == (precision, 1.0)
