"""Python twins of the shapes' SPARQL constraints: the rows rdflib's engine would return for a focus node.

pyshacl evaluates an ``sh:select`` once per focus node with rdflib's SPARQL interpreter (about 2 ms
each, dozens per article). A twin is used only for a constraint whose query text is exactly (up to
whitespace) one of the texts below, with the prefixes it was written for, so an edited constraint
goes back to pyshacl instead of being checked by an outdated rule. Each twin follows SPARQL's
semantics as rdflib implements them: an expression that errors (an offset that does not cast to an
integer, a text that is not a string) leaves its variable unbound and a FILTER on it drops the row;
``||`` is true despite an error in one operand if another is true, and rdflib's ``&&`` takes its
operands in order, so an error before a false operand errors. A
value whose comparison rdflib decides in ways not mirrored here (a language-tagged text, an end
index that is not an integer) raises :class:`Unsupported`, and the graph goes to pyshacl.

A row is ``(this, path, value, other bindings in projection order)``, as pyshacl reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.datatypes import XSD_DTs
from rdflib.term import Node

from pipelines.graph.shape_checks import Unsupported
from pipelines.graph.triple_index import TripleIndex
from pipelines.namespaces import ITSRDF, NG, NIF, SCHEMA

Row = tuple[Node | None, Node | None, Node | None, dict[str, Node]]
Twin = Callable[[TripleIndex, Node], list[Row]]
Truth = bool | None  # None: the expression raised an error

_TA_IDENT_REF = ITSRDF.taIdentRef
_TEXT_CONTEXT = NG.textContext
_ANCHOR_OF = NIF.anchorOf
_BEGIN_INDEX = NIF.beginIndex
_END_INDEX = NIF.endIndex
_IS_STRING = NIF.isString
_REFERENCE_CONTEXT = NIF.referenceContext
_ARTICLE_BODY = SCHEMA.articleBody
_MENTIONS = SCHEMA.mentions
_TEXT = SCHEMA.text


def normalize(text: str) -> str:
    return " ".join(text.split())


def _as_integer(term: Node) -> int | None:
    """``xsd:integer(term)`` as rdflib's SPARQL engine casts it, None where the cast errors.

    rdflib casts with Python's ``int()`` of the lexical form: "5"^^xsd:decimal gives 5 but
    "5e0"^^xsd:double is an error (the SPARQL spec would truncate it).
    """
    if not isinstance(term, Literal):
        return None
    if term.datatype is not None and (term.datatype not in XSD_DTs or term.datatype == XSD.dateTime):
        return None
    try:
        return int(str(term))
    except ValueError:
        return None


def _strlen(text: Node) -> int | None:
    """STRLEN as rdflib computes it; None where it errors (not a plain or xsd:string literal)."""
    if not isinstance(text, Literal) or (text.datatype is not None and text.datatype != XSD.string):
        return None
    if text.language:
        raise Unsupported("a language-tagged text compared with a plain string")
    return len(str(text))


def _cmp(a: int | None, b: int | None, op: Callable[[int, int], bool]) -> Truth:
    return None if a is None or b is None else op(a, b)


def _and(*operands: Truth) -> Truth:
    """rdflib's ``&&``: operands in order, the first error or false decides."""
    for operand in operands:
        if operand is not True:
            return operand
    return True


def _or(*operands: Truth) -> Truth:
    if any(o is True for o in operands):
        return True
    return None if any(o is None for o in operands) else False


def anchor_rows(index: TripleIndex, this: Node) -> list[Row]:
    rows: list[Row] = []
    for value in index.objects(this, _ANCHOR_OF):
        for begin in index.objects(this, _BEGIN_INDEX):
            for end in index.objects(this, _END_INDEX):
                for context in index.objects(this, _REFERENCE_CONTEXT):
                    for text in index.objects(context, _IS_STRING):
                        b, e, length = _as_integer(begin), _as_integer(end), _strlen(text)
                        inside = _and(_cmp(b, 0, int.__ge__), _cmp(e, length, int.__le__), _cmp(b, e, int.__lt__))
                        if inside is None or isinstance(value, BNode):
                            continue  # ?actual unbound, or STR(?value) errors: the FILTER drops the row
                        actual = str(text)[b:e] if inside else "(outside the text)"
                        if str(value) != actual:
                            bindings: dict[str, Node] = {"begin": begin, "end": end, "actual": Literal(actual)}
                            rows.append((this, _ANCHOR_OF, value, bindings))
    return rows


def offsets_iri_rows(index: TripleIndex, this: Node) -> list[Row]:
    if isinstance(this, BNode):
        return []  # STR() of a blank node errors
    if not isinstance(this, URIRef):
        raise Unsupported("a literal focus node")
    rows: list[Row] = []
    for begin in index.objects(this, _BEGIN_INDEX):
        for end in index.objects(this, _END_INDEX):
            if isinstance(begin, BNode) or isinstance(end, BNode):
                continue
            if not str(this).endswith(f"#char={begin},{end}"):
                rows.append((this, None, None, {}))
    return rows


def body_rows(index: TripleIndex, this: Node) -> list[Row]:
    rows: list[Row] = []
    for body in index.objects(this, _ARTICLE_BODY):
        for context in index.objects(this, _TEXT_CONTEXT):
            for text in index.objects(context, _IS_STRING):
                if isinstance(body, BNode) or isinstance(text, BNode):
                    continue
                if str(body) != str(text):
                    rows.append((this, _ARTICLE_BODY, None, {}))
    return rows


