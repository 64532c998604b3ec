"""Which paragraphs of a text dump belong to the article, judged by the company they keep.

The rules name the junk they know; the menu, tag cloud, link list or footer of a site nobody wrote a
rule for meets none of them. What such lines share is that they are short or poor in function words
and stand among each other, away from the article's running text. This is jusText's classification
(length and stop-word density, then revision by the nearest confident neighbours), applied to the
paragraphs of a dump, where no markup or link is left to help: the lines the rules removed are
transparent, the start and end of the page count as boilerplate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import pairwise

import justext

from pipelines.cleanup.lines import is_headline_like, is_prose, is_running_text

# jusText's defaults, measured by its authors on web pages; its German stop-word list.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
SENTENCE_STOPWORDS_LOW = 0.15  # a sentence needs fewer: names and numbers crowd a news sentence
REGION_GAP = 4  # boilerplate paragraphs in a row that end a region of the page
MINOR_REGION_SHARE = 0.2  # of the richest region's running text, below which a region is dropped
MENU_RUN = 8  # labels in a row that make a menu or a tag list, whatever stands around them
MENU_LABEL_WORDS = 5
_LABEL_END = re.compile(r"[.!?:;,][“”\"'»«’)]*\s*$")  # a sentence, a list's introduction or an enumeration
_QUOTE = re.compile(r"[„“”\"»«]")  # a quotation (dialogue, a title), not a link's label
_DIGIT = re.compile(r"\d")  # counts, dates and quantities: a table, a recipe's ingredients, results
_LIST_SEPARATOR = re.compile(r"\s[·•|/»›]\s")  # "Start · Lokales · Sport": a menu on one line, not a heading
_WORD = re.compile(r"[^\W\d_]+")  # words of letters: numbers and codes are neither stop words nor content
# Pronouns of address and of the first person, missing from jusText's list (drawn from encyclopaedia
# text) but frequent in the running text of news quotes, blogs and service pages.
_PRONOUNS = frozenset({"ich", "du", "wir", "ihr", "mich", "dich", "uns", "euch", "mir", "dir", "mein", "dein", "unser"})


class Kind(Enum):
    GOOD = "good"
    NEAR_GOOD = "near-good"
    SHORT = "short"
    BAD = "bad"


@dataclass
class Judged:
    """A paragraph's text, its first verdict from its own features, and the final one."""

    text: str
    first: Kind
    final: Kind
    menu_run: int = 0  # length of the run of menu labels it stands in (0: none)
    boxed: bool = False  # dropped as the content of a box below a box header (see ``drop_minor_boxes``)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(justext.get_stoplist("German")) | _PRONOUNS


def stop_word_density(text: str) -> float:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    stops = stop_words()
    return sum(1 for w in words if w in stops) / len(words)


def first_verdict(text: str) -> Kind:
    """From the paragraph alone: running text is good; short lines wait for their neighbours."""
    density = stop_word_density(text)
    if is_running_text(text) and density >= STOPWORDS_LOW:
        return Kind.GOOD
    if is_prose(text) and density >= SENTENCE_STOPWORDS_LOW:
        return Kind.NEAR_GOOD  # a sentence: article text unless boilerplate stands on both sides
    if len(text) < LENGTH_LOW:
        return Kind.SHORT
    if density >= STOPWORDS_HIGH:
        return Kind.GOOD if len(text) > LENGTH_HIGH else Kind.NEAR_GOOD
    if density >= STOPWORDS_LOW:
        return Kind.NEAR_GOOD
    return Kind.BAD


def _nearest(kinds: list[Kind], *, skip_near_good: bool) -> tuple[list[Kind], list[Kind]]:
    """For each paragraph, the nearest confident verdict before it and after it (one pass each way);
    the page's edges count as bad."""
    confident = {Kind.GOOD, Kind.BAD} if skip_near_good else {Kind.GOOD, Kind.BAD, Kind.NEAR_GOOD}
    before, after = [Kind.BAD] * len(kinds), [Kind.BAD] * len(kinds)
    last = Kind.BAD
    for i, kind in enumerate(kinds):
        before[i] = last
        if kind in confident:
            last = kind
    last = Kind.BAD
    for i in range(len(kinds) - 1, -1, -1):
        after[i] = last
        if kinds[i] in confident:
            last = kinds[i]
    return before, after


def judge(texts: list[str], box_starts: list[bool] | None = None) -> list[Judged]:
    """The verdict for each paragraph, in order (``texts`` are the paragraphs the rules kept)."""
    first = [first_verdict(t) for t in texts]
    before, after = _nearest(first, skip_near_good=True)
    before_any, after_any = _nearest(first, skip_near_good=False)
    revised = list(first)
    for i, kind in enumerate(first):
        if kind is not Kind.SHORT:
            continue
        if before[i] is after[i]:
            revised[i] = before[i]
        elif (before[i] is Kind.BAD and before_any[i] is Kind.NEAR_GOOD) or (
            after[i] is Kind.BAD and after_any[i] is Kind.NEAR_GOOD
        ):
            revised[i] = Kind.GOOD
        else:
            revised[i] = Kind.BAD
    final = list(revised)
    before, after = _nearest(revised, skip_near_good=True)
    for i, kind in enumerate(revised):
        if kind is Kind.NEAR_GOOD:
            final[i] = Kind.BAD if before[i] is after[i] is Kind.BAD else Kind.GOOD
    headlines = [is_headline_like(t) and len(_LIST_SEPARATOR.findall(t)) < 2 for t in texts]
    for i in range(len(texts) - 1):
        if final[i] is Kind.BAD and headlines[i] and final[i + 1] is Kind.GOOD:
            final[i] = Kind.GOOD  # a title or heading stands right above the text it heads
            if i and _is_kicker(texts[i - 1]) and (i == 1 or not (final[i - 2] is Kind.BAD and headlines[i - 2])):
                final[i - 1] = Kind.GOOD
    keep_main_region(final, texts)
    boxed = drop_minor_boxes(final, texts, box_starts) if box_starts is not None else set()
    runs = menu_runs(texts)
    for i, run in enumerate(runs):
        heading = i + 1 < len(texts) and not runs[i + 1] and final[i + 1] is Kind.GOOD and final[i] is Kind.GOOD
        if run and heading:
            runs[i] = 0  # the last label right above running text heads it (a title below the menu)
        elif run:
            final[i] = Kind.BAD
    return [
        Judged(t, f, k, r, i in boxed) for i, (t, f, k, r) in enumerate(zip(texts, first, final, runs, strict=True))
    ]


