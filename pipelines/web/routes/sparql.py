"""The SPARQL 1.1 Protocol endpoint, its service description, and the query page."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from pipelines.namespaces import ONTOLOGY_DIR
from pipelines.oxterms import to_rdflib
from pipelines.web import editor, pages
from pipelines.web.http import first_param, prefers_html, rdf_response, rdflib_triples, refused, request_params
from pipelines.web.negotiation import GRAPH_FORMATS, HTML_FORMATS, SELECT_FORMATS, NotAcceptableError, choose
from pipelines.web.results import Serialized
from pipelines.web.service import service_graph
from pipelines.web.state import Server, in_thread, server_of
from pipelines.web.worker import QueryRefusedError
from pipelines.web.worker_requests import QueryRequest

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
EXAMPLE_QUERY = (ONTOLOGY_DIR / "queries" / "web" / "editor-example.rq").read_text(encoding="utf-8")
_PROLOGUE = re.compile(
    r"\s+|#[^\n]*|(?i:PREFIX)\s+[^\s:]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>",
)


def query_form(sparql: str) -> str | None:
    """The query's first keyword after the prologue (SELECT, ASK, ..., or an update's INSERT, DROP...)."""
    position = 0
    while True:
        match = _PROLOGUE.match(sparql, position)
        if not match or match.end() == position:
            break
        position = match.end()
    word = re.match(r"[A-Za-z]+", sparql[position:])
    return word.group(0).upper() if word else None


async def sparql(request: Request) -> Response:
    """SPARQL 1.1 Protocol: GET, POST form, POST direct; read-only."""
    server = server_of(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    query: str | None
    if request.method == "POST":
        body = await request.body()
        if media == "application/sparql-update":
            return PlainTextResponse("this endpoint is read-only: SPARQL Update is refused\n", 403)
        if media == "application/x-www-form-urlencoded":
            params = request_params(request, body)
            query = first_param(params, "query")
        elif media == "application/sparql-query":
            params = request_params(request)
            query = body.decode("utf-8", "replace")
        else:
            return PlainTextResponse(
                f"unsupported Content-Type {media or '(none)'}: POST application/sparql-query or a form\n", 415
            )
    else:
        params = request_params(request)
        query = first_param(params, "query")
    if first_param(params, "update") is not None:
        return PlainTextResponse("this endpoint is read-only: SPARQL Update is refused\n", 403)
    explicit = first_param(params, "format")
    accept = request.headers.get("accept")
    if query is None and request.method == "GET":
        return await service_description(server, request, accept, explicit)
    if not query:
        if explicit == "html" or (explicit is None and prefers_html(accept)):
            return editor_page(server, 200, root=server.root(request), query=EXAMPLE_QUERY)
        return PlainTextResponse("no query: pass query= (GET or form POST) or POST application/sparql-query\n", 400)
    form = query_form(query)
    if form in UPDATE_KEYWORDS:
        return PlainTextResponse(f"this endpoint is read-only: {form} (SPARQL Update) is refused\n", 403)
    default_graph = [v for k, v in params if k == "default-graph-uri"]
    named_graph = [v for k, v in params if k == "named-graph-uri"]
    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = choose(accept, {**GRAPH_FORMATS, **HTML_FORMATS}, "turtle", explicit)
    else:
        fmt = choose(accept, {**SELECT_FORMATS, **HTML_FORMATS}, "json", explicit)
    if fmt == "html":
        return await sparql_html(server, request, query, form, default_graph, named_graph)
    job = QueryRequest(
        "protocol",
        query,
        default_graph=tuple(default_graph),
        named_graphs=tuple(named_graph),
        results_format=fmt if fmt in SELECT_FORMATS else "json",
        graph_format=fmt if fmt in GRAPH_FORMATS else "turtle",
    )
    try:
        result: Serialized = await in_thread(server.call, job)
    except QueryRefusedError as exc:
        return editor.error_response(exc, query, accept, explicit)
    return Response(
        result.body,
        media_type=result.media_type,
        headers={"Content-Type": result.content_type, "Vary": "Accept", "Access-Control-Allow-Origin": "*"},
    )


async def service_description(server: Server, request: Request, accept: str | None, explicit: str | None) -> Response:
    try:
        fmt = choose(accept, {**HTML_FORMATS, **GRAPH_FORMATS}, "turtle", explicit)
    except NotAcceptableError as exc:
        return PlainTextResponse(
            f"{exc}\n(a GET without a query answers with the service description; to query, pass query=)\n", 406
        )
    if fmt == "html":
        return editor_page(server, 200, root=server.root(request), query=EXAMPLE_QUERY)
    try:
        stats = await in_thread(server.stats)
    except QueryRefusedError as exc:
        return refused(exc)
    graph = service_graph(server.root(request), stats, server.config)
    return rdf_response(rdflib_triples(graph), fmt, dict(graph.namespaces()))


async def sparql_html(
    server: Server, request: Request, query: str, form: str | None, default_graph: list[str], named_graph: list[str]
) -> Response:
    values: dict[str, Any] = {"root": server.root(request), "query": query}
    ask = QueryRequest("protocol", query, default_graph=tuple(default_graph), named_graphs=tuple(named_graph))
    rows_shown = server.config.html_max_rows
    try:
        if form == "ASK":
            result = await in_thread(server.call, ask)
            values["boolean"] = bool(json.loads(result.body)["boolean"])
        elif form in ("CONSTRUCT", "DESCRIBE"):
            construct = replace(ask, kind="construct", limit=rows_shown)
            data = await in_thread(server.call, construct)
            rows = [
                [to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)]
                for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            ]
            values["table"] = pages.result_table(["subject", "predicate", "object"], rows, server.iris)
        else:
            table = replace(ask, kind="table", limit=rows_shown)
            names, rows, truncated = await in_thread(server.call, table)
            values["table"] = pages.result_table(names, rows, server.iris, truncated)
    except QueryRefusedError as exc:
        problem = editor.problem_of(exc, query)
        message = problem.message if problem else str(exc)
        values["error"] = {"status": exc.status, "message": message, "problem": problem}
        page = editor_page(server, exc.status, **values)
        page.headers.update(exc.headers)
        return page
    return editor_page(server, 200, **values)


def editor_page(server: Server, status: int, **values: Any) -> Response:
    """The query page; the one page whose policy lets script (from this server) run."""
    config = server.config
    page = {"fmt": "html", "table": None, "error": None, "boolean": None, **values}
    page.update(timeout=f"{config.query_timeout_s:g}", max_results=config.max_results)
    page.update(editor.page_values(config.base_iri, config.queries_dir))
    response = server.html("sparql.html", status, **page)
    response.headers["Content-Security-Policy"] = editor.EDITOR_POLICY
    return response
