"""Headers every response carries, whatever route (or error) produced it, and the client's identity.

The pages need no script, so the Content-Security-Policy forbids scripts outright; inline ``style``
attributes are the one allowance. The query editor's page sets its own policy (script and requests
from this server only, :data:`pipelines.web.editor.EDITOR_POLICY`), which this middleware keeps.
CORS is open (``*``, no credentials): the data is public and the endpoint is meant to be queried
from other sites' pages.
"""

from __future__ import annotations

import traceback
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipelines.web.events import CLIENT, log_event

HTML_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
COMMON = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
    b"access-control-allow-origin": b"*",
}


def _with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    present = {name.lower() for name, _ in headers}
    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
    policy = HTML_POLICY if content_type.startswith(b"text/html") else DATA_POLICY
    extra = {**COMMON, b"content-security-policy": policy.encode()}
    return headers + [(name, value) for name, value in extra.items() if name not in present]


class SecurityHeaders:
    """ASGI middleware: security and CORS headers on every response; an unhandled error becomes a 500 here."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        CLIENT.set(str(client[0]) if client else "unknown")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": _with_security_headers(list(message.get("headers", [])))}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            log_event(
                "server_error",
                path=scope.get("path"),
                error=f"{type(exc).__name__}: {exc}",
                traceback=traceback.format_exc(limit=8),
            )
            if started:
                raise
            await _plain(send_with_headers, 500, "internal server error (logged)\n")


async def _plain(send: Any, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
