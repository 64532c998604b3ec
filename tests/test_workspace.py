"""`dagster definitions validate -w workspace.yaml` accepts the code location (what `make dev` loads)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _dagster(tmp_path: Path, *args: str, setting: str | None = None) -> subprocess.CompletedProcess[str]:
    """The dagster CLI on the workspace, with a fresh home and the schedule setting as given."""
    dagster = Path(sys.executable).parent / "dagster"
    env = {
        **{k: v for k, v in os.environ.items() if k != "NEWSGRAPH_SCHEDULE_RUNNING"},
        "NEWSGRAPH_HOME": str(tmp_path),
        "DAGSTER_HOME": str(tmp_path),
        "DAGSTER_DISABLE_TELEMETRY": "yes",
        **({"NEWSGRAPH_SCHEDULE_RUNNING": setting} if setting else {}),
    }
    return subprocess.run(
        [str(dagster), *args, "-w", "workspace.yaml"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_workspace_validates(tmp_path: Path) -> None:
    done = _dagster(tmp_path, "definitions", "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All code locations passed validation" in done.stdout + done.stderr


@pytest.mark.parametrize(("setting", "state"), [(None, "[STOPPED]"), ("1", "[RUNNING]")])
def test_make_dev_shows_the_schedule_as_the_setting_says(tmp_path: Path, setting: str | None, state: str) -> None:
    """What `dagster dev -w workspace.yaml` loads: the schedule stopped by default, running with the setting."""
    done = _dagster(tmp_path, "schedule", "list", setting=setting)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Schedule: nightly_schedule {state}" in done.stdout
