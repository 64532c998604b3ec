"""One article as RDF: schema.org article, NIF text and mentions, Wikidata/NIL entities, removals.

Everything about an article goes into its own named graph (IRI from ``RawDocument.doc_id``), so
republishing an article replaces exactly its triples. Every node has a stable IRI (no blank nodes),
which keeps reruns byte-identical and graph comparison cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from pipelines.days import news_day
from pipelines.domain import CleanDocument, EntityInfo, LinkedMention, RawDocument, RunInfo
from pipelines.graph.terms import (
    GraphBuildError,
    count_literal,
    date_literal,
    datetime_literal,
    iri,
    language_code,
    media_type,
    publication_date_literal,
)
from pipelines.graph.triples import TripleGraph
from pipelines.namespaces import ENTITY_CLASSES, ITSRDF, NG, NIF, SCHEMA, InvalidIdentifierError, Namespaces

# The pipeline reads German news: labels of unknown language (linker names) are taken to be German;
# entity labels are tagged de or en only (the shapes and the knowledge base know no others).
DEFAULT_LANGUAGE = "de"
LABEL_LANGUAGES = ("de", "en")


def new_dataset(ns: Namespaces) -> Dataset:
    ds = Dataset()
    ns.bind(ds)
    return ds


def build_article_graph(
    raw: RawDocument,
    clean: CleanDocument,
    mentions: Sequence[LinkedMention],
    entities: Mapping[str, EntityInfo],
    run: RunInfo,
    ns: Namespaces,
) -> Dataset:
    """The article's named graph (in a Dataset): article, raw page, text context, mentions, entities."""
    return build_article_triples(raw, clean, mentions, entities, run, ns).dataset(ns)


def build_article_triples(
    raw: RawDocument,
    clean: CleanDocument,
    mentions: Sequence[LinkedMention],
    entities: Mapping[str, EntityInfo],
    run: RunInfo,
    ns: Namespaces,
) -> TripleGraph:
    """:func:`build_article_graph`'s named graph as a plain set of triples (what a night serializes)."""
    try:
        g = TripleGraph(ns.article_graph_iri(raw.doc_id))
        text = clean.text
        language = language_code(clean.language) or language_code(raw.language)
        article = ns.article_iri(raw.doc_id)
        run_iri = ns.run_iri(run.run_id)
        url = iri(raw.url, f"article {raw.doc_id!r}: url")

        g.add((article, RDF.type, SCHEMA.NewsArticle))
        g.add((article, SCHEMA.url, url))
        if clean.title:
            g.add((article, SCHEMA.headline, Literal(clean.title)))
        published = publication_date_literal(clean.metadata.get("date"))
        if published is not None:
            g.add((article, SCHEMA.datePublished, published))
        day = news_day(str(published) if published is not None else None, raw.last_modified, raw.captured)
        if day is not None:
            g.add((article, DCTERMS.date, Literal(day, datatype=XSD.date)))
        if language:
            g.add((article, SCHEMA.inLanguage, Literal(language)))
        g.add((article, SCHEMA.articleBody, Literal(text)))
        g.add((article, PROV.wasGeneratedBy, run_iri))

        publisher_name = (raw.outlet or raw.source or "").strip()
        if not publisher_name:
            raise GraphBuildError(f"article {raw.doc_id!r}: neither outlet nor source is given (needed as publisher)")
        publisher = ns.publisher_iri(publisher_name)
        g.add((article, SCHEMA.publisher, publisher))
        g.add((publisher, RDF.type, SCHEMA.Organization))
        g.add((publisher, SCHEMA.name, Literal(publisher_name)))

        _add_raw_page(g, raw, ns, article)
        context = _add_context(g, raw, text, ns, url)
        g.add((article, NG.textContext, context))
        _add_removals(g, raw, clean, ns, article)

        primary = (language or "").split("-")[0]
        label_language = primary if primary in LABEL_LANGUAGES else DEFAULT_LANGUAGE
        described: set[URIRef] = set()
        seen_spans: dict[tuple[int, int], LinkedMention] = {}
        for mention in mentions:
            _check_mention(raw.doc_id, text, mention, seen_spans)
            entity = _entity_iri(raw.doc_id, mention, ns)
            phrase = ns.phrase_iri(raw.doc_id, mention.start, mention.end)
            g.add((phrase, RDF.type, NIF.Phrase))
            g.add((phrase, RDF.type, NIF.OffsetBasedString))
            g.add((phrase, NIF.referenceContext, context))
            g.add((phrase, NIF.beginIndex, Literal(mention.start, datatype=XSD.nonNegativeInteger)))
            g.add((phrase, NIF.endIndex, Literal(mention.end, datatype=XSD.nonNegativeInteger)))
            g.add((phrase, NIF.anchorOf, Literal(mention.text)))
            g.add((phrase, ITSRDF.taIdentRef, entity))
            g.add((phrase, ITSRDF.taClassRef, ENTITY_CLASSES[mention.label]))
            g.add((phrase, NG.linkingConfidence, Literal(float(mention.confidence), datatype=XSD.double)))
            g.add((phrase, PROV.wasGeneratedBy, run_iri))
            g.add((article, SCHEMA.mentions, entity))
            if entity not in described:
                described.add(entity)
                _describe_entity(g, entity, mention, entities.get(mention.qid or ""), label_language)
        return g
    except InvalidIdentifierError as exc:
        raise GraphBuildError(f"article {raw.doc_id!r}: {exc}") from exc


