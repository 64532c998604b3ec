"""Span repair at hyphen and word boundaries, and name parts typed as their article types them."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipelines.ner.components import NORMALIZER_FACTORY, EntityNormalizer
from pipelines.ner.part_types import is_club_role
from pipelines.ner.spans import repair_spans, widen_to_word

HYPHENS = "-\u2010\u2011"


def spans_of(text: str, surfaces: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, label) of each surface's first occurrence in ``text``."""
    return [(text.index(s), text.index(s) + len(s), label) for s, label in surfaces]


def repaired(text: str, surfaces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(text[a:b], label) for a, b, label in repair_spans(text, spans_of(text, surfaces))]


@pytest.mark.parametrize(
    ("text", "surfaces", "expected"),
    [
        (
            "Exporte nach Mittel- und Südamerika",
            [("Mittel-", "LOC"), ("Südamerika", "LOC")],
            [("Südamerika", "LOC")],
        ),
        ("Sturm an Nord- und Ostsee", [("Nord-", "LOC"), ("Ostsee", "LOC")], [("Ostsee", "LOC")]),
        ("in Nord-, Mittel- und Südamerika", [("Nord-", "LOC"), ("Südamerika", "LOC")], [("Südamerika", "LOC")]),
        ("Ober- oder Niederösterreich", [("Ober-", "LOC")], []),
    ],
)
def test_truncated_place_conjuncts_are_dropped(
    text: str, surfaces: list[tuple[str, str]], expected: list[tuple[str, str]]
) -> None:
    assert repaired(text, surfaces) == expected


@pytest.mark.parametrize(
    ("text", "truncated", "whole"),
    [
        (
            "laut Schweizer Buchhändler- und Verlegerverband).",
            "Schweizer Buchhändler-",
            "Schweizer Buchhändler- und Verlegerverband",
        ),
        ("Die Handels-, Gewerbe- und Verkehrskammer tagt.", "Handels-", "Handels-, Gewerbe- und Verkehrskammer"),
    ],
)
def test_a_truncated_organisation_is_extended_over_its_coordination(text: str, truncated: str, whole: str) -> None:
    assert repaired(text, [(truncated, "ORG")]) == [(whole, "ORG")]


@pytest.mark.parametrize(
    ("text", "surfaces", "expected"),
    [
        (
            "Volks- und Raiffeisenbanken melden",
            [("Volks-", "ORG"), ("Raiffeisenbanken", "ORG")],
            "Volks- und Raiffeisenbanken",
        ),
        (
            "Notariats- und Rechtsanwaltskammer Wien",
            [("Notariats-", "ORG"), ("Rechtsanwaltskammer Wien", "ORG")],
            "Notariats- und Rechtsanwaltskammer Wien",
        ),
    ],
)
def test_a_truncated_organisation_takes_in_the_organisation_it_is_coordinated_with(
    text: str, surfaces: list[tuple[str, str]], expected: str
) -> None:
    assert repaired(text, surfaces) == [(expected, "ORG")]


@pytest.mark.parametrize(
    ("text", "surfaces", "kept"),
    [
        ("Forscher der San-Luis-Obispo- und der North-Carolina-Universität", [("San-Luis-Obispo-", "ORG")], []),
        ("die BMW- und Daimler-Chefs", [("BMW-", "ORG"), ("Daimler", "ORG")], [("Daimler", "ORG")]),
        ("Sturm- und Ostsee-Wetter", [("Sturm-", "ORG"), ("Ostsee", "LOC")], [("Ostsee", "LOC")]),
    ],
)
def test_an_organisation_coordination_stops_at_lower_case_a_compound_part_or_another_type(
    text: str, surfaces: list[tuple[str, str]], kept: list[tuple[str, str]]
) -> None:
    assert repaired(text, surfaces) == kept


def test_a_truncated_name_of_several_words_keeps_the_name() -> None:
    text = "ein Windows 7- oder Windows 8.1-System"
    assert repaired(text, [("Windows 7-", "MISC")]) == [("Windows 7", "MISC")]


def test_a_dash_glued_to_a_name_is_cut_off() -> None:
    text = "Frankfurt am Main- Die AUA-Mutter Lufthansa startet. Istanbul- Der Konflikt"
    assert repaired(text, [("Frankfurt am Main-", "LOC"), ("Istanbul-", "LOC")]) == [
        ("Frankfurt am Main", "LOC"),
        ("Istanbul", "LOC"),
    ]


