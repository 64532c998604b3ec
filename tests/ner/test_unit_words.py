"""Currency and unit words are never entities (invented sentences, no model needed)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipelines.ner.components import NORMALIZER_FACTORY, EntityNormalizer
from pipelines.ner.units import is_unit_mention, parse_unit_words


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.blank("de")


def normalise(nlp: Language, sentence: str, ents: list[tuple[str, str]], **config: bool) -> list[tuple[str, str]]:
    """Tag ``ents`` (surface, raw model label) in the sentence, run the normaliser, return what it keeps."""
    words = sentence.split()
    doc = Doc(nlp.vocab, words=words)
    spans = []
    for surface, label in ents:
        parts = surface.split()
        start = next(i for i in range(len(words)) if words[i : i + len(parts)] == parts)
        spans.append(Span(doc, start, start + len(parts), label=label))
    doc.ents = spans
    normalizer = EntityNormalizer(nlp, NORMALIZER_FACTORY, {}, split_compounds=True, **config)
    return [(ent.text, ent.label_) for ent in normalizer(doc).ents]


def test_currency_and_percent_mentions_are_dropped(nlp: Language) -> None:
    sentence = "Die Deutsche Bank verlangt 100 Euro , 3 US-Dollar und 2 Prozent mehr ."
    ents = [("Deutsche Bank", "ORG"), ("Euro", "MISC"), ("US-Dollar", "MISC"), ("Prozent", "MISC")]
    assert normalise(nlp, sentence, ents) == [("Deutsche Bank", "ORG")]


def test_a_unit_cut_out_of_a_compound_is_dropped_too(nlp: Language) -> None:
    sentence = "Die Euro-Krise erreicht Athen ."
    assert normalise(nlp, sentence, [("Euro-Krise", "MISCpart"), ("Athen", "LOC")]) == [("Athen", "LOC")]


def test_names_containing_or_resembling_a_unit_stay(nlp: Language) -> None:
    sentence = "In Franken wirbt Mark Meter für die Euro-Zone ."
    ents = [("Franken", "LOC"), ("Mark Meter", "PER"), ("Euro-Zone", "LOC")]
    assert normalise(nlp, sentence, ents) == ents


def test_the_rule_can_be_switched_off(nlp: Language) -> None:
    sentence = "Das kostet 5 Euro ."
    assert normalise(nlp, sentence, [("Euro", "MISC")], drop_units=False) == [("Euro", "MISC")]


@pytest.mark.parametrize("text", ["Euro", "Euros", "EUR", "Dollars", "US‑Dollar", "Schweizer  Franken", "Tonnen", "€"])
def test_unit_words_match_case_plural_and_spacing(text: str) -> None:
    assert is_unit_mention(text)


@pytest.mark.parametrize("text", ["Europa", "Eurostat", "Franken", "Mark", "Dollar General", "Gradowski"])
def test_other_words_do_not_match(text: str) -> None:
    assert not is_unit_mention(text)


def test_a_custom_list_replaces_the_default() -> None:
    words = parse_unit_words("# comment\nSchilling\n")
    assert is_unit_mention("Schillinge", words) and not is_unit_mention("Euro", words)


def test_the_shipped_default_model_drops_units(default_nlp: Language) -> None:
    normalizer = default_nlp.get_pipe(NORMALIZER_FACTORY)
    assert isinstance(normalizer, EntityNormalizer) and normalizer.drop_units
    doc = default_nlp("Der Preis stieg um 3 Prozent auf 120 Euro, meldete die Deutsche Bahn in Berlin.")
    assert not [ent.text for ent in doc.ents if is_unit_mention(ent.text)]
    assert "Berlin" in [ent.text for ent in doc.ents]
