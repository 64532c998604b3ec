"""What a user of ``newsgraph`` relies on: --version, help with defaults, ``-`` for stdin, one JSON shape,
progress bars only on a terminal."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from newsgraph_tools.evaluate import stages as evaluation
from pipelines.cli import _build_parser
from pipelines.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]
ENVELOPE = {"command", "ok", "summary", "result", "errors"}
ARTICLE = (
    "Bundestag beschließt Haushalt\n\n"
    + "Der Bundestag in Berlin hat am Donnerstag nach langer Debatte den Haushalt für das kommende Jahr beschlossen. "
    * 4
    + "\n\n© 2026 Beispielverlag\n"
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(tmp_path / "home"))


def newsgraph(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: a separate process with pipes (no terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def _parsers(parser: argparse.ArgumentParser, name: str = "newsgraph") -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(name, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                found += _parsers(sub, f"{name} {sub_name}")
    return found


# --- --version and --help ------------------------------------------------------------------


def test_version_is_the_installed_package_version() -> None:
    answer = newsgraph("--version")
    assert answer.returncode == 0 and answer.stdout.strip() == f"newsgraph {version('newsgraph')}"


def test_the_command_leaves_with_its_output_flushed_and_exit_handlers_run() -> None:
    """The installed command ends the process at once after its work (no heap teardown): what it printed
    into a pipe and what exit handlers do must still happen, and its exit status must hold."""
    script = (
        "import atexit, sys; atexit.register(lambda: print('exit handler ran')); "
        "from pipelines.cli import console; console()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "clean", "-"],
        input=ARTICLE,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Bundestag beschließt Haushalt\n")
    assert done.stdout.rstrip().endswith("exit handler ran")
    failed = subprocess.run(
        [sys.executable, "-c", script, "clean", "no-such-file.txt"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert failed.returncode == 1
    assert "no-such-file.txt" in failed.stderr and failed.stdout.rstrip().endswith("exit handler ran")


def test_help_describes_the_tool_in_plain_text() -> None:
    answer = newsgraph("--help")
    assert answer.returncode == 0
    assert "``" not in answer.stdout
    assert "Wikidata-linked RDF knowledge graph" in answer.stdout
    assert '{"command": "clean", "ok": true, "summary"' in answer.stdout  # the JSON shape is documented
    for command in ("run", "backfill", "status", "clean", "entities", "query", "serve", "kb", "eval", "bench"):
        assert f"\n    {command} " in answer.stdout, command


def test_every_command_has_a_description() -> None:
    for name, parser in _parsers(_build_parser()):
        assert parser.description and len(parser.description) > 20, name


def test_every_option_with_a_value_shows_its_default() -> None:
    for name, parser in _parsers(_build_parser()):
        text = parser.format_help().split("\noptions:\n", 1)[1]  # the options, after the usage lines
        for action in parser._actions:
            if not action.option_strings or action.nargs == 0 or action.required or action.help == argparse.SUPPRESS:
                continue
            chunk = text.split(action.option_strings[-1], 1)[1].split("\n  -", 1)[0]
            assert "default" in chunk, f"{name} {action.option_strings[-1]}: {chunk!r}"


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["serve"], ["(default: 127.0.0.1)", "(default: 8080)"]),
        (["query"], ["(default: csv)"]),
        (["bench"], ["(default: 100,1000,10000)", "(default: nights)"]),
        (["kb", "update"], ["(default: 7.0)"]),
    ],
)
def test_defaults_in_help(command: list[str], shown: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_status:
        cli([*command, "--help"])
    assert exit_status.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines at any width
    for default in shown:
        assert default in text, default


def test_common_options_are_accepted_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert cli(["--quiet", "clean", str(path)]) == 0
    assert cli(["clean", str(path), "--quiet", "--debug"]) == 0
    assert capsys.readouterr().err == ""


# --- standard input ------------------------------------------------------------------------


def test_clean_reads_standard_input() -> None:
    answer = newsgraph("clean", "-", stdin=ARTICLE)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.startswith("Bundestag beschließt Haushalt\n\nDer Bundestag in Berlin")
    assert "Beispielverlag" not in answer.stdout


def test_clean_sniffs_html_on_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.samples import as_html_page

    page = as_html_page(ARTICLE, "Bundestag beschließt Haushalt")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page), encoding="utf-8"))
    assert cli(["clean", "-", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)["result"][0]
    assert document["input"] == "-"
    assert document["title"] == "Bundestag beschließt Haushalt"
    assert not any("Startseite" in block["text"] for block in document["blocks"])


def test_entities_read_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode()), encoding="utf-8"))
    assert cli(["entities", "-", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)["result"]
    assert item["input"] == "-"
    assert any(m["text"] == "Berlin" and m["type"] == "LOC" for m in item["mentions"])


def test_standard_input_is_read_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["clean", "-", "-"]) == 1
    assert "can be read only once" in capsys.readouterr().err


@pytest.mark.parametrize("argument", ["-", "@-"])
def test_query_reads_standard_input(
    argument: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The query from stdin reaches the guard that runs before any store is opened."""
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    monkeypatch.setattr(sys, "stdin", io.StringIO(query))
    assert cli(["query", argument]) == 1
    assert "not an allowed federated endpoint" in capsys.readouterr().err


