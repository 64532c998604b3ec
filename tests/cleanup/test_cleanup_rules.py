"""Unit tests of the generic rules on German news text the seeds do not contain."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cleanup import clean_text, load_profiles
from pipelines.cleanup.agency import split_trailing_tag, standalone_tag
from pipelines.cleanup.bylines import publisher_from_copyright
from pipelines.cleanup.captions import caption_hit, credit_text
from pipelines.cleanup.dates import parse_date
from pipelines.cleanup.reflow import is_wrapped, join_lines
from pipelines.cleanup.rules import line_hit
from pipelines.cleanup.script import detect_language, foreign_script

BODY = (
    "Der Stadtrat hat am Dienstagabend mit großer Mehrheit beschlossen, die Straßenbahnlinie bis zum "
    "neuen Wohngebiet im Norden der Stadt zu verlängern. Die Bauarbeiten sollen im Frühjahr beginnen."
)
BODY2 = (
    "Die Kosten von rund 40 Millionen Euro trägt zum größten Teil das Land. Kritik kam von der "
    "Opposition, die eine Buslinie für ausreichend hält und vor steigenden Schulden warnt."
)


def _wrapped(line: str, following: str) -> bool:
    return is_wrapped(line, following, inside_paragraph=False)[0]


def _by_category(text: str) -> dict[str, list[str]]:
    doc = clean_text(text)
    found: dict[str, list[str]] = {}
    for removal in doc.removed:
        found.setdefault(removal.category, []).append(removal.text.strip())
    return found


# --- hard-wrap reflow -------------------------------------------------------------------------


def test_wrapped_lines_join_into_one_paragraph() -> None:
    text = (
        "Der Stadtrat hat am Dienstagabend mit großer Mehrheit beschlossen, die\n"
        "Straßenbahnlinie bis zum neuen Wohngebiet im Norden der Stadt zu\n"
        "verlängern. Die Bauarbeiten sollen im Frühjahr beginnen.\n"
    )
    doc = clean_text(text)
    assert [b.text for b in doc.blocks] == [BODY]
    assert doc.blocks[0].lines == [1, 2, 3]


def test_heading_between_paragraphs_is_not_joined() -> None:
    text = f"{BODY}\nOpposition kritisiert die Pläne\n{BODY2}\n"
    doc = clean_text(text)
    assert [(b.type, b.text) for b in doc.blocks] == [
        ("body", BODY),
        ("heading", "Opposition kritisiert die Pläne"),
        ("body", BODY2),
    ]


def test_heading_ending_in_a_verb_stays_a_heading() -> None:
    assert not _wrapped("Stadt will Straßenbahn bis ins Neubaugebiet verlängern", BODY)


def test_break_after_article_or_adjective_is_a_wrap() -> None:
    assert _wrapped("Die Kosten trägt zum größten Teil das Land, sagte der", "Bürgermeister am Abend.")
    line = "Hintergrund der Entscheidung waren Beschwerden über die überfüllten"
    assert _wrapped(line, "Busse auf der Strecke in den Norden der Stadt.")


def test_lower_case_continuation_joins_and_sentence_end_breaks() -> None:
    assert _wrapped("Die Nato", "hat ihre Bereitschaft betont.")
    assert not _wrapped("Das ist ein ganzer Satz.", "und das hier fängt klein an")


def test_hyphenated_line_breaks_are_mended() -> None:
    assert join_lines(["Die Wirtschafts-", "sanktionen wirken."]) == "Die Wirtschaftssanktionen wirken."
    assert join_lines(["Die Nato-", "Staaten beraten."]) == "Die Nato-Staaten beraten."
    assert join_lines(["Ein-", "und Ausreise"]) == "Ein- und Ausreise"


# --- one-line rules ----------------------------------------------------------------------------


def test_progress_runs() -> None:
    run = "".join(f"{i}%" for i in range(101))
    assert _by_category(f"{BODY}\n{run}\n")["progress"] == [run]
    hit = line_hit("10 % 20 % 30 % 40 % 50 %")
    assert hit is not None and hit.category == "progress"


def test_cyrillic_widget_text_in_a_german_article() -> None:
    found = _by_category(f"{BODY}\nПоследние новости\n{BODY2}\n")
    assert found["widget_cyrillic"] == ["Последние новости"]
    assert foreign_script("Заголовок открываемого материала", "LATIN") == "CYRILLIC"
    assert foreign_script("Überschrift mit Umlauten äöüß", "LATIN") is None


def test_cyrillic_is_not_foreign_in_a_russian_article() -> None:
    russian = (
        "Генеральный секретарь НАТО заявил во вторник, что альянс готов к диалогу с Россией. "
        "Переговоры должны пройти в Брюсселе на следующей неделе, сообщили дипломаты."
    )
    assert detect_language(russian) == "ru"
    doc = clean_text(russian + "\n" + russian)
    assert not any(r.category == "widget_cyrillic" for r in doc.removed)


def test_trailing_agency_tag_moves_to_metadata() -> None:
    doc = clean_text(f"{BODY}\n\n{BODY2} (dpa/lni)\n")
    assert doc.blocks[-1].text == BODY2
    assert [(r.category, r.text, r.line) for r in doc.removed] == [("agency_tag", "(dpa/lni)", 3)]
    assert doc.metadata["agency"] == "dpa"
    assert split_trailing_tag("Er sagte es (SPD).") == ("Er sagte es (SPD).", None, None)
    assert standalone_tag("dpa/AFP") == "dpa"
    assert standalone_tag("Mit Material von dpa und AFP") == "dpa"


def test_caption_credits() -> None:
    hit = caption_hit("Der Bürgermeister (li.) bei der Eröffnung. Foto: Max Beispiel/dpa")
    assert hit and hit.category == "caption" and hit.metadata["credits"] == ["Max Beispiel/dpa"]
    hit = caption_hit("© picture alliance / Jane DoeDer Bürgermeister bei der Eröffnung")
    assert hit and hit.category == "credit_caption"
    assert hit.metadata["credits"] == ["picture alliance / Jane Doe"]
    hit = caption_hit("Straßenbahn in der Innenstadt (Archiv)")
    assert hit is not None and hit.category == "caption"
    assert caption_hit(BODY) is None
    assert credit_text("AP Photo / Francisco SecoNato") == "AP Photo / Francisco Seco"


def test_caption_line_between_paragraphs_is_removed_with_credit() -> None:
    doc = clean_text(f"{BODY}\nBauarbeiter an der Haltestelle Nordpark. Bild: Stadtwerke\n{BODY2}\n")
    assert [b.text for b in doc.blocks] == [BODY, BODY2]
    assert doc.metadata["credits"] == ["Stadtwerke"]


def test_footer_navigation_share_subscribe_video() -> None:
    text = (
        f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\n  • Teilen per:\n"
        f"Facebook Twitter WhatsApp E-Mail\nVideo 02:15 So sieht die neue Strecke aus\n{BODY2}\n"
        "Newsletter abonnieren\n© Beispiel Verlag GmbH 2024. Alle Rechte vorbehalten.\n"
        "Zurück zur Startseite\nImpressum Datenschutz AGB\n"
    )
    found = _by_category(text)
    assert found["share"] == ["• Teilen per:", "Facebook Twitter WhatsApp E-Mail"]
    assert found["video"] == ["Video 02:15 So sieht die neue Strecke aus"]
    assert found["subscribe"] == ["Newsletter abonnieren"]
    assert found["footer_copyright"] == ["© Beispiel Verlag GmbH 2024. Alle Rechte vorbehalten."]
    assert found["navigation"] == ["Zurück zur Startseite", "Impressum Datenschutz AGB"]
    doc = clean_text(text)
    assert [b.type for b in doc.blocks] == ["title", "lead", "body"]
    assert publisher_from_copyright("© Beispiel Verlag GmbH – Alle Rechte vorbehalten") == "Beispiel Verlag"


def test_comment_section_runs_to_the_end() -> None:
    text = (
        f"{BODY}\n{BODY2}\n12 Kommentare\nStadtkind77\nvor 3 Stunden\n"
        "Endlich! Darauf warten wir seit Jahren.\nAntworten\nNordlicht\nvor 2 Stunden\n"
        "viel zu teuer, das geld fehlt woanders.\n"
    )
    doc = clean_text(text)
    assert doc.text == f"{BODY}\n\n{BODY2}"
    assert {r.category for r in doc.removed} == {"comments"}
    assert len(doc.removed) == 8


def test_related_articles_box_and_trailing_teasers() -> None:
    text = (
        f"{BODY}\nMehr zum Thema\nBusse fahren ab Montag im Takt von zehn Minuten\n"
        f"Stadtwerke erhöhen die Preise\n{BODY2}\nDas könnte Sie auch interessieren\n"
        "Neues Schwimmbad öffnet im Sommer\nWeihnachtsmarkt beginnt früher\n"
    )
    doc = clean_text(text)
    assert doc.text == f"{BODY}\n\n{BODY2}"
    assert {r.category for r in doc.removed} == {"teaser"}


def test_image_of_a_linked_article_inside_the_body_is_a_teaser() -> None:
    text = (
        f"{BODY}\nDer Bahnhof im Norden der Stadt am 3. Mai - Stadtkurier, 1280, 04.05.2024\n"
        f"Neue Linie soll Pendler entlasten\n{BODY2}\n"
    )
    doc = clean_text(text)
    assert doc.text == f"{BODY}\n\n{BODY2}"
    assert [r.category for r in doc.removed] == ["teaser", "teaser"]


def test_login_registration_byline_dateline() -> None:
    text = (
        "Registrierung erfolgreich abgeschlossen!\nVon Anna Beispiel und Jonas Muster\n"
        f"Stand: 04.05.2024, 12:30 Uhr\n{BODY}\nBitte melden Sie sich an, um zu kommentieren.\n"
    )
    found = _by_category(text)
    assert found["registration"] == ["Registrierung erfolgreich abgeschlossen!"]
    assert found["byline"] == ["Von Anna Beispiel und Jonas Muster"]
    assert found["dateline"] == ["Stand: 04.05.2024, 12:30 Uhr"]
    assert found["login"] == ["Bitte melden Sie sich an, um zu kommentieren."]
    doc = clean_text(text)
    assert doc.metadata["author"] == "Anna Beispiel und Jonas Muster"
    assert doc.metadata["date"] == "2024-05-04"


def test_quotes_and_words_are_untouched() -> None:
    quote = '„Wir haben lange genug gewartet“, sagte eine Anwohnerin. "Jetzt muss es schnell gehen."'
    doc = clean_text(f"{BODY}\n{quote}\n")
    assert doc.blocks[1].text == quote


def test_dates() -> None:
    assert parse_date("12.01.2022") == "2022-01-12"
    assert parse_date("am 3. Mai 2024") == "2024-05-03"
    assert parse_date("2022-01") == "2022-01"


def test_profiles_add_outlet_patterns_as_data(tmp_path: Path) -> None:
    (tmp_path / "stadtkurier.yaml").write_text(
        "name: Stadtkurier\npublisher: Stadtkurier Verlag\nhosts: [stadtkurier.example]\n"
        "rules:\n  - category: subscribe\n    pattern: '^Kurier-Vorteilswelt$'\n"
        "    reason: reader club promo\n",
        encoding="utf-8",
    )
    registry = load_profiles(tmp_path)
    text = f"{BODY}\nKurier-Vorteilswelt\n{BODY2}\n"
    plain = clean_text(text, profiles=registry)
    assert "Kurier-Vorteilswelt" in plain.text  # the host is unknown: no outlet pattern applies
    doc = clean_text(text, url="https://www.stadtkurier.example/a/1", profiles=registry)
    assert [(r.category, r.reason) for r in doc.removed] == [("subscribe", "Stadtkurier: reader club promo")]
    assert doc.metadata["site"] == "Stadtkurier"


def test_shipped_profiles_load() -> None:
    registry = load_profiles(Path(__file__).resolve().parents[2] / "data" / "profiles")
    assert len(registry) >= 5
    assert [p.name for p in registry.match("https://www.zeit.de/politik/x", "")] == ["ZEIT ONLINE"]


def test_fixed_width_wrapped_text_keeps_headings() -> None:
    import textwrap

    paragraphs = [
        BODY + " Die Arbeiten dauern voraussichtlich zwei Jahre.",
        "Stadt will Straßenbahn bis ins Neubaugebiet verlängern",
        BODY2 + " Der Haushalt sei ohnehin knapp, hieß es.",
    ]
    text = "\n".join(line for p in paragraphs for line in textwrap.wrap(p, 72))
    doc = clean_text(text)
    assert [(b.type, b.text) for b in doc.blocks] == [
        ("body", paragraphs[0]),
        ("heading", paragraphs[1]),
        ("body", paragraphs[2]),
    ]


def test_kicker_joins_the_title_and_lead_is_typed() -> None:
    text = f"Nahverkehr\nStraßenbahn kommt bis ins Neubaugebiet\n{BODY2}\nTeilen per:\n{BODY}\n"
    doc = clean_text(text)
    assert [(b.type, b.lines) for b in doc.blocks] == [("title", [1, 2]), ("lead", [3]), ("body", [5])]
    assert doc.title == "Nahverkehr Straßenbahn kommt bis ins Neubaugebiet"


def test_consent_embed_paywall_and_source_list() -> None:
    text = (
        f"{BODY}\nWir verwenden Cookies und ähnliche Technologien, um die Nutzung zu analysieren.\n"
        "Externer Inhalt\nIch bin damit einverstanden, dass mir externe Inhalte angezeigt werden.\n"
        f"{BODY2}\nDieser Artikel ist exklusiv für Abonnenten.\nJetzt 4 Wochen gratis testen\n"
        "Verwendete Quellen:\nNachrichtenagentur dpa\nEigene Recherche\n"
    )
    found = _by_category(text)
    assert len(found["widget"]) == 3
    assert found["subscribe"] == [
        "Dieser Artikel ist exklusiv für Abonnenten.",
        "Jetzt 4 Wochen gratis testen",
    ]
    assert found["agency_tag"] == ["Verwendete Quellen:", "Nachrichtenagentur dpa", "Eigene Recherche"]
    assert clean_text(text).text == f"{BODY}\n\n{BODY2}"


def test_repeated_caption_and_duplicate_lines() -> None:
    caption = "Die Bauarbeiten sollen im Frühjahr beginnen."
    doc = clean_text(f"{BODY}\n{caption}\n{BODY2}\n{BODY2}\n")
    assert doc.text == f"{BODY}\n\n{BODY2}"
    assert [r.category for r in doc.removed] == ["caption", "duplicate"]


def test_dateline_agency_is_metadata_only() -> None:
    doc = clean_text(f"Berlin (dpa) - {BODY}\n")
    assert doc.metadata["agency"] == "dpa"
    assert doc.text.startswith("Berlin (dpa) - ")


def test_html_mode_applies_the_same_text_rules() -> None:
    from pipelines.cleanup import clean_html

    page = (
        "<html><head><title>Straßenbahn kommt</title></head><body><article>"
        "<h1>Straßenbahn kommt bis ins Neubaugebiet</h1>"
        f"<p>{BODY}</p><p>Bauarbeiter an der Haltestelle Nordpark (Archiv)</p><p>{BODY2} (dpa/lni)</p>"
        "<p>Mehr zum Thema</p><p>Busse fahren ab Montag im Takt von zehn Minuten</p></article></body></html>"
    )
    doc = clean_html(page)
    assert [b.type for b in doc.blocks] == ["title", "body", "body"]
    assert doc.blocks[-1].text == BODY2
    assert {r.category for r in doc.removed} >= {"caption", "agency_tag", "teaser"}


def test_html_list_at_the_article_end_is_content_not_teaser_headlines() -> None:
    """Short unpunctuated lines after the last paragraph are teasers in a dump, but an HTML list the
    furniture pass left (no links) is the article's own points; a headline-like paragraph still goes."""
    from pipelines.cleanup import clean_html

    points = ["Mehr Busse auf der Linie 7", "Neue Haltestelle am Nordpark", "Nachtverkehr am Wochenende"]
    page = (
        "<html><head><title>Straßenbahn kommt</title></head><body><article>"
        f"<h1>Straßenbahn kommt bis ins Neubaugebiet</h1><p>{BODY}</p><p>{BODY2}</p>"
        "<ul>" + "".join(f"<li>{point}</li>" for point in points) + "</ul>"
        "<p>Busse fahren ab Montag im Takt von zehn Minuten</p></article></body></html>"
    )
    doc = clean_html(page)
    for point in points:
        assert point in doc.text
    assert "Busse fahren ab Montag" not in doc.text
    assert [r.category for r in doc.removed if "Busse fahren" in r.text] == ["teaser"]


