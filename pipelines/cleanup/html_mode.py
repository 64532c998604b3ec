"""Cleaning HTML pages: page furniture out by DOM signals, trafilatura for the main text and metadata,
then the same residual-junk line rules as for text (extractors leak teasers, captions, comments).

Order of work: (1) parse once with lxml; (2) remove elements whose tag, role, class or id marks them
as comments, share bars, related-article boxes, paywalls, ads, navigation, figures - recording each
with its category, and keeping figure credits as metadata; (3) trafilatura on the pruned tree;
(4) every extracted block meets the text rules with context; (5) blocks are typed from the DOM
(h1 → title, h2-h6 → heading, lead-like class or the page description → lead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError, _Element
from trafilatura.settings import Document
from trafilatura.utils import load_html

from pipelines.cleanup.document import decode
from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.lines import (
    Line,
    context_pass,
    drop_trailing_headlines,
    first_pass,
    is_headline_like,
    is_prose,
)
from pipelines.cleanup.page_metadata import page_metadata
from pipelines.cleanup.profiles import ProfileRegistry
from pipelines.cleanup.rules import caption_hit, credit_text, line_hit
from pipelines.cleanup.script import detect_language, language_script
from pipelines.cleanup.structure import MAX_LEAD_CHARS
from pipelines.cleanup.text_mode import (
    NoContentError,
    _phrase_matcher,
    default_profiles,
    merge_metadata,
    profile_rules,
)
from pipelines.domain import Block, CleanDocument, Removal


# class/id words that mark page furniture, by category (matched against whole class names and
# their -/_ separated parts, lower-cased).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MARKERS: dict[str, frozenset[str]] = {
    "comments": _words(
        "comment comments kommentar kommentare disqus discussion leserkommentare usercomments "
        "comment-section commentlist"
    ),
    "share": _words("share sharing social socials teilen shariff sharebar social-bar socialbar"),
    "teaser": _words(
        "related teasers recommendation recommendations recommended empfehlung empfehlungen outbrain "
        "taboola mostread most-read meistgelesen further-reading read-more morearticles more-articles "
        "teaser-absatz article__article"
    ),
    "subscribe": _words("paywall subscribe subscription abo newsletter upsell offer piano plenigo"),
    "navigation": _words(
        "breadcrumb breadcrumbs nav navigation navbar menu pagination skiplink skip-link sitemap"
    ),
    "footer_copyright": _words("footer site-footer copyright"),
    "advertisement": _words("ad ads advert adslot advertisement anzeige werbung sponsor sponsored"),
    "video": _words("video-player videoplayer player"),
    "login": _words("login signin sign-in register registration comments-login"),
    "widget": _words(
        "ticker liveticker lenta widget loader chat survey poll umfrage cookie consent modal overlay "
        "notification popup cookie-consent consent-banner"
    ),
}
_ROLES = {"navigation": "navigation", "contentinfo": "footer_copyright", "banner": "navigation"}
_TAGS = {"nav": "navigation", "footer": "footer_copyright", "form": "login", "aside": "teaser"}
_PROTECTED = {"html", "body", "main", "article"}
_LEAD_CLASS = re.compile(r"lead|intro|summary|standfirst|vorspann|teaser-?text|abstract|dek\b|excerpt", re.I)
_CREDIT_CLASS = re.compile(r"copyright|credit|source|quelle|bildnachweis|urheber", re.I)
_SPACE = re.compile(r"\s+")
THIN_TEXT_CHARS = 250  # trafilatura's own minimum size; thinner fast results get its fallbacks
_RIGHTS = re.compile(r"Rechte|rights|reserved", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass
class _Found:
    element: _Element
    category: str
    reason: str


def _text(element: _Element) -> str:
    return _SPACE.sub(" ", " ".join(element.itertext())).strip()


def _class_words(element: _Element) -> set[str]:
    """class/id names and their -/_ separated parts, lower-cased."""
    attributes = element.attrib
    raw = " ".join(attributes.get(a, "") for a in ("class", "id", "data-area", "data-type")).lower()
    if not raw.strip():
        return set()
    names = raw.split()
    return {*names, *raw.replace("-", " ").replace("_", " ").split()}


def _category(element: _Element) -> tuple[str, str] | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _PROTECTED:
        return None
    words = _class_words(element)
    for category, markers in _MARKERS.items():
        hit = words & markers
        if hit:
            return category, f"html element <{tag}> marked {sorted(hit)[0]!r}"
    role = (element.get("role") or "").lower()
    if role in _ROLES:
        return _ROLES[role], f"html element with role={role}"
    if tag in _TAGS:
        return _TAGS[tag], f"html <{tag}> element"
    if tag == "figure":
        return "caption", "html <figure> (picture and caption)"
    return None


def _link_density(element: _Element, text: str) -> float:
    """Share of the text inside links to other pages (in-page "#" anchors do not count)."""
    linked = sum(len(_text(a)) for a in element.iter("a") if not (a.get("href") or "").startswith("#"))
    return linked / max(1, len(text))


def _long_paragraphs(element: _Element) -> int:
    return sum(1 for p in element.iter("p") if len(_text(p)) >= 120)


def _link_only(element: _Element) -> tuple[str, str] | None:
    """A paragraph, heading or list that is nothing but links to other articles."""
    tag = element.tag
    if tag not in ("p", "h2", "h3", "h4", "ul", "ol") or element.find(".//a") is None:
        return None
    text = _text(element)
    if not text or _link_density(element, text) < (0.7 if tag in ("ul", "ol") else 0.9):
        return None
    if tag in ("ul", "ol"):
        items = [_text(li) for li in element.iter("li")]
        if len(items) >= 2 and sum(map(len, items)) / len(items) <= 120:
            return "teaser", f"html <{tag}> of links to other pages"
        return None
    if len(text) <= 150:
        return "teaser", f"html <{tag}> that is only a link"
    return None


def _anchor_ancestors(tree: _Element) -> set[_Element]:
    """The elements around the article's first long paragraph after the headline: removing any of
    them would remove the article itself, whatever its class says (an opinion piece may well be
    marked "comment")."""
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return set()
    seen_h1 = False
    for element in tree.iter():
        if element is h1:
            seen_h1 = True
        elif seen_h1 and element.tag == "p" and len(_text(element)) >= 120:
            return {h1, *h1.iterancestors(), element, *element.iterancestors()}
    return {h1, *h1.iterancestors()}


def _holds_article(element: _Element, anchors: set[_Element]) -> bool:
    """Never remove what contains the headline or the article's opening text."""
    if element in anchors:
        return True
    if anchors:
        return False
    paragraphs = [p for p in element.iter("p") if len(_text(p)) >= 120]
    return len(paragraphs) >= 3 and not _class_words(element) & _MARKERS["comments"]


