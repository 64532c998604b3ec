"""Polite HTTP fetching with requests: robots.txt, per-host limits, retries, redirect and size limits.

Every fetch ends in a :class:`FetchResult` or a :class:`FetchError` whose ``reason`` is a short
machine-readable outcome (``http_503``, ``timeout``, ``too_large`` …) and whose message says what went
wrong and for which URL, so the night can record it and go on.

Within one night a fetch is retried with exponential backoff on connection errors, 429 and 5xx,
honouring ``Retry-After`` up to ``max_retry_after_s``; a longer wait is left to the next night.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from urllib3 import exceptions as urllib3_exceptions

from pipelines.scraping.politeness import (
    ALLOW_ALL,
    MAX_ROBOTS_BYTES,
    HostGates,
    RobotsCache,
    RobotsRules,
    forbid_all,
    origin_of,
    parse_robots,
)

ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/gzip",
    "application/x-gzip",
    *ARTICLE_TYPES,  # feeds and sitemaps are often served as text/html or text/plain
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_TRANSIENT = frozenset({"timeout", "connection_error", "http_429", "robots_unavailable", "internal_error"})


def is_transient(reason: str) -> bool:
    """Failures that may well go away by themselves: worth another try the next night."""
    return reason in _TRANSIENT or re.fullmatch(r"http_5\d\d", reason) is not None


class FetchError(Exception):
    """A page could not be fetched; ``reason`` is a short machine-readable outcome."""

    def __init__(
        self,
        url: str,
        reason: str,
        detail: str,
        *,
        status: int | None = None,
        final_url: str | None = None,
        attempts: int = 1,
        elapsed_s: float = 0.0,
    ) -> None:
        super().__init__(f"{url}: {reason}: {detail}")
        self.url = url
        self.reason = reason
        self.detail = detail
        self.status = status
        self.final_url = final_url
        self.attempts = attempts
        self.elapsed_s = elapsed_s


@dataclass(frozen=True)
class Validators:
    """What makes a conditional GET possible: the previous answer's ETag and Last-Modified."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    content: bytes  # empty when not_modified
    content_type: str  # media type without parameters
    charset: str | None  # as declared by the Content-Type header
    elapsed_s: float
    attempts: int = 1
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retry(Exception):
    """A failure worth another attempt within this night."""

    def __init__(self, reason: str, detail: str, status: int | None = None, retry_after_s: float | None = None):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status = status
        self.retry_after_s = retry_after_s


