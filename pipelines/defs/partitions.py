"""Daily partitions in Berlin time: one partition is one night's collection of articles."""

import dagster as dg

from pipelines.days import TIMEZONE

daily_partitions = dg.DailyPartitionsDefinition(start_date="2022-01-01", timezone=TIMEZONE, end_offset=1)