def test_opinion_label_and_dateline_do_not_open_a_comment_section() -> None:
    text = f"Kommentar\nStraßenbahn kommt zu spät\n12.01.2022, 14:35 Uhr\n{BODY}\n{BODY2}\nAntworten\n"
    doc = clean_text(text)
    assert doc.title == "Kommentar Straßenbahn kommt zu spät"
    assert doc.text.endswith(BODY2)
    assert [r.category for r in doc.removed] == ["dateline", "comments"]


JUNK_LINES = [
    ("Schreibe einen Kommentar Antworten abbrechen", "comments"),
    ("Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert", "comments"),
    ("Ähnliche Beiträge", "teaser"),
    ("Das könnte Dich auch interessieren …", "teaser"),
    ("Schlagwörter:", "navigation"),
    ("Mehr zum Thema - Stadt plant neue Radwege", "teaser"),
    ("Lesen Sie auch: Was die Reform für Mieter bedeutet", "teaser"),
    ("Tagesspiegel Plus", "subscribe"),
    ("Diesen Artikel weiterlesen mit Beispiel+", "subscribe"),
    ("Sie haben bereits ein Digital-Abonnement?", "subscribe"),
    ("Jetzt für 1 € testen", "subscribe"),
    ("Rubriklistenbild: © picture alliance/dpa | Max Muster", "credit_caption"),
    ("picture alliance/dpa/Max Muster", "credit_caption"),
    ("Bildrechte: Stadtwerke", "credit_caption"),
    ("Datum 12.01.2022", "dateline"),
    ("12. Januar 2022, 14:32 Uhr", "dateline"),
    ("Veröffentlicht am 28.03.2024", "dateline"),
    ("Autorin/Autor Anna Beispiel", "byline"),
    ("Ein Kommentar von Paul Beispiel", "byline"),
    ("Schlagwörter Nahverkehr, Stadtrat", "navigation"),
    ("Startseite > Region > Stadt", "navigation"),
    ("Seite 2 von 3", "navigation"),
    ("tagesschau.de", "navigation"),
    ("https://www.example.org/artikel", "navigation"),
    ("Feedback: Schreiben Sie uns!", "widget"),
    ("Lesezeit: 4 Min.", "widget"),
    ("Externer Inhalt", "widget"),
    ("Über dieses Thema berichtete das Regionalfernsehen am 12. Januar 2022.", "widget"),
    ("Bild 3 von 12", "widget"),
    ("Folgen Sie uns auf Instagram", "share"),
    ("Zur Merkliste hinzufügen", "share"),
    ("Die Kommentarfunktion ist für diesen Artikel deaktiviert.", "comments"),
    ("Anzeige", "advertisement"),
    ("Video 02:15 So sieht die neue Strecke aus", "video"),
]


