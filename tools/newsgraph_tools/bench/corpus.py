"""The benchmark corpus: the sample articles and the cleanup test pages, replicated and varied to N.

Page ``i`` is base page ``i mod B`` (B = the sample ``*.txt`` articles plus the test pages ``*.html``
and ``*.txt``, in name order) with one extra paragraph inserted after its first body paragraph: a
German sentence naming the copy number and a date. So every page has its own bytes (the scraper
de-duplicates by content hash) and its own URL, while cleanup, NER and linking see realistic text
(the same junk, the same entities) in the same proportions at every size.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from newsgraph_tools.checkout import CHECKOUT
from pipelines.shipped import data_dir

DEFAULT_SAMPLES_DIR = data_dir() / "samples"
DEFAULT_PAGES_DIR = CHECKOUT / "tests" / "cleanup" / "pages"
BODY_MIN_CHARS = 60  # a line this long is article text, not a menu or a caption


class CorpusError(ValueError):
    """No base pages to build the corpus from."""


@dataclass(frozen=True)
class BasePage:
    name: str
    body: str
    content_type: str  # text/html or text/plain


@dataclass(frozen=True)
class BenchPage:
    path: str  # URL path on the local server, e.g. /artikel/000123-paywall_box.html
    body: bytes
    content_type: str  # full header value with charset
    base: str  # name of the base page it was made from


def base_pages(samples_dir: Path = DEFAULT_SAMPLES_DIR, pages_dir: Path = DEFAULT_PAGES_DIR) -> list[BasePage]:
    """The sample articles (plain text) and the cleanup test pages (HTML and plain text)."""
    pages = [BasePage(p.stem, p.read_text(encoding="utf-8"), "text/plain") for p in sorted(samples_dir.glob("*.txt"))]
    for path in sorted(pages_dir.glob("*")):
        if path.suffix in (".html", ".txt"):
            kind = "text/html" if path.suffix == ".html" else "text/plain"
            pages.append(BasePage(path.stem, path.read_text(encoding="utf-8"), kind))
    if not pages:
        raise CorpusError(f"no base pages in {samples_dir} or {pages_dir} (*.txt, *.html)")
    return pages


def _variant_sentence(index: int) -> str:
    day = date(2026, 1, 1) + timedelta(days=index % 365)
    return (
        f"Nachtrag Nummer {index + 1}: Die Redaktion hat diesen Bericht am {day.day}.{day.month}.{day.year} "
        "überprüft und um weitere Angaben ergänzt."
    )


def vary(page: BasePage, index: int) -> str:
    """``page`` with copy ``index``'s own paragraph after its first body paragraph."""
    sentence = _variant_sentence(index)
    if page.content_type == "text/html":
        at = page.body.find("</p>")
        if at < 0:
            at = page.body.find("</body>")
            return page.body[:at] + f"<p>{html.escape(sentence)}</p>\n" + page.body[at:]
        at += len("</p>")
        return page.body[:at] + f"\n<p>{html.escape(sentence)}</p>" + page.body[at:]
    lines = page.body.split("\n")
    first = next((i for i, line in enumerate(lines) if len(line) >= BODY_MIN_CHARS), len(lines) - 1)
    return "\n".join([*lines[: first + 1], "", sentence, *lines[first + 1 :]])


def build_corpus(size: int, bases: list[BasePage] | None = None) -> list[BenchPage]:
    """``size`` distinct pages (see the module docstring for how they vary)."""
    if size < 1:
        raise CorpusError(f"corpus size must be at least 1 (got {size})")
    bases = bases or base_pages()
    out = []
    for i in range(size):
        base = bases[i % len(bases)]
        suffix = ".html" if base.content_type == "text/html" else ".txt"
        out.append(
            BenchPage(
                path=f"/artikel/{i:06d}-{base.name}{suffix}",
                body=vary(base, i).encode("utf-8"),
                content_type=f"{base.content_type}; charset=utf-8",
                base=base.name,
            )
        )
    return out
