"""Line-by-line junk decisions with context, for text already pulled out of a page.

Each line first meets the one-line rules (``rules.py`` and the matched outlet profiles); then the
decisions that need neighbours are made here: comment sections and related-article boxes that run
on, image captions that are the article's own (before the body) or teasers (inside it), and
headline-like leftovers after the article's last paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipelines.cleanup.agency import split_trailing_tag, standalone_tag
from pipelines.cleanup.captions import IMAGE_ALT
from pipelines.cleanup.categories import SHORT_LINE, Hit
from pipelines.cleanup.dates import parse_date, split_date_label
from pipelines.cleanup.phrases import PhraseMatcher
from pipelines.cleanup.reflow import ends_sentence, has_inner_sentence_end
from pipelines.cleanup.rules import BARE_LINK, Rule, line_hit
from pipelines.cleanup.script import foreign_script

# Categories that keep their own label inside a comment section (they are page furniture, not comments).
_FURNITURE = frozenset(
    {
        "footer_copyright",
        "navigation",
        "progress",
        "share",
        "subscribe",
        "registration",
        "login",
        "advertisement",
        "boilerplate",  # the site's own lines (site_lines): furniture, even below the comments
    }
)
_COMMENT_MARKER = re.compile(
    r"^#\d+(?:\.\d+)*\s*[—–-]+\s*vor\s|^vor\s+\d+\s+(?:Sekunden|Minuten|Stunden|Tagen|Wochen|Monaten|Jahren)\b"
    r"|^(?:Antworten|Melden|Kommentar melden|Reply)$|[|·]\s*(?:Antworten|Reply)$|^(?:Pingback|Trackback) von\b"
    r"|^\d{1,2}\.\d{1,2}\.\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*Uhr)?$"
    # blog software: "Anna sagt:", "Comment by Anna — 17.07.2011", "29. Mai 2019 um 17:39"
    r"|^[\w.\-äöüÄÖÜß ]{2,40}\s(?:sagt|schreibt|meint|antwortete|says|writes)\s*:$"
    r"|^(?:Comment|Kommentar) (?:by|von)\s.{2,60}\d"
    r"|^\d{1,2}\.\s?(?:\d{1,2}\.|[A-Za-zäÄ]+)\s?\d{4}\s+(?:um|at)\s+\d{1,2}[:.]\d{2}"
    r"|^\d{1,2}\.\s?[A-Za-zäÄ]{3,9}\.?\s?\d{4}(?:,?\s+\d{1,2}:\d{2}(?:\s*Uhr)?)?$",
    re.IGNORECASE,
)
# Boxes that follow the article: their header takes the paragraph below it (an author's short
# biography) and opens them only once the article's running text has begun (before it, "Über mich"
# is a menu item).
_AFTER_ARTICLE_BOXES = frozenset({"byline"})
MIN_RUNNING_TEXT = 100
_USER_NAME = re.compile(r"^[\w.\-äöüÄÖÜß ]{2,40}$")


@dataclass
class Line:
    """One source line and what was decided about it."""

    number: int  # 1-based
    raw: str  # as in the source (without the newline)
    text: str  # stripped, after removing a leaked field label or a trailing agency tag
    hit: Hit | None = None
    tag: str | None = None  # a trailing agency tag cut off the text
    agency: str | None = None
    image_alt: re.Match[str] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    prose: bool = False  # belongs to running text (see ``is_running_text``)

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def kept(self) -> bool:
        return self.hit is None and bool(self.text)


def is_prose(text: str) -> bool:
    """Running text: ends like a sentence and is long enough to be a paragraph, not a label."""
    return ends_sentence(text) and len(text.split()) >= 6


def is_running_text(text: str) -> bool:
    """A paragraph of the article: prose and longer than a headline or a one-line teaser."""
    return is_prose(text) and len(text) >= MIN_RUNNING_TEXT


def is_headline_like(text: str) -> bool:
    """A title, heading or teaser headline: short, no closing sentence punctuation, one statement."""
    return (
        bool(text)
        and len(text) <= SHORT_LINE
        and not ends_sentence(text)
        and not has_inner_sentence_end(text)
        and not text.endswith(",")
    )


def read_lines(text: str) -> list[Line]:
    return [Line(i, raw, raw.strip()) for i, raw in enumerate(text.splitlines(), start=1)]


def first_pass(lines: list[Line], *, article_script: str, rules: tuple[Rule, ...], phrases: PhraseMatcher) -> None:
    """One-line rules: field labels, foreign script, junk patterns, trailing agency tags."""
    for line in lines:
        if line.blank:
            continue
        rest, date = split_date_label(line.text)
        if date:
            line.metadata["date"] = date
            line.text = rest.strip()
            if not line.text:
                line.hit = Hit("caption", "leaked date field label", {"date": date})
                continue
        if script := foreign_script(line.text, article_script):
            category = "widget_cyrillic" if script == "CYRILLIC" else "foreign_script"
            line.hit = Hit(
                category, f"text in {script.title()} script inside a {article_script.title()}-script article"
            )
            continue
        agency = standalone_tag(line.text)
        if agency is not None:
            line.hit = Hit("agency_tag", "line is only an agency tag", {"agency": agency} if agency else {})
            continue
        line.image_alt = IMAGE_ALT.search(line.text)
        if line.image_alt:
            continue  # caption or teaser: decided with context
        line.hit = line_hit(line.text, extra_rules=rules, phrases=phrases)
        if line.hit is None:
            body, tag, agency = split_trailing_tag(line.text)
            if tag:
                line.text, line.tag, line.agency = body, tag, agency
        if line.hit and date:
            line.hit.metadata.setdefault("date", date)
    mark_repeats(lines)


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?“\"])\s+(?=[A-ZÄÖÜ„\"])")
MIN_REPEAT_CHARS = 30


def mark_repeats(lines: list[Line]) -> None:
    """A line repeated word for word is a duplicate; a line whose every sentence also stands in a
    longer line is a picture caption or pull quote repeating the text."""
    kept = [line for line in lines if line.kept and len(line.text) >= MIN_REPEAT_CHARS]
    owners: dict[str, set[int]] = {}
    for index, line in enumerate(kept):
        for sentence in _SENTENCE_SPLIT.split(line.text):
            owners.setdefault(sentence, set()).add(index)
    seen: set[str] = set()
    for index, line in enumerate(kept):
        if line.text in seen:
            line.hit = Hit("duplicate", "repeats an earlier line word for word")
            continue
        seen.add(line.text)
        sentences = _SENTENCE_SPLIT.split(line.text)
        others = [owners[s] - {index} for s in sentences]
        if all(any(len(kept[j].text) > len(line.text) for j in other) for other in others) and any(
            len(s) >= MIN_REPEAT_CHARS for s in sentences
        ):
            line.hit = Hit("caption", "repeats sentences of a longer paragraph (caption or pull quote)")


def _next_content(lines: list[Line], index: int) -> int | None:
    for j in range(index + 1, len(lines)):
        if not lines[j].blank:
            return j
    return None


def _comment_zone_start(lines: list[Line]) -> int | None:
    """Where the reader-comment section begins (a header confirmed by comment markers, or a marker).
    Comments follow the article: nothing before its first paragraph of running text counts."""
    first_prose = next((i for i, line in enumerate(lines) if line.kept and line.prose), None)
    if first_prose is None:
        return None
    for i, line in enumerate(lines):
        if i < first_prose:
            continue
        hit = line.hit
        if hit is None or hit.opens_zone != "comments":
            continue
        if _COMMENT_MARKER.search(line.text):
            previous = i - 1
            while previous >= 0 and lines[previous].blank:
                previous -= 1
            if (
                previous >= 0
                and lines[previous].kept
                and _USER_NAME.match(lines[previous].text)
                and not (ends_sentence(lines[previous].text))
            ):
                return previous  # the commenter's name above the first comment
            return i
        following = [j for j in range(i + 1, min(len(lines), i + 8)) if not lines[j].blank]
        if any(_COMMENT_MARKER.search(lines[j].text) for j in following):
            return i
    return None


LONG_TEXT = 300


def _several_sentences(text: str) -> bool:
    """A long paragraph of sentences, even if it ends in a link: text, not a box's entry."""
    return len(text) >= LONG_TEXT and has_inner_sentence_end(text)


