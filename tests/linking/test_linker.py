"""Linking decisions on German sentences written for these tests, with the default index."""

from __future__ import annotations

import re
from typing import cast

import pytest

from pipelines.domain import EntityLabel, Mention
from pipelines.kb import KnowledgeBase
from pipelines.linking import Linker, LinkingError, nil_key


def mentions_of(text: str, *spans: tuple[str, EntityLabel]) -> list[Mention]:
    """Mentions for the given (surface, label) pairs, each at its next occurrence in ``text``."""
    result, position = [], 0
    for surface, label in spans:
        match = re.compile(re.escape(surface)).search(text, position)
        assert match, surface
        result.append(Mention(match.start(), match.end(), surface, label))
        position = match.end()
    return result


def test_inflected_names_link_to_their_items(default_kb: KnowledgeBase) -> None:
    text = "Die Forderungen Russlands und Moskaus Rhetorik beunruhigen die Europäischen Union und Estlands Regierung."
    linked = Linker(default_kb).link(
        text,
        mentions_of(text, ("Russlands", "LOC"), ("Moskaus", "LOC"), ("Europäischen Union", "ORG"), ("Estlands", "LOC")),
    )
    assert [m.qid for m in linked] == ["Q159", "Q649", "Q458", "Q191"]
    assert all(0.5 <= m.confidence <= 1.0 for m in linked)
    assert linked[0].entity_name == "Russland"


def test_case_variants_and_compound_modifiers_get_their_own_spans(default_kb: KnowledgeBase) -> None:
    text = "Die Nato-Staaten und der US-Außenminister reden über den Ukraine-Konflikt."
    ner = mentions_of(text, ("Nato-Staaten", "LOC"), ("US-Außenminister", "PER"), ("Ukraine-Konflikt", "MISC"))
    linked = Linker(default_kb).link(text, ner)
    assert [(m.text, m.qid, m.label) for m in linked] == [
        ("Nato", "Q7184", "ORG"),
        ("US", "Q30", "LOC"),
        ("Ukraine", "Q212", "LOC"),
    ]
    assert all(text[m.start : m.end] == m.text for m in linked)


def test_institution_compounds_stay_whole_and_share_one_nil_name(default_kb: KnowledgeBase) -> None:
    text = "Der Nato-Russland-Rat tagt. Die Sitzung des NATO-Russland-Rates war kurz. Die EU-Kommission schweigt."
    ner = mentions_of(text, ("Nato", "ORG"), ("NATO-Russland-Rates", "ORG"), ("EU-Kommission", "ORG"))
    linked = Linker(default_kb).link(text, ner)
    assert [m.text for m in linked] == ["Nato-Russland-Rat", "NATO-Russland-Rates", "EU-Kommission"]
    assert [m.qid for m in linked] == [None, None, "Q8880"]  # EU-Kommission: short for Europäische Kommission
    assert linked[0].entity_name == linked[1].entity_name == "Nato-Russland-Rat"
    assert nil_key(linked[0].text, "ORG") == nil_key(linked[1].text, "ORG")


def test_surname_links_to_the_person_named_in_full(default_kb: KnowledgeBase) -> None:
    text = "Stoltenberg warnt. Nato-Generalsekretär Jens Stoltenberg sagte, Stoltenberg bleibe hart."
    linked = Linker(default_kb).link(
        text, mentions_of(text, ("Stoltenberg", "PER"), ("Jens Stoltenberg", "PER"), ("Stoltenberg", "PER"))
    )
    assert {m.qid for m in linked} == {"Q57665"}
    assert {m.entity_name for m in linked} == {"Jens Stoltenberg"}


def test_unknown_person_surname_follows_its_nil_full_name(default_kb: KnowledgeBase) -> None:
    text = "Vize-Verteidigungsminister Alexander Fomin sprach. Fomin sagte nichts weiter."
    linked = Linker(default_kb).link(text, mentions_of(text, ("Alexander Fomin", "PER"), ("Fomin", "PER")))
    assert [m.qid for m in linked] == [None, None]
    assert linked[0].entity_name == linked[1].entity_name == "Alexander Fomin"


def test_titles_are_not_part_of_the_span(default_kb: KnowledgeBase) -> None:
    text = "Bundeskanzler Olaf Scholz reist nach Paris."
    linked = Linker(default_kb).link(text, mentions_of(text, ("Bundeskanzler Olaf Scholz", "PER"), ("Paris", "LOC")))
    assert [(m.text, m.qid) for m in linked] == [("Olaf Scholz", "Q61053"), ("Paris", "Q90")]


