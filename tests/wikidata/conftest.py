"""Fixtures of the Wikidata client tests: the recorded-response server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wikidata.recorded_server import RecordedWikidata

USER_AGENT = "newsgraph-tests/0.1 (https://github.com/newsgraph/newsgraph; tests@newsgraph.invalid)"


@pytest.fixture
def wikidata_server(shared_dir: Path) -> Iterator[RecordedWikidata]:
    server = RecordedWikidata(shared_dir, slow_seconds=1.0).start()
    try:
        yield server
    finally:
        server.stop()