def context_pass(lines: list[Line]) -> None:
    """Decisions that need neighbouring lines (``Line.prose`` must be set: see ``mark_prose``)."""
    start = _comment_zone_start(lines)
    if start is not None:
        for line in lines[start:]:
            if line.blank or (line.hit and line.hit.category in _FURNITURE and line.hit.reason != BARE_LINK):
                continue  # page furniture keeps its label; links posted in comments are comments
            if line.hit is None or line.hit.category != "comments":
                line.hit = Hit("comments", f"inside the reader-comment section from line {lines[start].number}")
            line.tag = None
    prose_seen = False
    zone: Hit | None = None  # an open box (related articles, source list) and its header
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if line.image_alt is not None and line.hit is None:
            alt = line.image_alt
            meta = {"date": parse_date(alt.group("date")), "publisher": alt.group("outlet").strip()}
            if not prose_seen:
                line.hit = Hit("caption", "image caption with outlet, width and date, above the body", meta)
            else:
                line.hit = Hit("teaser", "image of a linked article (outlet, width, date) inside the body")
                nxt = _next_content(lines, i)
                if nxt is not None and lines[nxt].hit is None and is_headline_like(lines[nxt].text):
                    lines[nxt].hit = Hit("teaser", "headline of a linked article under its image")
            continue
        if line.hit is not None:
            if opened := line.hit.opens_zone:  # a new box or section ends the one before
                boxed = opened != "comments" and (prose_seen or opened not in _AFTER_ARTICLE_BOXES)
                zone = line.hit if boxed else None
            continue
        if zone is not None:
            takes_paragraph = zone.opens_zone in _AFTER_ARTICLE_BOXES
            if (line.prose or _several_sentences(line.text)) and not takes_paragraph:
                zone = None  # running text again: the box has ended
            else:
                line.hit = Hit(zone.opens_zone or zone.category, f'entry under "{zone.reason}"')
                if line.prose:
                    zone = None  # the box's own paragraph: what follows is the page again
                continue
        if line.prose:
            prose_seen = True