def _furniture(tree: _Element) -> list[_Found]:
    found: list[_Found] = []
    removed: set[_Element] = set()
    anchors = _anchor_ancestors(tree)
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("head", "script", "style", "noscript"):
            continue
        category = _category(element) or _link_only(element)
        if category is None or any(ancestor in removed for ancestor in element.iterancestors()):
            continue
        if _holds_article(element, anchors):
            continue
        text = _text(element)
        name, reason = category
        linky = bool(text) and _link_density(element, text) >= 0.5
        if name == "teaser" and not linky:
            continue  # a lead paragraph in a "teaser" box is not a link to elsewhere
        if name not in ("comments", "teaser") and _long_paragraphs(element) >= 3:
            continue  # several paragraphs of running text are content, whatever the class says
        found.append(_Found(element, name, reason))
        removed.add(element)
    return found


def _figure_credit(element: _Element) -> tuple[str, list[str]]:
    """Caption text and photo credits of a figure (credit elements, "Foto: …", "© …")."""
    credits: list[str] = []
    for node in element.iter():
        if isinstance(node.tag, str) and _CREDIT_CLASS.search(" ".join(_class_words(node))):
            credit = credit_text(_text(node).lstrip("©").replace("Foto:", "").strip())
            if credit:
                credits.append(credit)
    caption = " ".join(_text(c) for c in element.iter("figcaption")) or _text(element)
    hit = caption_hit(caption)
    if hit:
        credits.extend(c for c in hit.metadata.get("credits", []) if c not in credits)
    return caption, credits


