"""A page whose main text the extractor cannot find is read as its visible text, line by line."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml import html as lxml_html

from pipelines.cleanup import clean_document
from pipelines.cleanup.text_mode import NoContentError
from pipelines.cleanup.visible_text import visible_lines

ARTICLE = (
    "Basteln im Advent: ein Büchlein aus einem Blatt Papier. Ihr braucht nur ein großes Blatt, eine Schere und "
    "etwas Geduld, dann entsteht in wenigen Minuten ein kleines Heft für Notizen und Skizzen.",
    "Zuerst faltet ihr das Blatt zweimal in der Mitte, dann schneidet ihr entlang der mittleren Falte ein und "
    "faltet alles zu einem Büchlein zusammen, das ihr mit Stiften und Stempeln gestalten könnt.",
)
SHOP_BAR = "Startseite Bücher Spielwaren Gutscheine Mein Konto"
CONSENT = "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten. Alle akzeptieren"

MENU = ("Startseite", "Bücher", "Spielwaren")
# A shop's blog post set as lines of one box: the extractor returns the box as one block, and the
# consent sentence in it makes the line rules remove the whole block, article and all.
ONE_BOX_PAGE = f"""<html lang="de"><head><title>Basteln im Advent | Kaufhaus</title>
<meta property="article:published_time" content="2023-12-01T08:00:00+01:00"></head>
<body><div class="x">{"".join(f'<a href="/{word}">{word}</a><br>' for word in MENU)}{SHOP_BAR} {CONSENT}<br>
{ARTICLE[0]}<br>
{ARTICLE[1]}
</div></body></html>"""


def _lines(markup: str) -> list[str]:
    return [line.text for line in visible_lines(lxml_html.document_fromstring(markup))]


def test_blocks_become_lines_and_inline_text_stays_on_its_line() -> None:
    markup = (
        "<html><body><h1>Titel</h1><p>Ein <b>fetter</b> und ein <a href='#'>verlinkter</a> Satz.</p>"
        "<ul><li>eins</li><li>zwei</li></ul>Text nach der Liste<br>nach dem Umbruch</body></html>"
    )
    assert _lines(markup) == [
        "Titel",
        "Ein fetter und ein verlinkter Satz.",
        "eins",
        "zwei",
        "Text nach der Liste",
        "nach dem Umbruch",
    ]


def test_what_a_browser_does_not_show_is_left_out_but_the_text_after_it_is_kept() -> None:
    markup = (
        "<html><head><title>Tab-Titel</title><style>p {}</style></head><body><p>vor<script>x = 1</script> "
        "nach dem Skript<!-- ein Kommentar --> und nach dem Kommentar</p>"
        "<div hidden>versteckt</div><noscript>ohne Skript</noscript><p>sichtbar</p></body></html>"
    )
    assert _lines(markup) == ["vor nach dem Skript und nach dem Kommentar", "sichtbar"]


def test_a_deeply_nested_page_does_not_exhaust_the_stack() -> None:
    depth = 5_000
    root = etree.Element("div")
    node = root
    for _ in range(depth):
        node = etree.SubElement(node, "span")
    node.text = "ganz unten"
    assert [line.text for line in visible_lines(root)] == ["ganz unten"]


def test_each_line_knows_whether_the_page_shows_it_only_as_links() -> None:
    markup = (
        "<html><body><ul><li><a href='/a'>Politik</a></li><li><a href='/b'><b>Sport</b></a> </li></ul>"
        "<p>Ein Satz mit <a href='/c'>einem Link</a> darin.</p><p><a href='/d'>Weiterlesen</a> »</p></body></html>"
    )
    lines = visible_lines(lxml_html.document_fromstring(markup))
    assert [(line.text, line.links_only) for line in lines] == [
        ("Politik", True),
        ("Sport", True),
        ("Ein Satz mit einem Link darin.", False),
        ("Weiterlesen »", False),
    ]


def test_a_page_the_extractor_gives_as_one_removed_block_is_cleaned_as_its_visible_text() -> None:
    doc = clean_document(ONE_BOX_PAGE.encode(), "text/html; charset=utf-8", url="https://kaufhaus.example/blog/1")
    assert doc.text.split("\n\n")[-2:] == list(ARTICLE)
    assert SHOP_BAR not in doc.text and "Cookies" not in doc.text
    assert any(SHOP_BAR in removal.text and removal.reason for removal in doc.removed)
    assert [r.text for r in doc.removed if r.category == "navigation" and "links only" in r.reason] == list(MENU)
    assert all(removal.line is None for removal in doc.removed), "line numbers of a text the page never had"
    assert doc.metadata["extracted_from"] == "visible text"
    assert doc.metadata["date"].startswith("2023-12-01")


def test_a_page_without_readable_text_still_says_why() -> None:
    page = f"<html><body><div>{SHOP_BAR} {CONSENT}</div></body></html>"
    with pytest.raises(NoContentError, match="visible text, cleaned line by line"):
        clean_document(page.encode(), "text/html")


def test_a_page_of_links_is_not_made_an_article() -> None:
    words = [
        "Nato-Generalsekretär",
        "Jens",
        "Stoltenberg",
        "bei",
        "einer",
        "Pressekonferenz",
        "mit",
        "Bundeskanzler",
        "Olaf",
        "Scholz",
    ]
    menu = "".join(f'<li><a href="/thema/{k}">{word}</a></li>' for k, word in enumerate(words))
    page = f"<html lang='de'><head><title>Themen</title></head><body><nav><ul>{menu}</ul></nav></body></html>"
    with pytest.raises(NoContentError, match="links only"):
        clean_document(page.encode(), "text/html")
