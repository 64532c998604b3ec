"""The published graph in an external store, over the standard protocols (scale-out).

Anything that speaks SPARQL 1.1 Query and Update over HTTP and the Graph Store HTTP Protocol works:
Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso. ``RemoteStore`` has the interface of
:class:`~pipelines.store.embedded.EmbeddedStore`, so the pipeline and the web server use either.

- publish: one SPARQL Update request (``DROP SILENT GRAPH`` + ``INSERT DATA`` per graph), which the
  servers above apply as one transaction, so a night's graphs are replaced all together or not at all.
- query: SPARQL Protocol; results come back as SPARQL JSON / N-Triples and are parsed by pyoxigraph,
  so both stores give the same Python values.
- graph / dump: the Graph Store Protocol (``GET ?graph=``), one named graph at a time.

Queries assume the default graph is the union of the named graphs: start oxigraph with
``--union-default-graph``, give Fuseki ``tdb2:unionDefaultGraph true``, GraphDB and Virtuoso do it
by default. ``substitutions`` have no standard wire form; they become a trailing ``VALUES`` block,
which gives the same rows as pre-binding when the variables are projected (as in our named queries).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import requests
from rdflib import Dataset, Graph, Literal
from rdflib.term import Node

from pipelines.oxterms import to_ox, to_rdflib
from pipelines.store.describe import distinct_triples
from pipelines.store.descriptions import orphan_descriptions, placed_graphs, used_descriptions
from pipelines.store.embedded import DUMP_FORMATS, RESULT_FORMATS, convert_result, named_graph_quads
from pipelines.store.layout import StoreLayout
from pipelines.store.protocol import (
    CompactionReport,
    PublishCounts,
    PublishError,
    QueryResult,
    SelectResult,
    StoreError,
    StoreQueryError,
    StoreUnreachableError,
)

_ACCEPT_RESULTS = "application/sparql-results+json"
_ACCEPT_GRAPH = "application/n-triples"
_GRAPH_MEDIA_TYPES = ("application/n-triples", "text/turtle", "text/plain", "application/rdf+xml")


class ParsedTriples:
    """Triples parsed from a CONSTRUCT/DESCRIBE answer, each once (iterable like ``ox.QueryTriples``)."""

    def __init__(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        self._triples = list(distinct_triples(triples))

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)


RawResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | ParsedTriples


def _values_clause(substitutions: Mapping[str, Node] | None) -> str:
    if not substitutions:
        return ""
    names = " ".join(f"?{name}" for name in substitutions)
    terms = " ".join(str(to_ox(value)) for value in substitutions.values())
    return f"\nVALUES ({names}) {{ ({terms}) }}"


class RemoteStore:
    """A SPARQL 1.1 server as the published store (a :class:`~pipelines.store.protocol.GraphStore`)."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        *,
        timeout_s: float = 60.0,
        auth: tuple[str, str] | None = None,
        read_only: bool = False,
        session: requests.Session | None = None,
        layout: StoreLayout | None = None,
    ) -> None:
        if not query_url.startswith(("http://", "https://")):
            raise StoreError(f"remote store query URL {query_url!r} is not an http(s) URL")
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.timeout_s = timeout_s
        self.read_only = read_only
        self.layout = layout or StoreLayout()
        self.path = query_url  # what messages name the store by, as EmbeddedStore.path
        self._session = session or requests.Session()
        if auth:
            self._session.auth = auth

    @classmethod
    def oxigraph(cls, server_url: str, **kwargs: Any) -> RemoteStore:
        """The endpoints of an ``oxigraph serve`` at ``server_url`` (``/query``, ``/update``, ``/store``)."""
        root = server_url.rstrip("/")
        return cls(f"{root}/query", f"{root}/update", f"{root}/store", **kwargs)

    @classmethod
    def fuseki(cls, dataset_url: str, **kwargs: Any) -> RemoteStore:
        """The endpoints of a Fuseki dataset at ``dataset_url`` (``/query``, ``/update``, ``/data``)."""
        root = dataset_url.rstrip("/")
        return cls(f"{root}/query", f"{root}/update", f"{root}/data", **kwargs)

    # ------------------------------------------------------------------ HTTP

    def _request(self, method: str, url: str, what: str, **kwargs: Any) -> requests.Response:
        try:
            response = self._session.request(method, url, timeout=self.timeout_s, **kwargs)
        except requests.Timeout as exc:
            raise StoreQueryError(f"{what} at {url}: no answer within {self.timeout_s:g} s") from exc
        except requests.RequestException as exc:
            raise StoreUnreachableError(f"{what} at {url}: cannot reach the store ({exc})") from exc
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:300]
            error = StoreQueryError if response.status_code in (400, 408, 413, 503, 504) else StoreError
            raise error(f"{what} at {url}: HTTP {response.status_code}: {detail}")
        return response

    def _update(self, sparql: str, what: str) -> None:
        if self.read_only:
            raise PublishError(f"remote store {self.query_url} is opened read-only: {what} refused")
        if not self.update_url:
            raise PublishError(f"remote store {self.query_url} has no update URL: {what} refused")
        self._request(
            "POST",
            self.update_url,
            what,
            data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    # ------------------------------------------------------------------ writing

    def publish(self, ds: Dataset) -> PublishCounts:
        """Replace each named graph of ``ds`` in one SPARQL Update request (one transaction on the server)."""
        default_triples = len(ds.default_graph)
        if default_triples:
            raise PublishError(
                f"publish takes named graphs only, but {default_triples} triple(s) are in the default graph"
            )
        graphs = placed_graphs(ds, self.layout)
        return self._replace(graphs)

    def publish_file(self, path: Path, *, validated: bool = False) -> PublishCounts:
        """Replace each named graph of a TriG or N-Quads file in one SPARQL Update request (read once
        whether ``validated`` or not)."""
        graphs: dict[ox.NamedNode, list[str]] = {}
        for quad in self.layout.place(named_graph_quads(path)):
            name = quad.graph_name
            assert isinstance(name, ox.NamedNode)
            graphs.setdefault(name, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
        return self._replace(graphs)

    def _replace(self, graphs: Mapping[ox.NamedNode, list[str]]) -> PublishCounts:
        """Drop and insert these graphs (N-Triples lines each) in one request; an empty graph is deleted,
        and so are the description graphs only the replaced graphs named."""
        operations: list[str] = []
        for name, lines in graphs.items():
            operations.append(f"DROP SILENT GRAPH {name}")
            if lines:
                operations.append(f"INSERT DATA {{ GRAPH {name} {{\n" + "\n".join(lines) + "\n} }")
        names = list(graphs)
        before = self._graph_sizes(names)
        candidates = self._description_candidates([name for name, size in before.items() if size])
        if operations:
            try:
                published = sum(1 for name in names if not self.layout.is_description(name.value))
                self._update(" ;\n".join(operations), f"publishing {published} graph(s)")
            except StoreError as exc:
                raise PublishError(f"{exc}; nothing written") from exc
        self._drop_orphans(candidates)
        return self.layout.counts({name.value: len(lines) for name, lines in graphs.items()}, before)

    def _description_candidates(self, graphs: list[str]) -> list[str]:
        own = [name for name in graphs if not self.layout.is_description(name)]
        return used_descriptions(self, self.layout, own)

    def _drop_orphans(self, candidates: list[str]) -> None:
        """As :meth:`EmbeddedStore._drop_orphans`: a second request after the publication's own."""
        orphans = orphan_descriptions(self, candidates)
        if orphans:
            self._update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in orphans), "drop descriptions")

    def _graph_sizes(self, names: list[ox.NamedNode]) -> dict[str, int]:
        if not names:
            return {}
        values = " ".join(str(n) for n in names)
        result = self.query(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g",
            union_default_graph=False,
        )
        assert isinstance(result, SelectResult)
        return {str(g): int(n) for g, n in result.rows if g is not None and isinstance(n, Literal)}

    def remove_graphs(self, graph_iris: list[str]) -> None:
        """Delete whole named graphs in one request."""
        if graph_iris:
            candidates = self._description_candidates(graph_iris)
            self._update(" ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graph_iris), "remove graphs")
            self._drop_orphans(candidates)

    # ------------------------------------------------------------------ reading

    def raw_query(
        self,
        sparql: str,
        substitutions: Mapping[str, Node] | None = None,
        default_graph: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
    ) -> RawResult:
        """Run a query on the server; the result as pyoxigraph objects, as ``Store.query`` returns them.

        Whether the default graph is the union of the named graphs is the server's configuration (see
        the module docstring), so ``union_default_graph=False`` elsewhere only documents the intent.
        """
        params: list[tuple[str, str]] = [("default-graph-uri", g) for g in default_graph]
        params += [("named-graph-uri", g) for g in named_graphs]
        response = self._request(
            "POST",
            self.query_url,
            "SPARQL query",
            params=params,
            data=(sparql + _values_clause(substitutions)).encode("utf-8"),
            headers={
                "Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": f"{_ACCEPT_RESULTS}, {_ACCEPT_GRAPH};q=0.9, text/turtle;q=0.8",
            },
        )
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            if media_type in _GRAPH_MEDIA_TYPES:
                fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
                return ParsedTriples(ox.parse(response.content, format=fmt))
            fmt_results = ox.QueryResultsFormat.from_media_type(media_type) or ox.QueryResultsFormat.JSON
            return ox.parse_query_results(response.content, format=fmt_results)
        except (SyntaxError, ValueError) as exc:
            raise StoreQueryError(f"SPARQL query at {self.query_url}: unreadable {media_type} answer: {exc}") from exc

    def query(
        self,
        sparql: str,
        substitutions: Mapping[str, Node] | None = None,
        union_default_graph: bool = True,
    ) -> QueryResult:
        """SELECT (-> SelectResult), ASK (-> bool), CONSTRUCT/DESCRIBE (-> rdflib Graph), as EmbeddedStore."""
        return convert_result(self.raw_query(sparql, substitutions))

    def query_serialized(
        self,
        sparql: str,
        result_format: str = "json",
        substitutions: Mapping[str, Node] | None = None,
        union_default_graph: bool = True,
    ) -> bytes:
        """Results as SPARQL results json/csv/tsv/xml, or N-Triples for graphs (as EmbeddedStore)."""
        result = self.raw_query(sparql, substitutions)
        if isinstance(result, ParsedTriples):
            return ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES) or b""
        if result_format not in RESULT_FORMATS:
            raise StoreQueryError(f"unknown result format {result_format!r}; use one of {sorted(RESULT_FORMATS)}")
        assert not isinstance(result, ox.QueryTriples)
        return result.serialize(format=RESULT_FORMATS[result_format]) or b""

    def _count(self, sparql: str) -> int:
        result = self.query(sparql, union_default_graph=False)
        assert isinstance(result, SelectResult)
        value = result.rows[0][0] if result.rows else None
        return int(value) if isinstance(value, Literal) else 0

    def triple_count(self) -> int:
        """Triples in all named graphs (the pipeline writes named graphs only)."""
        return self._count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")

    def graph_count(self) -> int:
        return self._count("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")

    def graph_names(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)
        assert isinstance(result, SelectResult)
        return sorted(str(row[0]) for row in result.rows if row[0] is not None)

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """One named graph as N-Triples, via the Graph Store Protocol (else a CONSTRUCT)."""
        if self.graph_store_url:
            response = self._request(
                "GET",
                self.graph_store_url,
                f"Graph Store GET <{graph_iri}>",
                params={"graph": graph_iri},
                headers={"Accept": _ACCEPT_GRAPH},
            )
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media_type == _ACCEPT_GRAPH:
                return response.content
            fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
            return ox.serialize(ox.parse(response.content, format=fmt), format=ox.RdfFormat.N_TRIPLES) or b""
        return self.query_serialized(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(graph_iri)} {{ ?s ?p ?o }} }}",
            union_default_graph=False,
        )

    def graph(self, graph_iri: str) -> Graph:
        """One named graph as an rdflib Graph."""
        out = Graph(identifier=to_rdflib(ox.NamedNode(graph_iri)))  # type: ignore[arg-type]
        for triple in ox.parse(self.graph_ntriples(graph_iri), format=ox.RdfFormat.N_TRIPLES):
            out.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))  # type: ignore[arg-type]
        return out

    def quads(self, graph_iris: Iterable[str] | None = None) -> Iterator[ox.Quad]:
        """The quads of the given named graphs (default: all), graph by graph."""
        for name in self.graph_names() if graph_iris is None else graph_iris:
            graph = ox.NamedNode(name)
            for triple in ox.parse(self.graph_ntriples(name), format=ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def dump(self, path: Path, format: str = "nquads") -> int:
        """Write every named graph (N-Quads or TriG; gzip when ``path`` ends in .gz); returns quads written."""
        rdf_format = DUMP_FORMATS.get(format.lower())
        if rdf_format is None:
            raise StoreError(f"unknown dump format {format!r}; use one of {sorted(DUMP_FORMATS)}")
        path.parent.mkdir(parents=True, exist_ok=True)
        quads = list(self.quads())
        data = ox.serialize(quads, format=rdf_format) or b""
        if path.suffix == ".gz":
            data = gzip.compress(data)
        path.write_bytes(data)
        return len(quads)

    def flush(self) -> None:
        """Nothing to flush: each request is committed by the server."""

    def compact(self) -> CompactionReport:
        """Nothing to do from here: a SPARQL server keeps its own files (its own tools compact them)."""
        return CompactionReport(note=f"{self.query_url} is a remote SPARQL server; it keeps its own files")

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
