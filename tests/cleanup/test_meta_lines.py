"""A post's date-and-author line goes to the metadata, not the article; a line that only mentions a date
among other words stays."""

from __future__ import annotations

import pytest

from pipelines.cleanup import clean_html
from pipelines.cleanup.meta_lines import meta_line_hit
from pipelines.cleanup.rules import line_hit


@pytest.mark.parametrize(
    ("line", "category", "metadata"),
    [
        (
            "Freitag | 14. Juni 2019 | 15:49 VON Anna Beispiel IN Mode | 3 KOMMENTARE",
            "byline",
            {"author": "Anna Beispiel", "date": "2019-06-14"},
        ),
        ("Posted 11. April 2018 by Jonas Muster", "byline", {"author": "Jonas Muster", "date": "2018-04-11"}),
        ("Erstellt von Lena am Dienstag 6. Mai 2014", "byline", {"author": "Lena", "date": "2014-05-06"}),
        ("24. April 2020 | Pressemitteilungen", "dateline", {"date": "2020-04-24"}),
        ("12. November 2015 / 13:48", "dateline", {"date": "2015-11-12"}),
        ("21. Jan 2022 // Tipps", "dateline", {}),
    ],
)
def test_a_posts_meta_line(line: str, category: str, metadata: dict[str, str]) -> None:
    hit = meta_line_hit(line)
    assert hit is not None
    assert (hit.category, hit.metadata) == (category, metadata)


@pytest.mark.parametrize(
    "line",
    [
        "Termin: 21.02.2020, 19 Uhr",
        "Bern, 17.08.2007 - Rede von Erika Muster beim Städtegipfel der Partei, Basel, 18. August 2007",
        "Samstag, 2016-10-08, 0:26 AM Willkommen Gast | RSS Hauptseite | Blog | Registrieren | Login",
        "Der Stadtrat tagt am 12.03.2024 | das Ergebnis der Abstimmung wird am Abend erwartet",
        "Am 14. Juni 2019 hat Anna Beispiel den Preis bekommen.",
        "Informationsschreiben vom 14. Oktober 2021 | 38 KB | Datei ist nicht barrierefrei",
        "12.03.2024 | Hamburg – Bremen",
        "Samstag, 12.03.2024 | Hamburg 2:1",
    ],
)
def test_a_line_with_a_date_and_more_to_say_is_no_meta_line(line: str) -> None:
    assert meta_line_hit(line) is None


def test_the_line_rules_name_a_meta_line_and_the_cleanup_keeps_its_author() -> None:
    assert line_hit("30. Oktober 2019 | von Jonas Muster") is not None
    body = "".join(
        f"<p>Absatz {i}: Der neue Radweg am Kanal ist seit Montag offen und wird von vielen Pendlern genutzt.</p>"
        for i in range(5)
    )
    page = (
        "<html lang='de'><head><title>Radweg am Kanal offen</title></head><body><main><article>"
        "<h1>Radweg am Kanal offen</h1><p>Freitag | 14. Juni 2019 | 15:49 von Anna Beispiel in Verkehr</p>"
        f"{body}</article></main></body></html>"
    )
    doc = clean_html(page, url="https://blog.example.org/radweg")
    assert "Anna Beispiel" not in doc.text
    assert any(r.category == "byline" and "Anna Beispiel" in r.text for r in doc.removed)
