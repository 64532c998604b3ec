"""Cleaning HTML pages: page furniture out by DOM signals, trafilatura for the main text, then the
same residual-junk line rules as for text (extractors leak teasers, captions and comments).

Order of work: (1) parse once (trafilatura's parser settings); (2) read the page's own metadata
(JSON-LD, Open Graph, <meta>, htmldate); (3) remove the elements ``dom_furniture`` finds (comments,
share bars, related-article boxes, paywalls, ads, navigation, figures), recording each with its
category and keeping figure credits as metadata; (4) trafilatura on the pruned tree, its fast path
first; (5) every extracted block meets the text rules with context; (6) blocks are typed from the
markup (h1 → title, h2-h4 → heading, a lead-like class or the page's description → lead), and the
lead and subheadings the extractor dropped are put back where the page has them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError, _Element
from trafilatura.settings import Document
from trafilatura.utils import load_html

from pipelines.cleanup.captions import credit_text
from pipelines.cleanup.decoding import decode
from pipelines.cleanup.dom_furniture import (
    CONTAINERS,
    TEXT_BLOCKS,
    element_text,
    figure_caption,
    find_furniture,
    own_text,
    remove_keeping_tail,
)
from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.invisible import drop_invisible, drop_invisible_in_tree, may_hide
from pipelines.cleanup.leads import LEAD_CLASS, recover_described_lead, recover_dropped_lead
from pipelines.cleanup.leads import normal as _normal
from pipelines.cleanup.lines import (
    Line,
    context_pass,
    drop_trailing_headlines,
    first_pass,
    is_headline_like,
    is_prose,
    is_running_text,
)
from pipelines.cleanup.page_metadata import host_name, page_metadata
from pipelines.cleanup.profiles import ProfileRegistry
from pipelines.cleanup.rules import line_hit
from pipelines.cleanup.script import detect_language, language_script
from pipelines.cleanup.text_mode import (
    NoContentError,
    clean_text,
    default_profiles,
    merge_metadata,
    outlet_names,
    phrase_matcher,
    profile_rules,
)
from pipelines.cleanup.visible_text import visible_lines
from pipelines.domain import Block, BlockType, CleanDocument, Removal

# class/id words that mark page furniture, by category (matched against whole class names and
# their -/_ separated parts, lower-cased).
_SPACE = re.compile(r"\s+")
# extractor output blocks that are the article's own even when short and unpunctuated at its end: link
# lists are gone with the furniture by then, so what stays is a list of points, steps or ingredients
_CONTENT_KINDS = frozenset({"item", "code"})
THIN_TEXT_CHARS = 250  # trafilatura's own minimum size; thinner fast results get its fallbacks
WHOLE_PAGE_GAIN = 2.0  # how much more text the whole page's extraction must hold to replace the pruned one's
_RIGHTS = re.compile(r"Rechte|rights|reserved", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _load(html: str | bytes) -> _Element:
    if isinstance(html, bytes | bytearray):
        html = decode(bytes(html), html=True)
    if not isinstance(html, str):
        raise CleanupError(f"clean_html expects str or bytes, got {type(html).__name__}")
    if not html.strip():
        raise NoContentError("empty input: the HTML page has no content")
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses str input with an encoding declaration
    tree = load_html(html)  # trafilatura's own parser settings, so its extraction sees what it expects
    if tree is None:
        try:
            tree = lxml_html.document_fromstring(f"<html><body>{html}</body></html>")
        except (ParserError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else "no elements"
            raise CleanupError(f"unparsable HTML: {first}") from None
    if may_hide(html):
        drop_invisible_in_tree(tree)
    return tree


def _body_length(document: Document | dict[str, Any] | None) -> int:
    if not isinstance(document, Document) or document.body is None:
        return 0
    return len(" ".join(document.body.itertext()))


def _trafilatura(tree: _Element, url: str | None, *, fast: bool) -> Document | dict[str, Any] | None:
    """trafilatura's main text of ``tree``: its fast path alone, or the full run with its fallbacks."""
    return trafilatura.bare_extraction(
        tree, url=url, fast=fast, with_metadata=False, include_comments=False, include_tables=True
    )


