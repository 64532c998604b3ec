"""The store's weekly maintenance: one op that compacts the published store, and its schedule.

An op, not an asset: compaction changes how the store keeps its files, not what it holds.
"""

import dagster as dg

from pipelines.days import TIMEZONE
from pipelines.defs.resources import TripleStoreResource
from pipelines.store.embedded import COMPACTION_COST

SCHEDULE_NAME = "store_maintenance_schedule"
CRON = "0 12 * * 0"  # Sundays at noon: far from the 02:00 night, which holds the store's one writer


@dg.op(description="Merge the published store's files so queries read fewer of them (newsgraph compact).")
def compact_store(context: dg.OpExecutionContext, triple_store: TripleStoreResource) -> dg.Output[None]:
    context.log.info(f"compacting {triple_store.location()} ({COMPACTION_COST})")
    with triple_store.open() as store:
        report = store.compact()
    metadata: dict[str, dg.RawMetadataValue] = {
        "store": dg.MetadataValue.text(triple_store.location()),
        "files before": report.files_before,
        "files after": report.files_after,
        "MB before": round(report.bytes_before / 1e6, 1),
        "MB after": round(report.bytes_after / 1e6, 1),
        "seconds": round(report.seconds, 2),
    }
    if report.note:
        context.log.info(f"nothing compacted: {report.note}")
        metadata["note"] = dg.MetadataValue.text(report.note)
    return dg.Output(None, metadata=metadata)


@dg.job(description="Compact the published store (weekly; also after a backfill).")
def store_maintenance() -> None:
    compact_store()


def build_maintenance_schedule(running: bool = False) -> dg.ScheduleDefinition:
    """Weekly, running or stopped as the nightly schedule is (``NEWSGRAPH_SCHEDULE_RUNNING``)."""
    return dg.ScheduleDefinition(
        name=SCHEDULE_NAME,
        job=store_maintenance,
        cron_schedule=CRON,
        execution_timezone=TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED,
    )
