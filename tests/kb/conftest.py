"""Indexes built once per test session: the default (fresh machine) and one with ../shared/kb added."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.kb import build_index


@pytest.fixture(scope="session")
def default_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    path = tmp_path_factory.mktemp("kb") / "default.sqlite"
    return path, build_index(path)


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> tuple[Path, dict[str, object]]:
    path = tmp_path_factory.mktemp("kb") / "shared.sqlite"
    return path, build_index(path, extra_sources=[shared_dir / "kb" / "entities.jsonl"])
