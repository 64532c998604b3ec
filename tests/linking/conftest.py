"""The linking tests read the session's default index (tests/conftest.py); the recorded Wikidata server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.kb import KnowledgeBase
from tests.wikidata.recorded_server import RecordedWikidata


@pytest.fixture(scope="session")
def default_kb(default_index: tuple[Path, dict[str, object]]) -> KnowledgeBase:
    return KnowledgeBase(default_index[0])


@pytest.fixture
def wikidata_server(shared_dir: Path) -> Iterator[RecordedWikidata]:
    server = RecordedWikidata(shared_dir).start()
    try:
        yield server
    finally:
        server.stop()