def _load(html: str | bytes) -> _Element:
    if isinstance(html, bytes | bytearray):
        html = decode(bytes(html), html=True)
    if not isinstance(html, str):
        raise CleanupError(f"clean_html expects str or bytes, got {type(html).__name__}")
    if not html.strip():
        raise NoContentError("empty input: the HTML page has no content")
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses str input with an encoding declaration
    tree = load_html(html)  # trafilatura's own parser settings, so its extraction sees what it expects
    if tree is not None:
        return tree
    try:
        return lxml_html.document_fromstring(f"<html><body>{html}</body></html>")
    except (ParserError, ValueError) as exc:
        raise CleanupError(
            f"unparsable HTML: {str(exc).splitlines()[0] if str(exc) else 'no elements'}"
        ) from None


def _extract(tree: _Element, url: str | None) -> Document:
    """trafilatura on the pruned tree: its fast path first (our DOM pass already did much of what its
    fallback extractors are for), the full comparison with readability/jusText only for thin results."""
    document = None
    for fast in (True, False):
        document = trafilatura.bare_extraction(
            tree, url=url, fast=fast, with_metadata=False, include_comments=False, include_tables=True
        )
        if (
            isinstance(document, Document)
            and document.body is not None
            and len(" ".join(document.body.itertext())) >= THIN_TEXT_CHARS
        ):
            return document
    if not isinstance(document, Document) or document.body is None:
        raise NoContentError("no article text found: the extractor found no main content in the page")
    return document


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def clean_html(
    html: str | bytes, *, url: str | None = None, profiles: ProfileRegistry | None = None
) -> CleanDocument:
    """Clean an HTML news page: main text, typed blocks, removed furniture with reasons, metadata."""
    tree = _load(html)
    declared = page_metadata(tree, url)
    removed: list[Removal] = []
    metadata: dict[str, Any] = {}
    for item in _furniture(tree):
        if item.category == "caption":
            caption, credits = _figure_credit(item.element)
            if credits:
                merge_metadata(metadata, {"credits": credits})
            text = caption
        else:
            text = _text(item.element)
        category, reason = item.category, item.reason
        if category == "footer_copyright" and item.element.tag != "footer" and _is_photo_credit(text):
            category, reason = "credit_caption", f"photo credit ({reason})"
            merge_metadata(metadata, {"credits": [credit_text(text.lstrip("©").strip())]})
        elif category == "widget" and (hit := line_hit(text)) is not None:
            category, reason = hit.category, f"{hit.reason} (in {reason})"  # the text says what it is
        if text:
            removed.append(Removal(text, category, reason))
        parent = item.element.getparent()
        if parent is not None:
            parent.remove(item.element)
    document = _extract(tree, url)
    blocks_in = _body_blocks(document.body)
    if not blocks_in:
        raise NoContentError("no article text found: the extractor returned an empty body")
    page_text = "\n".join(text for _kind, text, _cls in blocks_in)
    registry = default_profiles() if profiles is None else profiles
    matched = registry.match(url, page_text)
    language = detect_language(page_text)
    lines = [Line(i, text, text) for i, (_kind, text, _cls) in enumerate(blocks_in, start=1)]
    first_pass(
        lines,
        article_script=language_script(language),
        rules=profile_rules(matched),
        phrases=_phrase_matcher(tuple(matched)),
    )
    for line in lines:
        line.prose = is_prose(line.text)
    context_pass(lines)
    kept = [line for line in lines if line.kept]
    drop_trailing_headlines([[line] for line in kept], [line.text for line in kept])
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
    _recover_lead(blocks, tree, description)
    _recover_headings(blocks, tree)
    if not any(b.type != "title" for b in blocks):
        raise NoContentError("no article text found: only a headline is left after cleanup")
    for key, value in declared.items():
        if key != "title":
            metadata.setdefault(key, value)
    if matched:
        metadata.setdefault("site", matched[0].name)
        if matched[0].publisher:
            metadata.setdefault("publisher", matched[0].publisher)
    title = next((b.text for b in blocks if b.type == "title"), None)
    return CleanDocument(title=title, blocks=blocks, removed=removed, metadata=metadata, language=language)