def mentions_listed_rows(index: TripleIndex, this: Node) -> list[Row]:
    rows: list[Row] = []
    listed = index.objects(this, _MENTIONS)
    for context in index.objects(this, _TEXT_CONTEXT):
        for mention in index.subjects(_REFERENCE_CONTEXT, context):
            for value in index.objects(mention, _TA_IDENT_REF):
                if value not in listed:
                    rows.append((this, _MENTIONS, value, {}))
    return rows


_INTEGER_TYPES = {
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.unsignedInt,
    XSD.unsignedLong,
}


def context_length_rows(index: TripleIndex, this: Node) -> list[Row]:
    rows: list[Row] = []
    for text in index.objects(this, _IS_STRING):
        for value in index.objects(this, _END_INDEX):
            if not isinstance(text, Literal) or (text.datatype is not None and text.datatype != XSD.string):
                continue  # STRLEN errors: ?length unbound, the FILTER drops the row
            length = len(str(text))
            if (
                not isinstance(value, Literal)
                or value.datatype not in _INTEGER_TYPES
                or getattr(value, "ill_typed", False)
                or not isinstance(value.value, int)
            ):
                raise Unsupported("an end index that is not an integer compared with a length")
            if value.value != length:
                rows.append((this, _END_INDEX, value, {"length": Literal(length)}))
    return rows


def quote_text_rows(index: TripleIndex, this: Node) -> list[Row]:
    rows: list[Row] = []
    for value in index.objects(this, _TEXT):
        for begin in index.objects(this, _BEGIN_INDEX):
            for end in index.objects(this, _END_INDEX):
                for context in index.objects(this, _REFERENCE_CONTEXT):
                    for text in index.objects(context, _IS_STRING):
                        b, e, length = _as_integer(begin), _as_integer(end), _strlen(text)
                        if b is None or e is None or length is None or isinstance(value, BNode):
                            differs: Truth = None
                        else:
                            differs = str(value) != str(text)[b:e]
                        failing = _or(
                            _cmp(b, 0, int.__lt__), _cmp(e, length, int.__gt__), _cmp(b, e, int.__ge__), differs
                        )
                        if failing:
                            rows.append((this, _TEXT, value, {"begin": begin, "end": end}))
    return rows


@dataclass(frozen=True)
class Known:
    """A SPARQL constraint's query text, the prefixes it was written with, and its twin."""

    select: str
    prefixes: dict[str, str]
    twin: Twin


_NIF = {"nif": str(NIF)}
KNOWN_CONSTRAINTS = [
    Known(
        """SELECT $this ?path ?value ?begin ?end ?actual WHERE {
            $this nif:anchorOf ?value ; nif:beginIndex ?begin ; nif:endIndex ?end ;
                  nif:referenceContext ?context .
            ?context nif:isString ?text .
            BIND (nif:anchorOf AS ?path)
            BIND (xsd:integer(?begin) AS ?b)
            BIND (xsd:integer(?end) AS ?e)
            BIND (IF(?b >= 0 && ?e <= STRLEN(?text) && ?b < ?e,
                     SUBSTR(?text, ?b + 1, ?e - ?b), "(outside the text)") AS ?actual)
            FILTER (STR(?value) != ?actual)
        }""",
        {**_NIF, "xsd": str(XSD)},
        anchor_rows,
    ),
    Known(
        """SELECT $this WHERE {
            $this nif:beginIndex ?begin ; nif:endIndex ?end .
            FILTER (!STRENDS(STR($this), CONCAT("#char=", STR(?begin), ",", STR(?end))))
        }""",
        _NIF,
        offsets_iri_rows,
    ),
    Known(
        """SELECT $this ?path WHERE {
            $this schema:articleBody ?body ; ng:textContext ?context .
            ?context nif:isString ?text .
            BIND (schema:articleBody AS ?path)
            FILTER (STR(?body) != STR(?text))
        }""",
        {**_NIF, "schema": str(SCHEMA), "ng": str(NG)},
        body_rows,
    ),
    Known(
        """SELECT DISTINCT $this ?path ?value WHERE {
            $this ng:textContext ?context .
            ?mention nif:referenceContext ?context ; itsrdf:taIdentRef ?value .
            FILTER NOT EXISTS { $this schema:mentions ?value }
            BIND (schema:mentions AS ?path)
        }""",
        {**_NIF, "schema": str(SCHEMA), "ng": str(NG), "itsrdf": str(ITSRDF)},
        mentions_listed_rows,
    ),
    Known(
        """SELECT $this ?path ?value ?length WHERE {
            $this nif:isString ?text ; nif:endIndex ?value .
            BIND (STRLEN(?text) AS ?length)
            BIND (nif:endIndex AS ?path)
            FILTER (?value != ?length)
        }""",
        _NIF,
        context_length_rows,
    ),
    Known(
        """SELECT $this ?path ?value ?begin ?end WHERE {
            $this schema:text ?value ; nif:beginIndex ?begin ; nif:endIndex ?end ;
                  nif:referenceContext ?context .
            ?context nif:isString ?text .
            BIND (schema:text AS ?path)
            BIND (xsd:integer(?begin) AS ?b)
            BIND (xsd:integer(?end) AS ?e)
            FILTER (?b < 0 || ?e > STRLEN(?text) || ?b >= ?e || STR(?value) != SUBSTR(?text, ?b + 1, ?e - ?b))
        }""",
        {**_NIF, "schema": str(SCHEMA), "xsd": str(XSD)},
        quote_text_rows,
    ),
]
KNOWN_BY_TEXT = {normalize(known.select): known for known in KNOWN_CONSTRAINTS}
