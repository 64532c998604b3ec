"""Properties that must hold for any input: the cleaner removes and joins, it never rewrites words."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph_tools.evaluate.cleanup import tokens
from pipelines.cleanup import CleanupError, clean_text

SENTENCES = [
    "Der Stadtrat hat am Dienstag den Haushalt beschlossen.",
    "Die Opposition kritisierte die Pläne scharf, sagte ein Sprecher.",
    "„Wir müssen sparen“, sagte die Bürgermeisterin.",
    "Die Kosten liegen bei rund 40 Millionen Euro",
    "Neue Linie soll Pendler entlasten",
    "die Bauarbeiten beginnen im Frühjahr und dauern",
    "Teilen per:",
    "Foto: Max Muster/dpa",
    "Mehr zum Thema",
    "Zur Startseite",
    "12 Kommentare",
    "vor 3 Stunden",
    "0%1%2%3%4%5%6%7%8%9%10%",
    "Заголовок материала",
    "(dpa)",
    "",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3), min_size=1, max_size=12))
def test_output_words_come_from_the_input_in_order(parts: list[list[str]]) -> None:
    text = "\n".join(" ".join(p for p in line if p) for line in parts)
    try:
        doc = clean_text(text)
    except CleanupError:
        return  # all boilerplate (or empty): a clear error is the right answer
    output = doc.text
    assert not Counter(tokens(output)) - Counter(tokens(text))  # nothing invented
    source = text.splitlines()
    for block in doc.blocks:
        assert block.lines == sorted(block.lines)
        assert all(1 <= n <= len(source) for n in block.lines)
        joined = " ".join(source[n - 1].strip() for n in block.lines)
        assert block.text.split() == joined.split() or block.text in joined or tokens(block.text) <= tokens(joined)
    for removal in doc.removed:
        assert removal.category and removal.reason
