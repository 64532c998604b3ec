"""SPARQL results in the wire formats, with a cap on their size (graphs: ``rdfformats``).

The SELECT serialisers are written out (the W3C formats are small) so that rows are counted while
they are read: a query whose answer exceeds the limit stops after ``limit + 1`` rows with a clear
error instead of building a huge answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from pipelines.store.describe import distinct_triples

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RESULT_MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


class ResultTooLargeError(ValueError):
    """The answer has more rows or triples than the server's limit."""


@dataclass(frozen=True)
class Serialized:
    media_type: str  # without charset
    body: bytes

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


def take(items: Iterable[Any], limit: int, what: str) -> list[Any]:
    """At most ``limit`` items; raises if there are more (reads one past the limit, never all)."""
    out: list[Any] = []
    for item in items:
        if len(out) == limit:
            raise ResultTooLargeError(
                f"the answer has more than {limit} {what}, the server's limit; add a LIMIT or narrow the query"
            )
        out.append(item)
    return out


# ---------------------------------------------------------------- SELECT / ASK


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    raise TypeError(f"cannot write {term!r} as a SPARQL JSON result term (RDF-star is not used here)")


def _xml_text(value: str) -> str:
    """Element text; CR as a character reference, since XML parsers turn a raw CR LF into LF."""
    return escape(value, {"\r": "&#13;"})


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    raise TypeError(f"cannot write {term!r} as a SPARQL XML result term")


def _csv_field(term: Any) -> str:
    if term is None:
        return ""
    value = f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _tsv_field(term: Any) -> str:
    return "" if term is None else str(term).replace("\t", "\\t")


def select_rows(solutions: ox.QuerySolutions, limit: int) -> tuple[list[str], list[list[Any]]]:
    names = [v.value for v in solutions.variables]
    rows = take(([solution[name] for name in names] for solution in solutions), limit, "rows")
    return names, rows


def serialize_select(names: list[str], rows: list[list[Any]], fmt: str) -> Serialized:
    if fmt == "json":
        bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows]
        body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False)
        return Serialized(RESULT_MEDIA_TYPES[fmt], body.encode("utf-8"))
    if fmt == "xml":
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        parts.append("<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>")
        parts.append("<results>")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                for n, t in zip(names, row, strict=True)
                if t is not None
            )
            parts.append(f"<result>{cells}</result>")
        parts.append("</results>\n</sparql>\n")
        return Serialized(RESULT_MEDIA_TYPES[fmt], "\n".join(parts).encode("utf-8"))
    if fmt == "csv":
        lines = [",".join(_csv_field(ox.Literal(n)) for n in names)]
        lines += [",".join(_csv_field(t) for t in row) for row in rows]
        return Serialized(RESULT_MEDIA_TYPES[fmt], ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)] + ["\t".join(_tsv_field(t) for t in row) for row in rows]
        return Serialized(RESULT_MEDIA_TYPES[fmt], ("\n".join(lines) + "\n").encode("utf-8"))
    raise ValueError(f"unknown SPARQL results format {fmt!r}; use one of {sorted(RESULT_MEDIA_TYPES)}")


def serialize_boolean(value: bool, fmt: str) -> Serialized:
    text = "true" if value else "false"
    if fmt == "xml":
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        )
        return Serialized(RESULT_MEDIA_TYPES["xml"], body.encode("utf-8"))
    if fmt in ("csv", "tsv"):  # not defined by the standard; the common practice is the bare value
        return Serialized(RESULT_MEDIA_TYPES[fmt], f"{text}\n".encode())
    return Serialized(RESULT_MEDIA_TYPES["json"], json.dumps({"head": {}, "boolean": value}).encode("utf-8"))


# ---------------------------------------------------------------- graphs


def as_triples(items: Iterable[ox.Triple | ox.Quad]) -> Iterator[ox.Triple]:
    """A CONSTRUCT or DESCRIBE answer as the set of triples it means (see ``pipelines.store.describe``)."""
    return distinct_triples(items)