def test_metonymic_capital_links_to_the_city_and_prefers_it_over_namesakes(default_kb: KnowledgeBase) -> None:
    text = "Washington verlangt Garantien, Moskau fordert Zusagen."
    linked = Linker(default_kb).link(text, mentions_of(text, ("Washington", "LOC"), ("Moskau", "LOC")))
    assert [m.qid for m in linked] == ["Q61", "Q649"]
    assert "Q1223" in [c.qid for c in linked[0].candidates]  # the state it beat, with its lower score
    assert all(c.score < linked[0].confidence for c in linked[0].candidates)


def test_unknown_names_are_nil_with_a_normalised_name(default_kb: KnowledgeBase) -> None:
    text = "Im Südkaukasus und im Baltikum wächst die Sorge."
    linked = Linker(default_kb).link(text, mentions_of(text, ("Südkaukasus", "LOC"), ("Baltikum", "LOC")))
    assert [(m.qid, m.entity_name) for m in linked] == [(None, "Südkaukasus"), (None, "Baltikum")]
    assert all(m.confidence >= 0.95 for m in linked)  # nothing in the index even came close


def test_a_nil_surname_many_people_carry_is_a_less_certain_nil(default_kb: KnowledgeBase) -> None:
    text = "Müller sprach mit Xyzzyqa."
    linked = Linker(default_kb).link(text, mentions_of(text, ("Müller", "PER"), ("Xyzzyqa", "PER")))
    assert [m.qid for m in linked] == [None, None]
    assert linked[0].confidence < linked[1].confidence


def test_overlapping_ner_spans_are_flattened(default_kb: KnowledgeBase) -> None:
    text = "Die Organisation für Sicherheit und Zusammenarbeit in Europa (OSZE) tagt in Wien."
    ner = mentions_of(text, ("Organisation für Sicherheit und Zusammenarbeit in Europa", "ORG"))
    ner.append(Mention(text.index("Europa"), text.index("Europa") + 6, "Europa", "LOC"))
    ner += mentions_of(text, ("OSZE", "ORG"), ("Wien", "LOC"))
    linked = Linker(default_kb).link(text, ner)
    assert [m.qid for m in linked] == ["Q81299", "Q81299", "Q1741"]


def test_entity_info_comes_from_the_index(default_kb: KnowledgeBase) -> None:
    info = Linker(default_kb).entity_info("Q183")
    assert info is not None and info.label_de == "Deutschland" and info.type == "LOC"


def test_bad_mentions_and_modes_are_clear_errors(default_kb: KnowledgeBase) -> None:
    with pytest.raises(LinkingError, match=r"text\[0:4\] is 'Nato', not 'NATO'"):
        Linker(default_kb).link("Nato tagt.", [Mention(0, 4, "NATO", "ORG")])
    with pytest.raises(LinkingError, match="outside the text"):
        Linker(default_kb).link("Nato", [Mention(0, 9, "Nato tagt", "ORG")])
    with pytest.raises(LinkingError, match="needs a WikidataClient"):
        Linker(default_kb, mode="auto")
    with pytest.raises(LinkingError, match="not one of"):
        Linker(default_kb, mode="sometimes")


def test_other_romanisations_of_russian_and_ukrainian_names(default_kb: KnowledgeBase) -> None:
    text = "Sergej Lawrow traf Wolodymyr Selenskyj nicht."
    linked = Linker(default_kb).link(text, mentions_of(text, ("Sergej Lawrow", "PER"), ("Wolodymyr Selenskyj", "PER")))
    labels = [default_kb.get(m.qid).label_en if m.qid else None for m in linked]  # type: ignore[union-attr]
    assert labels == ["Sergey Lavrov", "Volodymyr Zelenskyy"]
    assert all(0.5 <= m.confidence < 0.9 for m in linked)  # a spelling variant is less certain


def test_bare_surname_links_only_when_one_prominent_person_has_it(default_kb: KnowledgeBase) -> None:
    text = "Merkel schweigt, Berdimuhamedow spricht, Pfeiffer nickt, Martin lacht."
    merkel, berdimuhamedow, pfeiffer, martin = Linker(default_kb).link(
        text,
        mentions_of(text, ("Merkel", "PER"), ("Berdimuhamedow", "PER"), ("Pfeiffer", "PER"), ("Martin", "PER")),
    )
    assert merkel.qid is not None and default_kb.get(merkel.qid).label_en == "Angela Merkel"  # type: ignore[union-attr]
    assert merkel.confidence < 0.6  # a bare surname is linked, but with a confidence one can filter out
    assert berdimuhamedow.qid is None and len(berdimuhamedow.candidates) == 2  # father and son: ambiguous
    assert pfeiffer.qid is None  # the only Pfeiffer in the index is no leader: a bare surname is not enough
    assert martin.qid is None and martin.candidates == []  # a common first name is not taken as a surname


