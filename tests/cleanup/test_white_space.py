"""Text compared between the page and the kept blocks has its white space collapsed by ``str.split``
(three times faster than a regex substitution): the same result as ``\\s+`` → one space, stripped,
for every kind of Unicode white space a page may hold."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from pipelines.cleanup.dom_furniture import element_text
from pipelines.cleanup.leads import normal

SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000"


def by_regex(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=SPACES + "aÄß.,\u200b", max_size=40))
def test_collapsed_like_the_regex(text: str) -> None:
    assert normal(text) == by_regex(text).lower()


def test_an_elements_text_is_collapsed_across_its_children() -> None:
    element = lxml_html.fromstring("<p>\u3000Ein\u00a0 <b>fetter</b>\n\tSatz\u2029 </p>")
    assert element_text(element) == by_regex(" ".join(element.itertext())) == "Ein fetter Satz"
