"""Quotes and role statements of one article into its named graph; a night's stories into their own.

A quote is a ``schema:Quotation`` with NIF offsets into the article's context, the speaker's entity
(``schema:spokenByCharacter``: the same Wikidata item or NIL entity IRI its mention links to) and the
day it was reported (``ng:reportedOn``), so the week's quotes are one typed-date comparison away. A role is
an ``ng:RoleStatement`` (a ``prov:Entity``): what one article says, derived from it by one run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from pipelines.domain import RunInfo
from pipelines.graph.terms import GraphBuildError
from pipelines.graph.triples import TripleGraph
from pipelines.namespaces import NG, NIF, SCHEMA, Namespaces
from pipelines.quotes.records import ArticleQuotes, Quote, Role, Speaker
from pipelines.quotes.stories import Story


def entity_of(qid: str | None, name: str, label: str | None, ns: Namespaces) -> URIRef | None:
    """The entity IRI a mention links to (Wikidata item, or the NIL entity of its name and type)."""
    if qid is not None:
        return ns.wikidata_iri(qid)
    if label is None or not name.strip():
        return None
    return ns.nil_entity_iri(name, label)


def add_quotes(
    g: Graph | TripleGraph, doc_id: str, text: str, found: ArticleQuotes, run: RunInfo, ns: Namespaces
) -> int:
    """Add the article's quotes and roles to its graph; returns how many nodes were added."""
    article = ns.article_iri(doc_id)
    context = ns.context_iri(doc_id, len(text))
    run_iri = ns.run_iri(run.run_id)
    described = set(g.subjects(RDF.type, None))
    day = Literal(reported_on(g.value(article, SCHEMA.datePublished), run.partition), datatype=XSD.date)
    for quote in found.quotes:
        _check(doc_id, text, quote.start, quote.end, quote.text)
        node = ns.quote_iri(doc_id, quote.start, quote.end)
        _add_quote(g, node, quote, article, context, run_iri, ns, described)
        g.add((node, NG.reportedOn, day))
    for role in found.roles:
        _add_role(g, doc_id, text, role, article, context, run_iri, ns, described)
    return len(found.quotes) + len(found.roles)


def reported_on(published: Node | None, night: str) -> str:
    """The day (YYYY-MM-DD) a quote was reported: the article's publication day where it is a whole day
    (xsd:date, or the day an xsd:dateTime is written with), else the night that processed it."""
    if isinstance(published, Literal) and published.datatype in (XSD.date, XSD.dateTime):
        return str(published)[:10]
    return night


def _check(doc_id: str, text: str, start: int, end: int, value: str) -> None:
    if not 0 <= start < end <= len(text) or text[start:end] != value:
        raise GraphBuildError(f"article {doc_id!r}: quote/role span [{start}, {end}) does not match the text")


def _offsets(g: Graph | TripleGraph, node: URIRef, context: URIRef, start: int, end: int) -> None:
    g.add((node, NIF.referenceContext, context))
    g.add((node, NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((node, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))


def _speaker_entity(speaker: Speaker, ns: Namespaces, described: set[Node]) -> URIRef | None:
    entity = entity_of(speaker.qid, speaker.entity_name, speaker.label, ns) if speaker.named else None
    return entity if entity is not None and entity in described else None


def _add_quote(
    g: Graph | TripleGraph,
    node: URIRef,
    quote: Quote,
    article: URIRef,
    context: URIRef,
    run_iri: URIRef,
    ns: Namespaces,
    described: set[Node],
) -> None:
    g.add((node, RDF.type, SCHEMA.Quotation))
    g.add((node, SCHEMA.text, Literal(quote.text)))
    g.add((node, SCHEMA.isPartOf, article))
    _offsets(g, node, context, quote.start, quote.end)
    g.add((node, NG.quoteKind, Literal(quote.kind)))
    g.add((node, NG.attribution, Literal(quote.attribution)))
    g.add((node, PROV.wasGeneratedBy, run_iri))
    if quote.cue is not None:
        g.add((node, NG.cue, Literal(quote.cue.text)))
    speaker = quote.speaker
    if speaker is None:
        return
    entity = _speaker_entity(speaker, ns, described)
    if entity is not None:
        g.add((node, SCHEMA.spokenByCharacter, entity))
        if speaker.ref_kind in ("pronoun", "description"):
            g.add((node, NG.speakerReference, Literal(speaker.ref.text)))
    elif not speaker.named:
        g.add((node, NG.speakerDescription, Literal(speaker.span.text)))


def _add_role(
    g: Graph | TripleGraph,
    doc_id: str,
    text: str,
    role: Role,
    article: URIRef,
    context: URIRef,
    run_iri: URIRef,
    ns: Namespaces,
    described: set[Node],
) -> None:
    person = entity_of(role.person_qid, role.person_name, "PER", ns)
    if person is None or person not in described:
        return
    start = min(role.person.start, role.role_text.start)
    end = max(role.person.end, role.role_text.end)
    node = ns.role_iri(doc_id, role.person.start, role.role_text.start)
    g.add((node, RDF.type, NG.RoleStatement))
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, NG.roleHolder, person))
    g.add((node, SCHEMA.roleName, Literal(role.role_text.text)))
    g.add((node, NG.roleKind, Literal(role.kind)))
    g.add((node, SCHEMA.text, Literal(text[start:end])))
    _offsets(g, node, context, start, end)
    g.add((node, PROV.wasDerivedFrom, article))
    g.add((node, PROV.wasGeneratedBy, run_iri))
    if role.organisation is not None and role.organisation_label is not None:
        org = entity_of(role.organisation_qid, role.organisation_name, role.organisation_label, ns)
        if org is not None and org in described:
            g.add((node, NG.roleOrganisation, org))
    if role.position_qid is not None:
        g.add((node, NG.wikidataPosition, ns.wikidata_iri(role.position_qid)))


def build_story_graph(stories: Sequence[Story], headlines: Mapping[str, str], run: RunInfo, ns: Namespaces) -> Dataset:
    """The night's stories in ``ngid:graph/story/{run}``: each a node with its articles and shared entities."""
    ds = Dataset()
    ns.bind(ds)
    g = ds.graph(ns.story_graph_iri(run.run_id))
    run_iri = ns.run_iri(run.run_id)
    for story in stories:
        node = ns.story_iri(story.story_id)
        g.add((node, RDF.type, NG.Story))
        g.add((node, PROV.wasGeneratedBy, run_iri))
        name = next((headlines[d] for d in story.articles if headlines.get(d)), None)
        if name:
            g.add((node, SCHEMA.name, Literal(name)))
        if story.first_day is not None:
            g.add((node, SCHEMA.startDate, Literal(story.first_day.isoformat(), datatype=XSD.date)))
        for doc_id in story.articles:
            g.add((node, NG.storyArticle, ns.article_iri(doc_id)))
        for entity in story.entities:
            g.add((node, SCHEMA.about, URIRef(entity)))
    return ds
