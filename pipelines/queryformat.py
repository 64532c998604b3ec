"""Printing SPARQL results for people and scripts: CSV, JSON, an aligned table, or N-Triples."""

from __future__ import annotations

import json

import pyoxigraph as ox

FORMATS = ("csv", "json", "table")


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8")


def render(result: object, fmt: str = "csv") -> str:
    """SELECT/ASK as CSV (default), JSON or a table; CONSTRUCT/DESCRIBE always as N-Triples."""
    if isinstance(result, ox.QueryTriples):
        return _text(result.serialize(format=ox.RdfFormat.N_TRIPLES))
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": value}) + "\n"
        return ("true" if value else "false") + "\n"
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"unexpected query result type {type(result).__name__}")
    if fmt == "json":
        return _text(result.serialize(format=ox.QueryResultsFormat.JSON)) + "\n"
    if fmt == "csv":
        return _text(result.serialize(format=ox.QueryResultsFormat.CSV))
    return _table(result)


def _term_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _table(solutions: ox.QuerySolutions) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[_term_text(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
