"""Running the web server: in the foreground (``newsgraph serve``) or in a thread (tests, tools)."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import uvicorn

from pipelines.web.app import create_app
from pipelines.web.config import WebConfig


def serve(config: WebConfig, host: str = "127.0.0.1", port: int = 8080, log_level: str = "info") -> None:
    """Serve until interrupted (what ``newsgraph serve`` calls)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    config = replace(config, public_url=config.public_url or f"http://{_url_host(host)}:{port}/")
    uvicorn.run(create_app(config), host=host, port=port, log_level=log_level, proxy_headers=True)


def _url_host(host: str) -> str:
    """The bound host as it goes into a URL (a wildcard address becomes localhost)."""
    if host in ("0.0.0.0", "::", ""):
        return "localhost"
    return f"[{host}]" if ":" in host else host


@contextmanager
def running_server(config: WebConfig, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """A real uvicorn server in a background thread on ``port`` (0: a free one); yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    actual_port = sock.getsockname()[1]
    config = replace(config, public_url=config.public_url or f"http://{_url_host(host)}:{actual_port}/")
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 90
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the web server stopped while starting (see the log above)")
        if time.monotonic() > deadline:
            raise RuntimeError("the web server did not start within 90 s")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{actual_port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
