"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a response or a misbehaviour.

Besides ordinary responses it can misbehave on purpose, as real sites do: reset the connection,
stream a huge body without building it in memory, trickle bytes, never finish, and answer
conditional GETs with 304. It records every request (path, headers, time) and the highest number
of requests it served at once, so politeness can be checked from the server's side.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # wait before answering at all
    stream: Callable[[], Iterable[bytes]] | None = None  # body produced chunk by chunk, no Content-Length
    chunk_delay_s: float = 0.0  # pause between streamed chunks (a page that trickles or never finishes)
    reset: bool = False  # drop the connection with a TCP reset instead of answering
    etag: bool = False  # send an ETag and answer If-None-Match with 304


Route = Response | Callable[[BaseHTTPRequestHandler], Response]


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived


class LocalServer:
    """Serves ``routes`` until stopped; records every request it saw."""

    def __init__(self, routes: Mapping[str, Route]) -> None:
        self.routes = routes
        self.seen: list[SeenRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.seen.append(SeenRequest(self.path, dict(self.headers.items()), time.monotonic()))
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                self.counted = True
                try:
                    self._answer()
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.close_connection = True  # the client gave up (size cap, timeout): fine
                finally:
                    self._answered()

            def _answered(self) -> None:
                """A request stops counting as in flight once its answer starts: the client may send the next
                one as soon as it has read this one, which can be before this thread runs again."""
                if getattr(self, "counted", False):
                    self.counted = False
                    with server._lock:
                        server.in_flight -= 1

            def end_headers(self) -> None:
                self._answered()
                super().end_headers()

            def _answer(self) -> None:
                route = server.routes.get(self.path) or server.routes.get(self.path.partition("?")[0])
                if route is None:
                    response = Response(404, b"not found", {"Content-Type": "text/plain"})
                else:
                    response = route(self) if callable(route) else route
                if response.delay_s:
                    time.sleep(response.delay_s)
                if response.reset:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                headers = dict(response.headers)
                if response.etag:
                    tag = '"' + hashlib.sha256(response.body).hexdigest()[:16] + '"'
                    headers["ETag"] = tag
                    if self.headers.get("If-None-Match") == tag:
                        self.send_response(304)
                        self.send_header("ETag", tag)
                        self.end_headers()
                        return
                self.send_response(response.status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if response.stream is None and "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if response.stream is None:
                    self.wfile.write(response.body)
                    return
                for chunk in response.stream():
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    if response.chunk_delay_s:
                        time.sleep(response.chunk_delay_s)

            def log_message(self, *args: object) -> None:
                pass

        class QuietServer(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # misbehaving on purpose produces socket errors; they are not test failures

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def requests(self) -> list[tuple[str, dict[str, str]]]:
        """(path, headers) of every request, in arrival order."""
        return [(r.path, r.headers) for r in self.seen]

    def hits(self, path: str) -> int:
        return sum(1 for r in self.seen if r.path == path)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path


def repeat(chunk: bytes, total_bytes: int) -> Callable[[], Iterator[bytes]]:
    """A streamed body of ``total_bytes`` made of ``chunk`` (a 50 MB page without 50 MB of memory)."""

    def generate() -> Iterator[bytes]:
        sent = 0
        while sent < total_bytes:
            piece = chunk[: total_bytes - sent]
            sent += len(piece)
            yield piece

    return generate


def sequence(*responses: Response) -> Callable[[BaseHTTPRequestHandler], Response]:
    """A route that answers with each response in turn, then repeats the last (500 then 200, ...)."""
    calls = [0]
    lock = threading.Lock()

    def route(_handler: BaseHTTPRequestHandler) -> Response:
        with lock:
            index = min(calls[0], len(responses) - 1)
            calls[0] += 1
        return responses[index]

    return route


@contextmanager
def serve(routes: Mapping[str, Route]) -> Iterator[LocalServer]:
    server = LocalServer(routes)
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        server.thread.join(timeout=5)
