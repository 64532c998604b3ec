"""Characters a page never shows: soft hyphens, zero-width spaces, word joiners, stray byte-order marks.

Sites set them inside words for the browser's hyphenation or line breaking ("Bundes\u00adamt"); kept, they
hide the word from the line rules, from NER and from the knowledge base's names. Zero-width (non-)joiners
stay: they carry meaning in some scripts and in emoji sequences.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_DROP = str.maketrans("", "", INVISIBLE)
# the entities that write them in a page's source
_ENTITY = re.compile(r"&(?:shy|#0*173|#x0*ad|#0*8203|#x0*200b|#0*8288|#x0*2060|#0*65279|#x0*feff|zerowidthspace)", re.I)
_FIND = "//text()[" + " or ".join(f"contains(., '{char}')" for char in INVISIBLE) + "]"


def may_hide(source: str) -> bool:
    """Whether a page's source holds an invisible character, or an entity for one (a cheap test first)."""
    return any(char in source for char in INVISIBLE) or _ENTITY.search(source) is not None


def drop_invisible(text: str) -> str:
    if not any(char in text for char in INVISIBLE):
        return text  # the common case, tested at C speed; translate looks up every character
    return text.translate(_DROP)


def drop_invisible_in_tree(tree: _Element) -> None:
    """Remove the invisible characters from every text and tail of ``tree``, in place."""
    for found in tree.xpath(_FIND):
        parent = found.getparent()
        if parent is None:
            continue
        if found.is_text:
            parent.text = drop_invisible(parent.text)
        elif found.is_tail:
            parent.tail = drop_invisible(parent.tail)