def test_punctuation_the_ner_took_along_is_trimmed(default_kb: KnowledgeBase) -> None:
    text = "Die „Nato“ und (OSZE), dazu Nato- und EU-Staaten sowie Washington, D.C."
    ner = [
        Mention(4, 10, "„Nato“", "ORG"),
        Mention(15, 22, "(OSZE),", "ORG"),
        Mention(28, 33, "Nato-", "ORG"),
        Mention(38, 48, "EU-Staaten", "LOC"),
    ]
    start = text.index("Washington")
    ner.append(Mention(start, len(text), text[start:], "LOC"))
    linked = Linker(default_kb).link(text, ner)
    assert [(m.text, m.qid) for m in linked] == [
        ("Nato", "Q7184"),
        ("OSZE", "Q81299"),
        ("Nato", "Q7184"),
        ("EU", "Q458"),
        ("Washington, D.C.", "Q61"),
    ]


def test_soft_hyphens_do_not_hide_a_name(default_kb: KnowledgeBase) -> None:
    text = "Russ\u00adland und Est\u00adlands Nachbarn."
    linked = Linker(default_kb).link(text, [Mention(0, 9, text[:9], "LOC"), Mention(14, 23, text[14:23], "LOC")])
    assert [m.qid for m in linked] == ["Q159", "Q191"]


def test_unknown_labels_are_rejected(default_kb: KnowledgeBase) -> None:
    with pytest.raises(LinkingError, match="label 'GPE' is not one of PER, LOC, ORG, MISC"):
        Linker(default_kb).link("Berlin", [Mention(0, 6, "Berlin", cast(EntityLabel, "GPE"))])


def test_a_country_named_in_the_article_favours_its_places(default_kb: KnowledgeBase) -> None:
    alone = Linker(default_kb).link("Treffen in Genf.", [Mention(11, 15, "Genf", "LOC")])[0]
    text = "Treffen in Genf, Schweiz."
    with_country = Linker(default_kb).link(text, mentions_of(text, ("Genf", "LOC"), ("Schweiz", "LOC")))[0]
    assert alone.qid == with_country.qid == "Q71"
    assert with_country.confidence > alone.confidence  # context raised the score of the Swiss city


def test_double_names_are_not_cut(default_kb: KnowledgeBase) -> None:
    text = "Kramp-Karrenbauer besuchte Elsass-Lothringen und Sachsen-Anhalt, nicht die Baltikum-Staaten."
    ner = mentions_of(
        text,
        ("Kramp-Karrenbauer", "PER"),
        ("Elsass-Lothringen", "LOC"),
        ("Sachsen-Anhalt", "LOC"),
        ("Baltikum-Staaten", "LOC"),
    )
    linked = Linker(default_kb).link(text, ner)
    assert [m.text for m in linked] == [
        "Kramp-Karrenbauer",
        "Elsass-Lothringen",
        "Sachsen-Anhalt",
        "Baltikum",
    ]
    assert linked[2].qid is not None and default_kb.get(linked[2].qid).label_en == "Saxony-Anhalt"  # type: ignore[union-attr]


def test_spans_running_names_together_are_cut_into_the_names(default_kb: KnowledgeBase) -> None:
    text = (
        "Jens Stoltenberg Russland. Estlands Ministerpräsidentin kam. Die Halbinsel Krim. "
        "Ein Nato-Mitglied Estland. Andreas Michaelis blieb. Russland\n\nDanach."
    )
    ner = mentions_of(
        text,
        ("Jens Stoltenberg Russland", "PER"),
        ("Estlands Ministerpräsidentin", "PER"),
        ("Halbinsel Krim", "LOC"),
        ("Nato-Mitglied Estland", "ORG"),
        ("Andreas Michaelis", "PER"),
        ("Russland\n\n", "LOC"),
    )
    linked = Linker(default_kb).link(text, ner)
    assert [(m.text, m.label, m.qid) for m in linked] == [
        ("Jens Stoltenberg", "PER", "Q57665"),
        ("Russland", "LOC", "Q159"),
        ("Estlands", "LOC", "Q191"),
        ("Krim", "LOC", "Q15925436"),
        ("Nato", "ORG", "Q7184"),
        ("Estland", "LOC", "Q191"),
        ("Andreas Michaelis", "PER", None),
        ("Russland", "LOC", "Q159"),
    ]
    assert all(text[m.start : m.end] == m.text for m in linked)


