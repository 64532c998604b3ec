"""The command line fails with a one-line reason on bad input, never a traceback."""

from pathlib import Path

import pytest

from pipelines.cli import main as cli


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(tmp_path / "home"))


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("newsgraph: ")
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("command", ["clean", "entities"])
def test_missing_file(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli([command, str(tmp_path / "nope.txt")]) == 1
    assert "nope.txt: no such file" in one_line_error(capsys)


@pytest.mark.parametrize("command", ["clean", "entities"])
def test_empty_document(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    assert cli([command, str(path)]) == 1
    assert "empty document" in one_line_error(capsys)


def test_entities_needs_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Gespräche in Genf".encode("utf-16"))
    assert cli(["entities", str(path)]) == 1
    assert "not UTF-8 text" in one_line_error(capsys)


def test_bad_partition_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["run", "--date", "2026-13-40"]) == 1
    assert "not a date in the form YYYY-MM-DD" in one_line_error(capsys)


def test_query_before_any_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["query", "SELECT * WHERE { ?s ?p ?o }"]) == 1
    assert "run 'newsgraph run'" in one_line_error(capsys)


def test_validate_unparsable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    assert cli(["validate", str(path)]) == 1
    assert "cannot parse" in one_line_error(capsys)


def test_clean_prints_blocks_and_removals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from tests.support.samples import sample_files

    assert cli(["clean", str(sample_files()[4]), "--out", str(tmp_path / "out")]) == 0
    written = tmp_path / "out" / f"{sample_files()[4].name}.json"
    document = json.loads(written.read_text(encoding="utf-8"))
    assert set(document) >= {"title", "blocks", "removed", "metadata"}
    assert document["blocks"] and all(b["type"] in {"title", "lead", "heading", "body"} for b in document["blocks"])
    assert {r["category"] for r in document["removed"]} >= {"footer_copyright", "progress"}
