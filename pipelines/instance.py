"""The Dagster instance lives under NEWSGRAPH_HOME/dagster, with telemetry off."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.settings import Settings

if TYPE_CHECKING:
    from dagster import DagsterInstance

DAGSTER_YAML = """\
# Written by newsgraph. Run storage, event logs and schedules in SQLite under this folder.
# To use PostgreSQL instead, see README.md (dagster-postgres).
telemetry:
  enabled: false
"""


def prepare_dagster_home(settings: Settings) -> Path:
    """Create DAGSTER_HOME with a dagster.yaml if it is missing, and return its path."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


def open_instance(settings: Settings) -> DagsterInstance:
    """A persistent Dagster instance in NEWSGRAPH_HOME, so runs show up in ``make dev``."""
    from dagster import DagsterInstance

    return DagsterInstance.from_config(str(prepare_dagster_home(settings)))