def _extract(tree: _Element, url: str | None, whole_page: Callable[[], _Element]) -> tuple[Document, bool]:
    """trafilatura on the pruned tree: its fast path first (our DOM pass already did much of what its
    fallback extractors are for); the full run, which compares with readability and jusText, only
    when the fast result is thin or holds under half of the page's paragraph text.

    Pruning can also mislead the full run's comparison (its fallbacks score the page without the
    boxes we took out), so where the result still holds under half of the paragraph text, the full
    run on the whole page is tried too and wins when it finds ``WHOLE_PAGE_GAIN`` times the text.
    Returns the document and whether it came from the whole page."""
    paragraph_text = sum(len(text) for p in tree.iter("p") if len(text := p.text_content()) >= 80)
    fast = _trafilatura(tree, url, fast=True)
    length = _body_length(fast)
    if isinstance(fast, Document) and length >= THIN_TEXT_CHARS and length >= 0.5 * paragraph_text:
        return fast, False
    full = _trafilatura(tree, url, fast=False)
    best = full if _body_length(full) > length else fast
    if not isinstance(best, Document) or best.body is None or not _body_length(best):
        raise NoContentError("no article text found: the extractor found no main content in the page")
    if _body_length(best) < 0.5 * paragraph_text:
        whole = _trafilatura(whole_page(), url, fast=False)
        if isinstance(whole, Document) and _body_length(whole) >= WHOLE_PAGE_GAIN * _body_length(best):
            return whole, True
    return best, False


def clean_html(html: str | bytes, *, url: str | None = None, profiles: ProfileRegistry | None = None) -> CleanDocument:
    """Clean an HTML news page: main text, typed blocks, removed furniture with reasons, metadata.

    Where the furniture pass leaves the extractor nothing (a blog whose post sits in an element its
    theme calls a widget), the page is read again with furniture found by structure alone (elements,
    roles, link density), not by class names. Where that finds nothing either (the extractor gave the
    whole page as one block, which a line rule then removed), the page's visible text is cleaned as a
    text dump, line by line (``metadata["extracted_from"]`` says so)."""
    try:
        return _clean(html, url, profiles, by_name=True)
    except NoContentError:
        pass
    try:
        return _clean(html, url, profiles, by_name=False)
    except NoContentError as exc:
        return _clean_visible_text(html, url, profiles, exc)


def _clean_visible_text(
    html: str | bytes, url: str | None, profiles: ProfileRegistry | None, failed: NoContentError
) -> CleanDocument:
    tree = _load(html)
    lines = visible_lines(tree)
    text = "\n".join(line.text for line in lines if not line.links_only)
    if not text:
        raise NoContentError(f"{failed}; its visible text is links only") from None
    try:
        document = clean_text(text, url=url, profiles=profiles)
    except NoContentError as exc:
        raise NoContentError(f"{failed}; its visible text, cleaned line by line: {exc}") from None
    links = [Removal(line.text, "navigation", LINKS_ONLY) for line in lines if line.links_only]
    # the text mode's line numbers count lines of the text it was given, not of the page
    document.removed = links + [dataclasses.replace(removal, line=None) for removal in document.removed]
    for key, value in page_metadata(tree, url).items():
        if key != "title":
            document.metadata.setdefault(key, value)
    document.metadata["extracted_from"] = "visible text"
    return document


LINKS_ONLY = "a line of links only (the page read as its visible text)"


