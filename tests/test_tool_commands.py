"""The product and its developer tools stay apart: pipelines never imports newsgraph_tools, and the CLI's
bench/eval/train-ner come from newsgraph-tools' entry points or say how to install it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipelines import cli, tool_commands

PIPELINES = Path(cli.__file__).resolve().parent


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    return names


def test_the_runtime_package_never_imports_the_tools() -> None:
    offenders = [
        f"{path.relative_to(PIPELINES)}: {name}"
        for path in sorted(PIPELINES.rglob("*.py"))
        for name in _imported_modules(path)
        if name.startswith("newsgraph_tools")
    ]
    assert offenders == []


def test_the_tools_register_their_commands() -> None:
    installed = tool_commands.installed_commands()
    assert set(tool_commands.EXPECTED) <= set(installed)


@pytest.mark.parametrize("argv", [["eval", "cleanup"], ["bench", "--sizes", "10"], ["train-ner"], ["eval"]])
def test_without_the_tools_a_command_says_how_to_install_them(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tool_commands, "installed_commands", dict)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"newsgraph {argv[0]}: needs newsgraph-tools" in err and "pip install ./tools" in err


def test_without_the_tools_the_help_still_lists_their_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tool_commands, "installed_commands", dict)
    with pytest.raises(SystemExit) as exit_status:
        cli.main(["--help"])
    assert exit_status.value.code == 0
    out = capsys.readouterr().out
    for name in tool_commands.EXPECTED:
        assert f"\n    {name} " in out, name
    assert "(needs newsgraph-tools)" in " ".join(out.split())


def test_unknown_options_are_still_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_status:
        cli.main(["status", "--no-such-option"])
    assert exit_status.value.code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err