def test_a_trailing_slash_or_bracket_is_cut_off() -> None:
    text = "der BIG (BIG Business) am Grenzübergang Kufstein/Kiefersfelden"
    assert repaired(text, [("BIG (", "ORG"), ("Kufstein/", "LOC")]) == [("BIG", "ORG"), ("Kufstein", "LOC")]


def test_a_span_inside_a_word_is_widened_to_the_word() -> None:
    text = "Dürre in Mittelamerika und bei Merkels Besuch"
    assert repaired(text, [("Mittel", "LOC"), ("Merkel", "PER")]) == [("Mittelamerika", "LOC"), ("Merkels", "PER")]


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("Er flog mit der Marine One nach Camp David.", [("Marine One", "MISC"), ("Camp David", "LOC")]),
        ("Volks- und Raiffeisenbanken melden Gewinne.", [("Volks- und Raiffeisenbanken", "ORG")]),
        ("Die Nato-Staaten und die US-Behörden", [("Nato", "ORG"), ("US", "LOC")]),
        ("Mittelamerika leidet, Nordrhein-Westfalen auch.", [("Mittelamerika", "LOC"), ("Nordrhein-Westfalen", "LOC")]),
        ("Inc. und Co. KG", [("Inc.", "ORG")]),
    ],
)
def test_whole_names_stay_as_they_are(text: str, surfaces: list[tuple[str, str]]) -> None:
    assert repaired(text, surfaces) == surfaces


def test_widening_stops_at_hyphens_and_spaces() -> None:
    text = "Trump-Anhänger"
    assert widen_to_word(text, 0, 5) == (0, 5)
    assert widen_to_word("ab Mittelamerika", 3, 9) == (3, 16)


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("de")


def normalise(nlp: Language, sentence: str, ents: list[tuple[int, int, str]], **config: bool) -> list[tuple[str, str]]:
    """Run the normaliser over the sentence's space-separated words with raw model spans (word start, end, label)."""
    doc = Doc(nlp.vocab, words=sentence.split())
    doc.ents = [Span(doc, a, b, label=label) for a, b, label in ents]
    normalizer = EntityNormalizer(nlp, NORMALIZER_FACTORY, {}, split_compounds=True, **config)
    return [(ent.text, ent.label_) for ent in normalizer(doc).ents]


TRUMP = "Die Trump-Anhänger jubelten . Donald Trump schwieg , Trump auch ."


def test_a_name_part_takes_the_type_the_article_gives_the_name(blank: Language) -> None:
    ents = [(1, 2, "ORGpart"), (4, 6, "PER"), (8, 9, "PER")]
    assert normalise(blank, TRUMP, ents)[0] == ("Trump", "PER")


def test_a_surname_of_a_person_mention_counts(blank: Language) -> None:
    assert normalise(blank, TRUMP, [(1, 2, "ORGpart"), (4, 6, "PER")])[0] == ("Trump", "PER")


def test_part_typing_can_be_switched_off(blank: Language) -> None:
    ents = [(1, 2, "ORGpart"), (4, 6, "PER")]
    assert normalise(blank, TRUMP, ents, consistent_parts=False)[0] == ("Trump", "ORG")


@pytest.mark.parametrize(
    ("sentence", "ents", "expected"),
    [
        # no whole mention of the name: the model's type stays
        ("Die Trump-Anhänger jubelten .", [(1, 2, "ORGpart")], ("Trump", "ORG")),
        # the article agrees with the model
        ("Die Nato-Staaten und die Nato .", [(1, 2, "ORGpart"), (4, 5, "ORG")], ("Nato", "ORG")),
        # a tie between whole mentions is no signal
        (
            "Die Jordan-Krise : Jordan sagt , Jordan liegt",
            [(1, 2, "LOCpart"), (3, 4, "PER"), (6, 7, "LOC")],
            ("Jordan", "LOC"),
        ),
        # an institution compound is a whole name, not a part
        ("Die EU-Kommission und die EU .", [(1, 2, "LOCpart"), (4, 5, "LOC")], ("EU-Kommission", "ORG")),
        # a first name is no surname
        ("Die Donald-Show mit Donald Trump", [(1, 2, "MISCpart"), (3, 5, "PER")], ("Donald", "MISC")),
    ],
)
def test_look_alikes_keep_their_type(
    blank: Language, sentence: str, ents: list[tuple[int, int, str]], expected: tuple[str, str]
) -> None:
    assert normalise(blank, sentence, ents)[0] == expected


