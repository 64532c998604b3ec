"""Page furniture found by the DOM: elements whose tag, ARIA role, class or id mark them as comments,
share bars, related-article boxes, paywalls, ads, navigation or figures, and paragraphs or lists
that are nothing but links. The article itself (the headline and its opening text) is never taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import cast

from lxml.etree import _Element
from lxml.html import HtmlElement

from pipelines.cleanup.captions import caption_hit, credit_text


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
    "navigation": _words("breadcrumb breadcrumbs nav navigation navbar menu pagination skiplink skip-link sitemap"),
    "footer_copyright": _words("footer site-footer copyright"),
    "advertisement": _words("ad ads advert adslot advertisement anzeige werbung sponsor sponsored"),
    "video": _words("video-player videoplayer player"),
    "login": _words("login signin sign-in register registration comments-login"),
    "widget": _words(
        "ticker liveticker lenta widget loader chat survey poll umfrage cookie consent modal overlay "
        "notification popup cookie-consent consent-banner twitter-tweet instagram-media tiktok-embed "
        "social-embed embed-consent"
    ),
    "caption": _words(
        "caption captions figcaption bildunterschrift image-caption gallery slideshow bildergalerie fotostrecke"
    ),
}
_ROLES = {"navigation": "navigation", "contentinfo": "footer_copyright", "banner": "navigation"}
_TAGS = {"nav": "navigation", "footer": "footer_copyright", "form": "login", "aside": "teaser"}
_PROTECTED = {"html", "body", "main", "article"}
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template"})  # text a page never shows
# names themes also give the container of the post itself (Blogger: "widget Blog"; galleries of projects)
_CONTAINER_NAMES = frozenset({"widget", "gallery", "slideshow"})
CONTENT_SHARE = 0.5  # of the page's running text, above which a container so named is the content
CONTENT_MIN_CHARS = 500
_CREDIT_CLASS = re.compile(r"copyright|credit|source|quelle|bildnachweis|urheber", re.I)


@dataclass
class Furniture:
    element: _Element
    category: str
    reason: str


def element_text(element: _Element) -> str:
    return " ".join(" ".join(element.itertext()).split())


TEXT_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "blockquote")
# elements whose own text (outside the blocks inside them) a page shows: table cells, definition lists,
# text set between <br>s straight in a <div>
CONTAINERS = ("div", "td", "th", "dd", "dt", "section", "article", "main", "aside", "header", "footer", "pre")
BLOCK_TAGS = frozenset(
    {*TEXT_BLOCKS, *CONTAINERS, "table", "tbody", "thead", "tr", "ul", "ol", "dl", "figure", "nav", "form", "address"}
)


def remove_keeping_tail(element: _Element) -> None:
    """Take ``element`` out of its tree but keep the text that follows it inside its parent (lxml's
    ``remove`` drops that tail: "<p><a class='gallery'>…</a>The article's first sentence.</p>");
    lxml.html's ``drop_tree`` is that, for the trees the cleanup parses."""
    if element.getparent() is not None:
        cast(HtmlElement, element).drop_tree()


