"""Content negotiation: the Accept header (with q-values) or an explicit ``format=`` parameter."""

from __future__ import annotations

from pipelines.web.rdfformats import GRAPH_FORMATS

# format name -> media types that ask for it (first: the one we answer with)
SELECT_FORMATS: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
HTML_FORMATS: dict[str, tuple[str, ...]] = {"html": ("text/html", "application/xhtml+xml")}

# what people and clients put in ?format= -> the formats it may mean, the first on offer wins
# (SPARQLWrapper sends format=xml for every query form: SPARQL XML results, or RDF/XML for graphs)
ALIASES: dict[str, tuple[str, ...]] = {
    "ttl": ("turtle",),
    "nt": ("ntriples",),
    "n-triples": ("ntriples",),
    "json-ld": ("jsonld",),
    "srj": ("json",),
    "srx": ("xml",),
    "xml": ("xml", "rdfxml"),
    "json": ("json", "jsonld"),
    "rdf": ("rdfxml",),
    "rdf+xml": ("rdfxml",),
    "rdf/xml": ("rdfxml",),
    "nq": ("nquads",),
    "n-quads": ("nquads",),
    "hextuples": ("hext",),
}

__all__ = ["GRAPH_FORMATS", "HTML_FORMATS", "SELECT_FORMATS", "NotAcceptableError", "choose", "parse_accept"]


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


def _explicit(value: str, offers: dict[str, tuple[str, ...]]) -> str | None:
    """The offer a ``format=`` value names: a format name, an alias or a media type."""
    value = value.strip().lower()
    for name in (value, *ALIASES.get(value, ())):
        if name in offers:
            return name
    return next((name for name, types in offers.items() if value in types), None)


def choose(accept: str | None, offers: dict[str, tuple[str, ...]], default: str, explicit: str | None = None) -> str:
    """The format name to answer with: ``explicit`` (``format=``) wins, then the best Accept match."""
    if explicit:
        name = _explicit(explicit, offers)
        if name is not None:
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
