"""Stories: articles of a night (and the nights around it) that report the same event.

Two articles are linked when what they share is specific: the linked entities both mention (weighted
by how rare each is among the night's articles), the speakers they quote, and the words of their text
(TF-IDF cosine); dates more than ``MAX_DAYS`` apart never link. A story is a connected group of at least
two articles; its id comes from its earliest article, so the same story keeps its IRI on later nights.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from pipelines.quotes.lexicon import words

_NOUN = re.compile(r"\b[A-ZÄÖÜ][A-Za-zÄÖÜäöüß-]{3,}")
_STOPWORDS = words(
    """
    aber alle allem allen aller alles also auch dass dabei damit danach dann darauf darum davon dazu
    denn deren dessen diese diesem diesen dieser dieses doch dort durch eine einem einen einer eines
    einige etwa gegen haben hatte hatten heute hier immer jedoch jetzt kann keine mehr muss nach neue
    noch nicht nichts oder ohne schon sehr sein seine seiner sich sind soll sollen sowie über unter viel
    vom von vor wann war waren warum weil weiter wenn werden wird wieder will wollen wurde wurden zwei
    zwischen sagte sagt
    """
)
SAME_TEXT = 0.5  # TF-IDF cosine of the nouns: the same report, rewritten
MIN_TOPIC = 0.15  # below this two texts are about different things, whoever they name
MAX_DAYS = 2
_SALIENT = 15


@dataclass(frozen=True)
class StoryArticle:
    """What story grouping reads of one article."""

    doc_id: str
    text: str
    entities: frozenset[str]  # entity IRIs of its PER and ORG mentions
    persons: frozenset[str] = frozenset()  # entity IRIs of its PER mentions
    speakers: frozenset[str] = frozenset()  # entities it quotes
    day: date | None = None
    outlet: str = ""
    seen: date | None = None  # the night it was collected: a story keeps the id of its first night's article


@dataclass
class Story:
    story_id: str
    articles: list[str]
    entities: list[str] = field(default_factory=list)  # what its articles share, most shared first
    first_day: date | None = None


def _words(text: str) -> Counter[str]:
    """Capitalised words: in German the nouns and names, which say what a text is about."""
    return Counter(w.lower() for w in _NOUN.findall(text) if w.lower() not in _STOPWORDS)


def _tfidf(docs: Sequence[Counter[str]]) -> list[dict[str, float]]:
    df: Counter[str] = Counter(w for d in docs for w in d)
    n = len(docs)
    vectors = []
    for d in docs:
        v = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w]) + 1) for w, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def related(a: StoryArticle, b: StoryArticle, va: dict[str, float], vb: dict[str, float]) -> bool:
    """Whether two articles report the same event.

    Near-identical wording is enough; otherwise they must share topic words and actors: at least
    two linked entities, one of them a person (or a quoted speaker). Sharing only organisations
    ("Deutsche Bahn") is a topic, not an event.
    """
    if a.day is not None and b.day is not None and abs((a.day - b.day).days) > MAX_DAYS:
        return False
    text = _cosine(va, vb)
    if text >= SAME_TEXT:
        return True
    shared = a.entities & b.entities
    actors = (a.persons & b.persons) | (a.speakers & b.speakers)
    return text >= MIN_TOPIC and len(shared) >= 2 and bool(actors)


def group_stories(articles: Sequence[StoryArticle]) -> list[Story]:
    """Stories of at least two articles, each with its articles in (day, doc_id) order.

    Copies of one text (same salient words) are compared once; other pairs only when they share an
    entity or a salient word, so a big night costs far less than all pairs.
    """
    ordered = sorted(articles, key=lambda a: (a.seen or a.day or date.max, a.day or date.max, a.doc_id))
    vectors = _tfidf([_words(a.text) for a in ordered])
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    salient = [frozenset(sorted(v, key=lambda w: (-v[w], w))[:_SALIENT]) for v in vectors]
    representative: dict[tuple[frozenset[str], frozenset[str]], int] = {}
    postings: dict[str, list[int]] = {}
    for i, article in enumerate(ordered):
        key = (salient[i], article.entities)
        if key in representative:
            parent[i] = representative[key]  # a copy of an earlier text: the same article, its story
            continue
        representative[key] = i
        candidates = sorted({j for term in salient[i] | article.entities for j in postings.get(term, ())})
        for j in candidates:
            if root(i) != root(j) and related(ordered[j], article, vectors[j], vectors[i]):
                parent[root(i)] = root(j)
        for term in salient[i] | article.entities:
            postings.setdefault(term, []).append(i)
    groups: dict[int, list[StoryArticle]] = {}
    for i, article in enumerate(ordered):
        groups.setdefault(root(i), []).append(article)
    stories = []
    for members in groups.values():
        if len({a.text for a in members}) < 2:
            continue
        shared = Counter(e for a in members for e in a.entities)
        common = [e for e, c in sorted(shared.items(), key=lambda x: (-x[1], x[0])) if c >= 2][:10]
        stories.append(Story(story_id(members[0].doc_id), [a.doc_id for a in members], common, members[0].day))
    return sorted(stories, key=lambda s: s.articles[0])


def story_id(first_doc_id: str) -> str:
    return hashlib.sha256(f"story|{first_doc_id}".encode()).hexdigest()[:16]