def test_a_club_before_a_club_role_stays_an_organisation(blank: Language) -> None:
    sentence = "Der Köln-Trainer lobte . In Köln regnet es , Köln feiert ."
    assert normalise(blank, sentence, [(1, 2, "ORGpart"), (5, 6, "LOC"), (9, 10, "LOC")])[0] == ("Köln", "ORG")


def test_a_place_before_another_head_follows_the_article(blank: Language) -> None:
    sentence = "Die Köln-Reisen fallen aus . In Köln regnet es ."
    assert normalise(blank, sentence, [(1, 2, "ORGpart"), (6, 7, "LOC")])[0] == ("Köln", "LOC")


def test_a_person_before_a_club_role_still_takes_the_article_type(blank: Language) -> None:
    sentence = "Die Buffett-Fans jubeln . Warren Buffett lächelt ."
    assert normalise(blank, sentence, [(1, 2, "ORGpart"), (4, 6, "PER")])[0] == ("Buffett", "PER")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Trainer", True),
        ("Fans", True),
        ("Innenverteidiger", True),
        ("Profis", True),
        ("Reisen", False),
        ("Anhänger", False),
        ("Spiel", False),
    ],
)
def test_club_roles_match_the_end_of_the_head_with_inflection(head: str, expected: bool) -> None:
    assert is_club_role(head) is expected


def test_the_default_model_drops_truncated_conjuncts(default_nlp: Language) -> None:
    doc = default_nlp("Die Exporte nach Mittel- und Südamerika stiegen, an Nord- und Ostsee stürmte es.")
    found = [(ent.text, ent.label_) for ent in doc.ents]
    assert ("Südamerika", "LOC") in found and ("Ostsee", "LOC") in found
    assert not [text for text, _ in found if text[-1] in HYPHENS or text in ("Mittel", "Nord")]


def test_the_default_model_types_a_part_like_its_article(default_nlp: Language) -> None:
    doc = default_nlp("Die Trump-Anhänger stürmten das Kapitol. Donald Trump schwieg lange.")
    assert [(e.text, e.label_) for e in doc.ents if e.text == "Trump"] == [("Trump", "PER")]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Mittelamerika leidet unter der Dürre.", "Mittelamerika"),
        ("Die Nato-Staaten berieten in Brüssel.", "Nato"),
        ("Er flog mit der Marine One nach Camp David.", "Marine One"),
    ],
)
def test_the_default_model_leaves_look_alikes_alone(default_nlp: Language, sentence: str, name: str) -> None:
    """Whole words and names with a hyphenated compound come out of the repair as the model found them
    (the repair only acts on a span cut at a hyphen or inside a word), never cut."""
    normalizer = default_nlp.get_pipe(NORMALIZER_FACTORY)
    assert isinstance(normalizer, EntityNormalizer)
    repaired = [(ent.text, ent.label_) for ent in default_nlp(sentence).ents]
    normalizer.repair_spans = False
    try:
        plain = [(ent.text, ent.label_) for ent in default_nlp(sentence).ents]
    finally:
        normalizer.repair_spans = True
    assert repaired == plain
    assert any(name in text for text, _ in repaired)
    assert not [text for text, _ in repaired if text[-1] in HYPHENS]


def test_the_default_model_keeps_an_organisation_coordination_whole(default_nlp: Language) -> None:
    found = [(ent.text, ent.label_) for ent in default_nlp("Volks- und Raiffeisenbanken melden Gewinne.").ents]
    assert found == [("Volks- und Raiffeisenbanken", "ORG")]


def test_span_repair_can_be_switched_off_for_germeval_scoring(default_nlp: Language) -> None:
    normalizer = default_nlp.get_pipe(NORMALIZER_FACTORY)
    assert isinstance(normalizer, EntityNormalizer) and normalizer.repair_spans
    normalizer.repair_spans = False
    try:
        found = [ent.text for ent in default_nlp("Sturm an Nord- und Ostsee.").ents]
    finally:
        normalizer.repair_spans = True
    assert "Nord-" in found
