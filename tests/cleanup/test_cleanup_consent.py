"""The fine print of forms and disclosures (``cleanup/consent.py``) is removed by its vocabulary with a
category and a reason; news sentences that report a consent, a withdrawal or a privacy policy stay."""

from __future__ import annotations

import pytest

from pipelines.cleanup.rules import line_hit

FINE_PRINT = [
    (
        "Ich bin damit einverstanden, dass meine Daten zur Bearbeitung meiner Anfrage gespeichert werden.",
        "widget",
    ),
    (
        "Mit dem Absenden des Kommentars erklärst du dich mit der Speicherung deiner Daten durch diese Website "
        "einverstanden.",
        "widget",
    ),
    ("Mit der Anmeldung akzeptieren Sie unsere Datenschutzbestimmungen.", "widget"),
    ("Ich willige ein, dass mir der Verein regelmäßig Informationen zu seiner Arbeit zusendet.", "widget"),
    ("Sie können sich jederzeit wieder vom Newsletter abmelden.", "subscribe"),
    ("Die Einwilligung kann jederzeit per E-Mail widerrufen werden.", "subscribe"),
    ("Vielen Dank! Bitte prüfen Sie Ihr E-Mail-Postfach.", "subscribe"),
    ("E-Mail (wird nicht veröffentlicht) *", "comments"),
    ("Name *", "comments"),
    ("Meinen Namen und meine E-Mail in diesem Browser speichern, bis ich wieder kommentiere.", "comments"),
    ("Bei den mit * markierten Links handelt es sich um Affiliate-Links.", "advertisement"),
    ("Dieser Beitrag enthält Werbung für einen Fahrradhersteller.", "advertisement"),
    ("Es gilt unsere Datenschutzerklärung.", "navigation"),
    ("Bitte beachten Sie unsere Datenschutzhinweise.", "navigation"),
    ("Die auf dieser Website verwendeten Cookies dienen der technischen Bereitstellung des Angebots.", "widget"),
    ("Hinweis zur Verwendung von Cookies", "widget"),
]


@pytest.mark.parametrize(("line", "category"), FINE_PRINT)
def test_form_fine_print_is_furniture(line: str, category: str) -> None:
    hit = line_hit(line)
    assert hit is not None and hit.category == category, hit
    assert hit.reason


LOOK_ALIKES = [
    "Die Nutzer stimmen der Speicherung ihrer Daten zu, ohne die Bedingungen zu lesen, kritisierte die "
    "Verbraucherzentrale.",
    "Die Bürger sind mit der Verarbeitung ihrer Daten nicht einverstanden, sagte die Sprecherin.",
    "Wer der Datenschutzerklärung zustimmt, gibt viel von sich preis.",
    "Der Vertrag kann jederzeit widerrufen werden, sagte der Anwalt.",
    "Die neue Datenschutzerklärung des Konzerns sorgt für Kritik bei Verbraucherschützern.",
    "Name und Anschrift des Täters sind der Polizei bekannt.",
    "Die Verbraucherzentrale warnt vor Werbung, die nicht als solche gekennzeichnet ist.",
    "Der Landtag willigte schließlich ein, die Kosten zu übernehmen.",
    "Die Datenschutzbehörde prüft, welche Cookies die Website des Ministeriums verwendet.",
]


@pytest.mark.parametrize("line", LOOK_ALIKES)
def test_news_sentences_about_consent_stay(line: str) -> None:
    assert line_hit(line) is None
