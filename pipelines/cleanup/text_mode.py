"""Cleaning text already pulled out of a page (one block per line, junk lines included)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pipelines.cleanup.agency import dateline_agency
from pipelines.cleanup.categories import Hit
from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.invisible import drop_invisible
from pipelines.cleanup.lines import (
    Line,
    context_pass,
    drop_trailing_headlines,
    first_pass,
    is_headline_like,
    is_running_text,
    read_lines,
)
from pipelines.cleanup.main_text import Kind, judge, reason
from pipelines.cleanup.phrases import PHRASES, PhraseMatcher
from pipelines.cleanup.profiles import Profile, ProfileRegistry, load_profiles
from pipelines.cleanup.read_more import mark_read_more_teasers
from pipelines.cleanup.reflow import estimate_wrap_width, is_wrapped, join_lines
from pipelines.cleanup.rules import Rule
from pipelines.cleanup.script import detect_language, language_script
from pipelines.cleanup.site_lines import MIN_PAGES, SiteLines
from pipelines.cleanup.structure import Paragraph, assign_types
from pipelines.domain import Block, CleanDocument, Removal
from pipelines.shipped import data_dir

DEFAULT_PROFILE_DIR = data_dir() / "profiles"


class NoContentError(CleanupError):
    """Nothing of the article is left: the input was all boilerplate (or empty)."""


@lru_cache(maxsize=1)
def default_profiles() -> ProfileRegistry:
    """The outlet profiles shipped in data/profiles (empty if that folder is absent)."""
    if not DEFAULT_PROFILE_DIR.is_dir():
        return ProfileRegistry()
    return load_profiles(DEFAULT_PROFILE_DIR)


@lru_cache(maxsize=64)
def phrase_matcher(profiles: tuple[Profile, ...], outlets: tuple[str, ...] = ()) -> PhraseMatcher:
    """The generic interface words plus those of the matched outlets, and the names of all known
    outlets (a line that only names the site is its masthead, not a kicker) - cached per set."""
    merged: dict[str, list[str]] = {category: list(words) for category, words in PHRASES.items()}
    for profile in profiles:
        for category, words in profile.phrases:
            merged.setdefault(category, []).extend(words)
    merged["navigation"].extend(name.lower() for name in outlets)
    return PhraseMatcher(merged)


def outlet_names(registry: ProfileRegistry) -> tuple[str, ...]:
    return tuple(sorted({n for p in registry.profiles for n in (p.name, p.publisher) if n}))


def profile_rules(profiles: list[Profile]) -> tuple[Rule, ...]:
    """The matched outlets' patterns as rules; they are tried before the generic ones."""
    return tuple(Rule(r.category, r.pattern, r.reason, short_only=False) for profile in profiles for r in profile.rules)


def merge_metadata(target: dict[str, Any], found: dict[str, Any]) -> None:
    """First value wins for single fields; credits accumulate without duplicates."""
    for key, value in found.items():
        if value in (None, "", []):
            continue
        if key == "credits":
            credits = target.setdefault("credits", [])
            credits.extend(c for c in value if c not in credits)
        else:
            target.setdefault(key, value)


def _groups(lines: list[Line]) -> list[tuple[list[Line], set[str]]]:
    """Kept lines grouped into paragraphs (hard wraps joined), each with the categories removed
    between it and the next paragraph."""
    width = estimate_wrap_width([line.text if line.kept else "" for line in lines])
    groups: list[tuple[list[Line], set[str]]] = []
    current: list[Line] = []

    def close() -> None:
        if current:
            groups.append((list(current), set()))
            current.clear()

    for line in lines:
        if line.blank:
            close()
        elif not line.kept:
            close()
            if groups and line.hit is not None:
                groups[-1][1].add(line.hit.category)
        elif current and current[-1].number == line.number - 1:
            wrapped, _reason = is_wrapped(current[-1].text, line.text, inside_paragraph=len(current) > 1, width=width)
            if not wrapped:
                close()
            current.append(line)
        else:
            close()
            current.append(line)
    close()
    return groups


def _mark_prose(lines: list[Line]) -> None:
    for group, _separated in _groups(lines):
        prose = is_running_text(join_lines([line.text for line in group]))
        for line in group:
            line.prose = prose


def _merge_kicker(groups: list[tuple[list[Line], set[str]]]) -> None:
    """A one-to-three-word label right above the headline (the "Dachzeile", e.g. "Ukraine-Krise")
    is part of the title line, as when both stand on one line."""
    if len(groups) < 3 or len(groups[0][0]) != 1 or len(groups[1][0]) != 1 or groups[0][1]:
        return
    kicker, title = groups[0][0][0], groups[1][0][0]
    if (
        kicker.number + 1 == title.number
        and len(kicker.text.split()) <= 3
        and is_headline_like(kicker.text)
        and is_headline_like(title.text)
        and len(title.text.split()) >= 3
    ):
        groups[0:2] = [([kicker, title], groups[1][1])]


