"""Dagster definitions of newsgraph (loaded by ``dagster dev -w workspace.yaml``)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.assets import ASSETS, CHECKS
from pipelines.defs.resources import build_resources
from pipelines.defs.schedules import nightly_job, nightly_schedule
from pipelines.settings import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    """All assets, the SHACL check, the nightly job and schedule, wired to resources from settings."""
    return dg.Definitions(
        assets=ASSETS,
        asset_checks=CHECKS,
        jobs=[nightly_job],
        schedules=[nightly_schedule],
        resources=build_resources(settings),
        executor=dg.in_process_executor,
    )


defs = build_definitions(Settings.from_env())
