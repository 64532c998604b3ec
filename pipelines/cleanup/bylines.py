"""Who wrote and who publishes: author lines ("Von Anna Beispiel, Berlin") and the publisher named in
a copyright line ("© Handelsblatt GmbH – …" → "Handelsblatt")."""

from __future__ import annotations

import re

from pipelines.cleanup.categories import Hit
from pipelines.cleanup.dates import parse_date

_NAME = r"[A-ZÄÖÜ][\w.'’-]+(?:\s+(?:von\s+|van\s+|de\s+|zu\s+)?[A-ZÄÖÜ][\w.'’-]+){1,3}"
_BYLINE = re.compile(
    r"^(?:Von|Ein (?:Kommentar|Gastbeitrag|Gastkommentar|Essay|Interview|Artikel|Bericht|Beitrag|Text|"
    r"Leitartikel) von|"
    r"Eine (?:Analyse|Reportage|Glosse|Kolumne) von|"
    r"Autor(?:in)?(?:/Autor(?:in)?)?:?|By)\s+(?P<author>" + _NAME + r"(?:(?:,\s*|\s+und\s+|\s*&\s*)" + _NAME + r")*)"
    r"(?:\s*[,|·•]\s*(?:[A-ZÄÖÜ][\w.-]+(?:\s(?:in|für|aus|im|bei)?\s?[A-ZÄÖÜ][\w.-]+)?|"
    r"\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|"
    r"\d{1,2}\.\s[A-Za-zä]+\s\d{4})(?:,?\s*(?:um\s)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?){0,2}$"
)
_LEGAL_FORM = re.compile(r"\s+(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|SE|mbH|e\.\s?V\.|Ltd\.?|Inc\.?)\b.*$")
_COPYRIGHT_OWNER = re.compile(r"©\s*(?:\d{4}\s*)?(?P<owner>[^–—.,|]{2,60}?)\s*(?:\s[–—-]\s|[–—.,|]|$)")


def publisher_from_copyright(line: str) -> str | None:
    """ "© Handelsblatt GmbH – Alle Rechte vorbehalten" → "Handelsblatt"."""
    m = _COPYRIGHT_OWNER.search(line)
    if not m:
        return None
    owner = _LEGAL_FORM.sub("", m.group("owner")).strip()
    return owner or None


def byline_hit(line: str) -> Hit | None:
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    metadata = {"author": m.group("author")}
    if date := parse_date(line[m.end("author") :]):
        metadata["date"] = date
    return Hit("byline", "author line", metadata)