def is_menu_label(text: str) -> bool:
    """One to five words, no number, no quotation, no sentence or list punctuation at the end: a link's label."""
    return (
        len(text.split()) <= MENU_LABEL_WORDS
        and not _DIGIT.search(text)
        and not _LABEL_END.search(text)
        and not _QUOTE.search(text)
    )


def menu_runs(texts: list[str]) -> list[int]:
    """For each paragraph, the length of the run of labels it stands in if that run is a menu or tag list:
    at least ``MENU_RUN`` of them in a row (a short list in an article is shorter or has numbers) and not
    introduced by a line ending in a colon (then it is the article's list); 0 otherwise. Runs are found
    between paragraphs neighbours would call good, where jusText's revision keeps short lines."""
    runs = [0] * len(texts)
    start = 0
    while start < len(texts):
        end = start
        while end < len(texts) and is_menu_label(texts[end]):
            end += 1
        introduced = start > 0 and texts[start - 1].rstrip().endswith(":")
        if end - start >= MENU_RUN and not introduced:
            runs[start:end] = [end - start] * (end - start)
        start = max(end, start + 1)
    return runs


def _is_kicker(text: str) -> bool:
    """The "Dachzeile" above a title: one to three words, headline-like."""
    return len(text.split()) <= 3 and is_headline_like(text)


def keep_main_region(final: list[Kind], texts: list[str]) -> None:
    """A run of boilerplate paragraphs splits the page into regions; a region with much less running
    text than the richest one is a sidebar, a teaser list or a footer, whatever its verdicts say."""
    regions: list[list[int]] = []
    current: list[int] = []
    run = 0
    for i, kind in enumerate(final):
        if kind is Kind.BAD:
            run += 1
            if run >= REGION_GAP and current:
                regions.append(current)
                current = []
            continue
        run = 0
        current.append(i)
    if current:
        regions.append(current)
    if len(regions) < 2:
        return
    weight = [sum(len(texts[i]) for i in r if final[i] is Kind.GOOD) for r in regions]
    best = max(weight)
    for r, w in zip(regions, weight, strict=True):
        if w < MINOR_REGION_SHARE * best:
            for i in r:
                final[i] = Kind.BAD


def drop_minor_boxes(final: list[Kind], texts: list[str], box_starts: list[bool]) -> set[int]:
    """The page split at its box headers (related articles, comments, an author box, a tag list): a part
    that a box header opens and that has much less running text than the richest part no box header opens
    is that box's content (teasers, comments, a biography), whatever its verdicts say. A part of the
    article after an inline box has its paragraphs in a row and stays. Returns the paragraphs dropped."""
    parts: list[tuple[bool, list[int]]] = []
    for i in range(len(texts)):
        if not parts or box_starts[i]:
            parts.append((box_starts[i], []))
        parts[-1][1].append(i)
    good = [sum(len(texts[i]) for i in part if final[i] is Kind.GOOD) for _boxed, part in parts]
    best = max((w for (boxed, _part), w in zip(parts, good, strict=True) if not boxed), default=0)
    dropped: set[int] = set()
    for (boxed, part), weight in zip(parts, good, strict=True):
        if boxed and weight < MINOR_REGION_SHARE * best and not _paragraphs_in_a_row(final, texts, part):
            dropped.update(i for i in part if final[i] is not Kind.BAD)
            for i in part:
                final[i] = Kind.BAD
    return dropped


def _paragraphs_in_a_row(final: list[Kind], texts: list[str], part: list[int]) -> bool:
    """Two paragraphs of running text one after the other: the article going on (a teaser list puts a
    headline between its blurbs)."""
    return any(
        final[a] is final[b] is Kind.GOOD and is_running_text(texts[a]) and is_running_text(texts[b])
        for a, b in pairwise(part)
    )


def reason(judged: Judged) -> str:
    """Why a paragraph judged bad is not the article's, in words for the removal record."""
    if judged.boxed:
        return "inside a box below its header (related articles, comments, author box), little running text"
    if judged.menu_run:
        return f"one of {judged.menu_run} short labels in a row, without sentences or numbers: a menu or tag list"
    if judged.first is Kind.BAD:
        return f"few function words ({stop_word_density(judged.text):.0%}): a list or label, not running text"
    if judged.first is Kind.SHORT:
        return "short line among boilerplate, away from the article's running text (menu, links, labels)"
    return "paragraph between boilerplate, away from the article's running text"
