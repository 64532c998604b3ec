"""Prompts to the reader and the headers of the boxes around an article (``cleanup/prompts.py``): removed
by their words on any site, each with a category and a reason; article sentences that use the same
words stay. The boxes' headers take what stands below them: an author box its biography, a comment
thread the rest of the page."""

from __future__ import annotations

import pytest

from pipelines.cleanup import clean_text
from pipelines.cleanup.rules import line_hit

BODY = (
    "Der Stadtrat hat am Dienstagabend mit großer Mehrheit beschlossen, die Straßenbahnlinie bis zum "
    "neuen Wohngebiet im Norden der Stadt zu verlängern. Die Bauarbeiten sollen im Frühjahr beginnen."
)
BODY2 = (
    "Die Kosten von rund 40 Millionen Euro trägt zum größten Teil das Land. Kritik kam von der "
    "Opposition, die eine Buslinie für ausreichend hält und vor steigenden Schulden warnt."
)
BODY3 = (
    "Anwohner der Nordstadt hatten seit Jahren eine bessere Anbindung gefordert, weil die Busse zu den "
    "Stoßzeiten überfüllt sind und die Fahrt ins Zentrum fast eine Stunde dauert."
)

PROMPTS = [
    ("Diesen Artikel teilen", "share"),
    ("Jetzt teilen!", "share"),
    ("Teilen mit:", "share"),
    ("Teile diesen Beitrag mit deinen Freunden", "share"),
    ("Share this:", "share"),
    ("Rezept drucken", "share"),
    ("Hat Ihnen der Artikel gefallen? Dann teilen Sie ihn!", "share"),
    ("Wie bewerten Sie diesen Artikel?", "widget"),
    ("War diese Seite hilfreich?", "widget"),
    ("Hinterlasse eine Antwort", "comments"),
    ("Schreib einen Kommentar", "comments"),
    ("Kommentar hinzufügen", "comments"),
    ("Leave a Reply", "comments"),
    ("5 Antworten zu „Straßenbahn kommt bis ins Neubaugebiet“", "comments"),
    ("12 Gedanken zu „Straßenbahn kommt bis ins Neubaugebiet“", "comments"),
    ("Keine Kommentare", "comments"),
    ("Verraten Sie uns Ihre Meinung in den Kommentaren!", "comments"),
    ("Du musst angemeldet sein, um einen Kommentar abzugeben.", "login"),
    ("Abonniere unseren Newsletter", "subscribe"),
    ("Melden Sie sich für unseren Newsletter an", "subscribe"),
    ("Stadtkurier Newsletter", "subscribe"),
    ("Geben Sie Ihre E-Mail-Adresse ein", "subscribe"),
    ("Das Wichtigste der Woche direkt in deinen Posteingang", "subscribe"),
    ("Das könnte Sie auch interessieren!", "teaser"),
    ("Dieses Thema könnte dich auch interessieren:", "teaser"),
    ("Schon gelesen?", "teaser"),
    ("Ähnliche Artikel", "teaser"),
    ("Die meistgelesenen Nachrichten", "teaser"),
    ("Am häufigsten gelesen", "teaser"),
    ("Empfohlen für dich", "teaser"),
    ("Mehr zu Nahverkehr", "teaser"),
    ("Nächster Beitrag", "navigation"),
    ("Previous post", "navigation"),
    ("Über den Autor", "byline"),
    ("Über mich", "byline"),
    ("Kategorie: Stadtleben", "navigation"),
    ("TAGS:", "navigation"),
    ("Dieser Eintrag wurde veröffentlicht in Stadtleben und verschlagwortet mit Nahverkehr.", "navigation"),
    ("Eingestellt von Stadtkind um 10:12", "byline"),
    ("Straßenbahn für die Nordstadt was last modified: Mai 3rd, 2024 by Anna", "dateline"),
    ("Bloggen auf WordPress.com.", "navigation"),
    ("Zeige alle Beiträge von Anna Beispiel", "navigation"),
    ("Liken Lade …", "widget"),
    ("Veröffentlicht von Anna Beispiel", "byline"),
    ("Der Stadtrat streitet seit Jahren über die Linie, nun fällt die Entscheidung … Weiterlesen", "teaser"),
    ("Weiterlesen » Busse fahren ab Montag im Takt von zehn Minuten", "teaser"),
    ("Klicken Sie auf den Button, um den Inhalt von karten.example.org zu laden.", "widget"),
    ("Sie sind aktuell nicht eingeloggt.", "login"),
    ("Um einen Kommentar zu hinterlassen, loggen Sie sich bitte ein.", "login"),
    ("Alle 12 Kommentare lesen", "comments"),
    ("Kommentare und Pings sind derzeit nicht erlaubt.", "navigation"),
    ("Weitere Pressemitteilungen dieses Verbands", "teaser"),
    ("Verwandte Links", "teaser"),
    ("Jetzt bestellen", "advertisement"),
    ("Gutschein sichern", "advertisement"),
    ("Folgen Sie uns:", "share"),
    ("Gib hier deinen Kommentar ein …", "comments"),
    ("Verfasst von: Stadtkind | 3. Mai 2024", "byline"),
    ("Der Beitrag wurde am Mittwoch, den 3. Mai 2024", "navigation"),
    ("Vorheriger BeitragStadtrat beschließt den Haushalt", "navigation"),
    ("Weitere Inhalte zu »Nahverkehr«", "teaser"),
    ("Siehe auch", "teaser"),
    ("Bild anzeigen", "widget"),
    ("1 von 17", "widget"),
    ("Tags Nahverkehr, Stadtrat, Nordstadt", "navigation"),
    ("Unterstützen Sie uns", "advertisement"),
    ("Kontaktieren Sie uns gerne auch direkt", "advertisement"),
    ("Haben Sie das Gesuchte nicht gefunden?", "navigation"),
    ("Pingback von Stadtblog | 3. Mai 2024 10:12", "comments"),
    ("Artikel per WhatsApp teilen", "share"),
    ("Als hilfreich bewerten", "widget"),
    ("Mehr lesen über:", "teaser"),
    ("Zum Shop", "advertisement"),
    ("Schlagworte zum Thema:", "navigation"),
    ("A post shared by Stadtkind (@stadtkind) on May 3, 2024", "widget"),
    ("Weiterführende Artikel zu diesem Thema", "teaser"),
    ("Weitere Informationen", "teaser"),
    ("Entdecke weitere Stadtgeschichten", "teaser"),
    ("Du kommentierst mit Deinem Google-Konto.", "comments"),
    ("Erstelle eine kostenlose Website oder einen Blog", "navigation"),
    ("Alle Veranstaltungen ansehen", "navigation"),
    ("Comments are closed.", "comments"),
    ("Hier kostenlos anmelden", "registration"),
    ("Pressemitteilung als PDF", "navigation"),
    ("Affiliate-Links", "advertisement"),
    ("Markiert mit", "navigation"),
    ("Derzeit beliebt", "teaser"),
    ("—> Plan herunterladen <—", "advertisement"),
    ("Weitere interessante Themen", "teaser"),
    ("nächste Seite →", "navigation"),
    ("Empfohlener redaktioneller Inhalt", "widget"),
    ("Zum Thema:", "teaser"),
    ("Auch lesen:", "teaser"),
    ("Auch spannend", "teaser"),
    ("Auch lesen: Zehn Fragen zur neuen Grundsteuer", "teaser"),
    ("Mehr erfahren", "navigation"),
    ("Erfahre mehr »", "navigation"),
    ("Weiter lesen", "navigation"),
    ("Gefällt dir unser Stadtmagazin? Wir verzichten auf eine Bezahlschranke und bitten dich um Hilfe.", "subscribe"),
    ("Gefallen Ihnen unsere Inhalte? Dann unterstützen Sie uns.", "subscribe"),
    ("Unterstütze Stadtkind bereits mit 3 Euro!", "subscribe"),
    ("If you enjoyed reading this post, would you consider supporting our work?", "subscribe"),
    ("Kennt ihr schon unseren Wochenendplaner? Alle Termine der Stadt auf einen Blick.", "subscribe"),
    ("Inhaltsverzeichnis", "navigation"),
    ("Inhalt [anzeigen]", "navigation"),
]


