"""The pages of the graph's resources: home, articles, entities, runs and any other IRI."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from pipelines.store.queries import named_queries
from pipelines.web import pages
from pipelines.web.http import alternates, rdf_response, refused, split_suffix
from pipelines.web.negotiation import GRAPH_FORMATS, HTML_FORMATS, choose
from pipelines.web.resources import Resource, describe_query
from pipelines.web.state import Server, in_thread, server_of
from pipelines.web.void import DatasetStats
from pipelines.web.worker import QueryRefusedError
from pipelines.web.worker_requests import QueryRequest


async def home(request: Request) -> Response:
    """Statistics, the newest articles and the named queries."""
    server = server_of(request)

    def build() -> dict[str, Any]:
        return {"stats": server.stats(), **pages.home_page(server.fetch())}

    try:
        values = await in_thread(build)
    except QueryRefusedError as exc:
        return server.refusal_page(exc)
    stats: DatasetStats = values["stats"]
    values["stats"] = {
        **stats.__dict__,
        "last_update": str(stats.last_update) if stats.last_update else None,
        "last_update_text": pages.utc_text(stats.last_update),
    }
    return server.html(
        "home.html",
        root=server.root(request),
        queries=list(named_queries(server.config.queries_dir).values()),
        **values,
    )


async def resource(request: Request) -> Response:
    """Any IRI under the base: an HTML page or its description in an RDF format."""
    server = server_of(request)
    path = request.url.path
    stem, suffix_format = split_suffix(path)
    if suffix_format is not None:  # the suffix names the format; an IRI that itself ends so is tried next
        answer = await resource_data(server, stem, suffix_format)
        if answer.status_code != 404:
            return answer
    if server.iris.iri_for_path(path) is None:
        return server.error_page(404, f"nothing at {path}")
    fmt = choose(
        request.headers.get("accept"), {**HTML_FORMATS, **GRAPH_FORMATS}, "turtle", request.query_params.get("format")
    )
    item = server.iris.classify(server.iris.iri_for_path(path) or "")
    try:
        answer = await resource_data(server, path, fmt) if fmt != "html" else await resource_html(server, item, path)
    except QueryRefusedError as exc:
        return server.refusal_page(exc)
    except ValueError as exc:
        return PlainTextResponse(f"{exc}\n", 400)
    if answer.status_code == 200:
        answer.headers["Link"] = alternates(path)
    return answer


async def resource_data(server: Server, path: str, fmt: str) -> Response:
    """The description of the resource at ``path`` in RDF format ``fmt`` (404 when there is none)."""
    iri = server.iris.iri_for_path(path)
    if iri is None:
        return PlainTextResponse(f"nothing at {path}\n", 404)
    item = server.iris.classify(iri)
    try:
        data = await in_thread(server.call, QueryRequest("construct", describe_query(item, server.iris)))
    except QueryRefusedError as exc:
        return refused(exc)
    except ValueError as exc:
        return PlainTextResponse(f"{exc}\n", 400)
    triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)) if data else []
    if not triples:
        return PlainTextResponse(f"the graph says nothing about <{iri}>\n", 404)
    return await in_thread(rdf_response, triples, fmt)


async def resource_html(server: Server, item: Resource, path: str) -> Response:
    fetch = server.fetch()
    if item.kind == "article":
        values = await in_thread(pages.article_page, fetch, item)
        template = "article.html"
        key = "a"
    elif item.kind == "entity":
        values = await in_thread(pages.entity_page, fetch, item)
        template, key = "entity.html", "e"
    elif item.kind == "story":
        values = await in_thread(pages.story_page, fetch, item)
        template, key = "story.html", "s"
    else:
        graph = await in_thread(server.construct, describe_query(item, server.iris))
        values = await in_thread(pages.describe_page, fetch, item, graph)
        template, key = "resource.html", "r"
    if values is None:
        return server.error_page(404, f"the graph says nothing about {item.iri}")
    return server.html(template, href=path, **{key: values})


async def favicon(request: Request) -> Response:
    return Response(status_code=204)
