"""The day a quote was reported: a whole publication day where the page gives one, else the night."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from pipelines.graph.quotes import reported_on

NIGHT = "2022-01-12"


@pytest.mark.parametrize(
    ("published", "day"),
    [
        (Literal("2022-01-10", datatype=XSD.date), "2022-01-10"),
        (Literal("2022-01-09T23:30:00+01:00", datatype=XSD.dateTime), "2022-01-09"),  # the day as written
        (Literal("2022-01", datatype=XSD.gYearMonth), NIGHT),  # a month places no quote in a week
        (Literal("2022", datatype=XSD.gYear), NIGHT),
        (Literal("gestern"), NIGHT),
        (None, NIGHT),
    ],
)
def test_a_quote_is_reported_on_its_articles_day_else_the_night(published: Literal | None, day: str) -> None:
    assert reported_on(published, NIGHT) == day
