"""A real HTTP server on 127.0.0.1 answering like WDQS for `kb update`, from the recorded SPARQL JSON in
../shared/wikidata-api (read from there, never copied).

The rows are the recorded bindings of wikibase-sdk__results_with_labels_descriptions_and_aliases.json
with their variables renamed to an extract's (item → item, itemLabel → label_en, itemDescription →
description_en, itemAltLabel → aliases_en, joined by "|" as the extracts' GROUP_CONCAT does); the
German labels of staedtl.de__sparql_eu_cities_de_labels.json (cityLabel, xml:lang "de") are given to
the first rows, so German labels arrive in their recorded cell shape too. A request's LIMIT/OFFSET
selects the page. Paths: ``/sparql`` answers; ``/flaky/sparql``: the first request 429 with
``Retry-After: 1``, the second 500, then answers.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

RENAMED = {"item": "item", "itemLabel": "label_en", "itemDescription": "description_en"}


def extract_bindings(shared_dir: Path) -> list[dict[str, Any]]:
    api = shared_dir / "wikidata-api"
    recorded = json.loads((api / "wikibase-sdk__results_with_labels_descriptions_and_aliases.json").read_text())
    german = json.loads((api / "staedtl.de__sparql_eu_cities_de_labels.json").read_text())
    de_cells = [b["cityLabel"] for b in german["results"]["bindings"] if "cityLabel" in b]
    rows = []
    for number, binding in enumerate(recorded["results"]["bindings"]):
        row = {new: copy.deepcopy(binding[old]) for old, new in RENAMED.items() if old in binding}
        if "itemAltLabel" in binding:
            cell = copy.deepcopy(binding["itemAltLabel"])
            cell.pop("xml:lang", None)
            cell["value"] = "|".join(part.strip() for part in cell["value"].split(","))
            row["aliases_en"] = cell
        if number < len(de_cells):
            row["label_de"] = copy.deepcopy(de_cells[number])
        rows.append(row)
    return rows


class RecordedQueryService:
    def __init__(self, shared_dir: Path) -> None:
        self.shared_dir = shared_dir
        self.bindings = extract_bindings(shared_dir)
        self.requests: list[dict[str, Any]] = []
        self._flaky = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> RecordedQueryService:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer(self, path: str, query: str) -> tuple[int, dict[str, str], Any]:
        if path.startswith("/flaky/"):
            with self._lock:
                self._flaky += 1
                attempt = self._flaky
            if attempt == 1:
                return 429, {"Retry-After": "1"}, {"error": "too many requests"}
            if attempt == 2:
                return 500, {}, {"error": "internal"}
        match = re.search(r"LIMIT\s+(\d+)\s+OFFSET\s+(\d+)\s*$", query)
        limit, offset = (int(match.group(1)), int(match.group(2))) if match else (len(self.bindings), 0)
        page = self.bindings[offset : offset + limit]
        body = {
            "head": {"vars": ["item", "label_de", "label_en", "description_en", "aliases_en"]},
            "results": {"bindings": page},
        }
        return 200, {"Content-Type": "application/sparql-results+json"}, body

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
                            "user_agent": self.headers["User-Agent"],
                        }
                    )
                status, headers, answer = server.answer(url.path, params.get("query", ""))
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler
