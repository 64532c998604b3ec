"""The quote stage over a night: quotes and roles per article, then the night's stories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from pipelines.domain import CleanDocument, LinkedMention
from pipelines.namespaces import Namespaces
from pipelines.quotes.extract import find_quotes
from pipelines.quotes.positions import PositionIndex, with_positions
from pipelines.quotes.records import ArticleQuotes
from pipelines.quotes.roles import find_roles
from pipelines.quotes.stories import Embed, Story, StoryArticle, group_stories

if TYPE_CHECKING:
    from pipelines.ner.e5_encoder import E5TextEncoder

STORY_LABELS = ("PER", "ORG", "MISC")


def article_quotes(
    doc_id: str, clean: CleanDocument, mentions: Sequence[LinkedMention], positions: PositionIndex | None = None
) -> ArticleQuotes:
    text = clean.text
    types = [b.type for b in clean.blocks]
    roles = find_roles(text, mentions)
    if positions is not None:
        roles = with_positions(roles, positions)
    return ArticleQuotes(doc_id, find_quotes(text, mentions, types), roles)


def _entity(m: LinkedMention, ns: Namespaces) -> str | None:
    if m.qid is not None:
        return str(ns.wikidata_iri(m.qid))
    return str(ns.nil_entity_iri(m.entity_name, m.label)) if m.entity_name.strip() else None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def night_stories(
    clean: Mapping[str, CleanDocument],
    linked: Mapping[str, Sequence[LinkedMention]],
    found: Mapping[str, ArticleQuotes],
    ns: Namespaces,
    default_day: date | None = None,
    nights: Mapping[str, date] | None = None,
    embed: Embed | None = None,
) -> list[Story]:
    """Group the night's articles into stories by entities, speakers, words, meaning (``embed``, default
    the e5 encoder the NER reads) and dates."""
    return group_stories(story_articles(clean, linked, found, ns, default_day, nights), embed or embed_leads)


@cache
def _encoder() -> E5TextEncoder:
    from pipelines.ner.e5_encoder import E5TextEncoder

    return E5TextEncoder()


def embed_leads(texts: Sequence[str]) -> np.ndarray:
    """The meanings of the texts' leads; the encoder loads once, on the first night that needs it."""
    return _encoder().embed_many(texts)


def story_articles(
    clean: Mapping[str, CleanDocument],
    linked: Mapping[str, Sequence[LinkedMention]],
    found: Mapping[str, ArticleQuotes],
    ns: Namespaces,
    default_day: date | None = None,
    nights: Mapping[str, date] | None = None,
) -> list[StoryArticle]:
    """What story grouping reads of each article: its text, entities, speakers and day."""
    articles = []
    for doc_id, doc in clean.items():
        mentions = linked.get(doc_id, ())
        entities = {e for m in mentions if m.label in STORY_LABELS and (e := _entity(m, ns))}
        persons = {e for m in mentions if m.label == "PER" and (e := _entity(m, ns))}
        speakers: set[str] = set()
        for q in found[doc_id].quotes if doc_id in found else ():
            if q.speaker is not None and q.speaker.named and q.speaker.label is not None:
                qid, name, label = q.speaker.qid, q.speaker.entity_name, q.speaker.label
                iri = ns.wikidata_iri(qid) if qid else (ns.nil_entity_iri(name, label) if name.strip() else None)
                if iri is not None:
                    speakers.add(str(iri))
        day = _day(doc.metadata.get("date")) or (nights or {}).get(doc_id) or default_day
        articles.append(
            StoryArticle(
                doc_id,
                doc.text,
                frozenset(entities),
                frozenset(persons),
                frozenset(speakers),
                day,
                seen=(nights or {}).get(doc_id),
            )
        )
    return articles
