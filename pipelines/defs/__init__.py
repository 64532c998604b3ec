"""Dagster definitions of newsgraph (loaded by ``dagster dev -w workspace.yaml``)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.assets import ASSETS, CHECKS
from pipelines.defs.maintenance import build_maintenance_schedule, store_maintenance
from pipelines.defs.resources import build_resources
from pipelines.defs.schedules import build_nightly_schedule, nightly_job
from pipelines.settings import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    """All assets, the SHACL check, the nightly job, the store's weekly maintenance and both schedules
    (running or stopped as the settings say), wired to resources from settings."""
    return dg.Definitions(
        assets=ASSETS,
        asset_checks=CHECKS,
        jobs=[nightly_job, store_maintenance],
        schedules=[
            build_nightly_schedule(settings.schedule_running),
            build_maintenance_schedule(settings.schedule_running),
        ],
        resources=build_resources(settings),
        executor=dg.in_process_executor,
    )


defs = build_definitions(Settings.from_env())
