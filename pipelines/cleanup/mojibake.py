"""Text decoded wrongly before it reached us: UTF-8 read as Windows-1252 ("LÃ¤nder"), or Windows-1252 read
as Latin-1 (a „quote" left as the control character \\x84).

Naive scrapers and misconfigured sites hand over such text as if it were right, so the charset cannot tell.
Every umlaut becomes two characters and the words stop being words for the line rules, NER and the
knowledge base. ftfy reverses exactly these mix-ups, and only where their byte patterns are there; its
other fixes (quotes, entities, character widths) are not wanted here. A plain substring test comes first:
ftfy reads a 100 KB page in ~20 ms, and most pages have nothing to repair.
"""

from __future__ import annotations

import ftfy
from ftfy.fixes import fix_c1_controls

# how UTF-8's two- and three-byte sequences for umlauts, ß, quotes, dashes and the euro sign look once
# read as Windows-1252: a lead byte shown as Ã, Â or â (â€ for the punctuation block)
_TELLS = ("Ã", "Â", "â€")
_C1 = tuple(chr(code) for code in range(0x80, 0xA0))


def repair_mojibake(text: str) -> str:
    if any(tell in text for tell in _TELLS):
        return ftfy.fix_encoding(text)
    if any(control in text for control in _C1):
        return fix_c1_controls(text)
    return text