@pytest.mark.parametrize(("line", "category"), JUNK_LINES)
def test_generic_junk_lines(line: str, category: str) -> None:
    hit = line_hit(line)
    assert hit is not None and hit.category == category, hit


CONTENT_LINES = [
    "Schreibe einen Kommentar zu jedem Bild, sagte die Lehrerin, und die Klasse begann.",
    "Ähnliche Beiträge zahlen auch die Nachbargemeinden.",
    "Themen der Woche",
    "Die Kosten liegen bei rund 40 Millionen Euro, teilte die Stadt mit.",
    "Der Rat tagte am 12. Januar 2022 im Rathaus.",
    "Die Linke und die Grünen stimmten dagegen, die SPD (Foto) enthielt sich der Stimme im Rat.",
    "Nach Angaben der Polizei wurde niemand verletzt.",
]


@pytest.mark.parametrize("line", CONTENT_LINES)
def test_content_lines_are_left_alone(line: str) -> None:
    assert line_hit(line) is None


def test_masthead_with_an_outlet_name_is_not_a_kicker() -> None:
    doc = clean_text(f"Süddeutsche Zeitung\nStraßenbahn kommt bis ins Neubaugebiet\n{BODY}\n")
    assert doc.title == "Straßenbahn kommt bis ins Neubaugebiet"
    assert [r.category for r in doc.removed] == ["navigation"]


