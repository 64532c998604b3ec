"""Checks on a SPARQL query's text before any engine sees it: size, nesting, federation, dataset.

oxigraph parses nested groups recursively (3,000 nested ``{`` overflow its stack and kill the
process) and follows every ``SERVICE`` IRI with an HTTP request from the server's own network. A
single linear scan of the query's tokens (comments, strings and IRIs skipped as whole tokens)
answers the questions asked here without a parser of our own: how deep the brackets go, which
``SERVICE`` endpoints are named, and whether a ``FROM`` clause chooses the dataset.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import pyoxigraph as ox

DEFAULT_MAX_LENGTH = 100_000  # characters
DEFAULT_MAX_DEPTH = 64  # nested (), {} and []; oxigraph's stack gives out in the low thousands

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'
              | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '(?:[^'\\\n]|\\.)*' | "(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:[\w:%\\.\-]*)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class QueryRejectedError(ValueError):
    """A query refused before evaluation; ``reason`` is a short machine-readable word for the log."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class QueryPolicy:
    """What a query may be: its length, its bracket depth, and the federated endpoints it may call."""

    max_length: int = DEFAULT_MAX_LENGTH
    max_depth: int = DEFAULT_MAX_DEPTH
    allowed_services: frozenset[str] = field(default_factory=frozenset)  # exact endpoint IRIs


@dataclass(frozen=True)
class QueryShape:
    """What the scan found: the deepest nesting, the ``SERVICE`` endpoints, whether ``FROM`` is used."""

    depth: int
    services: tuple[str, ...]
    has_dataset_clause: bool


def _unescape(sparql: str) -> str:
    """SPARQL's codepoint escapes, which apply to the whole query text before it is parsed."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)


def scan(sparql: str) -> QueryShape:
    """One pass over the tokens; raises nothing (unknown characters are left for the engine to refuse)."""
    text = _unescape(sparql)
    depth = deepest = 0
    prefixes: dict[str, str] = {}
    base = ""
    services: list[str] = []
    dataset = False
    previous: list[tuple[str, str]] = []  # the last two significant tokens
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        value = match.group()
        if kind in ("space", "comment"):
            continue
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        last = previous[-1] if previous else ("", "")
        if kind == "word" and value.upper() == "FROM":
            dataset = True
        elif kind == "iri" and last[0] == "pname" and _is_word(previous[:1], "PREFIX"):
            prefixes[last[1][:-1]] = urljoin(base, value[1:-1])
        elif kind == "iri" and _is_word([last], "BASE"):
            base = urljoin(base, value[1:-1])
        silent = kind == "word" and value.upper() == "SILENT"
        if (_is_word([last], "SERVICE") and not silent) or (
            _is_word([last], "SILENT") and _is_word(previous[:1], "SERVICE")
        ):
            services.append(_endpoint(kind, value, prefixes, base))
        previous = [*previous[-1:], (kind, value)]
    return QueryShape(deepest, tuple(services), dataset)


def _is_word(tokens: list[tuple[str, str]], word: str) -> bool:
    return bool(tokens) and tokens[0][0] == "word" and tokens[0][1].upper() == word


def _endpoint(kind: str, value: str, prefixes: dict[str, str], base: str) -> str:
    """The endpoint IRI a SERVICE token names, or a marker that can never be allowed (a variable…)."""
    if kind == "iri":
        return urljoin(base, value[1:-1])
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return f"(not an IRI: {value})"


def check_query(sparql: str, policy: QueryPolicy) -> QueryShape:
    """The query's shape, or QueryRejectedError saying which limit it breaks."""
    if len(sparql) > policy.max_length:
        raise QueryRejectedError(
            "too_long", f"the query has {len(sparql)} characters; the limit is {policy.max_length}"
        )
    shape = scan(sparql)
    if shape.depth > policy.max_depth:
        raise QueryRejectedError(
            "too_deep", f"the query nests brackets {shape.depth} deep; the limit is {policy.max_depth}"
        )
    refused = [s for s in shape.services if s not in policy.allowed_services]
    if refused:
        allowed = ", ".join(sorted(policy.allowed_services)) or "none"
        raise QueryRejectedError(
            "federation", f"SERVICE {refused[0]} is not an allowed federated endpoint (allowed: {allowed})"
        )
    return shape


def dataset_arguments(
    sparql: str, default_graph: Sequence[str] = (), named_graphs: Sequence[str] = ()
) -> dict[str, Any]:
    """pyoxigraph ``Store.query`` dataset arguments with SPARQL 1.1 semantics.

    The protocol's ``default-graph-uri``/``named-graph-uri`` replace the query's own dataset (a
    missing list is empty); else ``FROM``/``FROM NAMED`` in the query decide; only a query with
    neither sees the union of the named graphs as its default graph.
    """
    if default_graph or named_graphs:
        return {
            "use_default_graph_as_union": False,
            "default_graph": [ox.NamedNode(g) for g in default_graph],
            "named_graphs": [ox.NamedNode(g) for g in named_graphs],
        }
    return {"use_default_graph_as_union": not scan(sparql).has_dataset_clause}
