"""``clean`` and ``entities`` over many files: every result they can, each refused file named, exit 1."""

from __future__ import annotations

import json
import re
from contextlib import suppress
from pathlib import Path

import pytest

from pipelines import cleanup
from pipelines.cleanup.budget import OverBudgetError, page_budget
from pipelines.cli import MAX_INPUT_BYTES
from pipelines.cli import main as cli

ARTICLE = (
    "Bundestag beschließt Haushalt\n\n"
    + "Der Bundestag in Berlin hat am Donnerstag nach langer Debatte den Haushalt für das kommende Jahr beschlossen. "
    * 4
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(tmp_path / "home"))


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    nul = tmp_path / "nul.txt"
    nul.write_bytes(ARTICLE.encode() + b"\x00\x00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Gespräche über den Haushalt in München".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(MAX_INPUT_BYTES + 1)
    return {
        "folder": (folder, "is a directory"),
        "nul": (nul, "NUL bytes"),
        "latin": (latin, "not UTF-8 text"),
        "huge": (huge, "more than the limit"),
        "missing": (tmp_path / "missing.txt", "no such file"),
    }


@pytest.mark.parametrize("command", ["clean", "entities"])
def test_each_bad_input_is_refused_with_its_file_name(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path, message in _bad_inputs(tmp_path).values():
        assert cli([command, str(path)]) == 1
        err = capsys.readouterr().err.strip()
        assert err == f"newsgraph: {path}: {err.split(': ', 2)[2]}" and message in err, err


def test_clean_writes_every_result_it_can_and_reports_each_refused_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = [tmp_path / f"good{i}.txt" for i in range(2)]
    for path in good:
        path.write_text(ARTICLE, encoding="utf-8")
    no_text = tmp_path / "menu.txt"
    no_text.write_text("Startseite\n\nImpressum\n\nKontakt\n", encoding="utf-8")
    bad = _bad_inputs(tmp_path)
    inputs = [good[0], no_text, bad["folder"][0], good[1], bad["nul"][0]]
    out = tmp_path / "out"
    assert cli(["clean", *map(str, inputs), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["good0.txt.json", "good1.txt.json"]
    for path in good:
        assert json.loads((out / f"{path.name}.json").read_text(encoding="utf-8"))["blocks"]
    refused = captured.err.strip().splitlines()
    assert [line.split(": ", 2)[1] for line in refused[:-1]] == [
        str(no_text),
        str(bad["folder"][0]),
        str(bad["nul"][0]),
    ]
    assert refused[-1] == "newsgraph: 3 of 5 file(s) refused"


def test_a_page_over_its_budget_is_refused_and_the_others_are_cleaned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cleanup.clean_document

    def backtracking(content: bytes, *args: object, **kwargs: object) -> object:
        if b"STALL" in content:
            re.match(r"(a+)+$", "a" * 64 + "b")  # exponential: never ends on its own
        return real(content, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cleanup, "clean_document", backtracking)
    monkeypatch.setenv("NEWSGRAPH_CLEANUP_BUDGET", "0.5")
    stall = tmp_path / "stall.txt"
    stall.write_text(ARTICLE + "\n\nSTALL\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    assert cli(["clean", str(stall), str(good), "--out", str(out)]) == 1
    assert [p.name for p in out.iterdir()] == ["good.txt.json"]
    assert "stall.txt: cleanup took longer than the per-page budget of 0.5 s" in capsys.readouterr().err


def test_the_budget_interrupts_a_backtracking_regular_expression() -> None:
    with pytest.raises(OverBudgetError, match=r"budget of 0\.2 s"), page_budget(0.2):
        re.match(r"(a+)+$", "a" * 64 + "b")
    with page_budget(5):  # within budget: nothing happens, and the timer is gone afterwards
        assert re.match(r"a+$", "aaa")


def test_code_that_catches_exceptions_cannot_swallow_the_budget() -> None:
    with pytest.raises(OverBudgetError, match=r"budget of 0\.1 s"), page_budget(0.1):
        with suppress(Exception):  # as trafilatura's load_html does around the HTML parser
            re.match(r"(a+)+$", "a" * 64 + "b")
        pytest.fail("the budget was swallowed")
    swallow_all = suppress(BaseException)  # swallows even that: the page runs on, and fails when done
    with pytest.raises(OverBudgetError, match=r"budget of 0\.1 s"), page_budget(0.1), swallow_all:
        re.match(r"(a+)+$", "a" * 64 + "b")
