"""Graphs as tests compare them: as oxigraph stores their literals, a second article, a night's file."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import XSD

from pipelines.graph import build_article_graph
from pipelines.namespaces import Namespaces
from tests.graph.samples import golden_input

INTEGER_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger}


def canonical(graph: Graph) -> Graph:
    """The graph as oxigraph stores it: derived integer types become xsd:integer, times and doubles by value.

    (oxigraph normalises literals on write, see https://github.com/oxigraph/oxigraph/issues/526.)
    """
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None:
            if o.datatype in INTEGER_TYPES:
                o = Literal(int(o), datatype=XSD.integer)
            elif o.datatype in (XSD.dateTime, XSD.double):
                o = Literal(o.toPython(), datatype=o.datatype)
        out.add((s, p, o))
    return out


def trig_file(ds: Dataset, path: Path) -> Path:
    ds.serialize(path, format="trig")
    return path


def other_article() -> Dataset:
    data = golden_input()
    raw = dataclasses.replace(
        data["raw"],
        doc_id="other0002",
        url="https://example.org/other",
        content_hash=hashlib.sha256(b"other").hexdigest(),
    )
    return build_article_graph(raw, data["clean"], data["mentions"], data["entities"], data["run"], Namespaces())