def own_text(element: _Element) -> str:
    """The text of ``element`` that is not inside a block element nested in it."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in BLOCK_TAGS and tag not in INVISIBLE_TAGS and tag:
            parts.append(" ".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def class_words(element: _Element) -> set[str]:
    """class/id names and their -/_ separated parts, lower-cased."""
    attributes = element.attrib
    raw = " ".join(attributes.get(a, "") for a in ("class", "id", "data-area", "data-type")).lower()
    if not raw.strip():
        return set()
    names = raw.split()
    return {*names, *raw.replace("-", " ").replace("_", " ").split()}


def _category(element: _Element, by_name: bool) -> tuple[str, str] | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _PROTECTED:
        return None
    words = class_words(element) if by_name else set()
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
    linked = sum(len(element_text(a)) for a in element.iter("a") if not (a.get("href") or "").startswith("#"))
    return linked / max(1, len(text))


def _long_paragraphs(element: _Element) -> int:
    return sum(1 for p in element.iter("p") if len(element_text(p)) >= 120)


def _link_only(element: _Element) -> tuple[str, str] | None:
    """A paragraph, heading or list that is nothing but links to other articles."""
    tag = element.tag
    if tag not in ("p", "h2", "h3", "h4", "ul", "ol") or element.find(".//a") is None:
        return None
    text = element_text(element)
    if not text or _link_density(element, text) < (0.7 if tag in ("ul", "ol") else 0.9):
        return None
    if tag in ("ul", "ol"):
        items = [element_text(li) for li in element.iter("li")]
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
        elif seen_h1 and element.tag == "p" and len(element_text(element)) >= 120:
            return {h1, *h1.iterancestors(), element, *element.iterancestors()}
    return {h1, *h1.iterancestors()}


def _holds_article(element: _Element, anchors: set[_Element]) -> bool:
    """Never remove what contains the headline or the article's opening text."""
    if element in anchors:
        return True
    if anchors:
        return False
    paragraphs = [p for p in element.iter("p") if len(element_text(p)) >= 120]
    return len(paragraphs) >= 3 and not class_words(element) & _MARKERS["comments"]


def running_text_chars(element: _Element) -> int:
    """Characters of text outside links and scripts: running text, not a list of links to elsewhere."""
    aside = sum(len(element_text(node)) for node in element.iter("a", *INVISIBLE_TAGS))
    return max(0, len(element_text(element)) - aside)


def _is_content_container(element: _Element, page_chars: Callable[[], int]) -> bool:
    """A box with a name themes also give the post (a "widget", a "gallery") that holds at least half
    of the page's running text is the content, not furniture."""
    if not class_words(element) & _CONTAINER_NAMES:
        return False
    chars = running_text_chars(element)
    return chars >= CONTENT_MIN_CHARS and chars >= CONTENT_SHARE * page_chars()


def find_furniture(tree: _Element, *, by_name: bool = True) -> list[Furniture]:
    """The page's furniture: by element, role and link density, and (``by_name``) by the class and id
    names sites give it, the signal that errs most (a theme may call the post itself a "widget")."""
    found: list[Furniture] = []
    removed: set[_Element] = set()
    anchors = _anchor_ancestors(tree)
    page_chars = cache(lambda: running_text_chars(next(tree.iter("body"), tree)))  # only where a box asks
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("head", "script", "style", "noscript"):
            continue
        category = _category(element, by_name) or _link_only(element)
        if category is None or any(ancestor in removed for ancestor in element.iterancestors()):
            continue
        if _holds_article(element, anchors):
            continue
        text = element_text(element)
        name, reason = category
        links = {a.get("href") for a in element.iter("a") if not (a.get("href") or "#").startswith("#")}
        linky = bool(links) and (len(links) >= 2 or _link_density(element, text) >= 0.25)
        if name == "teaser" and not linky:
            continue  # a lead paragraph in a "teaser" box is not a link to elsewhere
        if name not in ("comments", "teaser") and _long_paragraphs(element) >= 3:
            continue  # several paragraphs of running text are content, whatever the class says
        if by_name and _is_content_container(element, page_chars):
            continue
        found.append(Furniture(element, name, reason))
        removed.add(element)
    return found


def figure_caption(element: _Element) -> tuple[str, list[str]]:
    """Caption text and photo credits of a figure or gallery (credit elements, "Foto: …", "© …")."""
    credits: list[str] = []
    for node in element.iter():
        if isinstance(node.tag, str) and _CREDIT_CLASS.search(" ".join(class_words(node))):
            credit = credit_text(element_text(node).lstrip("©").replace("Foto:", "").strip())
            if credit and credit not in credits:
                credits.append(credit)
    captions = [text for c in element.iter("figcaption") if (text := element_text(c))] or [element_text(element)]
    for caption in captions:
        hit = caption_hit(caption)
        if hit:
            credits.extend(c for c in hit.metadata.get("credits", []) if c not in credits)
    return " ".join(captions), credits
