"""Which IRI a request path names, what kind of thing it is, and which triples describe it.

The server answers for an IRI at that IRI's path: with base ``https://w3id.org/newsgraph/id/`` the
path ``/newsgraph/id/article/x`` names ``https://w3id.org/newsgraph/id/article/x`` whatever host the
request came to, so serving at the base IRI's host makes every IRI a working URL. Wikidata items get
a local page at ``/wikidata/Q…`` (what our graph says about them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from pipelines.namespaces import WD

WIKIDATA_PREFIX = str(WD)
_QID = re.compile(r"^Q[1-9][0-9]*$")


def web_link(iri: str | None) -> str | None:
    """``iri`` if a browser may follow it (http or https), else None: no ``javascript:``, ``data:``…"""
    if iri and urlsplit(iri.strip()).scheme.lower() in ("http", "https") and iri == iri.strip():
        return iri
    return None


@dataclass(frozen=True)
class Resource:
    iri: str
    kind: str  # article | article-part | entity | story | run | run-part | graph | other
    doc_id: str | None = None
    run_id: str | None = None


@dataclass(frozen=True)
class IriMap:
    """Maps IRIs to local paths and back, for one base IRI."""

    base_iri: str

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_iri).path or "/"

    def iri_for_path(self, path: str) -> str | None:
        """The IRI a request path names, or None when the path is not under the base path."""
        if path.startswith("/wikidata/") and _QID.match(path[len("/wikidata/") :]):
            return WIKIDATA_PREFIX + path[len("/wikidata/") :]
        if not path.startswith(self.base_path) or path == self.base_path:
            return None
        return self.base_iri + path[len(self.base_path) :]

    def local_href(self, iri: str) -> str | None:
        """The path of our page about ``iri`` (with its fragment), or None for IRIs we have no page for."""
        if iri.startswith(WIKIDATA_PREFIX) and _QID.match(iri[len(WIKIDATA_PREFIX) :]):
            return "/wikidata/" + iri[len(WIKIDATA_PREFIX) :]
        if iri.startswith(self.base_iri):
            return self.base_path + quote(iri[len(self.base_iri) :], safe="/#=,:;~.-_%")
        return None

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` should go: our page if we have one, else the IRI if it is http(s), else nowhere."""
        return self.local_href(iri) or web_link(iri) or ""

    def classify(self, iri: str) -> Resource:
        if iri.startswith(WIKIDATA_PREFIX):
            return Resource(iri, "entity")
        local = iri[len(self.base_iri) :] if iri.startswith(self.base_iri) else ""
        parts = local.split("/")
        if parts[0] == "article" and len(parts) >= 2:
            return Resource(iri, "article" if len(parts) == 2 else "article-part", doc_id=parts[1])
        if parts[0] == "nil":
            return Resource(iri, "entity")
        if parts[0] == "story" and len(parts) == 2 and parts[1]:
            return Resource(iri, "story")
        if parts[0] == "run" and len(parts) >= 2:
            return Resource(iri, "run" if len(parts) == 2 else "run-part", run_id=parts[1])
        if parts[0] == "graph" and len(parts) == 3 and parts[1] in ("article", "run"):
            return Resource(iri, "graph")
        return Resource(iri, "other")

    def article_graph(self, doc_id: str) -> str:
        return f"{self.base_iri}graph/article/{doc_id}"

    def run_graph(self, run_id: str) -> str:
        return f"{self.base_iri}graph/run/{run_id}"


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ \n'):
        raise ValueError(f"not a usable IRI: {value!r}")
    return f"<{value}>"


def describe_query(resource: Resource, iris: IriMap) -> str:
    """A CONSTRUCT giving the triples that describe ``resource`` (its document's content).

    Articles and runs: their whole named graph (text, mentions, removals, provenance). Parts of them
    (``…/text``, ``…/removal/1``): the subjects at that IRI or its ``#`` fragments, in that graph.
    Entities: what every graph says about them, and which articles mention them. Graph IRIs: the graph.
    Anything else: the triples whose subject it is.
    """
    node = _iri(resource.iri)
    if resource.kind == "article" and resource.doc_id:
        return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(iris.article_graph(resource.doc_id))} {{ ?s ?p ?o }} }}"
    if resource.kind == "run" and resource.run_id:
        return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(iris.run_graph(resource.run_id))} {{ ?s ?p ?o }} }}"
    if resource.kind == "graph":
        return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"
    if resource.kind in ("article-part", "run-part"):
        graph = (
            iris.article_graph(resource.doc_id)
            if resource.kind == "article-part" and resource.doc_id
            else iris.run_graph(resource.run_id or "")
        )
        prefix = resource.iri + "#"
        return (
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o "
            f'FILTER (?s = {node} || STRSTARTS(STR(?s), "{prefix}")) }} }}'
        )
    if resource.kind == "entity":
        return (
            "CONSTRUCT { ?e ?p ?o . ?article <http://schema.org/mentions> ?e } WHERE { "
            f"{{ BIND ({node} AS ?e) ?e ?p ?o }} UNION "
            f"{{ BIND ({node} AS ?e) ?article <http://schema.org/mentions> ?e }} }}"
        )
    return f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}"
