"""Publishing in the store's layout (``store.layout``): a dataset's graphs placed, and the description
graphs that replaced or removed graphs may leave without anything naming their node."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset

from pipelines.oxterms import TermConversionError, to_ox
from pipelines.store.layout import StoreLayout
from pipelines.store.protocol import GraphStore, PublishError
from pipelines.store.queries import rows_for_graphs, store_query


def placed_graphs(ds: Dataset, layout: StoreLayout) -> dict[ox.NamedNode, list[str]]:
    """The named graphs of ``ds`` as the store keeps them, each as N-Triples lines, in name order. A
    graph of ``ds`` with no triples stays (empty): publishing it deletes that graph."""
    graphs: dict[ox.NamedNode, list[str]] = {}
    quads: list[ox.Quad] = []
    for graph in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if graph.identifier == ds.default_graph.identifier:
            continue
        name = to_ox(graph.identifier)
        if not isinstance(name, ox.NamedNode):
            raise PublishError(f"graph name {graph.identifier!r} is not an IRI")
        graphs[name] = []
        try:
            quads.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in graph)  # type: ignore[arg-type]
        except TermConversionError as exc:
            raise PublishError(f"graph <{graph.identifier}>: {exc}; nothing written") from exc
    for quad in layout.place(quads):
        graph_name = quad.graph_name
        assert isinstance(graph_name, ox.NamedNode)
        graphs.setdefault(graph_name, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return dict(sorted(graphs.items(), key=lambda item: item[0].value))


def used_descriptions(store: GraphStore, layout: StoreLayout, graphs: Iterable[str]) -> list[str]:
    """The description graphs of the nodes these graphs of the store name: read before the graphs are
    replaced or removed, the candidates for ``orphan_descriptions`` after."""
    names = sorted(graphs)
    if not names:
        return []
    found: set[str] = set()
    for row in rows_for_graphs(store, store_query("named-nodes"), names):
        node = row["node"]
        graph = layout.description_graph(ox.NamedNode(str(node))) if node is not None else None
        if graph is not None:
            found.add(graph.value)
    return sorted(found)


def orphan_descriptions(store: GraphStore, candidates: Iterable[str]) -> list[str]:
    """Those of ``candidates`` (description graphs) whose node no graph of the store names any more."""
    return sorted({str(row["g"]) for row in rows_for_graphs(store, store_query("orphan-descriptions"), candidates)})
