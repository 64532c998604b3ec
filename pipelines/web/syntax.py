"""Parser errors a person can act on: where in the query, what is wrong there, and a caret under it.

oxigraph reports the furthest point its PEG parser reached (``error at 1:8``, a column in UTF-8 bytes)
and the raw alternatives it tried there (``expected one of VERSION, [_]``). That point is often the
end of the query and the alternatives are grammar internals. A few checks on the query's tokens name
the usual causes instead (a misspelt keyword, an undeclared prefix, a bracket never closed, a string
never ended) and point at them; otherwise the parser's position stays, with its alternatives in words.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from pipelines.namespaces import PREFIXES
from pipelines.store.guard import _TOKEN

_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)
_ALTERNATIVE = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\'\\]|\'(?:[^\'\\]|\\.)*\'|\\.)*\]|[^,\[\]"]+')
QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
KEYWORDS = frozenset(
    [
        "BASE",
        "PREFIX",
        "SELECT",
        "CONSTRUCT",
        "DESCRIBE",
        "ASK",
        "DISTINCT",
        "REDUCED",
        "AS",
        "FROM",
        "NAMED",
        "WHERE",
        "ORDER",
        "BY",
        "ASC",
        "DESC",
        "LIMIT",
        "OFFSET",
        "VALUES",
        "GROUP",
        "HAVING",
        "OPTIONAL",
        "GRAPH",
        "SERVICE",
        "SILENT",
        "BIND",
        "UNDEF",
        "MINUS",
        "UNION",
        "FILTER",
        "NOT",
        "IN",
        "EXISTS",
        "A",
        "TRUE",
        "FALSE",
        "STR",
        "LANG",
        "LANGMATCHES",
        "DATATYPE",
        "BOUND",
        "IRI",
        "URI",
        "BNODE",
        "RAND",
        "ABS",
        "CEIL",
        "FLOOR",
        "ROUND",
        "CONCAT",
        "STRLEN",
        "UCASE",
        "LCASE",
        "ENCODE_FOR_URI",
        "CONTAINS",
        "STRSTARTS",
        "STRENDS",
        "STRBEFORE",
        "STRAFTER",
        "YEAR",
        "MONTH",
        "DAY",
        "HOURS",
        "MINUTES",
        "SECONDS",
        "TIMEZONE",
        "TZ",
        "NOW",
        "UUID",
        "STRUUID",
        "MD5",
        "SHA1",
        "SHA256",
        "SHA384",
        "SHA512",
        "COALESCE",
        "IF",
        "STRLANG",
        "STRDT",
        "SAMETERM",
        "ISIRI",
        "ISURI",
        "ISBLANK",
        "ISLITERAL",
        "ISNUMERIC",
        "REGEX",
        "SUBSTR",
        "REPLACE",
        "COUNT",
        "SUM",
        "MIN",
        "MAX",
        "AVG",
        "SAMPLE",
        "GROUP_CONCAT",
        "SEPARATOR",
        "LATERAL",
    ]
)
_CHAR_CLASSES = (("'0'", "a number"), ("'A'", "a name"), ("'%'", "a name"), ("'_'", "a name"))


@dataclass(frozen=True)
class SyntaxProblem:
    """One parser error, positioned in characters (1-based), ready for JSON, text and HTML."""

    message: str
    line: int
    column: int
    end_column: int
    excerpt: str
    expected: list[str] = field(default_factory=list)
    parser: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def as_text(self) -> str:
        return f"{self.message}\n{self.excerpt}"


def explain(query: str, error: str) -> SyntaxProblem | None:
    """The readable form of a parser ``error`` about ``query``; None when the error has no position."""
    match = _POSITION.search(error)
    if not match:
        return None
    line, byte_column, raw = int(match.group(1)), int(match.group(2)), match.group(3).strip()
    lines = query.splitlines() or [""]
    offset = _offset(lines, line, byte_column)
    expected = _alternatives(raw)
    tokens = _tokens(query)
    found = next(((start, value) for start, _kind, value in tokens if start + len(value) > offset), None)
    cause = (
        _unknown_form(tokens)
        or _undeclared_prefix(tokens, raw)
        or _malformed_iri(query, offset, raw)
        or _unclosed_string(query, offset, raw)
        or _unclosed_bracket(query, tokens, offset)
        or _unknown_word(query, tokens, offset)
        or _triple_shape(tokens, offset)
        or _clause_at_end(query, tokens, offset)
    )
    if cause:
        start, length, message = cause
    elif found is None:
        start, length = len(query), 1
        message = "the query ends too early" + (f": expected {_or(expected)}" if expected else "")
    else:
        start, length = found[0], len(found[1])
        message = f"unexpected {found[1][:40]!r}" + (f": expected {_or(expected)}" if expected else "")
    line, column = _line_column(query, start)
    where = f"line {line}, column {column}"
    return SyntaxProblem(
        message=f"malformed SPARQL query at {where}: {message}",
        line=line,
        column=column,
        end_column=column + max(1, min(length, len(_line_text(query, line)) - column + 1)),
        excerpt=excerpt(query, line, column, length),
        expected=expected,
        parser=match.group(0).strip(),
    )


def excerpt(query: str, line: int, column: int, length: int = 1) -> str:
    """The erroneous line (and the one before it) with carets under the columns in question."""
    lines = query.splitlines() or [""]
    width = len(str(min(line, len(lines))))
    out = []
    for number in range(max(1, line - 1), min(line, len(lines)) + 1):
        out.append(f"{number:>{width}} | {lines[number - 1].expandtabs(1)}")
    text = _line_text(query, line).expandtabs(1)
    carets = max(1, min(length, len(text) - column + 1))
    out.append(f"{'':>{width}} | {' ' * (column - 1)}{'^' * carets}")
    return "\n".join(out)


def _line_text(query: str, line: int) -> str:
    lines = query.splitlines() or [""]
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _offset(lines: list[str], line: int, byte_column: int) -> int:
    """The character offset of a (line, UTF-8 byte column) position, both 1-based."""
    if line > len(lines):
        return sum(len(text) + 1 for text in lines)
    before = sum(len(text) + 1 for text in lines[: line - 1])
    encoded = lines[line - 1].encode("utf-8")
    return before + len(encoded[: max(0, byte_column - 1)].decode("utf-8", "ignore"))


def _line_column(query: str, offset: int) -> tuple[int, int]:
    head = query[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = head.count("\n") + 1
    return line, offset - (head.rfind("\n") + 1) + 1 if "\n" in head else offset + 1


def _tokens(query: str) -> list[tuple[int, str, str]]:
    return [
        (m.start(), m.lastgroup or "other", m.group())
        for m in _TOKEN.finditer(query)
        if m.lastgroup not in ("space", "comment")
    ]


def _alternatives(raw: str) -> list[str]:
    """The parser's alternatives in words: keywords and punctuation as written, character classes named."""
    text = raw.removeprefix("expected one of").removeprefix("expected").strip()
    out: list[str] = []
    for item in (m.group().strip() for m in _ALTERNATIVE.finditer(text)):
        if not item or item in ("[_]", "VERSION", "Prefix not found"):
            continue
        if item.startswith("["):
            item = next((name for needle, name in _CHAR_CLASSES if needle in item), "")
        elif item.startswith('"'):
            item = item[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        if item and item not in out:
            out.append(item)
    return out


def _or(items: list[str]) -> str:
    shown = [item if item in ("a number", "a name") else f"'{item}'" for item in items[:8]]
    if len(shown) == 1:
        return shown[0]
    return "one of " + ", ".join(shown) + (", …" if len(items) > 8 else "")


def _suggest(word: str) -> str:
    close = difflib.get_close_matches(word.upper(), sorted(KEYWORDS), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def _unknown_form(tokens: list[tuple[int, str, str]]) -> tuple[int, int, str] | None:
    """The first word after the prologue is no query form (``SELEC *``)."""
    index = 0
    while index < len(tokens):
        _start, kind, value = tokens[index]
        if kind == "word" and value.upper() == "PREFIX":
            index += 3
        elif kind == "word" and value.upper() == "BASE":
            index += 2
        else:
            break
    if index >= len(tokens):
        return None
    start, kind, value = tokens[index]
    if kind == "word" and value.upper() in QUERY_FORMS:
        return None
    hint = _suggest(value) if kind == "word" else ""
    forms = ", ".join(QUERY_FORMS[:-1]) + " or " + QUERY_FORMS[-1]
    return start, len(value), f"a query starts with {forms} (after any PREFIX and BASE), not {value[:40]!r}{hint}"


def _undeclared_prefix(tokens: list[tuple[int, str, str]], raw: str) -> tuple[int, int, str] | None:
    if "Prefix not found" not in raw:
        return None
    declared: set[str] = set()
    previous = ""
    for start, kind, value in tokens:
        if kind == "pname":
            prefix = value.split(":", 1)[0]
            if previous.upper() == "PREFIX":
                declared.add(prefix)
            elif prefix not in declared:
                known = PREFIXES.get(prefix)
                fix = f"; add PREFIX {prefix}: <{known}>" if known else ""
                return start, len(value), f"the prefix {prefix + ':'!r} is not declared{fix}"
        previous = value
    return None


def _malformed_iri(query: str, offset: int, raw: str) -> tuple[int, int, str] | None:
    if "IRI parsing failed" not in raw:
        return None
    start = query.rfind("<", 0, offset)
    end = query.find(">", start)
    if start < 0:
        return None
    return start, (end - start + 1) if end > 0 else 1, 'this IRI is malformed (no spaces or <>"{}|^` in an IRI)'


def _unclosed_string(query: str, offset: int, raw: str) -> tuple[int, int, str] | None:
    if not raw.startswith('expected one of "\\"'):
        return None
    quote = max(query.rfind('"', 0, offset), query.rfind("'", 0, offset))
    if quote < 0:
        return None
    return quote, 1, "this string is never closed"


def _unclosed_bracket(query: str, tokens: list[tuple[int, str, str]], offset: int) -> tuple[int, int, str] | None:
    """At the end of the query, the innermost bracket still open; anywhere, a closing bracket too many."""
    pairs = {")": "(", "}": "{", "]": "["}
    stack: list[tuple[int, str]] = []
    for start, kind, value in tokens:
        if kind == "open":
            stack.append((start, value))
        elif kind == "close":
            if not stack:
                return start, 1, f"this {value!r} closes nothing"
            opened, bracket = stack.pop()
            if bracket != pairs[value]:
                line, column = _line_column(query, opened)
                return start, 1, f"this {value!r} does not match the {bracket!r} at line {line}, column {column}"
    if stack and offset >= len(query.rstrip()):
        start, value = stack[-1]
        return start, 1, f"this {value!r} is never closed"
    return None


def _unknown_word(query: str, tokens: list[tuple[int, str, str]], offset: int) -> tuple[int, int, str] | None:
    """The first bare word SPARQL does not know, up to the error (``LIMT 5``); language tags and exponents
    (``"x"@de``, ``1e5``) are part of the token before them."""
    for start, kind, value in tokens:
        if start > offset:
            return None
        glued = start > 0 and (query[start - 1] in "@." or query[start - 1].isdigit())
        if kind == "word" and not glued and value.upper() not in KEYWORDS:
            return start, len(value), f"{value[:40]!r} is not a SPARQL keyword{_suggest(value)}"
    return None


_TERMS = ("var", "iri", "pname", "string")


def _triple_shape(tokens: list[tuple[int, str, str]], offset: int) -> tuple[int, int, str] | None:
    """A triple pattern of plain terms with fewer or more than three (``?s ?p }``, ``?s ?p ?o ?x``)."""
    segment: list[tuple[int, str, str]] = []
    simple = False
    for index, (start, kind, value) in enumerate(tokens):
        if value in ("{", "}", ".", ";", ","):
            if simple and segment and value != "{" and len(segment) != 3 and segment[0][0] <= offset:
                if len(segment) < 3:
                    last = segment[-1]
                    return last[0] + len(last[2]), 1, "this triple pattern lacks its object (subject predicate object)"
                extra = segment[3]
                return extra[0], len(extra[2]), "a triple pattern has three terms: is a '.' missing before this?"
            if start > offset:
                return None
            segment, simple = [], value == "." or (value == "{" and not _values_block(tokens, index))
        elif kind in _TERMS or (kind == "word" and value == "a"):
            segment.append((start, kind, value))
        else:
            simple = False
    return None


def _values_block(tokens: list[tuple[int, str, str]], index: int) -> bool:
    """Whether the ``{`` at ``index`` opens the data of a VALUES clause (rows of terms, no triples)."""
    before = [value.upper() for _start, _kind, value in tokens[max(0, index - 2) : index]]
    return bool(before) and (before[-1] == ")" or (len(before) == 2 and before[0] == "VALUES"))


def _clause_at_end(query: str, tokens: list[tuple[int, str, str]], offset: int) -> tuple[int, int, str] | None:
    """The parser ran to the final bracket of a balanced query: the clause it could not read, as rdflib's
    parser (which stops at the start of the failing clause) finds it. Short queries only: it is slower."""
    if not tokens or tokens[-1][1] != "close" or offset < len(query.rstrip()) or len(query) > 20_000:
        return None
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(query)
    except ParseException as exc:
        start = int(exc.loc)
        word = next((value for at, _kind, value in tokens if at >= start), "")
        if 0 <= start < len(query.rstrip()):
            return start, len(word) or 1, f"the query cannot be read from {word[:40]!r} on"
    except Exception:  # any other failure of the second parser: keep the first one's position
        return None
    return None
