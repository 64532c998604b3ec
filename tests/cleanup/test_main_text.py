"""The context classification of a text dump's paragraphs: menus, sidebars and footers of a site no rule
knows go, with their reason; the article's title, headings and short list items stay."""

from __future__ import annotations

from pipelines.cleanup.main_text import (
    MENU_RUN,
    MINOR_REGION_SHARE,
    Kind,
    first_verdict,
    is_menu_label,
    judge,
    menu_runs,
    stop_word_density,
)
from pipelines.cleanup.text_mode import clean_text

BODY = [
    "Der Gemeinderat hat am Dienstagabend nach langer Debatte beschlossen, das alte Hallenbad an der "
    "Schillerstraße nicht zu sanieren, sondern an seiner Stelle ein neues Bad zu bauen.",
    "Die Kosten für den Neubau werden auf rund 18 Millionen Euro geschätzt, von denen das Land nach "
    "Angaben der Verwaltung etwa ein Drittel übernehmen soll, wenn der Antrag bis zum Sommer gestellt ist.",
    "Bis das neue Bad eröffnet wird, sollen die Schulen der Stadt ihren Schwimmunterricht im Nachbarort "
    "abhalten, wohin die Kinder mit eigens bestellten Bussen gefahren werden.",
]
MENU = ["Startseite", "Lokales", "Sport", "Kultur", "Veranstaltungen", "Service", "Kontakt"]
SIDEBAR = ["Beliebt", "Neue Kita am Stadtpark", "Marktplatz wird umgebaut", "Radweg gesperrt", "Kirmes abgesagt"]
FOOTER = ["Impressum", "Datenschutz", "AGB", "© Stadtanzeiger 2026"]


def _kept(text: str) -> str:
    return "\n".join(block.text for block in clean_text(text).blocks)


def test_a_menu_sidebar_and_footer_no_rule_knows_are_removed_as_boilerplate() -> None:
    title = "Neues Hallenbad statt Sanierung"
    page = "\n".join([*MENU, title, *BODY, *SIDEBAR, *FOOTER])
    document = clean_text(page)
    kept = "\n".join(block.text for block in document.blocks)
    assert document.title == title
    assert all(paragraph in kept for paragraph in BODY)
    for junk in ["Lokales", "Veranstaltungen", "Neue Kita am Stadtpark", "Kirmes abgesagt"]:
        assert junk not in kept
    reasons = {r.text: (r.category, r.reason) for r in document.removed}
    assert reasons["Veranstaltungen"][0] == "boilerplate"
    assert "away from the article's running text" in reasons["Veranstaltungen"][1]


def test_short_lines_inside_the_article_stay() -> None:
    items = ["Freibad: ab 1. Juni geöffnet", "Sauna: bleibt geschlossen"]
    page = "\n".join([*MENU, "Neues Hallenbad statt Sanierung", BODY[0], *items, BODY[1], BODY[2], *FOOTER])
    kept = _kept(page)
    assert all(item in kept for item in items)


def test_a_heading_poor_in_function_words_stays_above_its_paragraph() -> None:
    heading = "Stadtwerke, Landesförderung, Schulschwimmen: Zeitplan 2028, Kostenrahmen, Bauabschnitte"
    assert first_verdict(heading) is Kind.BAD
    page = "\n".join([*MENU, "Neues Hallenbad statt Sanierung", BODY[0], BODY[1], heading, BODY[2], *FOOTER])
    assert heading in _kept(page)


def test_a_distant_region_with_little_running_text_is_dropped() -> None:
    teaser = (
        "Auch in der Nachbarstadt wird über die Zukunft des Freibads gestritten, wie unsere Zeitung "
        "in der vergangenen Woche berichtet hat."
    )
    link_rows = [" · ".join(MENU[k:] + MENU[:k]) + " · Impressum · Datenschutz" for k in range(4)]
    assert all(first_verdict(row) is Kind.BAD for row in link_rows)
    verdicts = judge(["Titel des Artikels", *BODY, *BODY, *link_rows, teaser, *FOOTER])
    assert verdicts[-len(FOOTER) - 1].text == teaser
    assert verdicts[-len(FOOTER) - 1].first is Kind.GOOD
    assert verdicts[-len(FOOTER) - 1].final is Kind.BAD
    assert all(v.final is Kind.GOOD for v in verdicts[1 : 1 + 2 * len(BODY)])


def test_without_running_text_the_rules_decide_alone() -> None:
    page = "\n".join(["Öffnungszeiten", "Montag bis Freitag 9 bis 18 Uhr", "Samstag 9 bis 13 Uhr"])
    assert "Samstag 9 bis 13 Uhr" in _kept(page)


def test_numbers_are_not_words_for_the_function_word_share() -> None:
    assert stop_word_density("2,5 Millionen 1.787 76,1 % und die") == stop_word_density("Millionen und die")
    assert stop_word_density("12 34 56") == 0.0


LABELS = ["Lokales", "Ratgeber", "Reisen", "Auto", "Digitales", "Familie", "Gesundheit", "Bauen und Wohnen", "Leute"]


