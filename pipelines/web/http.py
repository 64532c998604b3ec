"""Small HTTP helpers the routes share: request parameters, RDF responses, format suffixes."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote

import pyoxigraph as ox
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from pipelines.oxterms import to_ox
from pipelines.web.negotiation import GRAPH_FORMATS, HTML_FORMATS, SELECT_FORMATS, NotAcceptableError, choose
from pipelines.web.rdfformats import BY_SUFFIX, RDF_FORMATS, UnwritableGraphError, serialize_triples
from pipelines.web.worker import QueryRefusedError


def request_params(request: Request, body: bytes | None = None) -> list[tuple[str, str]]:
    items = list(request.query_params.multi_items())
    if body is not None:
        items += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return items


def first_param(items: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in items if key == name), None)


def prefers_html(accept: str | None) -> bool:
    try:
        return choose(accept, {**HTML_FORMATS, **SELECT_FORMATS, **GRAPH_FORMATS}, "json") == "html"
    except NotAcceptableError:
        return False


def refused(exc: QueryRefusedError) -> PlainTextResponse:
    return PlainTextResponse(str(exc) + "\n", status_code=exc.status, headers=exc.headers)


def rdf_response(triples: list[ox.Triple], fmt: str, prefixes: dict[str, str] | None = None) -> Response:
    """Triples in RDF format ``fmt``, or a 406 when that format cannot write them."""
    try:
        result = serialize_triples(triples, fmt, prefixes)
    except UnwritableGraphError as exc:
        return PlainTextResponse(f"{exc}; ask for another format\n", 406)
    return Response(
        result.body,
        headers={"Content-Type": result.content_type, "Vary": "Accept", "Access-Control-Allow-Origin": "*"},
    )


def rdflib_triples(graph: Graph) -> list[ox.Triple]:
    return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]  # type: ignore[arg-type]


def alternates(path: str) -> str:
    """A ``Link`` header naming the suffix URL of each RDF format (rdflib follows the JSON-LD one)."""
    href = quote(path, safe="/:@!$&'()*+;=-._~")
    return ", ".join(f'<{href}.{f.suffixes[0]}>; rel="alternate"; type="{f.media_types[0]}"' for f in RDF_FORMATS)


def split_suffix(path: str) -> tuple[str, str | None]:
    """``/…/article/x.ttl`` -> (``/…/article/x``, ``turtle``); a path without a known suffix -> (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix and suffix.lower() in BY_SUFFIX and not stem.endswith("/"):
        return stem, BY_SUFFIX[suffix.lower()].name
    return path, None
