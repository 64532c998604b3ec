"""The web application's state: configuration, query workers, templates, cached statistics."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio
from jinja2 import Environment, FileSystemLoader
from rdflib import Graph, Literal
from rdflib.term import Node
from starlette.requests import Request
from starlette.responses import HTMLResponse

from pipelines.store.guard import QueryRejectedError, check_query
from pipelines.web import pages
from pipelines.web.catalogue import Catalogue
from pipelines.web.config import WebConfig
from pipelines.web.events import log_event
from pipelines.web.resources import IriMap
from pipelines.web.void import STATS_QUERY, DatasetStats, Dump
from pipelines.web.worker import QueryRefusedError, QueryRunner
from pipelines.web.worker_requests import CountRequest, QueryRequest, WorkerRequest

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080/"


class Server:
    """The application's state: configuration, worker pool, templates, cached statistics."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.iris = IriMap(config.base_iri)
        self.runner = QueryRunner(
            config.store,
            config.workers,
            config.query_timeout_s,
            per_client=config.per_client,
            queue_timeout_s=config.queue_timeout_s,
            memory_mb=config.worker_memory_mb,
        )
        self.templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True)
        self._stats: tuple[float, DatasetStats] | None = None
        self.catalogue = Catalogue(self)

    # ------------------------------------------------------------ plumbing

    def call(self, request: WorkerRequest, timeout_s: float | None = None) -> Any:
        """Answer ``request`` in a query worker, within the server's limits (its guard checks queries first)."""
        if isinstance(request, QueryRequest):
            request = replace(
                request,
                limit=self.config.max_results if request.limit is None else request.limit,
                max_bytes=self.config.max_bytes if request.max_bytes is None else request.max_bytes,
            )
            try:
                check_query(request.sparql, self.config.query_policy)
            except QueryRejectedError as exc:
                log_event("query_refused", reason=exc.reason, status=400, message=str(exc))
                raise QueryRefusedError(400, str(exc)) from None
        return self.runner.call(request, timeout_s)

    def select(self, sparql: str, substitutions: dict[str, Node] | None = None) -> tuple[list[str], list[list[Any]]]:
        return self.call(QueryRequest("select", sparql, substitutions))

    def construct(self, sparql: str, substitutions: dict[str, Node] | None = None) -> Graph:
        data = self.call(QueryRequest("construct", sparql, substitutions))
        graph = Graph()
        if data:
            graph.parse(data=data, format="nt")
        return graph

    def fetch(self) -> pages.Fetch:
        return pages.Fetch(self.select, self.construct, self.iris)

    def root(self, request: Request) -> str:
        """The public root URL: configured (``running_server`` and ``serve`` default it to the bound address)."""
        return self.config.public_url or DEFAULT_PUBLIC_URL

    def html(self, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
        body = self.templates.get_template(template).render(**values)
        return HTMLResponse(body, status_code=status_code, headers={"Vary": "Accept"})

    def error_page(self, status: int, message: str, title: str | None = None) -> HTMLResponse:
        titles = {404: "Not found", 403: "Forbidden", 503: "Too slow or too busy", 406: "Not acceptable"}
        return self.html(
            "error.html", status, status=status, message=message, title=title or titles.get(status, "Error")
        )

    def refusal_page(self, exc: QueryRefusedError) -> HTMLResponse:
        """The error page of a refused query, with the headers the refusal asks for (``Retry-After``)."""
        page = self.error_page(exc.status, str(exc))
        page.headers.update(exc.headers)
        return page

    def stats(self) -> DatasetStats:
        now = time.monotonic()
        if self._stats and now - self._stats[0] < self.config.stats_ttl_s:
            return self._stats[1]
        _names, rows = self.select(STATS_QUERY)
        row = rows[0] if rows else [None] * 7

        def number(value: Any) -> int:
            return int(value.toPython()) if isinstance(value, Literal) else 0

        stats = DatasetStats(
            triples=int(self.call(CountRequest())),
            articles=number(row[0]),
            mentions=number(row[1]),
            entities=number(row[2]),
            wikidata_entities=number(row[3]),
            runs=number(row[4]),
            last_update=pages.utc_datetime(row[5]),
            example=str(row[6]) if row[6] is not None else None,
        )
        self._stats = (now, stats)
        return stats

    def dumps(self) -> list[Dump]:
        return [Dump(d.file, f"{d.title} ({d.format_label}, gzip)", d.media_type) for d in self.catalogue.dumps()]


def server_of(request: Request) -> Server:
    """The application state a route works with (set by :func:`pipelines.web.app.create_app`)."""
    server: Server = request.app.state.server
    return server


async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """Run blocking store work off the event loop."""
    return await anyio.to_thread.run_sync(function, *args)
