"""A real HTTP server on 127.0.0.1 that answers like Wikidata, from the recorded responses in
../shared/wikidata-api (read from there, never copied). Paths select the behaviour:

- ``/w/api.php``: wbsearchentities ("attila the hun" → the recorded hits; the label of a recorded
  entity, e.g. "Vladimir Putin" → one hit for it in the recorded hit shape; else the recorded empty
  result) and wbgetentities (Q7747 → the recorded full entity, Q649 → the labels-only answer,
  a malformed id → the recorded no-such-entity error naming it; a well-formed id that was not
  recorded → ``{"id": ..., "missing": ""}`` as Wikidata marks unknown items; several ids → one envelope);
- ``/sparql``: the recorded SPARQL JSON with labels, descriptions and aliases;
- ``/busy/...``: first request 429 with ``Retry-After: 1``, then as ``/w/api.php``;
- ``/broken/...``: always 500; ``/slow/...``: answers after ``slow_seconds``;
- ``/lagged/...``: first request the maxlag error envelope with ``Retry-After: 1``, then normal.

Every request is recorded (path, query parameters, User-Agent) for the tests to inspect.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse


class RecordedWikidata:
    def __init__(self, shared_dir: Path, *, slow_seconds: float = 1.5) -> None:
        api = shared_dir / "wikidata-api"
        self.search_hits = json.loads((api / "gimme_wikidata__wbsearchentities_attila.json").read_text())
        self.search_empty = json.loads((api / "gimme_wikidata__wbsearchentities_empty.json").read_text())
        self.missing = json.loads((api / "gimme_wikidata__wbgetentities_missing.json").read_text())
        full = json.loads((api / "nomenklatura__wbgetentities_Q7747_full.json").read_text())
        labels = json.loads((api / "nomenklatura__wbgetentities_Q649_labels.json").read_text())
        self.entities: dict[str, Any] = {**full["entities"], **labels["entities"]}
        sparql = api / "wikibase-sdk__results_with_labels_descriptions_and_aliases.json"
        self.sparql = json.loads(sparql.read_text())
        self.slow_seconds = slow_seconds
        self.requests: list[dict[str, Any]] = []
        self._first_seen: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> RecordedWikidata:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def count(self, action: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if action is None or r["params"].get("action") == action)

    # --- answers ----------------------------------------------------------------------------------

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        prefix = path.split("/")[1] if path.count("/") > 1 else ""
        with self._lock:
            first = prefix not in self._first_seen
            self._first_seen.add(prefix)
        if prefix == "busy" and first:
            return 429, {"Retry-After": "1"}, {"error": "too many requests"}
        if prefix == "lagged" and first:
            body = {"error": {"code": "maxlag", "info": "Waiting for a database server: 6 seconds lagged."}}
            return 200, {"Retry-After": "1"}, body
        if prefix == "broken":
            return 500, {}, {"error": "internal"}
        if prefix == "slow":
            time.sleep(self.slow_seconds)
        if path.endswith("/sparql"):
            return 200, {"Content-Type": "application/sparql-results+json"}, self.sparql
        action = params.get("action")
        if action == "wbsearchentities":
            query = params.get("search", "").casefold()
            if query == "attila the hun":
                return 200, {}, self.search_hits
            return 200, {}, self._search_recorded(query)
        if action == "wbgetentities":
            ids = params.get("ids", "").split("|")
            malformed = [i for i in ids if not re.fullmatch(r"Q[1-9][0-9]*", i)]
            if malformed:
                error = copy.deepcopy(self.missing)
                error["error"]["id"] = malformed[0]
                error["error"]["info"] = f"Could not find such an entity. (Invalid id: {malformed[0]})"
                return 200, {}, error
            entities = {i: self.entities.get(i, {"id": i, "missing": ""}) for i in ids}
            return 200, {}, {"entities": entities, "success": 1}
        return 400, {}, {"error": {"code": "badrequest", "info": f"unknown action {action!r}"}}

    def _search_recorded(self, query: str) -> dict[str, Any]:
        answer = copy.deepcopy(self.search_empty)
        answer["searchinfo"]["search"] = query
        template = self.search_hits["search"][0]
        for qid, entity in self.entities.items():
            labels = {v["value"].casefold(): v["value"] for v in entity.get("labels", {}).values()}
            if query in labels:
                hit = copy.deepcopy(template)
                hit.update(
                    id=qid,
                    concepturi=f"http://www.wikidata.org/entity/{qid}",
                    url=f"//www.wikidata.org/wiki/{qid}",
                    title=qid,
                    label=labels[query],
                    description=None,
                    match={"type": "label", "language": "en", "text": labels[query]},
                )
                answer["search"].append(hit)
        return answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                self.do_GET(parse_qs(self.rfile.read(length).decode()))

            def do_GET(self, body: dict[str, list[str]] | None = None) -> None:
                url = urlparse(self.path)
                params = {k: v[-1] for k, v in parse_qs(url.query).items()}
                params.update({k: v[-1] for k, v in (body or {}).items()})
                with server._lock:
                    server.requests.append(
                        {
                            "method": self.command,
                            "path": url.path,
                            "params": params,
                            "user_agent": self.headers.get("User-Agent"),
                        }
                    )
                status, headers, body = server.answer(url.path, params)
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler
