"""A site's own furniture, found by what its text pages of one night repeat word for word: removed with
its reason, while what each article says stays (unit, and through the night's cleanup stage)."""

from __future__ import annotations

from pathlib import Path

from pipelines.cleanup.site_lines import count_sites, site_of
from pipelines.cleanup.text_mode import clean_text
from tests.support.httpserver import Response, serve
from tests.support.nights import scrape_and_clean
from tests.support.site import german_text

MENU = ["Stadtgeschehen", "Vereinsleben", "Leserreisen", "Gewinnspiele"]
FOOTER = "Ein Angebot der Muster Mediengruppe Nord · Anzeigen aufgeben · Zustellung"
TEXT_PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


def page(index: int) -> str:
    title, *paragraphs = german_text(index)
    return "\n".join([*MENU, f"Titel der Meldung {index}", title, *paragraphs, FOOTER])


def test_a_line_is_the_sites_when_enough_of_its_pages_repeat_it() -> None:
    sites = count_sites(
        [("a.de", "Menü\nA"), ("a.de", "Menü\nB"), ("a.de", "Menü\nC\nC"), ("a.de", "D"), ("b.de", "Menü")]
    )
    assert sites["a.de"].pages == 4 and sites["a.de"].repeated("  Menü ") == 3
    assert sites["a.de"].repeated("C") is None  # twice on one page is one page
    assert sites["b.de"].repeated("Menü") is None  # one page: nothing to compare with
    many = count_sites([("c.de", "Menü\nX")] * 3 + [("c.de", f"Seite {k}") for k in range(4)])["c.de"]
    assert many.repeated("Menü") is None  # on 3 of 7 pages: under half
    assert site_of("https://www.example.de/a?b=1") == "example.de"
    assert site_of("urn:newsgraph:samples:001") is None and site_of(None) is None


def test_the_sites_lines_go_with_their_reason_and_the_article_stays() -> None:
    sites = count_sites(("muster.de", page(k)) for k in range(4))
    alone = clean_text(page(0), url="https://muster.de/a")
    document = clean_text(page(0), url="https://muster.de/a", site=sites["muster.de"])
    body = [block.text for block in alone.blocks if block.type == "body"]
    assert body and all(paragraph in document.text for paragraph in body)
    assert not any(line in document.text for line in [*MENU, FOOTER])
    reasons = {r.text: (r.category, r.reason) for r in document.removed if "pages of" in r.reason}
    assert set(reasons) == {*MENU, FOOTER}
    assert reasons["Vereinsleben"] == (
        "boilerplate",
        "word for word on 3 or more and half of the pages of muster.de tonight: the site's, not the article's",
    )


def test_the_night_finds_the_furniture_of_a_site_no_rule_knows(tmp_path: Path) -> None:
    routes = {f"/meldung/{k}": Response(body=page(k).encode(), headers=TEXT_PLAIN) for k in range(4)}
    with serve(routes) as server:
        ws = scrape_and_clean(tmp_path, "2026-12-06", [server.url(path) for path in routes], name="muster")
    rows = list(ws.read_jsonl("clean.jsonl"))
    assert len(rows) == 4
    for row in rows:
        text = "\n".join(block["text"] for block in row["clean"]["blocks"])
        assert "Leserreisen" not in text and FOOTER not in text
        assert len(text) > 500  # the article
        site_removals = [r for r in row["clean"]["removed"] if "half of the pages of 127.0.0.1 tonight" in r["reason"]]
        assert {r["text"] for r in site_removals} == {*MENU, FOOTER}


def test_versions_of_one_story_keep_what_they_share_and_still_lose_the_sites_lines() -> None:
    """Three versions of one article (updated under new addresses) among five pages: its paragraphs stand
    on three of five pages, but they are one story's, so only the menu and footer go."""
    title, *paragraphs = german_text(0)
    updates = [f"Aktualisiert um {hour} Uhr: Die Lage hat sich nicht verändert." for hour in (18, 20, 22)]
    versions = ["\n".join([*MENU, title, *paragraphs, update, FOOTER]) for update in updates]
    sites = count_sites([("muster.de", text) for text in [*versions, page(1), page(2)]])
    assert sites["muster.de"].pages == 3, "three stories"
    assert sites["muster.de"].repeated(paragraphs[0]) is None
    assert sites["muster.de"].repeated(MENU[0]) == 3 and sites["muster.de"].repeated(FOOTER) == 3
    alone = clean_text(versions[0], url="https://muster.de/a")
    document = clean_text(versions[0], url="https://muster.de/a", site=sites["muster.de"])
    body = [block.text for block in alone.blocks if block.type == "body"]
    assert len(body) > 3 and all(paragraph in document.text for paragraph in body)
    assert not any(line in document.text for line in [*MENU, FOOTER])


def test_stories_are_the_same_whatever_the_order_of_the_pages() -> None:
    from pipelines.cleanup.site_lines import page_keys, stories

    title, *paragraphs = german_text(0)
    pages = [page_keys(page(k)) for k in range(4)] + [page_keys("\n".join([title, *paragraphs[:-1]]))]
    forward = stories(pages)
    assert forward == [0, 1, 2, 3, 0], "the short version goes with page 0, whose article it is"
    backward = stories(pages[::-1])
    assert [backward[::-1].count(s) for s in backward[::-1]] == [forward.count(s) for s in forward]
