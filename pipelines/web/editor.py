"""The query page: what its editor is told, the files it loads, and errors it (or any client) can point at.

The editor (``static/editor.js``, built from ``editor/`` by ``editor/build.sh``) reads everything
from the page: the prefixes of :mod:`pipelines.namespaces`, our vocabulary for completion, the named
queries as examples and the endpoint's formats for downloads, so that it needs no other request
than the queries themselves. Its page is the one that runs script, from this server only; the other
pages stay script-free.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from pipelines.namespaces import NG, ONTOLOGY_DIR, PREFIXES, VOCAB_IRI
from pipelines.store.queries import named_queries
from pipelines.web.headers import HTML_POLICY
from pipelines.web.negotiation import ALIASES, GRAPH_FORMATS, SELECT_FORMATS, parse_accept
from pipelines.web.syntax import SyntaxProblem, explain
from pipelines.web.worker import QueryRefusedError

STATIC_DIR = Path(__file__).resolve().parent / "static"
EDITOR_POLICY = HTML_POLICY.replace("default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';")
EXTENSIONS = {"json": "srj", "xml": "srx", "turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld"}
_STATIC_FILE = re.compile(r"^[\w-]+(\.[\w-]+)*\.(js|css|txt)$")
_STATIC_TYPES = {"js": "text/javascript", "css": "text/css", "txt": "text/plain"}
JSON_TYPES = ("application/sparql-results+json", "application/json", "application/ld+json")
PAGE_SIZE = 50


@lru_cache(maxsize=1)
def vocabulary() -> list[str]:
    """Prefixed names of our terms and of the terms the shapes constrain, for completion after ``prefix:``."""
    iris = {VOCAB_IRI + name for name in NG.__annotations__}
    shapes = Graph()
    for path in sorted((ONTOLOGY_DIR / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    for predicate in (SH.path, SH.targetClass, SH["class"]):
        iris |= {str(o) for o in shapes.objects(None, predicate) if isinstance(o, URIRef)}
    names = set()
    for iri in iris:
        for prefix, ns in PREFIXES.items():
            local = iri[len(ns) :]
            if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w-]*", local):
                names.add(f"{prefix}:{local}")
    return sorted(names, key=str.casefold)


def formats(offers: dict[str, tuple[str, ...]]) -> list[dict[str, str]]:
    return [
        {"name": name, "media_type": types[0], "extension": EXTENSIONS.get(name, name)}
        for name, types in offers.items()
    ]


def page_values(base_iri: str, queries_dir: Path | None) -> dict[str, Any]:
    """What sparql.html needs beyond the query and its result: the editor's data attributes and examples."""
    examples = [
        {
            "name": q.name,
            "description": q.description,
            "sparql": q.sparql,
            "href": "/sparql?" + urlencode({"query": q.sparql}),
        }
        for q in named_queries(queries_dir).values()
    ]
    return {
        "base_iri": base_iri,
        "prefixes": json.dumps({**PREFIXES, "ngid": base_iri}),  # ngid: as the pages show our data IRIs
        "vocabulary": json.dumps(vocabulary()),
        "select_formats": json.dumps(formats(SELECT_FORMATS)),
        "graph_formats": json.dumps(formats(GRAPH_FORMATS)),
        "format_names": ["html", *SELECT_FORMATS, *GRAPH_FORMATS],
        "page_size": PAGE_SIZE,
        "examples": examples,
    }


def problem_of(exc: QueryRefusedError, query: str) -> SyntaxProblem | None:
    return explain(query, str(exc)) if exc.status == 400 else None


def wants_json(accept: str | None, explicit: str | None) -> bool:
    """Whether an error should be a JSON document: the client asked for JSON answers (or any JSON)."""
    if explicit:
        return ALIASES.get(explicit.lower(), explicit.lower()) in ("json", "jsonld")
    return any(media in JSON_TYPES for media, _q in parse_accept(accept))


def error_response(exc: QueryRefusedError, query: str, accept: str | None, explicit: str | None) -> Response:
    """The endpoint's refusal: JSON (``{"error": {...}}`` with line, column and excerpt) or plain text."""
    problem = problem_of(exc, query)
    if wants_json(accept, explicit):
        error: dict[str, Any] = {"status": exc.status, "message": str(exc)}
        if problem:
            error.update(problem.as_json())
        return JSONResponse({"error": error}, status_code=exc.status, headers=exc.headers)
    text = problem.as_text() if problem else str(exc)
    return PlainTextResponse(text + "\n", status_code=exc.status, headers=exc.headers)


async def static_file(request: Request) -> Response:
    """The editor's script, style sheet and licence notes (cached for an hour; names are fixed)."""
    name = request.path_params["file"]
    match = _STATIC_FILE.match(name)
    path = STATIC_DIR / name
    if not match or not path.is_file():
        return PlainTextResponse(f"no static file {name!r}\n", status_code=404)
    media_type = _STATIC_TYPES[match.group(2)] + "; charset=utf-8"
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"})
