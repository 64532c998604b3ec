"""One structured log line (JSON) per refusal, timeout, crash and worker replacement."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from typing import Any

LOG = logging.getLogger("newsgraph.web")
CLIENT: ContextVar[str] = ContextVar("newsgraph_client", default="local")  # set per request by the app


def log_event(event: str, **fields: Any) -> None:
    """``{"event": ..., "client": ..., ...}`` at WARNING, so the default uvicorn log shows it."""
    LOG.warning(json.dumps({"event": event, "client": CLIENT.get(), **fields}, ensure_ascii=False, default=str))
