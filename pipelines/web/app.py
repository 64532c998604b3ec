"""The web server: SPARQL endpoint, dereferenceable IRIs, HTML pages, VoID/DCAT and dumps (Starlette).

Every store access goes through the :class:`~pipelines.web.worker.QueryRunner`, so no request can
hold the server longer than the time limit. Routes (:mod:`pipelines.web.routes`):

- ``/`` home page with statistics and the named queries
- ``/sparql`` SPARQL 1.1 Protocol (GET, POST form, POST direct), read-only
- ``/queries``, ``/queries/{name}`` the named queries, runnable (HTML, or ``format=json|csv|tsv|xml``)
- ``/.well-known/void`` VoID + DCAT description; ``/dumps``, ``/dumps/{night|latest}.{nq|trig}.gz``
- ``/context.jsonld`` our JSON-LD context; ``/wikidata/Q…`` local pages for Wikidata items
- every other path under the base IRI's path: the resource with that IRI, as HTML or in every RDF format
  of :mod:`pipelines.web.rdfformats` (by Accept, ``format=`` or a suffix: ``….ttl``, ``….jsonld``, ``….rdf``)

A GET of ``/sparql`` without a query answers with the SPARQL 1.1 Service Description (or, for a
browser, the query page).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from pipelines.web import editor
from pipelines.web.config import WebConfig
from pipelines.web.headers import SecurityHeaders
from pipelines.web.negotiation import NotAcceptableError
from pipelines.web.routes import dataset, pages, queries, sparql
from pipelines.web.state import Server, in_thread


async def favicon(request: Request) -> Response:
    return Response(status_code=204)


async def not_acceptable(request: Request, exc: Exception) -> Response:
    """A format the route does not offer (``Accept`` or ``format=``): 406, naming the ones it does."""
    return PlainTextResponse(f"{exc}\n", 406)


ROUTES = [
    Route("/", pages.home),
    Route("/sparql", sparql.sparql, methods=["GET", "POST"]),
    Route("/queries", queries.query_list),
    Route("/queries/{name}", queries.named_query),
    Route("/.well-known/void", dataset.void),
    Route("/dumps", dataset.dump_list),
    Route("/dumps/", lambda r: RedirectResponse("/dumps")),
    Route("/dumps/{file}", dataset.dump_file),
    Route("/graphs", dataset.graph_list),
    Route("/context.jsonld", dataset.context),
    Route("/static/{file}", editor.static_file),
    Route("/favicon.ico", favicon),
    Route("/{path:path}", pages.resource),
]


def create_app(config: WebConfig) -> Starlette:
    """The Starlette application; its lifespan starts and stops the query workers."""
    server = Server(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await in_thread(server.runner.start)
        try:
            yield
        finally:
            await in_thread(server.runner.close)

    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"], max_age=86400
        ),
    ]
    app = Starlette(
        routes=ROUTES,
        lifespan=lifespan,
        middleware=middleware,
        exception_handlers={NotAcceptableError: not_acceptable},
    )
    app.state.server = server
    return app
