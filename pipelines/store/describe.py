"""Graph answers (CONSTRUCT, DESCRIBE) as sets: each triple once.

A graph is a set of triples, but oxigraph's DESCRIBE over the union default graph yields a triple
once for every named graph that holds it; an entity's label sits in every article graph that
mentions it, so its description repeated each triple five times and more. DESCRIBE on the embedded
store is the resource's concise bounded description (docs/architecture.md, "DESCRIBE"): the
triples whose subject it is, and recursively those of every blank node among their objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


def distinct_triples(items: Iterable[ox.Triple | ox.Quad]) -> Iterator[ox.Triple]:
    """The triples of ``items`` (quads lose their graph), each once, in the order first seen."""
    seen: set[ox.Triple] = set()
    for item in items:
        triple = ox.Triple(item.subject, item.predicate, item.object)
        if triple not in seen:
            seen.add(triple)
            yield triple
