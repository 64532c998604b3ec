"""The live Wikidata client: wbsearchentities, wbgetentities and the SPARQL endpoint.

Polite by construction, as Wikimedia's API etiquette asks: a User-Agent naming the product and a
contact, ``maxlag`` on API requests, retries with exponential backoff on 429/5xx, timeouts and maxlag
errors (honouring Retry-After), and a persistent cache so each question is asked once.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from pipelines.kb.entry import KBEntry
from pipelines.kb.wikidata_json import entry_from_entity
from pipelines.wikidata.cache import ResponseCache
from pipelines.wikidata.errors import WikidataAPIError, WikidataError, WikidataUnavailable

log = logging.getLogger(__name__)

API_URL = "https://www.wikidata.org/w/api.php"
SPARQL_URL = "https://query.wikidata.org/sparql"
ENTITY_PREFIX = "http://www.wikidata.org/entity/"
SPARQL_GET_LIMIT = 1500  # characters of query text above which SPARQL is sent as POST
BATCH_SIZE = 50  # wbgetentities accepts at most 50 ids per request
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
ENTITY_PROPS = "labels|aliases|descriptions|claims|sitelinks"
ENTITY_LANGUAGES = "de|en|fr|es|it|nl|pl|ru|uk"


@dataclass(frozen=True)
class SearchHit:
    """One wbsearchentities result."""

    qid: str
    label: str | None
    description: str | None
    match_text: str | None = None


def _check_user_agent(user_agent: str) -> str:
    agent = (user_agent or "").strip()
    if "/" not in agent or not any(mark in agent for mark in ("@", "http://", "https://")):
        raise WikidataError(
            f"User-Agent {user_agent!r} must name the product and a contact, "
            "e.g. 'newsgraph/0.1 (https://github.com/newsgraph/newsgraph; ops@example.org)'"
        )
    return agent


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


CACHE_FILE = "responses.sqlite"


class WikidataClient:
    """See module docstring.

    The cache lives in ``cache_path`` (a SQLite file) or in ``cache_dir``/responses.sqlite; with
    neither it is kept in memory for the life of the client.
    """

    def __init__(
        self,
        user_agent: str,
        *,
        api_url: str = API_URL,
        sparql_url: str = SPARQL_URL,
        cache_path: Path | str | None = None,
        cache_dir: Path | str | None = None,
        cache_max_age: float | None = None,
        timeout: float = 10.0,
        max_retries: int = 4,
        backoff: float = 1.0,
        max_wait: float = 120.0,
        maxlag: int | None = 5,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = _check_user_agent(user_agent)
        self.api_url = api_url
        self.sparql_url = sparql_url
        if cache_path is None and cache_dir is not None:
            cache_path = Path(cache_dir) / CACHE_FILE
        self.cache = ResponseCache(cache_path, max_age=cache_max_age)
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.maxlag = maxlag
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = self.user_agent
        self._sleep = sleep
        self.requests_made = 0

    # --- API methods ------------------------------------------------------------------------------

    def search(self, query: str, *, language: str = "de", limit: int = 7) -> list[SearchHit]:
        """wbsearchentities (German by default): items whose label or alias starts like ``query``."""
        params = {
            "action": "wbsearchentities",
            "search": query,
            "language": language,
            "uselang": language,
            "type": "item",
            "limit": str(limit),
            "format": "json",
        }
        data = self._api(params)
        hits = data.get("search")
        if not isinstance(hits, list):
            raise WikidataError(f"wbsearchentities {query!r}: answer without a 'search' list")
        result = []
        for hit in hits:
            if isinstance(hit, dict) and isinstance(hit.get("id"), str):
                match = hit.get("match")
                text = match.get("text") if isinstance(match, dict) else None
                result.append(SearchHit(hit["id"], hit.get("label"), hit.get("description"), text))
        return result

    def get_entities_raw(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """wbgetentities in batches of 50; ids Wikidata does not know are left out of the result."""
        result: dict[str, dict[str, Any]] = {}
        unique = list(dict.fromkeys(ids))
        for offset in range(0, len(unique), BATCH_SIZE):
            result.update(self._get_batch(unique[offset : offset + BATCH_SIZE]))
        return result

    def get_entities(self, ids: Sequence[str]) -> dict[str, KBEntry]:
        """Like get_entities_raw, parsed into KBEntry records (type from P31)."""
        entries = {}
        for qid, entity in self.get_entities_raw(ids).items():
            entry = entry_from_entity(entity, source=f"wikidata-api:{self.api_url} wbgetentities {qid}")
            if entry is not None:
                entries[qid] = entry
        return entries

    def sparql(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps variable → value (entity IRIs shortened to QIDs)."""
        data = self._request(self.sparql_url, {"query": query, "format": "json"}, sparql=True)
        try:
            bindings = data["results"]["bindings"]
        except (KeyError, TypeError) as exc:
            raise WikidataError("SPARQL answer without results.bindings") from exc
        return [sparql_row(binding) for binding in bindings]

    def sparql_pages(self, query: str, *, page_size: int, max_pages: int = 10_000) -> Iterator[list[dict[str, str]]]:
        """Run a SELECT page by page, appending LIMIT/OFFSET (the query needs an ORDER BY for stable pages).

        Each page is one request, retried and cached like sparql(); iteration ends after a short page.
        """
        if page_size < 1:
            raise ValueError(f"page_size must be positive (got {page_size})")
        text = query.rstrip()
        for page in range(max_pages):
            rows = self.sparql(f"{text}\nLIMIT {page_size} OFFSET {page * page_size}")
            yield rows
            if len(rows) < page_size:
                return
        raise WikidataError(f"SPARQL paging stopped after {max_pages} pages of {page_size} rows")

    # --- internals --------------------------------------------------------------------------------

    def _get_batch(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        pending = list(ids)
        while pending:
            params = {
                "action": "wbgetentities",
                "ids": "|".join(pending),
                "props": ENTITY_PROPS,
                "languages": ENTITY_LANGUAGES,
                "format": "json",
            }
            try:
                data = self._api(params)
            except WikidataAPIError as exc:
                bad = self._bad_id(exc, pending)
                if exc.code == "no-such-entity" and bad is not None:
                    pending.remove(bad)  # one unknown id fails the whole batch: drop it, ask again
                    continue
                raise
            entities = data.get("entities")
            if not isinstance(entities, dict):
                raise WikidataError(f"wbgetentities {params['ids']}: answer without 'entities'")
            return {
                qid: entity for qid, entity in entities.items() if isinstance(entity, dict) and "missing" not in entity
            }
        return {}

    @staticmethod
    def _bad_id(exc: WikidataAPIError, pending: list[str]) -> str | None:
        for qid in pending:
            if f"Invalid id: {qid})" in exc.info or f"id: {qid}" in exc.info:
                return qid
        return pending[0] if len(pending) == 1 else None

    def _api(self, params: Mapping[str, str]) -> dict[str, Any]:
        return self._request(self.api_url, dict(params))

    def _request(self, url: str, params: dict[str, str], *, sparql: bool = False) -> dict[str, Any]:
        key = url + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        cached = self.cache.get(key)
        if cached is not None:
            return dict(cached)
        send = dict(params)
        if not sparql and self.maxlag is not None:
            send["maxlag"] = str(self.maxlag)
        headers = {"Accept": "application/sparql-results+json" if sparql else "application/json"}
        # Long SPARQL queries go in a POST body (URLs have length limits); everything else is a GET.
        post = sparql and len(params.get("query", "")) > SPARQL_GET_LIMIT
        data = self._send(url, send, headers, describe=f"{params.get('action', 'sparql')} {url}", post=post)
        self.cache.put(key, data)
        return data

    def _send(
        self, url: str, params: dict[str, str], headers: dict[str, str], *, describe: str, post: bool = False
    ) -> dict[str, Any]:
        last_problem = "no attempt made"
        for attempt in range(self.max_retries + 1):
            wait: float | None = None
            try:
                self.requests_made += 1
                if post:
                    response = self.session.post(url, data=params, headers=headers, timeout=self.timeout)
                else:
                    response = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
            except (requests.Timeout, requests.ConnectionError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code in RETRY_STATUS:
                    last_problem = f"HTTP {response.status_code}"
                    wait = _retry_after(response.headers.get("Retry-After"))
                elif response.status_code >= 400:
                    raise WikidataError(f"{describe}: HTTP {response.status_code} (not retried)")
                else:
                    data = self._parse(response, describe)
                    error = data.get("error") if isinstance(data, dict) else None
                    if isinstance(error, dict) and error.get("code") == "maxlag":
                        last_problem = "maxlag: " + str(error.get("info", "servers lagged"))
                        wait = _retry_after(response.headers.get("Retry-After"))
                    elif isinstance(error, dict):
                        raise WikidataAPIError(str(error.get("code")), str(error.get("info", "")), describe)
                    else:
                        return data
            if attempt == self.max_retries:
                break
            delay = wait if wait is not None else self.backoff * (2**attempt)
            delay = min(delay, self.max_wait)
            log.warning("wikidata %s: %s; retry %d in %.1fs", describe, last_problem, attempt + 1, delay)
            self._sleep(delay)
        attempts = self.max_retries + 1
        raise WikidataUnavailable(f"{describe}: gave up after {attempts} attempts ({last_problem})")

    @staticmethod
    def _parse(response: requests.Response, describe: str) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError as exc:
            raise WikidataError(f"{describe}: answer is not JSON ({response.text[:80]!r})") from exc
        if not isinstance(data, dict):
            raise WikidataError(f"{describe}: answer is not a JSON object")
        return data


def sparql_row(binding: Mapping[str, Any]) -> dict[str, str]:
    """One SPARQL JSON binding → {variable: value}; entity IRIs become QIDs."""
    row = {}
    for name, cell in binding.items():
        value = str(cell.get("value", "")) if isinstance(cell, dict) else ""
        if isinstance(cell, dict) and cell.get("type") == "uri" and value.startswith(ENTITY_PREFIX):
            value = value[len(ENTITY_PREFIX) :]
        row[name] = value
    return row


def qids_of(rows: Iterable[Mapping[str, str]], variable: str) -> list[str]:
    """The QIDs in one column of sparql() rows."""
    return [row[variable] for row in rows if row.get(variable, "").startswith("Q")]