def _is_photo_credit(text: str) -> bool:
    return 2 <= len(text) <= 100 and not _RIGHTS.search(text) and not text.lower().startswith("copyright")


def _recover_lead(blocks: list[Block], tree: _Element, description: str | None) -> None:
    """Extractors often drop the lead set in the article header; find it again where the page shows
    the text of its own description (or a lead-classed element) right there."""
    if not blocks or blocks[0].type != "title" or any(b.type == "lead" for b in blocks) or not description:
        return
    wanted = _normal(description)
    if len(wanted) < 40:
        return
    known = {_normal(b.text) for b in blocks}
    size = len(wanted)
    for element in tree.iter("p", "div", "span", "strong"):
        if abs(len(element.text_content()) - size) > size // 2 + 20:
            continue  # cheap length check before normalising the text
        text = _text(element)
        if _normal(text) == wanted and is_prose(text) and len(text) <= MAX_LEAD_CHARS:
            if _normal(text) not in known:
                blocks.insert(1, Block("lead", text))
            return


def _recover_headings(blocks: list[Block], tree: _Element) -> None:
    """Put back subheadings the extractor dropped: an <h2>-<h4> of the page that stands between two
    paragraphs which follow each other in the output goes between them, as a heading."""
    position = {_normal(b.text)[:60]: i for i, b in enumerate(blocks) if b.type in ("body", "lead")}
    present = {_normal(b.text) for b in blocks}
    insertions: list[tuple[int, list[str]]] = []
    pending: list[str] = []
    previous: int | None = None
    for element in tree.iter("h2", "h3", "h4", "p"):
        text = _text(element)
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
                if text := _text(item):
                    blocks.append(("item", text, ""))
            continue
        text = _text(element)
        if not text:
            continue
        kind = (element.get("rend") or "h2") if tag == "head" else tag
        blocks.append((kind, text, element.get("class") or ""))
    return blocks


def _headline(tree: _Element) -> str | None:
    """The page's visible headline (its one <h1>), which metadata titles often decorate with SEO
    prefixes or the site name."""
    headlines = [text for h1 in tree.iter("h1") if len((text := _text(h1)).split()) >= 2]
    return headlines[0] if len(headlines) == 1 else None


def _typed_blocks(
    blocks_in: list[tuple[str, str, str]], lines: list[Line], title: str | None, description: str | None
) -> list[Block]:
    kept = [
        (kind, line.text, cls) for (kind, _t, cls), line in zip(blocks_in, lines, strict=True) if line.kept
    ]
    blocks: list[Block] = []
    has_title = any(kind == "h1" for kind, _t, _c in kept)
    if not has_title and title:
        blocks.append(Block("title", title.strip()))
    description_key = _normal(description or "")[:80]
    prose_seen = False
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
        blocks.append(Block(block_type, text))
    first_body = next((b for b in blocks if b.type == "body"), None)
    if first_body is not None and blocks[0].type == "title":
        position = blocks.index(first_body)
        kind_cls = [cls for kind, text, cls in kept if text == first_body.text]
        lead_by_class = bool(kind_cls and _LEAD_CLASS.search(kind_cls[0]))
        lead_by_description = bool(description_key) and _normal(first_body.text).startswith(
            description_key[:60]
        )
        if position == 1 and (lead_by_class or lead_by_description):
            first_body.type = "lead"
    return blocks
