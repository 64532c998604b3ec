"""The dataset's own description (VoID/DCAT), its dumps, its graphs, and the JSON-LD context."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from pipelines.namespaces import ONTOLOGY_DIR
from pipelines.web import pages
from pipelines.web.catalogue import KINDS
from pipelines.web.http import rdf_response, rdflib_triples, refused
from pipelines.web.negotiation import GRAPH_FORMATS, HTML_FORMATS, choose
from pipelines.web.state import in_thread, server_of
from pipelines.web.void import void_graph
from pipelines.web.worker import QueryRefusedError

DUMP_FILE = re.compile(r"^(latest|\d{4}-\d{2}-\d{2})\.(nq|trig)\.gz$")
PARTITION = re.compile(r"^\d{4}-\d{2}-\d{2}$")


async def void(request: Request) -> Response:
    server = server_of(request)
    try:
        stats = await in_thread(server.stats)
        dumps = await in_thread(server.dumps)
    except QueryRefusedError as exc:
        return refused(exc)
    graph = void_graph(server.root(request), server.config.base_iri, stats, dumps)
    fmt = choose(
        request.headers.get("accept"), {**GRAPH_FORMATS, **HTML_FORMATS}, "turtle", request.query_params.get("format")
    )
    if fmt == "html":
        resource = server.iris.classify(f"{server.root(request)}.well-known/void#dataset")
        page = pages.describe_page(server.fetch(), resource, graph)
        return server.html("resource.html", r=page, href="/.well-known/void")
    return rdf_response(rdflib_triples(graph), fmt, dict(graph.namespaces()))


async def dump_list(request: Request) -> Response:
    server = server_of(request)
    try:
        entries = await in_thread(server.catalogue.dumps)
    except QueryRefusedError as exc:
        return server.refusal_page(exc)
    pending = server.catalogue.make_missing(entries)
    return server.html("dumps.html", dumps=entries, pending=pending, root=server.root(request))


async def dump_file(request: Request) -> Response:
    server = server_of(request)
    file = request.path_params["file"]
    if not DUMP_FILE.match(file):
        return server.error_page(404, f"no dump {file!r}: dumps are latest or YYYY-MM-DD, .nq.gz or .trig.gz")
    try:
        entry = await in_thread(server.catalogue.entry, file)
        if entry is None:
            return server.error_page(404, f"no night {file.split('.')[0]} in the store")
        path = await in_thread(server.catalogue.make, entry)
    except QueryRefusedError as exc:
        return refused(exc)
    return FileResponse(path, media_type="application/gzip", filename=file)


async def graph_list(request: Request) -> Response:
    server = server_of(request)
    params = request.query_params
    night = params.get("night") if PARTITION.match(params.get("night", "")) else None
    kind = params.get("kind") if params.get("kind") in (*KINDS, "other") else None
    page = int(params["page"]) if params.get("page", "").isdigit() else 1
    per_page = min(1000, max(1, int(params["per_page"]))) if params.get("per_page", "").isdigit() else 100
    try:
        values = await in_thread(server.catalogue.graphs_page, night, kind, page, per_page)
    except QueryRefusedError as exc:
        return server.refusal_page(exc)
    return server.html("graphs.html", **values)


async def context(request: Request) -> Response:
    return FileResponse(ONTOLOGY_DIR / "context.jsonld", media_type="application/ld+json")
