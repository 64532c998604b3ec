"""The reflow rules' last word of a line: the same as the regex it replaces, without its quadratic search."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cleanup.reflow import _last_word

REGEX = re.compile(r"([\wÄÖÜäöüß-]+)\W*$")


def by_regex(line: str) -> str:
    match = REGEX.search(line)
    return match.group(1) if match else ""


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1_-. ,;:!?»«'\"äÖß\t(", max_size=30))
def test_the_last_word_is_what_the_regex_finds(line: str) -> None:
    assert _last_word(line) == by_regex(line)


def test_named_cases() -> None:
    assert _last_word("Das ist ein Satz-") == "Satz-"
    assert _last_word("foo -- .") == "foo"
    assert _last_word("-- ...") == "--"
    assert _last_word("...") == ""
    assert _last_word("Straße.") == "Straße"


def test_a_long_token_before_the_last_word() -> None:
    line = "a" * 20_000 + " b."  # the regex tries every start inside the long token, each to its end
    assert _last_word(line) == "b"
