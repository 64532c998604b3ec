"""A partition runs on a Dagster instance whose storage is PostgreSQL (docs/operations.md).

.ci/run starts a throwaway PostgreSQL server on 127.0.0.1 and sets NEWSGRAPH_TEST_POSTGRES.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dagster as dg
import pytest

from pipelines.defs import build_definitions
from tests.support.homes import home_settings

POSTGRES_URL = os.environ.get("NEWSGRAPH_TEST_POSTGRES")

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="needs a PostgreSQL server: set NEWSGRAPH_TEST_POSTGRES (.ci/run starts one)"
)


def test_nightly_partition_on_postgres_instance(tmp_path: Path) -> None:
    pytest.importorskip("dagster_postgres", reason="dagster-postgres is not installed")
    url = urlsplit(POSTGRES_URL or "")
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    # the `postgres_db` block of docs/operations.md (the variables would come from the environment there)
    (dagster_home / "dagster.yaml").write_text(
        "storage:\n  postgres:\n    postgres_db:\n"
        f"      username: {url.username}\n      password: '{url.password or ''}'\n"
        f"      hostname: {url.hostname}\n      port: {url.port or 5432}\n      db_name: {url.path.lstrip('/')}\n"
        "      scheme: postgresql+psycopg2\n"
        "telemetry:\n  enabled: false\n",
        encoding="utf-8",
    )
    settings = home_settings(tmp_path / "home", NEWSGRAPH_NER_MODEL="fast")
    job = build_definitions(settings).resolve_job_def("nightly")
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        result = job.execute_in_process(partition_key="2026-11-19", instance=instance, raise_on_error=False)
        assert result.success
        (run,) = instance.get_runs(filters=dg.RunsFilter(run_ids=[result.run_id]))
        assert run.tags["dagster/partition"] == "2026-11-19"
        materialized = instance.get_latest_materialization_event(dg.AssetKey("published_graph"))
        assert materialized is not None and materialized.run_id == result.run_id
