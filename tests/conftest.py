"""Shared test fixtures: where the project and the third-party data in ../shared live."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared")).resolve()


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
    """../shared (third-party data used from there, never copied); skip where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"needs the shared data folder at {SHARED} (set NEWSGRAPH_SHARED); absent on this machine")
    return SHARED
