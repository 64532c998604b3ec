"""Photo captions and credits: "… Foto: Max Muster/dpa", "© AP Photo / …", "(Archiv)", "(li.)", and
image alt texts with outlet, width and date; the credits move into metadata."""

from __future__ import annotations

import re

from pipelines.cleanup.categories import SHORT_LINE, Hit
from pipelines.cleanup.phrases import GLUE

_CREDIT_WORDS = (
    r"(?:Fotos?|Bild(?:er|quelle|rechte|nachweis)?|Fotonachweis|Quelle|Photo|Credits?|Copyright|"
    r"Fotograf(?:in)?)"
)

_CREDIT_LINE = re.compile(r"^\s*(?:©|\(c\)\s|" + _CREDIT_WORDS + r"\s*:)\s*(?P<credit>\S.{1,150})$", re.IGNORECASE)
_TRAILING_CREDIT = re.compile(
    r"(?:^|(?<=[\s.!?)“\"]))\(?" + _CREDIT_WORDS + r"\s*:\s*(?P<credit>[^:()]{2,80}?)\)?\s*$", re.IGNORECASE
)
_TRAILING_COPYRIGHT = re.compile(r"\s©\s*(?P<credit>[^©]{2,80})$")
_CAPTION_END = re.compile(
    r"\((?:Archiv|Archivbild|Archivfoto|Symbolbild|Symbolfoto|Montage|Illustration|Grafik|Foto|Screenshot|"
    r"Bildmontage|Collage)\)\s*$",
    re.IGNORECASE,
)
_POSITION = re.compile(
    r"\((?:li\.|re\.|l\.|r\.|M\.|L|R|Mitte|links|rechts|v\.\s?l\.(?:\s?n\.\s?r\.)?|vorne|hinten|oben|unten)\)"
)
# Image alt texts that carry outlet, image width and date: "Caption - SNA, 1920, 12.01.2022".
IMAGE_ALT = re.compile(
    r"\s[-–]\s(?P<outlet>[A-ZÄÖÜ][\w.&'’ -]{0,40}?),\s*(?P<width>\d{3,4}),"
    r"\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*$"
)
CREDIT_PREFIX = re.compile(r"^(?:(?:Fotos?|Bild)\s*:?\s*|©\s*)", re.IGNORECASE)


def credit_text(raw: str) -> str:
    """A credit as written, cut where a caption was glued on without a space ("SecoNato-…")."""
    credit = raw.strip().rstrip(".;,")
    glued = GLUE.search(credit)
    if glued and glued.start() > 2:
        credit = credit[: glued.start()]
    return credit.strip()


def caption_hit(line: str) -> Hit | None:
    """Photo captions and credits, recognised by their credit, position markers or archive notes."""
    stripped = line.strip()
    if len(stripped) <= SHORT_LINE + 60 and (m := _CREDIT_LINE.match(stripped)):
        credit = credit_text(m.group("credit"))
        return Hit("credit_caption", "line starts with a photo credit", {"credits": [credit]} if credit else {})
    if len(stripped) > 450:
        return None
    if m := _TRAILING_CREDIT.search(stripped):
        return Hit("caption", "caption ending in a photo credit", {"credits": [credit_text(m.group("credit"))]})
    if m := _TRAILING_COPYRIGHT.search(stripped):
        return Hit("caption", "caption ending in © credit", {"credits": [credit_text(m.group("credit"))]})
    if _CAPTION_END.search(stripped):
        return Hit("caption", "caption ending in a picture note like (Archiv)")
    if _POSITION.search(stripped):
        return Hit("caption", "caption with a position marker like (li.)")
    return None
