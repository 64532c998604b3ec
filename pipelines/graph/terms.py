"""Typed literals the graph needs, with clear errors for values that cannot become them."""

from __future__ import annotations

import re
from datetime import date, datetime

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from pipelines.days import utc_iso


class GraphBuildError(ValueError):
    """Input records that cannot become a valid graph (says which document and what was wrong)."""


_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|\\^`]")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def iri(value: str, what: str) -> URIRef:
    """An absolute IRI from a URL, checked by the store's own IRI parser.

    A URL the store would refuse must fail here, for its one article, rather than fail the
    publishing transaction of the whole night.
    """
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or _IRI_FORBIDDEN.search(value):
        raise GraphBuildError(f'{what} {value!r} is not an absolute IRI (no scheme, or spaces/<>"{{}}|\\^` in it)')
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise GraphBuildError(f"{what} {value!r} is not a valid IRI: {exc}") from exc
    return URIRef(value)


def language_code(value: str | None) -> str | None:
    """A BCP 47 code from a declared/detected language ("de_DE" -> "de-de"); ``None`` if unusable."""
    if not value:
        return None
    code = value.strip().replace("_", "-").lower()
    return code if _LANGUAGE.match(code) else None


def media_type(value: str) -> str:
    """The media type without parameters ("text/html; charset=utf-8" -> "text/html")."""
    return value.split(";", 1)[0].strip().lower()


def datetime_literal(value: str, what: str) -> Literal:
    """xsd:dateTime in UTC (``Z``), so every time in the graph compares and reads the same way; the value
    must carry its UTC offset."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise GraphBuildError(f"{what} {value!r} is not an ISO 8601 datetime") from exc
    if parsed.tzinfo is None:
        raise GraphBuildError(f"{what} {value!r} has no UTC offset (write e.g. 2026-01-31T02:00:00+00:00)")
    return Literal(utc_iso(parsed), datatype=XSD.dateTime)


def date_literal(value: str, what: str) -> Literal:
    try:
        parsed = date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise GraphBuildError(f"{what} {value!r} is not an ISO 8601 date (YYYY-MM-DD)") from exc
    return Literal(parsed.isoformat(), datatype=XSD.date)


def publication_date_literal(value: object) -> Literal | None:
    """The most precise xsd type a scraped publication date supports (year, month, day or datetime).

    Scraped metadata is often partial ("2022-01") or junk; junk gives ``None`` rather than an error,
    because a missing date is normal for news pages and must not block the article.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _YEAR.match(text):
        return Literal(text, datatype=XSD.gYear)
    if _YEAR_MONTH.match(text):
        return Literal(text, datatype=XSD.gYearMonth)
    if _DATE.match(text):
        try:
            return Literal(date.fromisoformat(text).isoformat(), datatype=XSD.date)
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return Literal(parsed.isoformat(), datatype=XSD.dateTime)


def count_literal(value: int, what: str) -> Literal:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GraphBuildError(f"{what} must be a non-negative integer, got {value!r}")
    return Literal(value, datatype=XSD.nonNegativeInteger)