def test_a_span_cut_short_is_widened_to_the_known_name(default_kb: KnowledgeBase) -> None:
    text = "Die Organisation für Sicherheit und Zusammenarbeit in Europa tagt. Von der Leyen kommt."
    ner = mentions_of(text, ("Europa", "LOC"), ("Leyen", "ORG"))
    linked = Linker(default_kb).link(text, ner)
    assert [(m.text, m.qid) for m in linked] == [
        ("Organisation für Sicherheit und Zusammenarbeit in Europa", "Q81299"),
        ("Von der Leyen", "Q60772"),
    ]


def test_spans_that_cannot_be_names_are_dropped(default_kb: KnowledgeBase) -> None:
    text = "Im französischen Brest auf der Halbinsel sprach der Generalsekretär mit der Allianz."
    ner = mentions_of(
        text,
        ("französischen", "LOC"),
        ("Brest", "LOC"),
        ("Halbinsel", "LOC"),
        ("Generalsekretär", "PER"),
        ("Allianz", "ORG"),
    )
    linked = Linker(default_kb).link(text, ner)
    assert [m.text for m in linked] == ["Brest", "Allianz"]
    assert linked[1].qid is None


def test_the_names_german_news_mentions_most_link_to_their_items(default_kb: KnowledgeBase) -> None:
    text = "In München stritten CDU, FDP und AfD über Europa. Die Grünen in Deutschland schwiegen, die Hamas drohte."
    ner = mentions_of(
        text,
        ("München", "LOC"),
        ("CDU", "ORG"),
        ("FDP", "ORG"),
        ("AfD", "ORG"),
        ("Europa", "LOC"),
        ("Die Grünen", "ORG"),
        ("Deutschland", "LOC"),
        ("Hamas", "ORG"),
    )
    linked = {m.text: m.qid for m in Linker(default_kb).link(text, ner)}
    assert linked == {
        "München": "Q1726",
        "CDU": "Q49762",
        "FDP": "Q13124",
        "AfD": "Q6721203",  # the party, not its Bundestag group
        "Europa": "Q46",
        "Die Grünen": "Q49766",  # the German party (named after the slash of "Bündnis 90/Die Grünen")
        "Deutschland": "Q183",
        "Hamas": "Q38799",
    }


def test_a_person_mention_never_links_to_a_place(default_kb: KnowledgeBase) -> None:
    text = "Obama sprach lange."
    (obama,) = Linker(default_kb).link(text, mentions_of(text, ("Obama", "PER")))
    assert obama.qid is None or default_kb.get(obama.qid).type == "PER"  # type: ignore[union-attr]


def test_fragments_of_longer_names_stay_nil(default_kb: KnowledgeBase) -> None:
    text = "Die Bank Austria zahlt. Beim FC Sevilla jubelte man. Die Umbenennung der Austria in SC Ostmark."
    ner = mentions_of(text, ("Bank", "LOC"), ("Sevilla", "LOC"), ("Austria", "LOC"))
    linked = Linker(default_kb).link(text, ner)
    assert [(m.text, m.qid) for m in linked] == [("Bank", None), ("Sevilla", None), ("Austria", None)]


def test_a_country_beside_a_name_is_not_a_fragment(default_kb: KnowledgeBase) -> None:
    text = "Zuvor hatte die EU-Kommission Griechenland gemahnt."
    linked = Linker(default_kb).link(text, mentions_of(text, ("EU-Kommission", "ORG"), ("Griechenland", "LOC")))
    assert [m.qid for m in linked] == ["Q8880", "Q41"]


def test_a_surname_typed_otherwise_follows_the_person_named_in_full(default_kb: KnowledgeBase) -> None:
    text = "Angela Merkel reiste ab. Merkel-Kritiker jubelten."
    ner = mentions_of(text, ("Angela Merkel", "PER"), ("Merkel-Kritiker", "ORG"))
    linked = Linker(default_kb).link(text, ner)
    assert [(m.text, m.label, m.qid) for m in linked] == [("Angela Merkel", "PER", "Q567"), ("Merkel", "PER", "Q567")]