class HttpFetcher:
    """Fetches pages over HTTP(S) within allowed hosts, politely; one instance serves one night."""

    def __init__(
        self,
        user_agent: str,
        *,
        timeout_s: float = 20.0,
        total_timeout_s: float | None = None,
        retries: int = 3,
        backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
        max_retry_after_s: float = 120.0,
        max_bytes: int = 10 * 1024 * 1024,
        max_redirects: int = 5,
        default_rate_per_s: float = 1.0,
        max_per_host: int = 2,
        obey_robots: bool = True,
    ) -> None:
        self.user_agent = user_agent
        self.robots_agent = user_agent.split("/")[0].strip() or user_agent
        self.timeout_s = timeout_s
        self.total_timeout_s = total_timeout_s if total_timeout_s is not None else 4 * timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.max_retry_after_s = max_retry_after_s
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.obey_robots = obey_robots
        self.gates = HostGates(max_per_host, default_rate_per_s)
        self.robots = RobotsCache(self._load_robots)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    # --- sessions (requests.Session is not shared between threads) ---------------------------

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(
                {"User-Agent": self.user_agent, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"}
            )
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    # --- fetching ------------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        allowed_hosts: Iterable[str] = (),
        allow_private_network: bool = False,
        rate_limit_per_s: float | None = None,
        accept: Iterable[str] = ARTICLE_TYPES,
        validators: Validators | None = None,
    ) -> FetchResult:
        """GET ``url``, following redirects only to allowed hosts; raise FetchError on any failure.

        Without ``allowed_hosts`` only the URL's own host is allowed.
        """
        allowed = _allowed(url, allowed_hosts)
        accepted = tuple(accept)
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(
                    url, allowed, allow_private_network, rate_limit_per_s, accepted, validators, started, attempt
                )
            except FetchError as exc:
                exc.attempts = attempt
                exc.elapsed_s = time.monotonic() - started
                raise
            except _Retry as retry:
                elapsed = time.monotonic() - started
                if retry.retry_after_s is not None and retry.retry_after_s > self.max_retry_after_s:
                    raise FetchError(
                        url,
                        retry.reason,
                        f"{retry.detail}; asked to retry after {retry.retry_after_s:g} s "
                        f"(more than {self.max_retry_after_s:g} s): left for the next night",
                        status=retry.status,
                        attempts=attempt,
                        elapsed_s=elapsed,
                    ) from None
                if attempt > self.retries:
                    raise FetchError(
                        url,
                        retry.reason,
                        f"{retry.detail} (gave up after {attempt} attempts)",
                        status=retry.status,
                        attempts=attempt,
                        elapsed_s=elapsed,
                    ) from None
                wait = min(self.max_backoff_s, self.backoff_s * 2 ** (attempt - 1))
                if retry.retry_after_s is not None:
                    wait = max(wait, retry.retry_after_s)
                time.sleep(wait)

    def prepare(
        self,
        url: str,
        *,
        allowed_hosts: Iterable[str] = (),
        allow_private_network: bool = False,
        rate_limit_per_s: float | None = None,
    ) -> None:
        """Read the robots.txt of ``url``'s origin now, as the first fetch there would: the hosts of a
        night then start their pace together instead of one after another as fetch threads reach them.
        Nothing is asked of a host the URL may not be fetched from. Never raises: whatever stands in the
        way is met again, and recorded, when the page itself is fetched."""
        if not self.obey_robots:
            return
        allowed = _allowed(url, allowed_hosts)
        try:
            self._check_target(url, url, allowed, allow_private_network)
            self._check_robots(url, url, rate_limit_per_s)
        except Exception:  # the page's own fetch reports it, with its URL and reason
            return

    def _attempt(
        self,
        url: str,
        allowed: set[str],
        allow_private: bool,
        rate: float | None,
        accepted: tuple[str, ...],
        validators: Validators | None,
        started: float,
        attempt: int,
    ) -> FetchResult:
        current = url
        for _ in range(self.max_redirects + 1):
            self._check_target(current, url, allowed, allow_private)
            if self.obey_robots:
                self._check_robots(current, url, rate)
            host = (urlsplit(current).hostname or "").lower()
            extra = validators.headers() if validators else {}
            with self.gates.gate(host, rate).slot():
                response = self._get(url, current, extra)
                with response:
                    if response.status_code in REDIRECT_STATUSES:
                        location = response.headers.get("Location", "").strip()
                        if not location:
                            raise FetchError(
                                url,
                                "bad_redirect",
                                f"{response.status_code} without a Location header",
                                status=response.status_code,
                                final_url=current,
                            )
                        try:
                            current = urljoin(current, location)
                        except ValueError:
                            raise FetchError(
                                url,
                                "bad_redirect",
                                f"unreadable Location {location[:80]!r}",
                                status=response.status_code,
                                final_url=current,
                            ) from None
                        continue
                    return self._finish(url, current, response, accepted, started, attempt)
        raise FetchError(url, "too_many_redirects", f"more than {self.max_redirects} redirects", final_url=current)

    def _get(self, url: str, current: str, headers: dict[str, str]) -> requests.Response:
        try:
            return self._session().get(
                current, headers=headers, timeout=(self.timeout_s, self.timeout_s), allow_redirects=False, stream=True
            )
        except requests.ConnectTimeout:
            raise _Retry("timeout", f"could not connect within {self.timeout_s:g} s") from None
        except requests.Timeout:
            raise FetchError(url, "timeout", f"no answer within {self.timeout_s:g} s", final_url=current) from None
        except requests.RequestException as exc:
            if _is_timeout(exc):
                raise FetchError(url, "timeout", f"no answer within {self.timeout_s:g} s", final_url=current) from None
            raise _Retry("connection_error", _describe(exc)) from None
        except (ValueError, UnicodeError) as exc:  # requests parses a Location it won't follow (http://[::1)
            raise FetchError(
                url, "bad_response", f"unreadable answer ({exc.__class__.__name__}: {exc})", final_url=current
            ) from None

    def _finish(
        self,
        url: str,
        final_url: str,
        response: requests.Response,
        accepted: tuple[str, ...],
        started: float,
        attempt: int,
    ) -> FetchResult:
        status = response.status_code
        headers = response.headers
        if status == 304:
            return FetchResult(
                url,
                final_url,
                304,
                b"",
                "",
                None,
                time.monotonic() - started,
                attempt,
                headers.get("ETag"),
                headers.get("Last-Modified"),
            )
        if status in RETRY_STATUSES or 500 <= status < 600:
            raise _Retry(
                f"http_{status}", response.reason or "error status", status, _retry_after_s(headers.get("Retry-After"))
            )
        if status >= 300:
            raise FetchError(
                url, f"http_{status}", response.reason or "error status", status=status, final_url=final_url
            )
        media_type, charset = parse_content_type(headers.get("Content-Type", ""))
        if media_type and media_type not in accepted:
            raise FetchError(
                url,
                "unsupported_content_type",
                f"{media_type} (expected one of {', '.join(accepted)})",
                status=status,
                final_url=final_url,
            )
        declared = headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                url,
                "too_large",
                f"Content-Length {declared} is more than {self.max_bytes} bytes",
                status=status,
                final_url=final_url,
            )
        content = self._read_capped(response, url, final_url)
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            content=content,
            content_type=media_type,
            charset=charset,
            elapsed_s=time.monotonic() - started,
            attempts=attempt,
            etag=headers.get("ETag"),
            last_modified=headers.get("Last-Modified"),
        )

    def _read_capped(
        self,
        response: requests.Response,
        url: str,
        final_url: str,
        max_bytes: int | None = None,
        truncate: bool = False,
    ) -> bytes:
        """The body, up to ``max_bytes``, read within ``total_timeout_s`` (a trickling page is cut off)."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        try:
            # read1 returns what has arrived, so a page that trickles in is cut off at the deadline
            while chunk := response.raw.read1(65536, decode_content=True):
                size += len(chunk)
                if size > limit:
                    if truncate:
                        chunks.append(chunk[: limit - (size - len(chunk))])
                        break
                    raise FetchError(
                        url, "too_large", f"more than {limit} bytes", status=response.status_code, final_url=final_url
                    )
                chunks.append(chunk)
                if time.monotonic() - started > self.total_timeout_s:
                    raise FetchError(
                        url,
                        "timeout",
                        f"page not finished after {self.total_timeout_s:g} s",
                        status=response.status_code,
                        final_url=final_url,
                    )
        except urllib3_exceptions.DecodeError as exc:
            raise FetchError(
                url, "bad_content_encoding", _describe(exc), status=response.status_code, final_url=final_url
            ) from None
        except (urllib3_exceptions.HTTPError, requests.RequestException, OSError) as exc:
            if _is_timeout(exc):
                raise FetchError(
                    url,
                    "timeout",
                    f"page stalled for {self.timeout_s:g} s before it was finished",
                    status=response.status_code,
                    final_url=final_url,
                ) from None
            raise _Retry("connection_error", f"while reading the page: {_describe(exc)}") from None
        return b"".join(chunks)

    # --- rules ---------------------------------------------------------------------------------

    def _check_robots(self, target: str, original: str, rate: float | None) -> None:
        parts = urlsplit(target)
        origin = origin_of(target)
        gate = self.gates.gate((parts.hostname or "").lower(), rate)  # the source's pace, before robots.txt
        rules = self.robots.rules(origin)
        if rules.crawl_delay_s:
            gate.slow_down_to(rules.crawl_delay_s)
        if rules.problem:
            raise FetchError(original, "robots_unavailable", rules.problem, final_url=target)
        if not rules.allows(self.robots_agent, target):
            raise FetchError(
                original, "robots_disallowed", f"{origin}/robots.txt disallows {parts.path or '/'}", final_url=target
            )

    def _load_robots(self, origin: str) -> RobotsRules:
        """One GET of /robots.txt (redirects followed within the host), read per RFC 9309."""
        current = origin + "/robots.txt"
        host = (urlsplit(origin).hostname or "").lower()
        try:
            for _ in range(self.max_redirects + 1):
                with self.gates.gate(host).slot():
                    response = self._session().get(
                        current, timeout=(self.timeout_s, self.timeout_s), allow_redirects=False, stream=True
                    )
                    with response:
                        status = response.status_code
                        if status in REDIRECT_STATUSES and response.headers.get("Location"):
                            current = urljoin(current, response.headers["Location"])
                            if (urlsplit(current).hostname or "").lower() != host:
                                return ALLOW_ALL  # robots.txt elsewhere: treat as unavailable file (4xx)
                            continue
                        if 200 <= status < 300:
                            body = self._read_capped(response, current, current, MAX_ROBOTS_BYTES, True)
                            return parse_robots(body.decode("utf-8", errors="replace"), self.robots_agent)
                        if 400 <= status < 500 and status != 429:
                            return ALLOW_ALL
                        return forbid_all(f"{current} answered {status}; the host is left alone tonight")
            return ALLOW_ALL
        except (requests.RequestException, FetchError, _Retry) as exc:
            detail = exc.detail if isinstance(exc, FetchError | _Retry) else _describe(exc)
            return forbid_all(f"{current} could not be read ({detail}); the host is left alone tonight")

    @staticmethod
    def _check_target(target: str, original: str, allowed: set[str], allow_private: bool) -> None:
        try:
            parts = urlsplit(target)
            host = (parts.hostname or "").lower()
            _ = parts.port
        except ValueError as exc:
            raise FetchError(
                original, "bad_url", f"{target[:120]!r} is not a usable URL ({exc})", final_url=target
            ) from None
        if parts.scheme not in ("http", "https"):
            raise FetchError(
                original, "forbidden_scheme", f"{parts.scheme or 'no'} scheme in {target}", final_url=target
            )
        if host not in allowed:
            raise FetchError(
                original, "forbidden_host", f"{host or 'no host'} is not an allowed host ({target})", final_url=target
            )
        if not allow_private and is_private_host(host):
            raise FetchError(original, "private_address", f"{host} is a loopback or private address", final_url=target)


def _allowed(url: str, allowed_hosts: Iterable[str]) -> set[str]:
    """The hosts a fetch of ``url`` may reach (redirects included): those given, else the URL's own."""
    return {h.lower() for h in allowed_hosts} or {(urlsplit(url).hostname or "").lower()}