@pytest.mark.parametrize(("line", "category"), PROMPTS)
def test_prompts_and_box_headers_are_furniture(line: str, category: str) -> None:
    hit = line_hit(line)
    assert hit is not None and hit.category == category, hit
    assert hit.reason


# Article sentences (and headings) with the same words: a statement about the world, not the page.
LOOK_ALIKES = [
    "Zum Thema Wohnungsbau äußerte sich der Senator nicht.",
    "Auch lesen und schreiben lernen die Kinder dort erst spät.",
    "Die Bürger sollen sich die Kosten teilen, sagte der Bürgermeister.",
    "Teilen Sie diese Einschätzung, Frau Ministerin?",
    "Der Artikel hat vielen Lesern gefallen, schrieb die Redaktion.",
    "Wie bewerten Sie die Lage, Herr Minister?",
    "Die Jury bewertet den Beitrag mit zehn Punkten.",
    "Schreiben Sie eine Antwort an den Bürgermeister, forderte die Initiative.",
    "Eine Antwort auf die Frage gibt es bis heute nicht.",
    "3 Antworten auf die Umfrage kamen aus dem Rathaus.",
    "Keine Kommentare zu laufenden Verfahren, sagte die Sprecherin.",
    "Viele Leser schrieben in den Kommentaren, dass sie die Entscheidung bedauern.",
    "Alle Wähler müssen angemeldet sein, um abstimmen zu dürfen.",
    "Mehr als 5000 Leser abonnieren den Newsletter der Stadt.",
    "Im Newsletter der Partei hieß es, die Wahl sei entschieden.",
    "Die Mail landete im Postfach des Ministers.",
    "Geben Sie uns ein Jahr, sagte der Trainer.",
    "Das könnte die Mieter teuer zu stehen kommen.",
    "Ähnliche Artikel erschienen auch in anderen Zeitungen.",
    "Weitere Nachrichten aus der Region folgen am Abend.",
    "Mehr zu den Plänen erfahren die Bürger am Montag.",
    "Nächstes Jahr soll die Brücke fertig sein.",
    "Über den Autor des Gutachtens ist wenig bekannt.",
    "Tags darauf trat der Minister zurück.",
    "Kategorie B umfasst alle Fahrzeuge bis 3,5 Tonnen.",
    "Eingestellt wurde das Verfahren im Mai.",
    "Veröffentlicht wurde die Studie im Fachblatt Nature.",
    "Das Gesetz wurde zuletzt 2019 geändert.",
    "Veröffentlicht wurde der Bericht erst nach der Wahl.",
    "Die Polizei lädt das Video der Überwachungskamera hoch.",
    "Mehr als die Hälfte der Befragten lehnt die Pläne ab …",
    "Sie sind nicht angemeldet, sagte der Wahlleiter.",
    "Die Polizei bittet, melden Sie sich bei der Wache.",
    "Neue Berichte aus der Ukraine",
    "Weitere Nachrichten aus der Region folgen am Abend.",
    "Die Stadt will das Grundstück kaufen",
    "Wer sparen will, sollte jetzt kaufen",
    "Folgen Sie mir unauffällig, sagte der Beamte.",
    "Nächster Artikel über die Wahl folgt.",
    "3 von 4 Befragten sind dafür",
    "Tags darauf, am Montag, trat er zurück",
    "Kontaktieren Sie uns, sagte die Polizei, wenn Sie etwas gesehen haben.",
    "Spenden sammelte der Verein vor allem im Advent.",
    "Spenden kamen aus aller Welt.",
    "Mitglied werden kann jeder ab 16 Jahren.",
    "Als hilfreich bewerten Experten die neue Regel.",
    "Die Themen: Klima, Verkehr und Wohnen.",
    "Weiterführende Schulen gibt es in der Stadt drei.",
    "Weitere Informationen gibt die Stadtverwaltung am Montag bekannt.",
    "Der Bericht liegt als PDF vor.",
    "Neugierig geworden? Dann lass dich von diesem Geheimnis in den Bann ziehen!",
    "Gefällt dir unser neuer Radweg? Das wollte der Bürgermeister bei der Eröffnung wissen.",
    "Unterstützt wird das Projekt mit 20.000 Euro vom Land.",
    "Unterstützen Sie die Ukraine mit fünf Milliarden Euro, forderte der Minister.",
    "Inhalt des Gesetzes ist eine Obergrenze für Mieten.",
]