# A letter's closing under a post ("Euer Hans", "Liebe Grüße, Anna", "xx Franzi", "XX, Die Redaktion") or a
# last sentence ending in an emoji or emoticon instead of a full stop: the author's, never a teaser headline.
_SIGN_OFF = re.compile(
    r"^(?:(?:Euer|Eure|Dein|Deine|LG|VG|Cheers|xoxo|xo|x{1,3})[,!]?\s+[A-ZÄÖÜ][\w.-]*(?:\s+[A-ZÄÖÜ][\w.-]*)?\s*$|"
    r"(?:Liebe|Viele|Herzliche|Beste|Sonnige|Schöne) Grüße\b)",
    re.IGNORECASE,
)
_CLOSING_SMILEY = re.compile(r"(?:[\U0001F300-\U0001FAFF\u2600-\u27BF]|[:;=]-?[)(DPp]|\([:;])\s*$")


def signs_off(text: str) -> bool:
    """The author's last line under a post: a letter's closing or a sentence that ends in a smiley."""
    stripped = text.strip()
    return len(stripped) <= SHORT_LINE and bool(_SIGN_OFF.match(stripped) or _CLOSING_SMILEY.search(stripped))


def drop_trailing_headlines(groups: list[list[Line]], texts: list[str], content: Sequence[bool] | None = None) -> int:
    """Headline-like paragraphs after the article's last running-text paragraph link elsewhere
    (nothing follows them): mark their lines removed; returns how many paragraphs remain.
    ``content`` marks paragraphs the markup shows to be the article's own (list items, code), which
    end the walk back like running text."""
    last_prose = max((i for i, text in enumerate(texts) if is_prose(text)), default=None)
    if last_prose is None:
        return len(groups)
    keep = len(groups)
    for index in range(len(groups) - 1, last_prose, -1):
        if not is_headline_like(texts[index]) or (content is not None and content[index]):
            break
        if signs_off(texts[index]):
            break
        category = "teaser" if len(texts[index].split()) >= 4 else "navigation"
        for line in groups[index]:
            line.hit = Hit(category, "headline-like line after the article's last paragraph")
        keep = index
    return keep
