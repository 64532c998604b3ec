"""Printing SPARQL results for people and scripts: CSV, JSON, an aligned table, or N-Triples."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph

if TYPE_CHECKING:
    from pipelines.store import GraphStore

FORMATS = ("csv", "json", "table")


def run_and_render(store: GraphStore, sparql: str, fmt: str = "csv") -> str:
    """SELECT/ASK as CSV (default), JSON or a table; CONSTRUCT/DESCRIBE always as N-Triples."""
    if fmt != "table":
        return store.query_serialized(sparql, fmt).decode("utf-8")
    result = store.query(sparql)
    if isinstance(result, bool):
        return ("true" if result else "false") + "\n"
    if isinstance(result, Graph):
        return result.serialize(format="nt")
    return render_table(result.variables, [["" if term is None else str(term) for term in row] for row in result.rows])


def render_table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