@pytest.mark.parametrize("line", LOOK_ALIKES)
def test_article_sentences_with_the_same_words_stay(line: str) -> None:
    assert line_hit(line) is None


def test_an_author_box_after_the_article_takes_its_biography() -> None:
    bio = "Anna Beispiel schreibt seit zehn Jahren über Stadtentwicklung und fährt am liebsten Straßenbahn."
    doc = clean_text(f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\n{BODY2}\nÜber die Autorin\n{bio}\n")
    assert doc.text.endswith(BODY2)
    removed = {r.text: (r.category, r.reason) for r in doc.removed}
    assert removed["Über die Autorin"] == ("byline", "author box header")
    assert removed[bio] == ("byline", 'entry under "author box header"')


def test_an_about_me_menu_item_before_the_article_takes_nothing() -> None:
    doc = clean_text(f"Startseite\nÜber mich\nStraßenbahn kommt bis ins Neubaugebiet\n{BODY}\n{BODY2}\n")
    assert doc.title == "Straßenbahn kommt bis ins Neubaugebiet"
    assert BODY in doc.text and BODY2 in doc.text


def test_a_blog_comment_thread_runs_to_the_end() -> None:
    text = (
        f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\n{BODY2}\n"
        "2 Antworten zu „Straßenbahn kommt bis ins Neubaugebiet“\nStadtkind sagt:\n3. Mai 2024 um 10:36 Uhr\n"
        "Endlich! Darauf warten wir in der Nordstadt schon seit vielen Jahren, danke für den ausführlichen Bericht.\n"
        "Nordlicht sagt:\n3. Mai 2024 um 11:02 Uhr\n"
        "Viel zu teuer, das Geld fehlt an anderer Stelle, etwa bei den Schulen und den Radwegen der Stadt.\n"
    )
    doc = clean_text(text)
    assert doc.text.endswith(BODY2)
    assert {r.category for r in doc.removed} == {"comments"}


def test_a_comment_count_confirmed_by_short_dates_opens_the_comment_section() -> None:
    text = (
        f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\n{BODY2}\n3 Kommentare\nStadtkind\n3. Mai 2024\n"
        "Endlich! Darauf warten wir in der Nordstadt schon seit vielen Jahren, danke für den ausführlichen Bericht.\n"
    )
    doc = clean_text(text)
    assert doc.text.endswith(BODY2)
    assert {r.category for r in doc.removed} == {"comments"}


def test_a_new_box_header_ends_the_related_articles_box() -> None:
    text = (
        f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\n{BODY2}\n{BODY3}\nÄhnliche Artikel\n"
        "Busse fahren ab Montag im Takt von zehn Minuten\nKeine Kommentare\nStadtkurier Newsletter\n"
    )
    doc = clean_text(text)
    assert doc.text.endswith(BODY3)
    removed = {r.text: r.category for r in doc.removed}
    assert removed["Busse fahren ab Montag im Takt von zehn Minuten"] == "teaser"
    assert removed["Keine Kommentare"] == "comments"
    assert removed["Stadtkurier Newsletter"] == "subscribe"


def test_a_headline_or_cut_off_blurb_above_a_read_more_link_is_a_teaser() -> None:
    blurb = "Auch in der Nachbarstadt wird über eine neue Linie gestritten, die Entscheidung fällt …"
    text = (
        f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\n{BODY2}\n{BODY3}\n"
        f"Busse fahren ab Montag im Takt von zehn Minuten\nWeiterlesen\n{blurb}\nMehr\n"
    )
    doc = clean_text(text)
    assert doc.text.endswith(BODY3)
    removed = {r.text: (r.category, r.reason) for r in doc.removed}
    assert removed["Busse fahren ab Montag im Takt von zehn Minuten"][0] == "teaser"
    assert removed[blurb] == ("teaser", "text cut off above a read-more link (teaser of another page)")


def test_a_lead_above_a_read_more_link_stays() -> None:
    doc = clean_text(f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\nWeiterlesen\n")
    assert doc.title == "Straßenbahn kommt bis ins Neubaugebiet"
    assert BODY in doc.text


def test_a_long_paragraph_of_sentences_ends_a_box_even_without_a_final_full_stop() -> None:
    about = (
        "Der Stadtkurier berichtet seit 1950 über die Nordstadt. Die Redaktion sitzt am Marktplatz und ist "
        "montags bis freitags erreichbar. Leserinnen und Leser können Hinweise jederzeit schicken. Seit dem "
        "vergangenen Jahr erscheint die Zeitung auch als digitale Ausgabe am Vorabend. Mehr über "
        "die Redaktion und ihre Geschichte erfahren Sie unter stadtkurier.example/ueber-uns"
    )
    doc = clean_text(f"Straßenbahn kommt bis ins Neubaugebiet\n{BODY}\n{BODY2}\nWeitere Informationen\n{about}\n")
    assert about in doc.text