def test_an_empty_query_on_standard_input_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n"))
    assert cli(["query", "-"]) == 1
    assert capsys.readouterr().err.strip() == "newsgraph: (standard input): empty query"


# --- one JSON shape -------------------------------------------------------------------------


def test_clean_has_one_shape_for_one_file_and_for_many(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path in paths:
        path.write_text(ARTICLE, encoding="utf-8")
    assert cli(["clean", str(paths[0]), "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert cli(["clean", *map(str, paths), "--json"]) == 0
    many = json.loads(capsys.readouterr().out)
    for answer in (one, many):
        assert set(answer) == ENVELOPE
        assert answer["command"] == "clean" and answer["ok"] is True and answer["errors"] == []
        assert isinstance(answer["result"], list)
        assert all(set(item) >= {"input", "title", "blocks", "removed", "metadata"} for item in answer["result"])
    assert [item["input"] for item in many["result"]] == list(map(str, paths))
    assert many["summary"] == "cleaned 2 of 2 file(s)"


def test_refused_inputs_are_errors_of_the_envelope(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    assert cli(["clean", str(good), str(missing), "--json"]) == 1
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert answer["ok"] is False and [item["input"] for item in answer["result"]] == [str(good)]
    assert answer["errors"] == [{"input": str(missing), "message": "no such file"}]
    assert f"newsgraph: {missing}: no such file" in captured.err.splitlines()


def test_a_failing_command_still_answers_in_the_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["status", "--json"]) == 1
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert set(answer) == ENVELOPE and answer["command"] == "status" and answer["ok"] is False
    assert answer["result"] is None and answer["errors"][0]["message"].startswith("no night has run yet")
    assert captured.err.startswith("newsgraph: no night has run yet")


def test_nested_commands_name_themselves(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["kb", "update", "--list", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["command"] == "kb update" and answer["ok"] is True
    assert answer["result"] and all(set(row) == {"name", "type", "title"} for row in answer["result"])


def test_json_output_is_the_only_thing_on_stdout(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    answer = newsgraph("clean", str(path), "--json", env={"NEWSGRAPH_HOME": str(tmp_path / "home")})
    assert answer.returncode == 0
    assert json.loads(answer.stdout)["summary"] == "cleaned 1 of 1 file(s)"
    assert answer.stderr.strip() == "newsgraph: cleaned 1 of 1 file(s)"  # the summary for people, beside it


# --- progress bars --------------------------------------------------------------------------


def _on_a_terminal(*args: str, cwd: Path) -> str:
    """Run ``newsgraph`` with stdin, stdout and stderr on a pseudo-terminal; all it wrote."""
    import fcntl
    import pty
    import struct
    import termios

    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        cwd=ROOT,
        env={**os.environ, "NEWSGRAPH_HOME": str(cwd / "home")},
    )
    os.close(secondary)
    out = b""
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        out += data
    os.close(primary)
    assert process.wait(timeout=300) == 0, out
    return out.decode("utf-8", errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_progress_bars_only_on_a_terminal_and_not_with_quiet(tmp_path: Path) -> None:
    paths = []
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
        paths.append(str(tmp_path / name))
    shown = _on_a_terminal("clean", *paths, cwd=tmp_path)
    assert "\rclean:" in shown and "file" in shown
    quiet = _on_a_terminal("clean", *paths, "--quiet", cwd=tmp_path)
    assert "\rclean:" not in quiet and "Bundestag" in quiet
    piped = newsgraph("clean", *paths, env={"NEWSGRAPH_HOME": str(tmp_path / "home")})
    assert piped.returncode == 0 and piped.stderr == ""


def test_library_loops_run_unchanged_without_bars() -> None:
    from pipelines import progress

    items = [1, 2, 3]
    assert progress.track(items, "x") is items
    with progress.bar("x", total=3) as bar:
        bar.update(3)  # a do-nothing bar


def test_bars_are_drawn_on_the_given_stream() -> None:
    from pipelines import progress

    stream = io.StringIO()
    with progress.shown(stream):
        assert list(progress.track(range(3), "counting", unit="thing")) == [0, 1, 2]
    assert "counting" in stream.getvalue() and "thing" in stream.getvalue()


# --- eval summaries -------------------------------------------------------------------------


@pytest.mark.needs_shared("seeds", "gold/cleanup")
def test_eval_prints_a_one_line_summary(shared_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["eval", "cleanup", "--shared", str(shared_dir)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("cleanup: ") and "token F1 mean" in lines[0]
    assert lines[1] == "(the full report: newsgraph eval cleanup --json)"
    assert cli(["eval", "cleanup", "--shared", str(shared_dir), "--json"]) == 0
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert answer["command"] == "eval cleanup" and answer["summary"] == lines[0]
    assert set(answer["result"]) >= {"seeds", "totals", "baselines", "saved_pages"}
    assert captured.err.strip() == f"newsgraph: {lines[0]}"


def _prf(p: float, r: float, f: float) -> dict[str, float]:
    return {"precision": p, "recall": r, "f1": f}


def test_every_stage_has_a_summary() -> None:
    ner = {
        "model": "default",
        "germeval_dev_a": {"micro": _prf(0.77, 0.84, 0.80)},
        "seed_gold": {"micro": _prf(0.94, 0.96, 0.95)},
        "speed": {"words_per_second": 1404.1},
    }
    assert evaluation.summarize("ner", ner) == (
        "ner (default): GermEval dev-a P/R/F1 0.770/0.840/0.800, seed gold P/R/F1 0.940/0.960/0.950, 1404 words/s"
    )
    linking = {
        "ner": {"summary": "linking acc 0.900"},
        "gold_spans": {"summary": "linking acc 0.950"},
        "unseen_news": {"mentions": 1000, "linked_share": 0.5, "precision": {"precision": 0.95, "judged": 200}},
    }
    assert evaluation.summarize("linking", linking) == (
        "linking: ner: linking acc 0.900; gold_spans: linking acc 0.950; "
        "unseen news: 50.0% of 1000 mentions linked, precision 0.950 (n=200)"
    )
    assert evaluation.summarize("quotes", {"summary": "quotes exact P/R/F1 1/1/1"}) == "quotes exact P/R/F1 1/1/1"
    with pytest.raises(ValueError, match="unknown stage"):
        evaluation.summarize("graph", {})