def _describe(exc: BaseException) -> str:
    """The innermost cause's class, e.g. ConnectionResetError, rather than requests' long repr."""
    names = [exc.__class__.__name__]
    seen: BaseException | None = exc
    for _ in range(6):
        inner = getattr(seen, "reason", None) or (seen.args[0] if seen and seen.args else None)
        if not isinstance(inner, BaseException):
            break
        names.append(inner.__class__.__name__)
        seen = inner
    text = str(seen).lower() if seen else ""
    if "reset" in text and "ConnectionResetError" not in names:
        names.append("connection reset by peer")
    return " / ".join(dict.fromkeys(names))


def _is_timeout(exc: BaseException) -> bool:
    """requests wraps a read timeout in a ConnectionError; look through the wrappers."""
    seen: object = exc
    for _ in range(6):
        if isinstance(seen, TimeoutError | urllib3_exceptions.TimeoutError | requests.Timeout):
            return True
        inner = getattr(seen, "reason", None)
        if inner is None and isinstance(seen, BaseException) and seen.args:
            inner = seen.args[0]
        if inner is None or inner is seen:
            return False
        seen = inner
    return False


def _retry_after_s(value: str | None) -> float | None:
    """Retry-After as seconds, whether given as a number or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and reserved addresses (and names resolving to them)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False  # unresolvable: the request itself will fail with a clear reason
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            return True
    return False


def parse_content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip("\"'").lower() or None
    return media_type.strip().lower(), charset