def test_breadcrumbs_still_match_and_a_long_tag_line_does_not_backtrack() -> None:
    import random

    from pipelines.cleanup.budget import page_budget
    from pipelines.cleanup.rules import line_hit

    for crumbs in ("Startseite > Politik > Ausland", "Home | Wirtschaft | Unternehmen", "Sport » Fußball » B"):
        hit = line_hit(crumbs)
        assert hit is not None and hit.category == "navigation", crumbs
    rng = random.Random(34)
    words = ["1", "9", "A", "B", "Berlin", "Politik", "Olaf Scholz", "CDU", "Klima", "dpa", "©"]
    line = "Schlagworte " + " | ".join(rng.choice(words) for _ in range(5_000)) + " | ©"
    with page_budget(60):  # a guard against a hang, not a measurement: exponential backtracking never ends
        line_hit(line)


def test_html_text_the_extractor_leaves_out_is_on_record_even_outside_paragraphs() -> None:
    """Text in table cells and set between <br>s straight in a <div> is recorded when it goes, as paragraphs are."""
    from pipelines.cleanup import clean_html

    page = (
        "<html><head><title>Straßenbahn kommt</title></head><body>"
        "<div class='box'>Öffnungszeiten des Kundenzentrums<br>Montag bis Freitag von neun bis achtzehn Uhr</div>"
        "<article><h1>Straßenbahn kommt bis ins Neubaugebiet</h1>"
        f"<p>{BODY}</p><p>{BODY2}</p></article>"
        "<div><table><tr><td>Einzelfahrschein Innenstadt Tarifzone A</td><td>drei Euro zehn</td></tr></table></div>"
        "</body></html>"
    )
    doc = clean_html(page)
    assert doc.text.endswith(BODY2)
    removed = " | ".join(" ".join(r.text.split()) for r in doc.removed)
    for shown in ("Montag bis Freitag von neun bis achtzehn Uhr", "Einzelfahrschein Innenstadt Tarifzone A"):
        assert shown not in doc.text
        assert shown in removed, doc.removed
