"""Polite HTTP fetching with requests: timeouts, retries with backoff, redirect and size limits.

Every fetch ends in a :class:`FetchResult` or a :class:`FetchError` whose message says what went
wrong and for which URL, so the night can record it and go on.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import exceptions as urllib3_exceptions
from urllib3.util.retry import Retry

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


class FetchError(Exception):
    """A page could not be fetched; ``reason`` is a short machine-readable outcome."""

    def __init__(self, url: str, reason: str, detail: str) -> None:
        super().__init__(f"{url}: {reason}: {detail}")
        self.url = url
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str  # media type without parameters
    charset: str | None
    elapsed_s: float


class HttpFetcher:
    """Fetches pages over HTTP(S) within allowed hosts."""

    def __init__(
        self,
        user_agent: str,
        *,
        timeout_s: float = 20.0,
        retries: int = 3,
        backoff_s: float = 0.5,
        max_bytes: int = 10 * 1024 * 1024,
        max_redirects: int = 5,
    ) -> None:
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept": "text/html,text/plain;q=0.9,*/*;q=0.1"})
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff_s,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET", "HEAD"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def fetch(self, url: str, *, allowed_hosts: Iterable[str] = (), allow_private_network: bool = False) -> FetchResult:
        """GET ``url``, following redirects only to allowed hosts; raise FetchError on any failure."""
        allowed = {h.lower() for h in allowed_hosts}
        started = time.monotonic()
        current = url
        for _ in range(self.max_redirects + 1):
            self._check_target(current, url, allowed, allow_private_network)
            try:
                response = self.session.get(current, timeout=self.timeout_s, allow_redirects=False, stream=True)
            except requests.Timeout as exc:
                raise FetchError(url, "timeout", str(exc).splitlines()[0]) from None
            except requests.RequestException as exc:
                if _is_timeout(exc):
                    raise FetchError(url, "timeout", f"no answer within {self.timeout_s:g} s") from None
                raise FetchError(url, "connection_error", exc.__class__.__name__) from None
            with response:
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    current = urljoin(current, location)
                    continue
                if response.status_code >= 400:
                    raise FetchError(url, f"http_{response.status_code}", response.reason or "error status")
                content = self._read_capped(response, url)
                media_type, charset = _parse_content_type(response.headers.get("Content-Type", ""))
                if media_type and media_type not in ACCEPTED_TYPES:
                    raise FetchError(url, "unsupported_content_type", media_type)
                return FetchResult(
                    url=url,
                    final_url=current,
                    status=response.status_code,
                    content=content,
                    content_type=media_type or "text/html",
                    charset=charset,
                    elapsed_s=time.monotonic() - started,
                )
        raise FetchError(url, "too_many_redirects", f"more than {self.max_redirects} redirects")

    def _read_capped(self, response: requests.Response, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(url, "too_large", f"more than {self.max_bytes} bytes")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise FetchError(url, "connection_error", exc.__class__.__name__) from None
        return b"".join(chunks)

    @staticmethod
    def _check_target(target: str, original: str, allowed: set[str], allow_private: bool) -> None:
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            raise FetchError(original, "forbidden_scheme", f"{parts.scheme or 'no'} scheme in {target}")
        host = (parts.hostname or "").lower()
        if allowed and host not in allowed:
            raise FetchError(original, "forbidden_host", f"{host} is not an allowed host")
        if not allow_private and _is_private(host):
            raise FetchError(original, "private_address", f"{host} is a loopback or private address")


def _is_timeout(exc: requests.RequestException) -> bool:
    """requests wraps a read timeout that exhausted the retries in a ConnectionError."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, TimeoutError | urllib3_exceptions.TimeoutError)


def _is_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # unresolvable: the request itself will fail with a clear reason
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            return True
    return False


def _parse_content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset
