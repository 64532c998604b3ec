"""URL canonicalisation, so one article has one identity however it was linked."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_",)
_TRACKING_KEYS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "wt_mc", "wt_zmc", "ref", "xtor"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters.

    Non-HTTP identifiers (``urn:``) are returned unchanged.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return url.strip()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_KEYS
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def http_url(url: str, base: str | None = None) -> str | None:
    """``url`` made absolute against ``base``, if it is a well-formed http(s) URL with a host; else None.

    Feeds and pages contain anything (``javascript:``, ``http://[::1``, ports beyond 65535); this is
    the gate they pass before the scraper uses a link.
    """
    try:
        absolute = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(absolute)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return absolute


def doc_id_for(url: str) -> str:
    """A stable, machine-independent id for an article: 16 hex digits of the canonical URL's SHA-256."""
    return hashlib.sha256(canonicalize_url(url).encode("utf-8")).hexdigest()[:16]
