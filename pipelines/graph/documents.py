"""A dataset's graphs as self-contained documents, whatever layout it was read in.

A night's file holds each article graph with the descriptions of the nodes it names; a store (and its
dump) keeps those descriptions once, in description graphs (``store.layout``). Validating a dump -
or anything else read back from the store - needs the night's shape again: each graph together with
the description graphs of the nodes it names.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Dataset, Graph, URIRef

from pipelines.namespaces import Namespaces


def documents(ds: Dataset, namespaces: Namespaces | None = None) -> Iterator[Graph]:
    """The non-empty named graphs of ``ds`` in name order, each with the description graphs of the
    nodes it names merged in; the description graphs themselves are not yielded."""
    ns = namespaces or Namespaces()
    graphs = {str(g.identifier): g for g in ds.graphs() if len(g)}
    descriptions = {name: g for name, g in graphs.items() if name.startswith(ns.described_graph_prefix)}
    for name in sorted(graphs):
        if name in descriptions:
            continue
        graph = graphs[name]
        if not descriptions:
            yield graph
            continue
        document = Graph(identifier=graph.identifier)
        document += graph
        named = {node for triple in graph for node in (triple[0], triple[2]) if isinstance(node, URIRef)}
        for node in sorted(named):
            description = ns.described_graph_iri(str(node))
            if description is not None and str(description) in descriptions:
                document += descriptions[str(description)]
        yield document
