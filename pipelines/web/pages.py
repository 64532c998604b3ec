"""What the HTML pages show, gathered from the store into plain values the templates render.

Every function takes a :class:`Fetch` (which runs queries in the worker pool) and returns a dict for
a Jinja2 template. Text from the web is never turned into markup here: the templates autoescape,
and the article text is handed over as segments (plain text or a linked mention).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from pipelines.days import to_utc_iso
from pipelines.namespaces import ITSRDF, NG, NIF, ONTOLOGY_DIR, PREFIXES, SCHEMA, WD
from pipelines.oxterms import TermConversionError, to_ox
from pipelines.store.queries import fill_values
from pipelines.web.literals import literal_note
from pipelines.web.resources import IriMap, Resource, web_link

PAGE_QUERIES = ONTOLOGY_DIR / "queries" / "pages"

Rows = tuple[list[str], list[list[Node | None]]]


class Select(Protocol):
    def __call__(self, sparql: str, substitutions: dict[str, Node] | None = None) -> Rows: ...


class Construct(Protocol):
    def __call__(self, sparql: str, substitutions: dict[str, Node] | None = None) -> Graph: ...


TYPE_CLASSES = {
    str(SCHEMA.Person): ("per", "person"),
    str(SCHEMA.Place): ("loc", "place"),
    str(SCHEMA.Organization): ("org", "organisation"),
    str(NG.Miscellaneous): ("misc", "other name"),
}


@dataclass
class Fetch:
    """The page queries (``ontology/queries/pages/*.rq``), run in the worker pool with their variables bound."""

    select: Select
    construct: Construct
    iris: IriMap

    def rows(self, name: str, **bindings: Node) -> list[dict[str, Node | None]]:
        """The rows of page query ``name`` with ``bindings`` for its variables."""
        names, rows = self.select(page_query(name), dict(bindings))
        return [dict(zip(names, row, strict=True)) for row in rows]

    def graph(self, name: str, **bindings: Node) -> Graph:
        """The triples of page CONSTRUCT query ``name`` with ``bindings`` for its variables."""
        return self.construct(page_query(name), dict(bindings))

    def labels(self, entities: Iterable[str]) -> Graph:
        """Labels and types of ``entities`` (one query: their IRIs fill the query's VALUES block)."""
        iris = list(dict.fromkeys(entities))
        if not iris:
            return Graph()
        return self.construct(fill_values(page_query("labels"), "e", iris))


@cache
def page_query(name: str) -> str:
    return (PAGE_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def checked_iri(value: str) -> URIRef:
    """``value`` as an IRI the store accepts; a ValueError for anything else (it never reaches a query)."""
    iri = URIRef(value)
    try:
        to_ox(iri)
    except TermConversionError as exc:
        raise ValueError(f"not a usable IRI: {value!r}") from exc
    return iri


# ---------------------------------------------------------------- small helpers


def label_of(graph: Graph, node: Node) -> str | None:
    """German label, else English, else any rdfs:label or schema:name."""
    labels = {getattr(o, "language", None): str(o) for o in graph.objects(node, RDFS.label)}
    for language in ("de", "en", None):
        if language in labels:
            return labels[language]
    if labels:
        return next(iter(labels.values()))
    name = graph.value(node, SCHEMA.name)
    return str(name) if name is not None else None


def short(iri: str, base_iri: str) -> str:
    """A prefixed name for display (schema:headline, ngid:article/x), else the IRI."""
    for prefix, ns in (("ngid", base_iri), *PREFIXES.items()):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def text(value: Node | None) -> str | None:
    return None if value is None else str(value)


def teaser(snippet: Node | None, length: int = 90) -> str | None:
    """The start of an article's text, cut at a word, for articles without a headline."""
    if snippet is None:
        return None
    first = " ".join(str(snippet).split("\n\n", 1)[0].split())
    if len(first) <= length:
        return first or None
    return first[:length].rsplit(" ", 1)[0] + " …"


def entity_class(types: Iterable[str]) -> tuple[str, str]:
    for t in types:
        if t in TYPE_CLASSES:
            return TYPE_CLASSES[t]
    return ("misc", "entity")


def day_of(dated: Node | None, published: Node | None) -> str | None:
    """The article's day: its dcterms:date, else a full schema:datePublished (graphs built before
    dcterms:date). Never the night that processed it: that is provenance, not news."""
    for value in (dated, published):
        if isinstance(value, Literal) and len(str(value)) >= 10 and str(value)[4] == "-":
            return str(value)[:10]
    return None


def date_basis(graph: Graph, article: Node, raw: Node | None, day: str | None) -> str | None:
    """Where the article's day comes from, said the way :func:`pipelines.days.news_day` chose it."""
    if day is None:
        return None
    published = graph.value(article, SCHEMA.datePublished)
    if published is not None and str(published)[:10] == day:
        return "date on the page"
    if raw is not None and str(graph.value(raw, DCTERMS.modified) or "")[:10] == day:
        return "Last-Modified of the page"
    if raw is not None and str(graph.value(raw, NG.capturedOn) or "") == day:
        return "capture date of the page"
    return None


def utc_datetime(value: Node | None) -> Literal | None:
    """An xsd:dateTime in UTC (``Z``): stores keep the offset a time was written with (older runs: Berlin's)."""
    if not isinstance(value, Literal):
        return None
    utc = to_utc_iso(str(value))
    return Literal(utc, datatype=XSD.dateTime, normalize=False) if utc else None  # rdflib would write +00:00


def utc_text(value: Node | None) -> str | None:
    """A time for people: ``2026-11-21 23:05 UTC`` (minutes; the exact value is in the data)."""
    utc = utc_datetime(value)
    return f"{str(utc)[:16].replace('T', ' ')} UTC" if utc is not None else None


# ---------------------------------------------------------------- article


@dataclass
class Segment:
    text: str
    href: str | None = None
    css: str = ""
    title: str = ""


@dataclass
class MentionView:
    begin: int
    end: int
    anchor: str
    entity: str
    entity_href: str
    entity_label: str
    css: str
    kind: str
    confidence: float | None
    wikidata: bool


def segment_text(body: str, mentions: list[MentionView]) -> list[list[Segment]]:
    """Paragraphs of the clean text as segments, each mention a linked segment at its offsets.

    Offsets are code-point indices into the text (as the graph stores them); overlapping mentions
    keep the first (and longest) one.
    """
    chosen: list[MentionView] = []
    for mention in sorted(mentions, key=lambda m: (m.begin, -(m.end - m.begin))):
        if 0 <= mention.begin < mention.end <= len(body) and (not chosen or mention.begin >= chosen[-1].end):
            chosen.append(mention)
    paragraphs: list[list[Segment]] = [[]]
    position = 0

    def plain(until: int) -> None:
        nonlocal position
        chunk = body[position:until]
        pieces = chunk.split("\n\n")
        for index, piece in enumerate(pieces):
            if index:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(Segment(piece))
        position = until

    for mention in chosen:
        plain(mention.begin)
        title = f"{mention.entity_label} ({mention.kind}"
        title += f", confidence {mention.confidence:.2f})" if mention.confidence is not None else ")"
        paragraphs[-1].append(Segment(body[mention.begin : mention.end], mention.entity_href, mention.css, title))
        position = mention.end
    plain(len(body))
    return [p for p in paragraphs if p]


def article_page(fetch: Fetch, resource: Resource) -> dict[str, Any] | None:
    assert resource.doc_id
    iris = fetch.iris
    graph = fetch.graph("graph", graph=checked_iri(iris.article_graph(resource.doc_id)))
    article = URIRef(resource.iri)
    if (article, RDF.type, SCHEMA.NewsArticle) not in graph:
        return None
    context = graph.value(article, NG.textContext)
    body = str(graph.value(context, NIF.isString) or graph.value(article, SCHEMA.articleBody) or "")
    mentions = []
    for phrase in graph.subjects(NIF.referenceContext, context):
        entity = graph.value(phrase, ITSRDF.taIdentRef)
        if entity is None:
            continue
        types = [str(t) for t in graph.objects(phrase, ITSRDF.taClassRef)]
        css, kind = entity_class(types)
        confidence = graph.value(phrase, NG.linkingConfidence)
        mentions.append(
            MentionView(
                begin=int(graph.value(phrase, NIF.beginIndex).toPython()),  # type: ignore[union-attr]
                end=int(graph.value(phrase, NIF.endIndex).toPython()),  # type: ignore[union-attr]
                anchor=str(graph.value(phrase, NIF.anchorOf) or ""),
                entity=str(entity),
                entity_href=iris.href(str(entity)),
                entity_label=label_of(graph, entity) or short(str(entity), iris.base_iri),
                css=css,
                kind=kind,
                confidence=float(confidence.toPython()) if isinstance(confidence, Literal) else None,
                wikidata=str(entity).startswith(str(WD)),
            )
        )
    mentions.sort(key=lambda m: m.begin)
    entities: dict[str, dict[str, Any]] = {}
    for m in mentions:
        item = entities.setdefault(
            m.entity,
            {
                "href": m.entity_href,
                "label": m.entity_label,
                "css": m.css,
                "kind": m.kind,
                "wikidata": m.wikidata,
                "iri": m.entity,
                "count": 0,
            },
        )
        item["count"] += 1
    removals: list[dict[str, Any]] = []
    for node in graph.objects(article, NG.removal):
        line = graph.value(node, NG.sourceLine)
        removals.append(
            {
                "index": int(str(node).rsplit("/", 1)[-1]) if str(node).rsplit("/", 1)[-1].isdigit() else 0,
                "category": text(graph.value(node, NG.removalCategory)),
                "reason": text(graph.value(node, NG.removalReason)),
                "chars": int(graph.value(node, NG.removedCharCount).toPython()),  # type: ignore[union-attr]
                "line": int(line.toPython()) if isinstance(line, Literal) else None,
            }
        )
    removals.sort(key=lambda r: r["index"])
    removed_by_category: Counter[str] = Counter()
    for r in removals:
        removed_by_category[r["category"] or "?"] += r["chars"]
    raw = graph.value(article, DCTERMS.source)
    run = graph.value(article, PROV.wasGeneratedBy)
    publisher = graph.value(article, SCHEMA.publisher)
    provenance = {
        "raw": str(raw) if raw is not None else None,
        "raw_href": iris.href(str(raw)) if raw is not None else None,
        "hash": text(graph.value(raw, NG.contentHash)) if raw is not None else None,
        "fetched": utc_text(graph.value(raw, PROV.generatedAtTime)) if raw is not None else None,
        "modified": utc_text(graph.value(raw, DCTERMS.modified)) if raw is not None else None,
        "format": text(graph.value(raw, DCTERMS.format)) if raw is not None else None,
        "fetched_url": web_link(text(graph.value(raw, SCHEMA.url))) if raw is not None else None,
        "source": text(graph.value(raw, NG.sourceName)) if raw is not None else None,
        "captured": text(graph.value(raw, NG.capturedOn)) if raw is not None else None,
    }
    run_info: dict[str, Any] = {}
    if run is not None:
        run_info = run_summary(fetch, str(run))
    day = day_of(graph.value(article, DCTERMS.date), graph.value(article, SCHEMA.datePublished))
    stories = [
        {
            "href": iris.href(str(row["story"])),
            "name": text(row["name"]) or short(str(row["story"]), iris.base_iri),
            "articles": _count(row["articles"]),
        }
        for row in fetch.rows("article-stories", article=article)
    ]
    return {
        "iri": resource.iri,
        "headline": text(graph.value(article, SCHEMA.headline)) or teaser(Literal(body), 110),
        "url": web_link(text(graph.value(article, SCHEMA.url))),
        "published": text(graph.value(article, SCHEMA.datePublished)),
        "day": day,
        "day_basis": date_basis(graph, article, raw, day),
        "language": text(graph.value(article, SCHEMA.inLanguage)),
        "publisher": label_of(graph, publisher) if publisher is not None else None,
        "paragraphs": segment_text(body, mentions),
        "characters": len(body),
        "entities": sorted(entities.values(), key=lambda e: (-e["count"], e["label"].casefold())),
        "mention_count": len(mentions),
        "removals": removals,
        "removed_total": sum(r["chars"] for r in removals),
        "removed_by_category": removed_by_category.most_common(),
        "provenance": provenance,
        "run": run_info,
        "stories": stories,
    }


def _count(value: Node | None) -> int:
    return int(value.toPython()) if isinstance(value, Literal) else 0


def run_summary(fetch: Fetch, run_iri: str) -> dict[str, Any]:
    resource = fetch.iris.classify(run_iri)
    if not resource.run_id:
        return {"iri": run_iri, "href": fetch.iris.href(run_iri)}
    graph = fetch.graph("graph", graph=checked_iri(fetch.iris.run_graph(resource.run_id)))
    run = URIRef(run_iri)
    model = graph.value(run, NG.nerModel)
    kb = graph.value(run, NG.knowledgeBase)
    software = graph.value(run, PROV.wasAssociatedWith)
    stats = []
    for stat in graph.objects(run, SCHEMA.additionalProperty):
        stats.append((text(graph.value(stat, SCHEMA.name)), text(graph.value(stat, SCHEMA.value))))
    return {
        "iri": run_iri,
        "href": fetch.iris.href(run_iri),
        "partition": text(graph.value(run, NG.partition)),
        "started": utc_text(graph.value(run, PROV.startedAtTime)),
        "ended": utc_text(graph.value(run, PROV.endedAtTime)),
        "model": f"{graph.value(model, SCHEMA.name)} {graph.value(model, SCHEMA.version)}" if model else None,
        "model_href": fetch.iris.href(str(model)) if model else None,
        "kb": text(graph.value(kb, SCHEMA.version)) if kb else None,
        "kb_href": fetch.iris.href(str(kb)) if kb else None,
        "software": text(graph.value(software, SCHEMA.softwareVersion)) if software else None,
        "stats": sorted(stats, key=lambda s: s[0] or ""),
    }


# ---------------------------------------------------------------- entity


def entity_page(fetch: Fetch, resource: Resource) -> dict[str, Any] | None:
    iris = fetch.iris
    entity = checked_iri(resource.iri)
    rows = fetch.rows("entity-articles", entity=entity)
    described = fetch.labels([resource.iri])
    if not rows and not len(described):
        return None
    articles = []
    per_day: Counter[str] = Counter()
    for row in rows:
        article, headline, mentions = row["article"], row["headline"], row["mentions"]
        count = int(mentions.toPython()) if isinstance(mentions, Literal) else 0
        day = day_of(row["dated"], row["published"])
        if day:
            per_day[day] += count
        articles.append(
            {
                "href": iris.href(str(article)),
                "headline": text(headline) or teaser(row["snippet"]) or short(str(article), iris.base_iri),
                "outlet": text(row["outlet"]),
                "day": day,
                "mentions": count,
            }
        )
    co_rows = [(row["other"], row["articles"]) for row in fetch.rows("co-mentions", entity=entity)]
    labels = fetch.labels(str(other) for other, _shared in co_rows)
    co = []
    for other, shared in co_rows:
        css, _kind = entity_class(str(t) for t in labels.objects(other, RDF.type))
        co.append(
            {
                "iri": str(other),
                "href": iris.href(str(other)),
                "label": label_of(labels, other) or short(str(other), iris.base_iri),  # type: ignore[arg-type]
                "articles": int(shared.toPython()) if isinstance(shared, Literal) else 0,
                "css": css,
            }
        )
    types = [str(t) for t in described.objects(entity, RDF.type)]
    css, kind = entity_class(types)
    label = label_of(described, entity) or short(resource.iri, iris.base_iri)
    wikidata = resource.iri.startswith(str(WD))
    quotes = [
        {
            "text": str(row["text"]),
            "kind": text(row["kind"]),
            "cue": text(row["cue"]),
            "reference": text(row["reference"]),
            "day": day_of(row["published"], row["night"]),
            "href": iris.href(str(row["article"])),
            "headline": text(row["headline"]) or short(str(row["article"]), iris.base_iri),
            "outlet": text(row["outlet"]),
        }
        for row in fetch.rows("entity-quotes", entity=entity)
    ]
    return {
        "iri": resource.iri,
        "label": label,
        "labels": sorted({(str(o), getattr(o, "language", None) or "") for o in described.objects(entity, RDFS.label)}),
        "kind": kind,
        "css": css,
        "nil": (entity, RDF.type, NG.NilEntity) in described,
        "wikidata": resource.iri if wikidata else None,
        "articles": articles,
        "article_count": len(articles),
        "mention_count": sum(a["mentions"] for a in articles),
        "timeline": timeline(per_day),
        "co_mentions": co,
        "picture": co_mention_picture(label, css, co),
        "quotes": quotes,
    }


@dataclass
class Bar:
    day: str
    count: int
    x: float
    y: float
    height: float


@dataclass
class Timeline:
    bars: list[Bar] = field(default_factory=list)
    width: int = 640
    height: int = 120
    bar_width: float = 0
    max_count: int = 0
    first: str | None = None
    last: str | None = None


def timeline(per_day: Counter[str], width: int = 640, height: int = 120) -> Timeline:
    """Mentions per day as bars (one slot per day with mentions, oldest left)."""
    days = sorted(per_day)
    if not days:
        return Timeline(width=width, height=height)
    top = max(per_day.values())
    slot = (width - 20) / max(len(days), 1)
    bar_width = max(2.0, min(40.0, slot * 0.7))
    bars = []
    for index, day in enumerate(days):
        h = (height - 30) * per_day[day] / top
        bars.append(Bar(day, per_day[day], 10 + index * slot + (slot - bar_width) / 2, height - 20 - h, h))
    return Timeline(bars, width, height, bar_width, top, days[0], days[-1])


@dataclass
class Node2D:
    label: str
    href: str | None
    css: str
    x: float
    y: float
    r: float
    weight: int = 0
    stroke: float = 0
    anchor: str = "middle"
    label_y: float = 0


def co_mention_picture(label: str, css: str, co: list[dict[str, Any]], size: int = 420) -> dict[str, Any]:
    """A star: the entity in the middle, the entities mentioned with it around, lines as thick as shared articles."""
    centre = size / 2
    hub = Node2D(label, None, css, centre, centre, 30, label_y=centre + 4)
    top = max((c["articles"] for c in co), default=1)
    nodes = []
    radius = size / 2 - 60
    for index, other in enumerate(co):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(co), 1)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else ("start" if math.cos(angle) > 0 else "end")
        shown = other["label"] if len(other["label"]) <= 18 else other["label"][:17] + "…"
        node = Node2D(
            shown,
            other["href"],
            other["css"],
            x,
            y,
            8 + 10 * other["articles"] / top,
            weight=other["articles"],
            stroke=1 + 5 * other["articles"] / top,
            anchor=anchor,
        )
        offset = node.r + 12
        node.label_y = y + (offset if math.sin(angle) > 0.3 else -offset if math.sin(angle) < -0.3 else 4)
        if anchor != "middle":
            node.x = x
        nodes.append(node)
    return {"size": size, "hub": hub, "nodes": nodes}


# ---------------------------------------------------------------- home


def home_page(fetch: Fetch) -> dict[str, Any]:
    iris = fetch.iris
    rows = [
        (r["article"], r["headline"], r["outlet"], r["night"], r["dated"], r["published"], r["snippet"])
        for r in fetch.rows("latest-articles")
    ]
    latest = [
        {
            "href": iris.href(str(article)),
            "headline": text(headline) or teaser(snippet) or short(str(article), iris.base_iri),
            "outlet": text(outlet),
            "day": day_of(dated, published),
        }
        for article, headline, outlet, _night, dated, published, snippet in rows
    ]
    top_rows = [(r["entity"], r["articles"]) for r in fetch.rows("top-entities")]
    labels = fetch.labels(str(entity) for entity, _count in top_rows)
    top = []
    for entity, count in top_rows:
        css, kind = entity_class(str(t) for t in labels.objects(entity, RDF.type))
        top.append(
            {
                "href": iris.href(str(entity)),
                "label": label_of(labels, entity) or short(str(entity), iris.base_iri),  # type: ignore[arg-type]
                "articles": int(count.toPython()) if isinstance(count, Literal) else 0,
                "css": css,
                "kind": kind,
            }
        )
    return {"latest": latest, "top": top}


# ---------------------------------------------------------------- story


def _preferred_label(labels: Iterable[Node | None]) -> str | None:
    """German label, else English, else any (as :func:`label_of`, over query rows)."""
    by_language = {getattr(label, "language", None): str(label) for label in labels if label is not None}
    for language in ("de", "en", None):
        if language in by_language:
            return by_language[language]
    return next(iter(by_language.values()), None)


def story_page(fetch: Fetch, resource: Resource) -> dict[str, Any] | None:
    """A story: its articles (headline, outlet, day), the entities they share, and what was said in them."""
    iris = fetch.iris
    story = URIRef(resource.iri)
    rows = fetch.rows("story-articles", story=story)
    if not rows:
        return None
    articles = [
        {
            "iri": str(row["article"]),
            "href": iris.href(str(row["article"])),
            "headline": text(row["headline"]) or teaser(row["snippet"]) or short(str(row["article"]), iris.base_iri),
            "outlet": text(row["outlet"]),
            "day": day_of(row["published"], row["night"]),
        }
        for row in rows
    ]
    titles = {a["iri"]: a["headline"] for a in articles}
    entities: dict[str, dict[str, Any]] = {}
    labels: dict[str, list[Node | None]] = defaultdict(list)
    for row in fetch.rows("story-entities", story=story):
        iri = str(row["entity"])
        item = entities.setdefault(iri, {"iri": iri, "href": iris.href(iri), "articles": 0, "types": set()})
        item["articles"] = max(item["articles"], _count(row["articles"]))
        if row["type"] is not None:
            item["types"].add(str(row["type"]))
        labels[iri].append(row["label"])
    shared = []
    for iri, item in entities.items():
        css, kind = entity_class(sorted(item.pop("types")))
        label = _preferred_label(labels[iri]) or short(iri, iris.base_iri)
        shared.append({**item, "label": label, "css": css, "kind": kind})
    shared.sort(key=lambda e: (-e["articles"], e["label"].casefold()))
    quotes: dict[str, dict[str, Any]] = {}
    speaker_labels: dict[str, list[Node | None]] = defaultdict(list)
    for row in fetch.rows("story-quotes", story=story):
        key = str(row["quote"])
        speaker = str(row["speaker"]) if row["speaker"] is not None else None
        quotes.setdefault(
            key,
            {
                "text": str(row["text"]),
                "kind": text(row["kind"]),
                "cue": text(row["cue"]),
                "speaker": speaker,
                "speaker_href": iris.href(speaker) if speaker else None,
                "description": text(row["description"]),
                "href": iris.href(str(row["article"])),
                "headline": titles.get(str(row["article"])) or short(str(row["article"]), iris.base_iri),
            },
        )
        if speaker:
            speaker_labels[speaker].append(row["label"])
    for quote in quotes.values():
        if quote["speaker"]:
            quote["speaker_label"] = _preferred_label(speaker_labels[quote["speaker"]]) or short(
                quote["speaker"], iris.base_iri
            )
    first = rows[0]
    return {
        "iri": resource.iri,
        "name": text(first["name"]) or articles[0]["headline"],
        "start": text(first["startDate"]),
        "articles": articles,
        "outlets": sorted({a["outlet"] for a in articles if a["outlet"]}),
        "entities": shared,
        "quotes": list(quotes.values()),
    }


# ---------------------------------------------------------------- any other resource


def describe_page(fetch: Fetch, resource: Resource, graph: Graph) -> dict[str, Any] | None:
    """Triples grouped by subject (the resource first), every IRI linked; runs also list their articles."""
    if not len(graph):
        return None
    iris = fetch.iris
    by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s, p, o in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        by_subject[str(s)].append(
            {"predicate": short(str(p), iris.base_iri), "predicate_href": str(p), **term_view(o, iris)}
        )
    subjects = sorted(by_subject, key=lambda s: (s != resource.iri, s))
    articles = []
    if resource.kind == "run":
        rows = [
            (r["article"], r["headline"], r["outlet"], r["snippet"])
            for r in fetch.rows("run-articles", run=checked_iri(resource.iri))
        ]
        articles = [
            {
                "href": iris.href(str(a)),
                "headline": text(h) or teaser(b) or short(str(a), iris.base_iri),
                "outlet": text(o),
            }
            for a, h, o, b in rows
        ]
    title = label_of(graph, URIRef(resource.iri)) or short(resource.iri, iris.base_iri)
    return {
        "iri": resource.iri,
        "title": title,
        "kind": resource.kind,
        "subjects": [
            {
                "iri": s,
                "short": short(s, iris.base_iri),
                "anchor": s.rsplit("#", 1)[-1] if "#" in s else "",
                "rows": by_subject[s],
            }
            for s in subjects
        ],
        "articles": articles,
        "run": run_summary(fetch, resource.iri) if resource.kind == "run" else None,
    }


def term_view(term: Node, iris: IriMap) -> dict[str, Any]:
    if isinstance(term, URIRef):
        return {"value": short(str(term), iris.base_iri), "href": iris.href(str(term)), "literal": False}
    if isinstance(term, Literal):
        note, numeric = literal_note(term, lambda iri: short(iri, iris.base_iri))
        return {"value": str(term), "href": None, "literal": True, "note": note, "numeric": numeric}
    return {"value": str(term), "href": None, "literal": False}


def result_table(
    names: list[str], rows: list[list[Node | None]], iris: IriMap, truncated: bool = False
) -> dict[str, Any]:
    return {
        "truncated": truncated,
        "names": names,
        "rows": [[term_view(t, iris) if t is not None else None for t in row] for row in rows],
    }
