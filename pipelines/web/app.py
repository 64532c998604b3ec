"""The web server: SPARQL endpoint, dereferenceable IRIs, HTML pages, VoID/DCAT and dumps (Starlette).

Every store access goes through the :class:`~pipelines.web.worker.QueryRunner`, so no request can
hold the server longer than the time limit. Routes:

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
import json
import re
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import anyio
import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from pipelines.namespaces import ONTOLOGY_DIR, WD
from pipelines.store.convert import TermConversionError, to_ox, to_rdflib
from pipelines.store.guard import QueryRejectedError, check_query
from pipelines.store.queries import named_queries
from pipelines.web import editor, pages
from pipelines.web.catalogue import KINDS, Catalogue
from pipelines.web.config import WebConfig
from pipelines.web.events import log_event
from pipelines.web.headers import SecurityHeaders
from pipelines.web.negotiation import GRAPH_FORMATS, HTML_FORMATS, SELECT_FORMATS, NotAcceptableError, choose
from pipelines.web.rdfformats import BY_SUFFIX, RDF_FORMATS, UnwritableGraphError, serialize_triples
from pipelines.web.resources import IriMap, describe_query
from pipelines.web.results import Serialized
from pipelines.web.service import service_graph
from pipelines.web.void import STATS_QUERY, DatasetStats, Dump, void_graph
from pipelines.web.worker import QueryRefusedError, QueryRunner

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080/"
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_PROLOGUE = re.compile(
    r"\s+|#[^\n]*|(?i:PREFIX)\s+[^\s:]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>",
)
_DUMP_FILE = re.compile(r"^(latest|\d{4}-\d{2}-\d{2})\.(nq|trig)\.gz$")
_PARTITION = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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

    def call(self, request: dict[str, Any], timeout_s: float | None = None) -> Any:
        request.setdefault("limit", self.config.max_results)
        request.setdefault("max_bytes", self.config.max_bytes)
        if "sparql" in request:
            try:
                check_query(request["sparql"], self.config.query_policy)
            except QueryRejectedError as exc:
                log_event("query_refused", reason=exc.reason, status=400, message=str(exc))
                raise QueryRefusedError(400, str(exc)) from None
        return self.runner.call(request, timeout_s)

    def select(self, sparql: str, substitutions: dict[str, Node] | None = None) -> tuple[list[str], list[list[Any]]]:
        return self.call({"kind": "select", "sparql": sparql, "substitutions": substitutions})

    def construct(self, sparql: str) -> Graph:
        data = self.call({"kind": "construct", "sparql": sparql})
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

    def stats(self) -> DatasetStats:
        now = time.monotonic()
        if self._stats and now - self._stats[0] < self.config.stats_ttl_s:
            return self._stats[1]
        _names, rows = self.select(STATS_QUERY)
        row = rows[0] if rows else [None] * 7

        def number(value: Any) -> int:
            return int(value.toPython()) if isinstance(value, Literal) else 0

        stats = DatasetStats(
            triples=int(self.call({"kind": "count"})),
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


async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
    return await anyio.to_thread.run_sync(function, *args)


def _params(request: Request, body: bytes | None = None) -> list[tuple[str, str]]:
    items = list(request.query_params.multi_items())
    if body is not None:
        items += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return items


def _first(items: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in items if key == name), None)


def _prefers_html(accept: str | None) -> bool:
    try:
        return choose(accept, {**HTML_FORMATS, **SELECT_FORMATS, **GRAPH_FORMATS}, "json") == "html"
    except NotAcceptableError:
        return False


def _refused(exc: QueryRefusedError) -> PlainTextResponse:
    return PlainTextResponse(str(exc) + "\n", status_code=exc.status)


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


def create_app(config: WebConfig) -> Starlette:
    """The Starlette application; its lifespan starts and stops the query workers."""
    server = Server(config)

    # -------------------------------------------------------------- SPARQL protocol

    async def sparql(request: Request) -> Response:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        query: str | None
        if request.method == "POST":
            body = await request.body()
            if media == "application/sparql-update":
                return PlainTextResponse("this endpoint is read-only: SPARQL Update is refused\n", 403)
            if media == "application/x-www-form-urlencoded":
                params = _params(request, body)
                query = _first(params, "query")
            elif media == "application/sparql-query":
                params = _params(request)
                query = body.decode("utf-8", "replace")
            else:
                return PlainTextResponse(
                    f"unsupported Content-Type {media or '(none)'}: POST application/sparql-query or a form\n", 415
                )
        else:
            params = _params(request)
            query = _first(params, "query")
        if _first(params, "update") is not None:
            return PlainTextResponse("this endpoint is read-only: SPARQL Update is refused\n", 403)
        explicit = _first(params, "format")
        accept = request.headers.get("accept")
        if query is None and request.method == "GET":
            return await service_description(request, accept, explicit)
        if not query:
            if explicit == "html" or (explicit is None and _prefers_html(accept)):
                return editor_page(200, root=server.root(request), query=EXAMPLE_QUERY)
            return PlainTextResponse("no query: pass query= (GET or form POST) or POST application/sparql-query\n", 400)
        form = query_form(query)
        if form in UPDATE_KEYWORDS:
            return PlainTextResponse(f"this endpoint is read-only: {form} (SPARQL Update) is refused\n", 403)
        default_graph = [v for k, v in params if k == "default-graph-uri"]
        named_graph = [v for k, v in params if k == "named-graph-uri"]
        try:
            if form in ("CONSTRUCT", "DESCRIBE"):
                offers = {**GRAPH_FORMATS, **HTML_FORMATS}
                fmt = choose(accept, offers, "turtle", explicit)
            else:
                offers = {**SELECT_FORMATS, **HTML_FORMATS}
                fmt = choose(accept, offers, "json", explicit)
        except NotAcceptableError as exc:
            return PlainTextResponse(f"{exc}\n", 406)
        if fmt == "html":
            return await sparql_html(request, query, form, default_graph, named_graph)
        job = {
            "kind": "protocol",
            "sparql": query,
            "default_graph": default_graph,
            "named_graphs": named_graph,
            "results_format": fmt if fmt in SELECT_FORMATS else "json",
            "graph_format": fmt if fmt in GRAPH_FORMATS else "turtle",
        }
        try:
            result: Serialized = await in_thread(server.call, job)
        except QueryRefusedError as exc:
            return editor.error_response(exc, query, accept, explicit)
        return Response(
            result.body,
            media_type=result.media_type,
            headers={"Content-Type": result.content_type, "Vary": "Accept", "Access-Control-Allow-Origin": "*"},
        )

    async def service_description(request: Request, accept: str | None, explicit: str | None) -> Response:
        try:
            fmt = choose(accept, {**HTML_FORMATS, **GRAPH_FORMATS}, "turtle", explicit)
        except NotAcceptableError as exc:
            return PlainTextResponse(
                f"{exc}\n(a GET without a query answers with the service description; to query, pass query=)\n", 406
            )
        if fmt == "html":
            return editor_page(200, root=server.root(request), query=EXAMPLE_QUERY)
        try:
            stats = await in_thread(server.stats)
        except QueryRefusedError as exc:
            return _refused(exc)
        graph = service_graph(server.root(request), stats, config)
        return rdf_response(rdflib_triples(graph), fmt, dict(graph.namespaces()))

    async def sparql_html(
        request: Request, query: str, form: str | None, default_graph: list[str], named_graph: list[str]
    ) -> Response:
        values: dict[str, Any] = {"root": server.root(request), "query": query}
        common = {"sparql": query, "default_graph": default_graph, "named_graphs": named_graph}
        try:
            if form == "ASK":
                result = await in_thread(server.call, {"kind": "protocol", "results_format": "json", **common})
                values["boolean"] = bool(json.loads(result.body)["boolean"])
            elif form in ("CONSTRUCT", "DESCRIBE"):
                data = await in_thread(server.call, {"kind": "construct", "limit": config.html_max_rows, **common})
                rows = [
                    [to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)]
                    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
                ]
                values["table"] = pages.result_table(["subject", "predicate", "object"], rows, server.iris)
            else:
                table = {"kind": "table", "limit": config.html_max_rows, **common}
                names, rows, truncated = await in_thread(server.call, table)
                values["table"] = pages.result_table(names, rows, server.iris, truncated)
        except QueryRefusedError as exc:
            problem = editor.problem_of(exc, query)
            message = problem.message if problem else str(exc)
            values["error"] = {"status": exc.status, "message": message, "problem": problem}
            return editor_page(exc.status, **values)
        return editor_page(200, **values)

    def editor_page(status: int, **values: Any) -> Response:
        """The query page; the one page whose policy lets script (from this server) run."""
        page = {"fmt": "html", "table": None, "error": None, "boolean": None, **values}
        page.update(timeout=f"{config.query_timeout_s:g}", max_results=config.max_results)
        page.update(editor.page_values(config.base_iri, config.queries_dir))
        response = server.html("sparql.html", status, **page)
        response.headers["Content-Security-Policy"] = editor.EDITOR_POLICY
        return response

    # -------------------------------------------------------------- named queries

    async def query_list(request: Request) -> Response:
        return server.html("queries.html", queries=list(named_queries(config.queries_dir).values()))

    async def named_query(request: Request) -> Response:
        queries = named_queries(config.queries_dir)
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
            substitutions = {p: _parameter_term(v) for p, v in values.items()}
        except ValueError as exc:
            return server.error_page(400, str(exc), "Bad parameter")
        explicit = request.query_params.get("format")
        try:
            fmt = choose(request.headers.get("accept"), {**HTML_FORMATS, **SELECT_FORMATS}, "html", explicit)
        except NotAcceptableError as exc:
            return PlainTextResponse(f"{exc}\n", 406)
        if fmt != "html":
            job = {
                "kind": "protocol",
                "sparql": q.sparql,
                "substitutions": substitutions,
                "results_format": fmt,
                "graph_format": "turtle",
            }
            try:
                result = await in_thread(server.call, job)
            except QueryRefusedError as exc:
                return _refused(exc)
            return Response(
                result.body, headers={"Content-Type": result.content_type, "Access-Control-Allow-Origin": "*"}
            )
        page: dict[str, Any] = {"q": q, "params": parameters, "values": values, "table": None, "error": None}
        query_string = urlencode([(k, v) for k, v in request.query_params.items() if k in parameters])
        page["download"] = f"/queries/{quote(name)}" + (f"?{query_string}" if query_string else "")
        try:
            table = {"kind": "table", "sparql": q.sparql, "substitutions": substitutions, "limit": config.html_max_rows}
            names, rows, truncated = await in_thread(server.call, table)
            page["table"] = pages.result_table(names, rows, server.iris, truncated)
        except QueryRefusedError as exc:
            page["error"] = {"status": exc.status, "message": str(exc)}
        return server.html("query.html", **page)

    # -------------------------------------------------------------- dataset description and dumps

    async def void(request: Request) -> Response:
        try:
            stats = await in_thread(server.stats)
            dumps = await in_thread(server.dumps)
        except QueryRefusedError as exc:
            return _refused(exc)
        graph = void_graph(server.root(request), config.base_iri, stats, dumps)
        try:
            fmt = choose(
                request.headers.get("accept"),
                {**GRAPH_FORMATS, **HTML_FORMATS},
                "turtle",
                request.query_params.get("format"),
            )
        except NotAcceptableError as exc:
            return PlainTextResponse(f"{exc}\n", 406)
        if fmt == "html":
            resource = server.iris.classify(f"{server.root(request)}.well-known/void#dataset")
            page = pages.describe_page(server.fetch(), resource, graph)
            return server.html("resource.html", r=page, href="/.well-known/void")
        return rdf_response(rdflib_triples(graph), fmt, dict(graph.namespaces()))

    async def dump_list(request: Request) -> Response:
        try:
            entries = await in_thread(server.catalogue.dumps)
        except QueryRefusedError as exc:
            return server.error_page(exc.status, str(exc))
        pending = server.catalogue.make_missing(entries)
        return server.html("dumps.html", dumps=entries, pending=pending, root=server.root(request))

    async def dump_file(request: Request) -> Response:
        file = request.path_params["file"]
        if not _DUMP_FILE.match(file):
            return server.error_page(404, f"no dump {file!r}: dumps are latest or YYYY-MM-DD, .nq.gz or .trig.gz")
        try:
            entry = await in_thread(server.catalogue.entry, file)
            if entry is None:
                return server.error_page(404, f"no night {file.split('.')[0]} in the store")
            path = await in_thread(server.catalogue.make, entry)
        except QueryRefusedError as exc:
            return _refused(exc)
        return FileResponse(path, media_type="application/gzip", filename=file)

    async def graph_list(request: Request) -> Response:
        params = request.query_params
        night = params.get("night") if _PARTITION.match(params.get("night", "")) else None
        kind = params.get("kind") if params.get("kind") in (*KINDS, "other") else None
        page = int(params["page"]) if params.get("page", "").isdigit() else 1
        per_page = min(1000, max(1, int(params["per_page"]))) if params.get("per_page", "").isdigit() else 100
        try:
            values = await in_thread(server.catalogue.graphs_page, night, kind, page, per_page)
        except QueryRefusedError as exc:
            return server.error_page(exc.status, str(exc))
        return server.html("graphs.html", **values)

    async def context(request: Request) -> Response:
        return FileResponse(ONTOLOGY_DIR / "context.jsonld", media_type="application/ld+json")

    # -------------------------------------------------------------- pages and resources

    async def home(request: Request) -> Response:
        def build() -> dict[str, Any]:
            return {"stats": server.stats(), **pages.home_page(server.fetch())}

        try:
            values = await in_thread(build)
        except QueryRefusedError as exc:
            return server.error_page(exc.status, str(exc))
        stats: DatasetStats = values["stats"]
        values["stats"] = {
            **stats.__dict__,
            "last_update": str(stats.last_update) if stats.last_update else None,
            "last_update_text": pages.utc_text(stats.last_update),
        }
        return server.html(
            "home.html", root=server.root(request), queries=list(named_queries(config.queries_dir).values()), **values
        )

    async def resource(request: Request) -> Response:
        path = request.url.path
        stem, suffix_format = split_suffix(path)
        if suffix_format is not None:  # the suffix names the format; an IRI that itself ends so is tried next
            answer = await resource_data(stem, suffix_format)
            if answer.status_code != 404:
                return answer
        if server.iris.iri_for_path(path) is None:
            return server.error_page(404, f"nothing at {path}")
        try:
            fmt = choose(
                request.headers.get("accept"),
                {**HTML_FORMATS, **GRAPH_FORMATS},
                "turtle",
                request.query_params.get("format"),
            )
        except NotAcceptableError as exc:
            return PlainTextResponse(f"{exc}\n", 406)
        item = server.iris.classify(server.iris.iri_for_path(path) or "")
        try:
            answer = await resource_data(path, fmt) if fmt != "html" else await resource_html(item, path)
        except QueryRefusedError as exc:
            return server.error_page(exc.status, str(exc))
        except ValueError as exc:
            return PlainTextResponse(f"{exc}\n", 400)
        if answer.status_code == 200:
            answer.headers["Link"] = alternates(path)
        return answer

    async def resource_data(path: str, fmt: str) -> Response:
        """The description of the resource at ``path`` in RDF format ``fmt`` (404 when there is none)."""
        iri = server.iris.iri_for_path(path)
        if iri is None:
            return PlainTextResponse(f"nothing at {path}\n", 404)
        item = server.iris.classify(iri)
        try:
            data = await in_thread(server.call, {"kind": "construct", "sparql": describe_query(item, server.iris)})
        except QueryRefusedError as exc:
            return _refused(exc)
        except ValueError as exc:
            return PlainTextResponse(f"{exc}\n", 400)
        triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)) if data else []
        if not triples:
            return PlainTextResponse(f"the graph says nothing about <{iri}>\n", 404)
        return await in_thread(rdf_response, triples, fmt)

    async def resource_html(item: Any, path: str) -> Response:
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

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await in_thread(server.runner.start)
        try:
            yield
        finally:
            await in_thread(server.runner.close)

    routes = [
        Route("/", home),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", query_list),
        Route("/queries/{name}", named_query),
        Route("/.well-known/void", void),
        Route("/dumps", dump_list),
        Route("/dumps/", lambda r: RedirectResponse("/dumps")),
        Route("/dumps/{file}", dump_file),
        Route("/graphs", graph_list),
        Route("/context.jsonld", context),
        Route("/static/{file}", editor.static_file),
        Route("/favicon.ico", favicon),
        Route("/{path:path}", resource),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"], max_age=86400
        ),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.server = server
    return app


def _parameter_term(value: str) -> Node:
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


EXAMPLE_QUERY = """PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# The 20 entities mentioned in the most articles
SELECT ?entity (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?article) AS ?articles)
WHERE {
  ?article a schema:NewsArticle ; schema:mentions ?entity .
  OPTIONAL { ?entity rdfs:label ?name }
}
GROUP BY ?entity
ORDER BY DESC(?articles)
LIMIT 20
"""
