"""The nightly job and its schedule."""

import dagster as dg

from pipelines.days import TIMEZONE, night_of, utc_now
from pipelines.defs.assets import ASSETS

SCHEDULE_NAME = "nightly_schedule"
CRON = "0 2 * * *"

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.assets(*ASSETS),
    executor_def=dg.in_process_executor,
    description="Scrape, clean, recognise, link, build, validate and publish one day's articles.",
)


def build_nightly_schedule(running: bool = False) -> dg.ScheduleDefinition:
    """At 02:00 Berlin time, materialize the day that has just ended (``night_of``, as ``newsgraph run``).

    Stopped unless ``running`` (``NEWSGRAPH_SCHEDULE_RUNNING=1``): Dagster starts a new schedule
    stopped, so a laptop's ``make dev`` never scrapes by surprise; a server sets the variable. A
    state set in the UI overrides this default.
    """

    @dg.schedule(
        job=nightly_job,
        cron_schedule=CRON,
        execution_timezone=TIMEZONE,
        name=SCHEDULE_NAME,
        default_status=dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED,
    )
    def nightly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        day = night_of(context.scheduled_execution_time or utc_now())
        return dg.RunRequest(run_key=day, partition_key=day)

    return nightly_schedule


nightly_schedule = build_nightly_schedule()
