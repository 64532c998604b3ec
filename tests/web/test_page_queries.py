"""The page queries (ontology/queries/pages/*.rq) parse, and run with their variables bound on a real store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pipelines.web.pages import PAGE_QUERIES, page_query

PAGE_QUERY_NAMES = sorted(p.stem for p in PAGE_QUERIES.glob("*.rq"))
BOUND = {"entity-articles": "entity", "co-mentions": "entity", "run-articles": "run", "graph": "graph"}


@pytest.mark.parametrize("name", PAGE_QUERY_NAMES)
def test_page_query_runs_with_its_binding(name: str) -> None:
    store = ox.Store()
    subject = ox.NamedNode("https://example.org/x")
    store.add(ox.Quad(subject, ox.NamedNode("http://schema.org/mentions"), subject, ox.NamedNode("https://g.example/")))
    sparql = page_query(name).replace("VALUES ?e { }", f"VALUES ?e {{ {subject} }}")
    variable = BOUND.get(name)
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = (
        {ox.Variable(variable): subject} if variable else None
    )
    result = store.query(sparql, substitutions=substitutions, use_default_graph_as_union=True)
    rows = list(result)  # type: ignore[arg-type]
    if name == "top-entities":
        assert [str(row["entity"]) for row in rows] == [str(subject)]
