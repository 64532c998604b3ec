"""The named queries: listed, and run with bindings from the request's parameters."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

from rdflib import Literal, URIRef
from rdflib.term import Node
from starlette.requests import Request
from starlette.responses import Response

from pipelines.namespaces import WD
from pipelines.oxterms import TermConversionError, to_ox
from pipelines.store.queries import named_queries
from pipelines.web import pages
from pipelines.web.http import refused
from pipelines.web.negotiation import HTML_FORMATS, SELECT_FORMATS, choose
from pipelines.web.state import in_thread, server_of
from pipelines.web.worker import QueryRefusedError
from pipelines.web.worker_requests import QueryRequest


async def query_list(request: Request) -> Response:
    """The named queries, each with its description and parameters."""
    server = server_of(request)
    return server.html("queries.html", queries=list(named_queries(server.config.queries_dir).values()))


async def named_query(request: Request) -> Response:
    """One named query, run with the parameters given (HTML, or a SPARQL results format)."""
    server = server_of(request)
    queries = named_queries(server.config.queries_dir)
    name = request.path_params["name"]
    if name not in queries:
        return server.error_page(404, f"there is no named query {name!r}; see /queries")
    q = queries[name]
    parameters = [
        p
        for p in dict.fromkeys(re.findall(r"\?([A-Za-z_]\w*)", q.description))
        if re.search(rf"\?{p}\b", q.sparql.split("\n", 1)[-1])
    ]
    values = {p: request.query_params[p] for p in parameters if request.query_params.get(p)}
    try:
        substitutions = {p: parameter_term(v) for p, v in values.items()}
    except ValueError as exc:
        return server.error_page(400, str(exc), "Bad parameter")
    explicit = request.query_params.get("format")
    fmt = choose(request.headers.get("accept"), {**HTML_FORMATS, **SELECT_FORMATS}, "html", explicit)
    if fmt != "html":
        job = QueryRequest("protocol", q.sparql, substitutions, results_format=fmt)
        try:
            result = await in_thread(server.call, job)
        except QueryRefusedError as exc:
            return refused(exc)
        return Response(result.body, headers={"Content-Type": result.content_type, "Access-Control-Allow-Origin": "*"})
    page: dict[str, Any] = {"q": q, "params": parameters, "values": values, "table": None, "error": None}
    query_string = urlencode([(k, v) for k, v in request.query_params.items() if k in parameters])
    page["download"] = f"/queries/{quote(name)}" + (f"?{query_string}" if query_string else "")
    try:
        table = QueryRequest("table", q.sparql, substitutions, limit=server.config.html_max_rows)
        names, rows, truncated = await in_thread(server.call, table)
        page["table"] = pages.result_table(names, rows, server.iris, truncated)
    except QueryRefusedError as exc:
        page["error"] = {"status": exc.status, "message": str(exc)}
    return server.html("query.html", **page)


def parameter_term(value: str) -> Node:
    """A named-query parameter: an IRI, a bare Wikidata id (Q42), or else a plain literal."""
    value = value.strip()
    if re.match(r"^Q[1-9][0-9]*$", value):
        return URIRef(str(WD) + value)
    term: Node = URIRef(value) if re.match(r"^https?://", value) else Literal(value)
    try:
        to_ox(term)
    except TermConversionError as exc:
        raise ValueError(f"parameter value {value!r} is not usable: {exc}") from exc
    return term
