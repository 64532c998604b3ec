"""Settings for a test's own NEWSGRAPH_HOME that link with the session's KB index (tests/conftest.py).

``Settings.from_env`` with an explicit mapping does not read the process environment, so a test that
makes its own home would otherwise build the index again (seconds per home).
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.settings import Settings


def home_settings(home: Path, **env: str) -> Settings:
    """Settings for ``home`` (plus ``env``: other NEWSGRAPH_* values), with the session's KB index."""
    values = {"NEWSGRAPH_HOME": str(home), **env}
    index = os.environ.get("NEWSGRAPH_KB_INDEX")
    if index:
        values.setdefault("NEWSGRAPH_KB_INDEX", index)
    return Settings.from_env(values)