def _clean(html: str | bytes, url: str | None, profiles: ProfileRegistry | None, *, by_name: bool) -> CleanDocument:
    tree = _load(html)
    declared = {
        key: drop_invisible(value) if isinstance(value, str) else value
        for key, value in page_metadata(tree, url).items()
    }
    removed: list[Removal] = []
    metadata: dict[str, Any] = {}
    for item in find_furniture(tree, by_name=by_name):
        if item.category == "caption":
            caption, credits = figure_caption(item.element)
            if credits:
                merge_metadata(metadata, {"credits": credits})
            text = caption
        else:
            text = element_text(item.element)
        category, reason = item.category, item.reason
        if category == "footer_copyright" and item.element.tag != "footer" and _is_photo_credit(text):
            category, reason = "credit_caption", f"photo credit ({reason})"
            merge_metadata(metadata, {"credits": [credit_text(text.lstrip("©").strip())]})
        elif category == "widget" and (hit := line_hit(text)) is not None:
            category, reason = hit.category, f"{hit.reason} (in {reason})"  # the text says what it is
        if text:
            removed.append(Removal(text, category, reason))
        remove_keeping_tail(item.element)
    document, from_whole_page = _extract(tree, url, lambda: _load(html))
    blocks_in = _body_blocks(document.body)
    if not blocks_in:
        raise NoContentError("no article text found: the extractor returned an empty body")
    if from_whole_page:  # what the extractor took from the boxes we pruned was not removed after all
        extracted = " | ".join(_word_key(text) for _kind, text, _cls in blocks_in)
        removed = [r for r in removed if _word_key(r.text)[:80] not in extracted]
        metadata["extracted_from"] = "whole page"
    page_text = "\n".join(text for _kind, text, _cls in blocks_in)
    registry = default_profiles() if profiles is None else profiles
    matched = registry.match(url, page_text)
    language = detect_language(page_text)
    lines = [Line(i, text, text) for i, (_kind, text, _cls) in enumerate(blocks_in, start=1)]
    first_pass(
        lines,
        article_script=language_script(language),
        rules=profile_rules(matched),
        phrases=phrase_matcher(tuple(matched), outlet_names(registry)),
    )
    for line in lines:
        line.prose = is_running_text(line.text)
    context_pass(lines)
    kept = [(line, kind) for line, (kind, _t, _c) in zip(lines, blocks_in, strict=True) if line.kept]
    drop_trailing_headlines(
        [[line] for line, _kind in kept],
        [line.text for line, _kind in kept],
        [kind in _CONTENT_KINDS for _line, kind in kept],
    )
    for line in lines:
        merge_metadata(metadata, line.metadata)
        if line.hit is not None:
            removed.append(Removal(line.raw, line.hit.category, line.hit.reason))
            merge_metadata(metadata, line.hit.metadata)
        if line.tag and line.kept:
            removed.append(Removal(line.tag, "agency_tag", "trailing agency tag"))
            merge_metadata(metadata, {"agency": line.agency})
    description = declared.get("description")
    blocks = _typed_blocks(blocks_in, lines, _headline(tree) or declared.get("title"), description)
    recover_described_lead(blocks, tree, description)
    recover_dropped_lead(blocks, tree, language)
    _recover_headings(blocks, tree)
    removed.extend(_extractor_drops(tree, blocks, removed))
    if not any(b.type != "title" for b in blocks):
        raise NoContentError("no article text found: only a headline is left after cleanup")
    for key, value in declared.items():
        if key != "title":
            metadata.setdefault(key, value)
    if hosted := registry.match_host(url):  # the site is known from the URL (text signals only pick rules)
        metadata.setdefault("site", hosted[0].name)
        if hosted[0].publisher:
            metadata.setdefault("publisher", hosted[0].publisher)
    if site := host_name(url):
        metadata.setdefault("site", site)
    title = next((b.text for b in blocks if b.type == "title"), None)
    return CleanDocument(title=title, blocks=blocks, removed=removed, metadata=metadata, language=language)


def _is_photo_credit(text: str) -> bool:
    return 2 <= len(text) <= 100 and not _RIGHTS.search(text) and not text.lower().startswith("copyright")


_WORDS = re.compile(r"\w+")
MAX_DROPS = 300  # enough for any article page; keeps pathological pages cheap


