"""Headless Chromium driven over the DevTools protocol (a small client on ``websockets``)."""

from __future__ import annotations

import base64
import itertools
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from websockets.sync.client import ClientConnection, connect

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
]


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("needs Chromium for the browser test (Debian: apt-get install -y chromium); not installed here")


class Browser:
    """One headless Chromium with a fresh profile; one page driven over its DevTools websocket."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900) -> None:
        self.log_path = profile.parent / "chromium.log"
        self._log = self.log_path.open("w+b")
        self.process = subprocess.Popen(
            [chromium_binary(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=self._log,
            stderr=self._log,
        )
        self._ids = itertools.count(1)
        try:
            port = self._devtools_port()
            page = next(t for t in self._targets(port) if t["type"] == "page")
            self.ws: ClientConnection = connect(page["webSocketDebuggerUrl"], max_size=64 * 2**20)
            self.send("Page.enable")
            self.send("Runtime.enable")
            self.send(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
        except BaseException:
            self.close()
            raise

    def _devtools_port(self) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self._log.seek(0)
            match = re.search(rb"DevTools listening on ws://127\.0\.0\.1:(\d+)/", self._log.read())
            if match:
                return int(match.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"Chromium did not open its DevTools port; see {self.log_path}")

    @staticmethod
    def _targets(port: int) -> list[dict[str, Any]]:
        deadline = time.monotonic() + 10
        while True:
            targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=5).json()
            if any(t["type"] == "page" for t in targets) or time.monotonic() > deadline:
                return list(targets)
            time.sleep(0.1)

    def send(self, method: str, timeout_s: float = 30, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its answer (events that arrive meanwhile are dropped)."""
        message_id = next(self._ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout_s
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return dict(message.get("result", {}))

    def open(self, url: str, timeout_s: float = 30) -> None:
        """Navigate and wait for the load event."""
        self.send("Page.navigate", url=url)
        self.wait_for_load(timeout_s)

    def wait_for_load(self, timeout_s: float = 30) -> None:
        """Wait for the next load event (after a navigation or a click on a link)."""
        deadline = time.monotonic() + timeout_s
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("method") == "Page.loadEventFired":
                return

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=full_page)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        if hasattr(self, "ws"):
            self.ws.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self._log.close()