def _drop_site_lines(lines: list[Line], site: SiteLines) -> None:
    """The reason names the rule, not tonight's counts, so a page's cleanup stays the same as long as its
    decisions do while the night's later pages come in (the streamed night cleans a dump that early)."""
    for line in lines:
        if line.kept and site.repeated(line.raw) is not None:
            line.hit = Hit(
                "boilerplate",
                f"word for word on {MIN_PAGES} or more and half of the pages of {site.site} tonight: the site's, "
                "not the article's",
            )


def _box_starts(lines: list[Line], groups: list[list[Line]]) -> list[bool]:
    """For each paragraph, whether a box header (a line that opens a zone: related articles, comments,
    an author box, a tag list) stands between it and the paragraph before: a new region of the page."""
    first = {group[0].number: k for k, group in enumerate(groups)}
    starts = [False] * len(groups)
    pending = False
    for line in lines:
        if line.hit is not None and line.hit.opens_zone:
            pending = True
        elif (k := first.get(line.number)) is not None and line.kept:
            starts[k], pending = pending, False
    return starts


def _drop_stray(lines: list[Line]) -> None:
    """Paragraphs that stand among boilerplate rather than the article's text (see ``main_text``)."""
    groups = [group for group, _separated in _groups(lines)]
    verdicts = judge([join_lines([line.text for line in group]) for group in groups], _box_starts(lines, groups))
    if not any(verdict.final is Kind.GOOD for verdict in verdicts):
        return  # no running text to judge by: the rules' decisions stand
    for group, verdict in zip(groups, verdicts, strict=True):
        if verdict.final is Kind.BAD:
            for line in group:
                line.hit = Hit("boilerplate", reason(verdict))


def _paragraphs(lines: list[Line]) -> list[Paragraph]:
    groups = _groups(lines)
    _merge_kicker(groups)
    texts = [join_lines([line.text for line in group]) for group, _separated in groups]
    keep = drop_trailing_headlines([group for group, _separated in groups], texts)
    return [
        Paragraph(text, [line.number for line in group], separated_after=separated)
        for (group, separated), text in zip(groups[:keep], texts[:keep], strict=True)
    ]


def clean_text(
    text: str, *, url: str | None = None, profiles: ProfileRegistry | None = None, site: SiteLines | None = None
) -> CleanDocument:
    """Clean text pulled out of a news page: remove junk lines (recording why), rejoin wrapped lines,
    type title/lead/heading/body blocks and collect the metadata found in the junk. ``site``: the lines
    the page's site repeats on tonight's other pages, its furniture whatever the words."""
    if not isinstance(text, str):
        raise CleanupError(f"clean_text expects str, got {type(text).__name__}")
    text = drop_invisible(text)
    if not text.strip():
        raise NoContentError("empty input: the text has no visible characters")
    registry = default_profiles() if profiles is None else profiles
    matched = registry.match(url, text)
    language = detect_language(text)
    lines = read_lines(text)
    first_pass(
        lines,
        article_script=language_script(language),
        rules=profile_rules(matched),
        phrases=phrase_matcher(tuple(matched), outlet_names(registry)),
    )
    if site is not None:
        _drop_site_lines(lines, site)
    _mark_prose(lines)
    context_pass(lines)
    mark_read_more_teasers(lines)
    _drop_stray(lines)
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        raise NoContentError("no article text found: every line was classified as boilerplate")
    assign_types(paragraphs)
    metadata: dict[str, Any] = {}
    removed: list[Removal] = []
    for line in lines:
        merge_metadata(metadata, line.metadata)
        if line.hit is not None:
            removed.append(Removal(line.raw, line.hit.category, line.hit.reason, line.number))
            merge_metadata(metadata, line.hit.metadata)
        if line.tag and line.kept:
            removed.append(Removal(line.tag, "agency_tag", "trailing agency tag", line.number))
            merge_metadata(metadata, {"agency": line.agency})
    if hosted := registry.match_host(url):  # the site is known from the URL (text signals only pick rules)
        metadata.setdefault("site", hosted[0].name)
    if agency := next((dateline_agency(p.text) for p in paragraphs if p.type != "title"), None):
        metadata.setdefault("agency", agency)
    blocks = [Block(p.type, p.text, p.lines) for p in paragraphs]
    title = next((b.text for b in blocks if b.type == "title"), None)
    return CleanDocument(title=title, blocks=blocks, removed=removed, metadata=metadata, language=language)