def _add_raw_page(g: TripleGraph, raw: RawDocument, ns: Namespaces, article: URIRef) -> None:
    page = ns.raw_page_iri(raw.content_hash)
    g.add((article, DCTERMS.source, page))
    g.add((article, PROV.wasDerivedFrom, page))
    g.add((page, RDF.type, NG.RawPage))
    g.add((page, RDF.type, PROV.Entity))
    g.add((page, NG.contentHash, Literal(raw.content_hash)))
    fetched = datetime_literal(raw.fetched_at, f"article {raw.doc_id!r}: fetched_at")
    g.add((page, PROV.generatedAtTime, fetched))
    g.add((page, DCTERMS.format, Literal(media_type(raw.content_type))))
    g.add((page, SCHEMA.url, iri(raw.final_url or raw.url, f"article {raw.doc_id!r}: final_url")))
    g.add((page, NG.sourceName, Literal(raw.source)))
    if raw.captured:
        g.add((page, NG.capturedOn, date_literal(raw.captured, f"article {raw.doc_id!r}: captured")))
    if raw.last_modified:
        modified = datetime_literal(raw.last_modified, f"article {raw.doc_id!r}: last_modified")
        g.add((page, DCTERMS.modified, modified))


def _add_context(g: TripleGraph, raw: RawDocument, text: str, ns: Namespaces, url: URIRef) -> URIRef:
    context = ns.context_iri(raw.doc_id, len(text))
    g.add((context, RDF.type, NIF.Context))
    g.add((context, RDF.type, NIF.OffsetBasedString))
    g.add((context, NIF.isString, Literal(text)))
    g.add((context, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)))
    g.add((context, NIF.endIndex, Literal(len(text), datatype=XSD.nonNegativeInteger)))
    g.add((context, NIF.sourceUrl, url))
    return context


def _add_removals(g: TripleGraph, raw: RawDocument, clean: CleanDocument, ns: Namespaces, article: URIRef) -> None:
    for index, removal in enumerate(clean.removed, start=1):
        node = ns.removal_iri(raw.doc_id, index)
        g.add((article, NG.removal, node))
        g.add((node, RDF.type, NG.Removal))
        g.add((node, NG.removalCategory, Literal(removal.category)))
        g.add((node, NG.removalReason, Literal(removal.reason)))
        g.add((node, NG.removedCharCount, count_literal(len(removal.text), f"removal {index} char count")))
        if removal.line is not None:
            if removal.line < 1:
                raise GraphBuildError(
                    f"article {raw.doc_id!r}: removal {index} has line {removal.line} (lines are 1-based)"
                )
            g.add((node, NG.sourceLine, Literal(removal.line, datatype=XSD.positiveInteger)))


def _check_mention(doc_id: str, text: str, mention: LinkedMention, seen: dict[tuple[int, int], LinkedMention]) -> None:
    where = f"article {doc_id!r}: mention {mention.text!r} at [{mention.start}, {mention.end})"
    if not 0 <= mention.start < mention.end <= len(text):
        raise GraphBuildError(f"{where} lies outside the clean text of length {len(text)}")
    if text[mention.start : mention.end] != mention.text:
        raise GraphBuildError(f"{where} does not match the text there: {text[mention.start : mention.end]!r}")
    if mention.label not in ENTITY_CLASSES:
        raise GraphBuildError(f"{where} has label {mention.label!r}, not one of {sorted(ENTITY_CLASSES)}")
    if not 0.0 <= mention.confidence <= 1.0:
        raise GraphBuildError(f"{where} has confidence {mention.confidence!r} outside [0, 1]")
    span = (mention.start, mention.end)
    if span in seen:
        raise GraphBuildError(f"{where} is given twice (one span, one link)")
    seen[span] = mention


def _entity_iri(doc_id: str, mention: LinkedMention, ns: Namespaces) -> URIRef:
    if mention.qid is not None:
        return ns.wikidata_iri(mention.qid)
    if not mention.entity_name.strip():
        raise GraphBuildError(f"article {doc_id!r}: NIL mention {mention.text!r} has no entity_name")
    return ns.nil_entity_iri(mention.entity_name, mention.label)


def _describe_entity(
    g: TripleGraph, entity: URIRef, mention: LinkedMention, info: EntityInfo | None, language: str
) -> None:
    """Labels (and type) of the entity, carried in each article graph that mentions it."""
    if mention.qid is None:
        g.add((entity, RDF.type, NG.NilEntity))
        g.add((entity, RDF.type, ENTITY_CLASSES[mention.label]))
        g.add((entity, RDFS.label, Literal(mention.entity_name, lang=language)))
        return
    labelled = False
    if info is not None:
        for label, lang in ((info.label_de, "de"), (info.label_en, "en")):
            if label:
                g.add((entity, RDFS.label, Literal(label, lang=lang)))
                labelled = True
        if info.type in ENTITY_CLASSES:
            g.add((entity, RDF.type, ENTITY_CLASSES[info.type]))
    if not labelled and mention.entity_name.strip():
        g.add((entity, RDFS.label, Literal(mention.entity_name, lang=language)))