def test_a_run_of_menu_labels_between_paragraphs_is_dropped() -> None:
    page = "\n".join(["Neues Hallenbad statt Sanierung", BODY[0], *LABELS, BODY[1], BODY[2], *FOOTER])
    document = clean_text(page)
    kept = "\n".join(block.text for block in document.blocks)
    assert all(paragraph in kept for paragraph in BODY)
    lines = kept.split("\n")
    assert not any(label in lines for label in LABELS[:-1])  # the last, right above a paragraph, may head it
    reasons = {r.text: (r.category, r.reason) for r in document.removed}
    assert reasons["Ratgeber"][0] == "boilerplate"
    assert "a menu or tag list" in reasons["Ratgeber"][1]


def test_an_introduced_list_or_a_list_with_numbers_stays() -> None:
    introduced = [f"Bad {name}" for name in ("Nord", "Süd", "West", "Ost", "Mitte", "Au", "Hain", "Feld")]
    counted = [f"{n} Bahnen" for n in range(1, 9)]
    assert len(introduced) >= MENU_RUN and len(counted) >= MENU_RUN
    for items, intro in ((introduced, "Betroffen sind diese Bäder:"), (counted, "Die Belegung am Morgen")):
        page = "\n".join(["Neues Hallenbad statt Sanierung", BODY[0], intro, *items, BODY[1], BODY[2]])
        kept = _kept(page)
        assert all(item in kept for item in items), items


def test_a_title_right_below_a_menu_stays() -> None:
    title = "Neues Hallenbad statt Sanierung"
    document = clean_text("\n".join([FOOTER[0], BODY[2], *LABELS, title, BODY[0], BODY[1]]))
    assert title in [block.text for block in document.blocks]
    assert "Ratgeber" not in document.text


TEASER_BLURBS = [
    "Auch in der Nachbarstadt wird über die Zukunft des Freibads gestritten, die Entscheidung fällt im Mai.",
    "Der Verein sucht Freiwillige, die im Sommer die Aufsicht am Badesee übernehmen wollen, und zahlt dafür.",
]
MORE_BODY = [
    "Der Förderverein des alten Bades hatte bis zuletzt für eine Sanierung geworben und dafür mehr als "
    "dreitausend Unterschriften gesammelt, die er dem Bürgermeister im Frühjahr übergeben hatte.",
    "Nach dem Beschluss kündigte der Verein an, den Neubau kritisch zu begleiten und sich an der Planung "
    "des Lehrschwimmbeckens zu beteiligen, das vor allem den Grundschulen zugutekommen soll.",
    "Der Architektenwettbewerb für das neue Bad soll noch in diesem Jahr ausgeschrieben werden, die "
    "Eröffnung ist nach den Plänen der Verwaltung frühestens für das Jahr 2029 vorgesehen.",
]


def test_teaser_blurbs_below_a_related_articles_header_go_with_the_box() -> None:
    teasers = ["Ähnliche Artikel", "Freibad bleibt umstritten", TEASER_BLURBS[0], "Helfer gesucht", TEASER_BLURBS[1]]
    document = clean_text("\n".join(["Neues Hallenbad statt Sanierung", *BODY, *MORE_BODY, *teasers]))
    assert all(paragraph in document.text for paragraph in BODY + MORE_BODY)
    assert not any(blurb in document.text for blurb in TEASER_BLURBS)
    reasons = {r.text: (r.category, r.reason) for r in document.removed}
    assert reasons[TEASER_BLURBS[1]][0] == "boilerplate"
    assert reasons[TEASER_BLURBS[1]][1].startswith("inside a box below its header")


def test_the_article_going_on_after_an_inline_box_stays() -> None:
    tail = [
        "Die Stadtwerke wollen das neue Bad mit der Abwärme des nahen Rechenzentrums heizen, hieß es am Abend.",
        "Der Eintritt soll nach dem Willen des Rates für Kinder und Jugendliche auch künftig frei sein, hieß es.",
    ]
    box = ["Mehr zum Thema", "Freibad bleibt umstritten"]
    document = clean_text("\n".join(["Neues Hallenbad statt Sanierung", *BODY, *MORE_BODY, *box, *tail]))
    assert sum(map(len, tail)) < MINOR_REGION_SHARE * sum(map(len, BODY + MORE_BODY))  # small beside the rest
    assert document.text.endswith("\n\n".join(tail))


def test_a_dialogue_of_short_quoted_lines_is_not_a_menu() -> None:
    dialogue = ["„Kommst du mit?“", "– „Nein“", "– „Warum nicht?“", "– „Keine Zeit“", "– „Schade.“"]
    labels = ["Lokales", "Ratgeber", "Reisen", "Auto"]
    assert not any(is_menu_label(line) for line in dialogue)
    assert menu_runs([*dialogue, *labels]) == [0] * (len(dialogue) + len(labels))


def test_a_news_page_with_an_inline_box_after_the_lead_keeps_its_body() -> None:
    title, lead = "Neues Hallenbad statt Sanierung", BODY[0]
    inline_box = ["Lesen Sie auch", "Freibad bleibt umstritten"]
    related = ["Ähnliche Artikel", "Helfer gesucht", TEASER_BLURBS[1]]
    page = "\n".join([title, lead, *inline_box, *BODY[1:], *MORE_BODY, *related])
    document = clean_text(page)
    assert document.title == title
    assert all(paragraph in document.text for paragraph in BODY + MORE_BODY)
    assert "Freibad bleibt umstritten" not in document.text and "Helfer gesucht" not in document.text
