"""Properties that hold for any input: spans stay inside the text, flat and exact; keys ignore case."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.domain import ENTITY_LABELS, Mention
from pipelines.kb import KnowledgeBase
from pipelines.linking import Linker, nil_key

WORDS = [
    "Nato",
    "NATO-Russland-Rat",
    "Russlands",
    "US-Außenminister",
    "Stoltenberg",
    "„Moskau“",
    "Europa",
    "Baltikum-Staaten",
    "Jens Stoltenberg",
    "Nato-",
    "EU-Kommission",
    "(OSZE)",
    "Washington, D.C.",
    "der",
    "und",
    "Krise",
    "Soft\u00adhyphen",
    "Ost-Ukraine",
    "Schwarzen Meer",
    "-",
    "–",
    " ",
    ".",
]


@st.composite
def article(draw: st.DrawFn) -> tuple[str, list[Mention]]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
    text = " ".join(words)
    mentions = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 25)))
        mentions.append(Mention(start, end, text[start:end], draw(st.sampled_from(ENTITY_LABELS))))
    return text, mentions


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(article())
def test_linked_spans_are_exact_flat_and_inside_the_text(
    default_kb: KnowledgeBase, case: tuple[str, list[Mention]]
) -> None:
    text, mentions = case
    linked = Linker(default_kb).link(text, mentions)
    previous_end = 0
    for m in linked:
        assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.text
        assert m.start >= previous_end
        previous_end = m.end
        assert 0.0 <= m.confidence <= 1.0 and m.entity_name
        assert (m.qid is None) or (m.qid.startswith("Q") and default_kb.get(m.qid) is not None)


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß- ", min_size=1, max_size=30),
    st.sampled_from(ENTITY_LABELS),
)
def test_nil_key_ignores_case(name: str, label: str) -> None:
    assert nil_key(name, label) == nil_key(name.upper(), label) == nil_key(name.title(), label)
