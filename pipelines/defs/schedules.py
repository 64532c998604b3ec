"""The nightly job and its schedule."""

from datetime import timedelta

import dagster as dg

from pipelines.defs.assets import ASSETS
from pipelines.defs.partitions import TIMEZONE

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.assets(*ASSETS),
    executor_def=dg.in_process_executor,
    description="Scrape, clean, recognise, link, build, validate and publish one day's articles.",
)


@dg.schedule(job=nightly_job, cron_schedule="0 2 * * *", execution_timezone=TIMEZONE)
def nightly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 02:00 Berlin time, materialize the day that has just ended."""
    day = (context.scheduled_execution_time - timedelta(days=1)).date().isoformat()
    return dg.RunRequest(run_key=day, partition_key=day)
