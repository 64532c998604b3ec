"""Shared test fixtures: where the project and the third-party data in ../shared live.

Tests that read ../shared (or the folder NEWSGRAPH_SHARED names) take the ``shared_dir`` fixture and
carry ``@pytest.mark.needs_shared(paths)`` naming what they read there. That data is not in a fresh
clone, so where those paths are absent the test is skipped with a reason naming them, and the run
ends with a line counting such skips. ``-m "not needs_shared"`` runs what a fresh clone can.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", DEFAULT_SHARED)).resolve()
THIRD_PARTY = "third-party data, not in a fresh clone"
_SKIPPED_FOR_SHARED = pytest.StashKey[set[str]]()


def _shown(path: Path) -> str:
    """A path in ../shared as ../shared/..., unless NEWSGRAPH_SHARED points elsewhere."""
    if DEFAULT_SHARED.resolve() == SHARED:
        return str(Path("..", "shared", path.relative_to(SHARED)))
    return str(path)


def _missing_shared(item: pytest.Item) -> list[Path]:
    """The paths in ../shared that the item's ``needs_shared`` markers name and that are absent."""
    needed = [SHARED / path for marker in item.iter_markers("needs_shared") for path in marker.args] or [SHARED]
    return [path for path in dict.fromkeys(needed) if not path.exists()]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests whose ../shared data is absent; refuse a test whose marker and fixture disagree."""
    skipped = config.stash.setdefault(_SKIPPED_FOR_SHARED, set())
    disagreeing = []
    for item in items:
        marked = item.get_closest_marker("needs_shared") is not None
        if marked != ("shared_dir" in getattr(item, "fixturenames", ())):
            disagreeing.append(item.nodeid)
        missing = _missing_shared(item) if marked else []
        if missing:
            item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(map(_shown, missing))} ({THIRD_PARTY})"))
            skipped.add(item.nodeid)
    if disagreeing:
        raise pytest.UsageError(
            "a test that reads ../shared takes the shared_dir fixture and is marked needs_shared, "
            f"one without the other: {', '.join(disagreeing)}"
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> Iterator[None]:
    """After the short summary: how many tests ../shared would have run (one line, so a fresh clone sees it)."""
    yield
    wanted = config.stash.get(_SKIPPED_FOR_SHARED, set())
    count = sum(1 for report in terminalreporter.stats.get("skipped", []) if report.nodeid in wanted)
    if count:
        terminalreporter.write_line(
            f"{count} test(s) skipped for want of {_shown(SHARED)} ({THIRD_PARTY}; "
            "set NEWSGRAPH_SHARED to where it is)",
            yellow=True,
        )


@pytest.fixture(scope="session")
def default_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The index a fresh machine builds from the shipped sources, built once per session."""
    from pipelines.kb import build_index

    path = tmp_path_factory.mktemp("kb") / "default.sqlite"
    return path, build_index(path)


@pytest.fixture(scope="session", autouse=True)
def _one_index_for_every_home(default_index: tuple[Path, dict[str, object]]) -> Iterator[None]:
    """Every NEWSGRAPH_HOME a test makes links with the session's index (building it costs seconds)."""
    previous = os.environ.get("NEWSGRAPH_KB_INDEX")
    os.environ["NEWSGRAPH_KB_INDEX"] = str(default_index[0])
    yield
    if previous is None:
        os.environ.pop("NEWSGRAPH_KB_INDEX", None)
    else:
        os.environ["NEWSGRAPH_KB_INDEX"] = previous


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared or NEWSGRAPH_SHARED (third-party data used from there, never copied)."""
    return SHARED
