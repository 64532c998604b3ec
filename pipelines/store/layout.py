"""Where each published triple lives in the store.

A night's file keeps every article graph self-contained: the article, its mentions and quotes, and the
labels and types of the Wikidata items, NIL entities and publisher it names, so one graph is one
document that SHACL validates and a reader can take away. In the store the same description would sit
in every article graph that names the node, and oxigraph's union default graph - what the endpoint and
every plain query read - is a bag of the graphs' triples, not a set: a label held by 3,000 article
graphs answers 3,000 times, multiplying both the rows of a plain query (wrong counts) and its cost
(joins on labels and types took 2 s to over a minute at ~1M triples, ``docs/benchmarks.md``).

So publication places the triples whose subject is such a shared node in that node's own description
graph (``Namespaces.described_graph_iri``), once, and leaves what the article says in the article's
graph. A night that describes a node again replaces its description graph, as it replaces the graphs
of its articles, so a label that changed in the knowledge base changes in the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from pipelines.namespaces import WD, Namespaces


@dataclass
class StoreLayout:
    """Places quads for the store: article quads as they come, then each description quad once."""

    namespaces: Namespaces = field(default_factory=Namespaces)
    _graphs: dict[str, ox.NamedNode | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._prefixes = (str(WD), *(self.namespaces.base_iri + kind for kind in ("nil/", "publisher/")))

    def description_graph(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple) -> ox.NamedNode | None:
        """The description graph of a subject that many articles share, else None."""
        if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(self._prefixes):
            return None
        iri = subject.value
        if iri not in self._graphs:  # only shared nodes are cached: as many as the KB has entities
            found = self.namespaces.described_graph_iri(iri)
            self._graphs[iri] = ox.NamedNode(str(found)) if found is not None else None
        return self._graphs[iri]

    def is_description(self, graph: str) -> bool:
        return graph.startswith(self.namespaces.described_graph_prefix)

    def counts(self, sizes: dict[str, int], before: dict[str, int]) -> dict[str, int]:
        """Publication counts from the placed graphs' sizes and what the store held in them before:
        ``graphs`` and ``replaced`` count the published graphs (as the night's file names them),
        ``descriptions`` the description graphs written, ``triples`` and ``previous_triples`` all."""
        published = [name for name in sizes if not self.is_description(name)]
        return {
            "graphs": len(published),
            "replaced": sum(1 for name in published if before.get(name)),
            "descriptions": len(sizes) - len(published),
            "triples": sum(sizes.values()),
            "previous_triples": sum(before.values()),
        }

    def place(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """``quads`` as the store keeps them. Description quads are held back and given after the
        rest, each once (a whole description graph comes at the end, never split across batches)."""
        described: dict[ox.Quad, None] = {}
        subject: object = None
        graph: ox.NamedNode | None = None
        for quad in quads:
            if quad.subject != subject:  # a graph file keeps a subject's triples together: look it up once
                subject = quad.subject
                graph = self.description_graph(quad.subject)
            if graph is None:
                yield quad
            else:
                described[ox.Quad(quad.subject, quad.predicate, quad.object, graph)] = None
        yield from described
