"""A real ``oxigraph serve`` on 127.0.0.1 (free port, temporary location), stopped by its PID."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests


def oxigraph_binary() -> str:
    """The ``oxigraph`` CLI of the pip package ``oxigraph`` (beside this Python, else on PATH); skip if absent."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.skip("needs the oxigraph server binary (pip install oxigraph); not installed here")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def oxigraph_server(location: Path, timeout_s: float | None = None) -> Iterator[str]:
    """Start ``oxigraph serve --union-default-graph``; yields its base URL; kills it by PID at the end."""
    port = free_port()
    command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    command.append("--union-default-graph")
    if timeout_s is not None:
        command += ["--timeout-s", str(int(timeout_s))]
    log = (location.parent / f"oxigraph-{port}.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {process.returncode}; see {log.name}")
            try:
                requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not answer on {url} within 20 s") from None
                time.sleep(0.1)
        yield url
    finally:
        process.kill()
        process.wait(timeout=10)
        log.close()
