"""`dagster definitions validate -w workspace.yaml` accepts the code location (what `make dev` loads)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_workspace_validates(tmp_path: Path) -> None:
    dagster = Path(sys.executable).parent / "dagster"
    env = {
        **os.environ,
        "NEWSGRAPH_HOME": str(tmp_path),
        "DAGSTER_HOME": str(tmp_path),
        "DAGSTER_DISABLE_TELEMETRY": "yes",
    }
    done = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All code locations passed validation" in done.stdout + done.stderr
