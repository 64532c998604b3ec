"""The named SPARQL queries shipped in ontology/queries/*.rq.

Each file starts with comment lines saying what it answers; that text is its description.
They assume the default graph is the union of the named graphs (``EmbeddedStore.query`` does
that; on an oxigraph server use ``--union-default-graph``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from pipelines.namespaces import ONTOLOGY_DIR
from pipelines.oxterms import TermConversionError, to_ox
from pipelines.store.protocol import GraphStore, SelectResult, StoreQueryError

DEFAULT_QUERIES_DIR = ONTOLOGY_DIR / "queries"


class UnknownQueryError(ValueError):
    """No named query of that name."""


@dataclass(frozen=True)
class NamedQuery:
    name: str  # file stem, e.g. "articles-per-outlet-per-day"
    description: str  # the leading comment
    sparql: str
    path: Path


def _description(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(part for part in lines if part)


def named_queries(queries_dir: Path | None = None) -> dict[str, NamedQuery]:
    directory = queries_dir or DEFAULT_QUERIES_DIR
    out = {}
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out[path.stem] = NamedQuery(name=path.stem, description=_description(text), sparql=text, path=path)
    return out


def load_query(name: str, queries_dir: Path | None = None) -> NamedQuery:
    queries = named_queries(queries_dir)
    if name not in queries:
        raise UnknownQueryError(f"no named query {name!r}; known: {', '.join(sorted(queries)) or 'none'}")
    return queries[name]


Row = dict[str, Node | None]


def select(store: GraphStore, sparql: str, substitutions: Mapping[str, Node] | None = None) -> list[Row]:
    """The rows of a SELECT query as dicts (a query of another form is a mistake in our code)."""
    result = store.query(sparql, substitutions)
    if not isinstance(result, SelectResult):
        raise StoreQueryError(f"expected a SELECT query, got one answering {type(result).__name__}")
    return result.dicts()


GRAPHS_PER_QUERY = 500  # graph IRIs per VALUES block: one query per chunk, none too long for the parser


STORE_QUERIES_DIR = ONTOLOGY_DIR / "queries" / "store"


@cache
def store_query(name: str) -> str:
    """One of the store's own queries (``ontology/queries/store/{name}.rq``)."""
    return (STORE_QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")


def fill_values(sparql: str, variable: str, iris: Iterable[str]) -> str:
    """``sparql`` with its empty ``VALUES ?variable { }`` block listing ``iris``, each checked and written
    as an N-Triples term (a list of IRIs has no binding of its own; nothing else is ever pasted in)."""
    block = f"VALUES ?{variable} {{ }}"
    if sparql.count(block) != 1:
        raise ValueError(f"the query has no single {block!r} block to fill")
    terms = []
    for iri in iris:
        try:
            terms.append(str(to_ox(URIRef(iri))))
        except TermConversionError as exc:
            raise ValueError(f"not a usable IRI: {iri!r}") from exc
    return sparql.replace(block, f"VALUES ?{variable} {{ {' '.join(terms)} }}")


def rows_for_graphs(store: GraphStore, sparql: str, graph_iris: Iterable[str]) -> Iterator[Row]:
    """The rows of ``sparql`` for these named graphs, asked in chunks: the graphs fill its
    ``VALUES ?g { }`` block, inside its pattern, so the store starts from them instead of scanning all."""
    names = sorted(set(graph_iris))
    for start in range(0, len(names), GRAPHS_PER_QUERY):
        yield from select(store, fill_values(sparql, "g", names[start : start + GRAPHS_PER_QUERY]))