def _word_key(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _extractor_drops(tree: _Element, blocks: list[Block], removed: list[Removal]) -> list[Removal]:
    """Text blocks of the page that the extractor left out, so every removal is on record: the text
    rules name what they can, the rest is recorded as boilerplate. (Compared by their words, so a
    paragraph that only lost its agency tag is not counted.)"""
    kept = " | ".join(_word_key(text) for text in [*(b.text for b in blocks), *(r.text for r in removed)])
    drops: list[Removal] = []
    for element in tree.iter(*TEXT_BLOCKS, *CONTAINERS):
        if len(drops) >= MAX_DROPS:
            break
        text = element_text(element) if element.tag in TEXT_BLOCKS else own_text(element)
        key = _word_key(text)[:80]
        if not key or key in kept:
            continue
        hit = line_hit(text)
        category = hit.category if hit else "boilerplate"
        reason = hit.reason if hit else "left out by the main-content extractor (trafilatura)"
        drops.append(Removal(text, category, reason))
        kept += " | " + _word_key(text)
    return drops


def _recover_headings(blocks: list[Block], tree: _Element) -> None:
    """Put back subheadings the extractor dropped: an <h2>-<h4> of the page that stands between two
    paragraphs which follow each other in the output goes between them, as a heading."""
    position = {_normal(b.text)[:60]: i for i, b in enumerate(blocks) if b.type in ("body", "lead")}
    present = {_normal(b.text) for b in blocks}
    insertions: list[tuple[int, list[str]]] = []
    pending: list[str] = []
    previous: int | None = None
    for element in tree.iter("h2", "h3", "h4", "p"):
        text = element_text(element)
        if not text:
            continue
        if element.tag == "p":
            index = position.get(_normal(text)[:60])
            if index is None:
                continue
            if pending and previous is not None and index == previous + 1:
                insertions.append((index, pending))
            pending, previous = [], index
        elif (
            _normal(text) not in present
            and is_headline_like(text)
            and len(text.split()) >= 2
            and line_hit(text) is None
        ):
            pending.append(text)
    for index, headings in reversed(insertions):
        blocks[index:index] = [Block("heading", text) for text in headings]


def _body_blocks(body: _Element) -> list[tuple[str, str, str]]:
    """(kind, text, class) for each block of trafilatura's output tree, in order."""
    blocks: list[tuple[str, str, str]] = []
    for element in body:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "list":
            for item in element.iter("item"):
                if text := element_text(item):
                    blocks.append(("item", text, ""))
            continue
        text = element_text(element)
        if not text:
            continue
        kind = (element.get("rend") or "h2") if tag == "head" else tag
        blocks.append((kind, text, element.get("class") or ""))
    return blocks


def _headline(tree: _Element) -> str | None:
    """The page's visible headline (its one <h1>), which metadata titles often decorate with SEO
    prefixes or the site name."""
    headlines = [text for h1 in tree.iter("h1") if len((text := element_text(h1)).split()) >= 2]
    return headlines[0] if len(headlines) == 1 else None


def _typed_blocks(
    blocks_in: list[tuple[str, str, str]], lines: list[Line], title: str | None, description: str | None
) -> list[Block]:
    kept = [(kind, line.text, cls) for (kind, _t, cls), line in zip(blocks_in, lines, strict=True) if line.kept]
    blocks: list[Block] = []
    has_title = any(kind == "h1" for kind, _t, _c in kept)
    if not has_title and title:
        blocks.append(Block("title", title.strip()))
    description_key = _normal(description or "")[:80]
    prose_seen = False
    block_type: BlockType
    for index, (kind, text, _cls) in enumerate(kept):
        following = kept[index + 1][1] if index + 1 < len(kept) else ""
        headline_like = is_headline_like(text) and len(text.split()) >= (3 if not blocks else 2)
        if kind == "h1":
            block_type = "title" if not any(b.type == "title" for b in blocks) else "heading"
        elif kind.startswith("h"):
            block_type = "heading"
        elif headline_like and not prose_seen and not blocks:
            block_type = "title"  # no <h1> and no declared title: the first headline-like line
        elif headline_like and kind == "p" and is_prose(following):
            block_type = "heading"  # a subheading set as a (bold) paragraph
        else:
            block_type = "body"
        prose_seen = prose_seen or is_prose(text)
        if block_type == "heading" and index == len(kept) - 1:
            continue  # a heading with nothing under it
        if blocks and blocks[0].type == "title" and _normal(text) == _normal(blocks[0].text):
            continue  # the headline repeated in the body
        blocks.append(Block(block_type, text))
    first_body = next((b for b in blocks if b.type == "body"), None)
    if first_body is not None and blocks[0].type == "title":
        position = blocks.index(first_body)
        kind_cls = [cls for kind, text, cls in kept if text == first_body.text]
        lead_by_class = bool(kind_cls and LEAD_CLASS.search(kind_cls[0]))
        lead_by_description = bool(description_key) and _normal(first_body.text).startswith(description_key[:60])
        if position == 1 and (lead_by_class or lead_by_description):
            first_body.type = "lead"
    return blocks
