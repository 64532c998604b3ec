"""The cleanup stage: boilerplate removal for German news, from HTML pages or from extracted text.

    clean_text(text, url=None, profiles=None)       text pulled out of a page, one block per line
    clean_html(html, url=None, profiles=None)       an HTML page (str or bytes)
    clean_document(content, content_type, ...)     raw fetched bytes: sniffs HTML/text, decodes
    load_profiles(directory)                        outlet profiles (data/profiles/*.yaml)

Every result is a ``pipelines.domain.CleanDocument``: typed blocks (title, lead, heading, body) in
order, each removed piece with its category and the rule that fired, and the metadata found in the
junk (date, agency, credits, publisher, author, site). Bad input raises ``CleanupError``.

Modules: ``rules`` (one-line junk rules) with ``phrases``, ``captions``, ``bylines``, ``dates`` and
``agency``; ``lines`` (decisions with context: comment sections, boxes, teasers, repeats);
``reflow`` (hard-wrapped lines back into paragraphs); ``structure`` (block types); ``script``
(language and writing system); ``text_mode`` / ``html_mode`` / ``document`` (the entry points);
``dom_furniture`` and ``page_metadata`` (HTML only); ``profiles`` (outlet data); ``evaluate``.
"""

from __future__ import annotations

from pipelines.cleanup.document import clean_document
from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.html_mode import clean_html
from pipelines.cleanup.profiles import Profile, ProfileRegistry, load_profiles
from pipelines.cleanup.text_mode import clean_text

__all__ = [
    "CleanupError",
    "Profile",
    "ProfileRegistry",
    "clean_document",
    "clean_html",
    "clean_text",
    "load_profiles",
]
