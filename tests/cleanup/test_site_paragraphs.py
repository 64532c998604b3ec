"""Paragraphs a site repeats across tonight's HTML pages go; the articles' own stay."""

from __future__ import annotations

from pipelines.cleanup.site_paragraphs import drop_repeated, repeated_paragraphs
from pipelines.domain import Block, CleanDocument, Removal

SITE = "lokalblatt.example"
NOTE = "Unser Autor berichtet seit 2012 aus dem Rathaus und über die Vereine im Stadtteil."
PLEA = "Guter Lokaljournalismus kostet Geld: Wenn Ihnen dieser Text gefallen hat, freuen wir uns über Ihre Hilfe."


def _page(title: str, *paragraphs: str) -> CleanDocument:
    blocks = [Block("title", title), *(Block("body", text) for text in paragraphs)]
    return CleanDocument(title=title, blocks=blocks, removed=[Removal("Startseite", "navigation", "menu")])


def _own(k: int) -> str:
    return f"Der Ortsrat hat am Dienstag über den Antrag Nummer {k} beraten und ihn mit knapper Mehrheit angenommen."


def test_a_paragraph_on_three_pages_and_half_of_them_is_the_sites() -> None:
    pages = [_page(f"Meldung {k}", _own(k), NOTE) for k in range(3)] + [_page("Meldung 3", _own(3))]
    repeated = repeated_paragraphs((SITE, page) for page in pages)
    assert repeated == {SITE: frozenset({NOTE})}
    cleaned = drop_repeated(pages[0], SITE, repeated[SITE])
    assert cleaned.text == "Meldung 0\n\n" + _own(0)
    assert cleaned.removed[0] == pages[0].removed[0], "what was removed before stays on record"
    (note,) = cleaned.removed[1:]
    assert note.text == NOTE and note.category == "boilerplate"
    assert SITE in note.reason and "3 or more and half of the HTML pages" in note.reason
    assert pages[0].text.endswith(NOTE), "the page given is not changed"


def test_too_few_pages_too_small_a_share_or_one_story_keep_the_paragraph() -> None:
    two = [_page(f"Meldung {k}", _own(k), NOTE) for k in range(2)]
    assert repeated_paragraphs((SITE, page) for page in two) == {}, "two pages"
    seven = [_page(f"Meldung {k}", _own(k), *([NOTE] if k < 3 else [])) for k in range(7)]
    assert repeated_paragraphs((SITE, page) for page in seven) == {}, "three of seven pages: under half"
    story = [_own(k) for k in range(10, 14)]
    versions = [_page(f"Ortsrat stimmt zu ({k}. Fassung)", *story[: 2 + k], NOTE) for k in range(3)]
    assert repeated_paragraphs((SITE, page) for page in versions) == {}, "one story's versions share paragraphs"
    others = [_page(f"Meldung {k}", _own(k), NOTE) for k in range(2)]
    assert repeated_paragraphs((SITE, page) for page in [*versions, *others]) == {SITE: frozenset({NOTE})}, (
        "three stories of four: the note is the site's; what the versions share is not"
    )
    other_sites = [(f"site{k}.example", _page(f"Meldung {k}", _own(k), NOTE)) for k in range(3)]
    assert repeated_paragraphs(other_sites) == {}, "each site on its own"


def test_headlines_are_never_the_sites() -> None:
    same_title = [_page("Lokales", _own(k), PLEA) for k in range(3)]
    assert repeated_paragraphs((SITE, page) for page in same_title) == {SITE: frozenset({PLEA})}
    untitled = [CleanDocument(title=None, blocks=[Block("body", _own(k)), Block("body", PLEA)]) for k in range(3)]
    assert repeated_paragraphs((SITE, page) for page in untitled) == {SITE: frozenset({PLEA})}


def test_the_match_is_word_for_word_after_white_space_and_invisible_characters() -> None:
    variants = [NOTE, NOTE.replace(" ", "  "), NOTE.replace("Autor", "Au\u00adtor")]
    pages = [_page(f"Meldung {k}", _own(k), text) for k, text in enumerate(variants)]
    (repeated,) = repeated_paragraphs((SITE, page) for page in pages).values()
    assert all(drop_repeated(page, SITE, repeated).text == f"Meldung {k}\n\n{_own(k)}" for k, page in enumerate(pages))
    reworded = [*pages[:2], _page("Meldung 2", _own(2), NOTE.replace("2012", "2013"))]
    assert repeated_paragraphs((SITE, page) for page in reworded) == {}


def test_a_page_that_is_only_the_sites_paragraphs_is_left_as_it_was() -> None:
    pages = [_page(f"Meldung {k}", _own(k), PLEA) for k in range(3)] + [_page("Hinweis", PLEA)]
    (repeated,) = repeated_paragraphs((SITE, page) for page in pages).values()
    assert drop_repeated(pages[3], SITE, repeated) is pages[3]
    assert drop_repeated(pages[0], SITE, frozenset()) is pages[0]


def test_the_result_does_not_depend_on_the_pages_order() -> None:
    pages = [_page(f"Meldung {k}", _own(k), NOTE, *([PLEA] if k % 2 else [])) for k in range(6)]
    forward = repeated_paragraphs((SITE, page) for page in pages)
    assert forward == repeated_paragraphs((SITE, page) for page in reversed(pages)) == {SITE: frozenset({NOTE, PLEA})}
