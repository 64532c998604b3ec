"""Knowledge bases for the linking tests (built once per session) and the recorded Wikidata server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.kb import KnowledgeBase, build_index
from tests.wikidata.recorded_server import RecordedWikidata


@pytest.fixture(scope="session")
def default_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    path = tmp_path_factory.mktemp("kb") / "default.sqlite"
    build_index(path)
    return KnowledgeBase(path)


@pytest.fixture(scope="session")
def shared_kb(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> KnowledgeBase:
    path = tmp_path_factory.mktemp("kb") / "shared.sqlite"
    build_index(path, extra_sources=[shared_dir / "kb" / "entities.jsonl"])
    return KnowledgeBase(path)


@pytest.fixture
def wikidata_server(shared_dir: Path) -> Iterator[RecordedWikidata]:
    server = RecordedWikidata(shared_dir).start()
    try:
        yield server
    finally:
        server.stop()
