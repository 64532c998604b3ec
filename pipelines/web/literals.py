"""Which literals a result table labels with their datatype: only those whose value does not say it.

A count is plainly a number and a date plainly a date; ``xsd:integer`` beside every number cell is
noise. The datatype is shown where it tells something: another datatype (``xsd:gYear``, ``geo:wktLiteral``)
or a value that does not look like its type (``"1"^^xsd:boolean``, an ill-typed literal). The editor's
script (``editor/editor.js``) applies the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Literal
from rdflib.namespace import RDF, XSD

_FLOAT = re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|NaN|-?INF)$")
EVIDENT: dict[str, re.Pattern[str]] = {
    str(XSD.string): re.compile(r".*", re.DOTALL),
    str(XSD.integer): re.compile(r"^[+-]?\d+$"),
    str(XSD.decimal): re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    str(XSD.double): _FLOAT,
    str(XSD.float): _FLOAT,
    str(XSD.boolean): re.compile(r"^(true|false)$"),
    str(XSD.date): re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
    str(XSD.dateTime): re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
}
NUMERIC = frozenset(str(t) for t in (XSD.integer, XSD.decimal, XSD.double, XSD.float))


def literal_note(term: Literal, short: Callable[[str], str]) -> tuple[str, bool]:
    """The note beside a literal (its language, or its datatype where that helps) and whether it is a number."""
    if term.language:
        return term.language, False
    datatype = str(term.datatype) if term.datatype else ""
    if not datatype or datatype == str(RDF.langString):
        return "", False
    pattern = EVIDENT.get(datatype)
    if pattern and pattern.fullmatch(str(term)):
        return "", datatype in NUMERIC
    return short(datatype), False