def test_one_element_of_a_hyphen_coupled_name_stays_nil(default_kb: KnowledgeBase) -> None:
    text = "Er lernte an der Red-Bull-Akademie. Die Trump-Anhänger und der EU-Türkei-Deal."
    ner = mentions_of(text, ("Red", "ORG"), ("Trump", "PER"), ("EU", "ORG"), ("Türkei", "LOC"))
    linked = {m.text: m.qid for m in Linker(default_kb).link(text, ner)}
    assert linked["Red"] is None
    assert linked["Trump"] == "Q22686"  # the head "Anhänger" is no part of the name
    assert (linked["EU"], linked["Türkei"]) == ("Q458", "Q43")  # two well-known names, one compound


def test_a_place_after_an_institution_noun_is_part_of_the_institutions_name(default_kb: KnowledgeBase) -> None:
    text = "Forscher der Universität Tel Aviv fanden es. Die Staatsanwaltschaft Graz ermittelt."
    ner = mentions_of(text, ("Tel Aviv", "ORG"), ("Graz", "LOC"))
    linked = Linker(default_kb).link(text, ner)
    assert [(m.text, m.qid) for m in linked] == [("Tel Aviv", None), ("Graz", "Q13298")]


def test_foreign_and_brand_neighbours_make_fragments(default_kb: KnowledgeBase) -> None:
    text = "Air France streicht Flüge. Das iPad Pro verkauft sich schlecht."
    ner = mentions_of(text, ("France", "LOC"), ("Pro", "ORG"))
    assert [m.qid for m in Linker(default_kb).link(text, ner)] == [None, None]


def test_an_abbreviation_in_parentheses_names_the_same_item_as_the_name_before_it(default_kb: KnowledgeBase) -> None:
    text = "Wie die Financial Times (FT) berichtet, tagte die Europäische Kommission (EK) in Brüssel."
    ner = mentions_of(text, ("Financial Times", "ORG"), ("FT", "ORG"), ("Europäische Kommission", "ORG"), ("EK", "ORG"))
    linked = Linker(default_kb).link(text, ner)
    ft, commission = linked[1], linked[3]
    assert linked[0].qid is None and ft.qid is None  # an unknown name: its short form is no other item
    assert ft.entity_name == linked[0].entity_name
    assert commission.qid == linked[2].qid == "Q8880"


def test_an_acronym_is_not_a_place_spelled_as_a_word(default_kb: KnowledgeBase) -> None:
    text = "Sebastian Vettel (GER) fuhr vor. Laut APA gab es Verletzte."
    ner = mentions_of(text, ("GER", "ORG"), ("APA", "ORG"))
    assert [m.qid for m in Linker(default_kb).link(text, ner)] == [None, None]


def test_a_bare_common_given_name_links_to_nobody(default_kb: KnowledgeBase) -> None:
    text = "Das hat Max gesagt."
    (max_,) = Linker(default_kb).link(text, mentions_of(text, ("Max", "PER")))
    assert max_.qid is None


def test_the_city_wins_over_its_province_of_the_same_name(default_kb: KnowledgeBase) -> None:
    text = "Der Konflikt zwischen Ankara und Moskau."
    ner = mentions_of(text, ("Ankara", "LOC"), ("Moskau", "LOC"))
    assert [m.qid for m in Linker(default_kb).link(text, ner)] == ["Q3640", "Q649"]


def test_the_mentions_own_words_in_a_description_are_no_context(default_kb: KnowledgeBase) -> None:
    # "grüne politische Partei in Deutschland" shares only the mention's word and generic ones with
    # a report on a Vienna district election: the Austrian party, the more prominent one, wins.
    text = "In Währing liegen die Grünen vor der ÖVP. Die politische Lage der Partei ist gut."
    ner = mentions_of(text, ("Währing", "LOC"), ("die Grünen", "ORG"), ("ÖVP", "ORG"))
    linked = {m.text: m.qid for m in Linker(default_kb).link(text, ner)}
    assert linked["die Grünen"] == "Q193178"


def test_the_countries_of_the_articles_other_names_pick_among_namesakes(default_kb: KnowledgeBase) -> None:
    # No country is named: the German parties beside it make "die Grünen" the German party.
    text = "Die FDP und die Grünen streiten mit der CDU über den Haushalt."
    ner = mentions_of(text, ("FDP", "ORG"), ("die Grünen", "ORG"), ("CDU", "ORG"))
    assert [m.qid for m in Linker(default_kb).link(text, ner)] == ["Q13124", "Q49766", "Q49762"]
