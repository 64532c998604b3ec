"""The mention-change report of a normaliser option (invented text, no model needed)."""

from __future__ import annotations

from newsgraph_tools.evaluate.ner_changes import mention_changes

TEXT = "Sturm an Nord- und Ostsee , Trump-Anhänger jubeln , Istanbul- Der Konflikt ."


def span(surface: str, label: str) -> tuple[int, int, str]:
    start = TEXT.index(surface)
    return start, start + len(surface), label


def test_each_change_is_classified_once() -> None:
    before = [span("Nord-", "LOC"), span("Ostsee", "LOC"), span("Trump", "ORG"), span("Istanbul-", "LOC")]
    after = [span("Ostsee", "LOC"), span("Trump", "PER"), span("Istanbul", "LOC"), span("Konflikt", "MISC")]
    changes = {(c["change"], c["before"], c["after"]) for c in mention_changes(TEXT, before, after)}
    assert changes == {
        ("dropped", "Nord- LOC", ""),
        ("retyped", "Trump ORG", "Trump PER"),
        ("respanned", "Istanbul- LOC", "Istanbul LOC"),
        ("added", "", "Konflikt MISC"),
    }


def test_unchanged_mentions_report_nothing_and_context_is_one_line() -> None:
    same = [span("Ostsee", "LOC")]
    assert mention_changes(TEXT, same, same) == []
    (change,) = mention_changes("A\n\nNord- und Ostsee", [(3, 8, "LOC")], [])
    assert "\n" not in change["context"] and "Nord-" in change["context"]
