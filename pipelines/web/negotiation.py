"""Content negotiation: the Accept header (with q-values) or an explicit ``format=`` parameter."""

from __future__ import annotations

# format name -> media types that ask for it (first: the one we answer with)
SELECT_FORMATS: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
GRAPH_FORMATS: dict[str, tuple[str, ...]] = {
    "turtle": ("text/turtle", "application/x-turtle"),
    "ntriples": ("application/n-triples", "text/plain"),
    "jsonld": ("application/ld+json", "application/json"),
}
HTML_FORMATS: dict[str, tuple[str, ...]] = {"html": ("text/html", "application/xhtml+xml")}

# short names people type in ?format=
ALIASES = {
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "srj": "json",
    "srx": "xml",
}


class NotAcceptableError(ValueError):
    """Neither the Accept header nor ``format=`` names a representation we have."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (ties keep the header's order)."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(media, q) for media, q, _ in ranges if q > 0]


def choose(accept: str | None, offers: dict[str, tuple[str, ...]], default: str, explicit: str | None = None) -> str:
    """The format name to answer with: ``explicit`` (``format=``) wins, then the best Accept match."""
    if explicit:
        name = ALIASES.get(explicit.lower(), explicit.lower())
        if name in offers:
            return name
        raise NotAcceptableError(f"format={explicit!r} is not offered here; use one of {', '.join(offers)}")
    for media, _q in parse_accept(accept):
        if media in ("*/*", "*"):
            return default
        for name, types in offers.items():
            if media in types or (media.endswith("/*") and any(t.startswith(media[:-1]) for t in types)):
                return name
    raise NotAcceptableError(
        f"none of the accepted types ({accept}) is offered here; offered: "
        + ", ".join(types[0] for types in offers.values())
    )
