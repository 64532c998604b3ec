"""The first two stages of a night over pages a local test server serves: scrape, then clean."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pipelines import factory, nightly
from pipelines.scraping import HttpFetcher, Source
from pipelines.settings import DEFAULT_USER_AGENT
from pipelines.workspace import PartitionWorkspace
from tests.support.homes import home_settings


def scrape_and_clean(home: Path, partition: str, urls: Sequence[str], name: str = "site") -> PartitionWorkspace:
    """Scrape ``urls`` (on 127.0.0.1) as one source of the night ``partition`` in ``home``, then clean it."""
    settings = home_settings(home)
    ws = PartitionWorkspace(settings.partitions_dir, partition)
    source = Source(
        name=name,
        kind="urls",
        language="de",
        urls=tuple(urls),
        allowed_hosts=("127.0.0.1",),
        allow_private_network=True,
    )
    fetcher = HttpFetcher(DEFAULT_USER_AGENT, timeout_s=2, retries=1, backoff_s=0.01, default_rate_per_s=500)
    raw_store = factory.raw_store(settings)
    try:
        nightly.scrape(ws, [source], raw_store, fetcher, datetime.now(UTC), state_dir=settings.state_dir)
    finally:
        fetcher.close()
    nightly.cleanup(ws, raw_store, factory.profiles(settings), state_dir=settings.state_dir)
    return ws
