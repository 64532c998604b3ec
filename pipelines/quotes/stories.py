"""Stories: articles of a night (and the nights around it) that report the same event.

Two articles report the same event when all of these hold: their dates are at most ``MAX_DAYS``
apart; they share specific actors (at least ``MIN_SHARED`` linked entities, QIDs or NIL names, that
not every other article of the night names, one of them a person or a quoted speaker); their specific
words agree (TF-IDF cosine of nouns, names and numbers); and, where an encoder is given, their leads
mean the same (e5 cosine). Actors alone make a topic (the same club plays every week), words alone
make a genre or a template. Sentences that recur in articles with no entity in common (legal notices,
outlet furniture) and nouns any report uses ("Prozent", "Montag") are no evidence.

A story grows only by articles that report the same event as its first article and as most of its
members, so look-alikes never chain into one story (match report to match report). Its id comes from
its first article, so it keeps its IRI on later nights.

The encoder is the costly test, so it runs last and once per night: only on pairs that pass every
other test, and not on copies (two texts that share most of their sentences are one report, wire copy
or update, whatever their first lines say); a copy's meaning is that of the first text it copies.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from pipelines.quotes.lexicon import words

_TOKEN = re.compile(r"\b[A-ZÄÖÜ][A-Za-zÄÖÜäöüß-]{3,}|\b\d+[:.,]\d+\b|\b\d{2,}\b")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
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
# nouns and sentence openers any report uses, whatever it is about: time, quantity, the reporting itself
_COMMON_WORDS = words(
    """
    montag dienstag mittwoch donnerstag freitag samstag sonntag wochenende woche wochen tag tage tagen
    monat monate monaten jahr jahre jahren jahres jänner januar februar märz april mai juni juli august
    september oktober november dezember uhr stunde stunden minute minuten morgen abend nacht zeit ende
    anfang beginn mitte prozent euro dollar millionen million milliarden milliarde zahl zahlen angaben
    ansicht meinung frage fragen fall fälle teil seite seiten ziel grund gründe problem probleme
    menschen leute mehrheit bericht berichte agentur sprecher sprecherin mitteilung nachrichten
    interview artikel foto bild video zudem derzeit bisher demnach allerdings insgesamt außerdem
    unterdessen zuletzt inzwischen bereits trotz laut zufolge sowohl darüber dafür daher deshalb damals
    seit während wegen ebenfalls nämlich zunächst einmal
    """
)
MAX_DAYS = 2
MIN_SHARED = 2  # specific entities both articles name
SAME_TEXT = 0.12  # TF-IDF cosine of the specific words
SAME_MEANING = 0.88  # e5 cosine of the leads: unrelated news pairs sit near 0.79, one event's reports above 0.88
UBIQUITOUS_SHARE = 0.2  # an entity in more of the night's articles than this share (and than
UBIQUITOUS_MIN = 50  # this many) is the night's background ("Österreich"), not an actor
MIN_SENTENCE_WORDS = 5
JOIN_SHARE = 2 / 3  # a new member reports the same event as the first article and this share of the members
COPY_SHARE = 0.8  # a copy holds this share of the other text's sentences (of the shorter one's)

Embed = Callable[[Sequence[str]], np.ndarray]  # texts' meanings as unit vectors, a row each (pipelines.ner.e5_encoder)


@dataclass(frozen=True)
class StoryArticle:
    """What story grouping reads of one article."""

    doc_id: str
    text: str
    entities: frozenset[str]  # entity IRIs of its PER, ORG and MISC mentions
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


def sentences(text: str) -> list[str]:
    """The text's sentences in a normal form (case and spacing folded), those long enough to recur by design."""
    out = []
    for part in _SENTENCE.split(text):
        norm = " ".join(part.casefold().split())
        if len(norm.split()) >= MIN_SENTENCE_WORDS:
            out.append(norm)
    return out


def boilerplate(articles: Sequence[StoryArticle]) -> frozenset[str]:
    """Sentences recurring in articles that name no entity in common: notices and furniture, no event's wording.

    A wire report printed by several outlets repeats its sentences too, but its copies name the same actors.
    """
    holders: dict[str, list[int]] = {}
    for i, article in enumerate(articles):
        for s in set(sentences(article.text)):
            holders.setdefault(s, []).append(i)
    return frozenset(
        s
        for s, where in holders.items()
        if len(where) >= 2 and not frozenset.intersection(*(articles[i].entities for i in where))
    )


def without(text: str, furniture: frozenset[str]) -> str:
    """The text without its furniture sentences."""
    if not furniture:
        return text
    return "\n".join(p for p in _SENTENCE.split(text) if " ".join(p.casefold().split()) not in furniture)


def _words(text: str) -> Counter[str]:
    """Capitalised words (German nouns and names) and numbers."""
    out: Counter[str] = Counter()
    for w in _TOKEN.findall(text):
        key = w.lower()
        if key not in _STOPWORDS and key not in _COMMON_WORDS:
            out[key] += 1
    return out


def _tfidf(docs: Sequence[Counter[str]]) -> list[dict[str, float]]:
    n = len(docs)
    df: Counter[str] = Counter(w for d in docs for w in d)
    vectors = []
    for d in docs:
        v = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w]) + 1) for w, c in d.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


class _Vectors:
    """The night's word vectors in one sparse row layout, so that one article is compared with many in
    a few numpy operations (a night of 10,000 articles makes over a million comparisons)."""

    def __init__(self, vectors: Sequence[dict[str, float]]) -> None:
        vocabulary: dict[str, int] = {}
        bounds, columns, values = [0], [], []
        for vector in vectors:
            for word, weight in vector.items():
                columns.append(vocabulary.setdefault(word, len(vocabulary)))
                values.append(weight)
            bounds.append(len(columns))
        self.bounds = np.array(bounds, dtype=np.int64)
        self.columns = np.array(columns, dtype=np.int64)
        self.values = np.array(values, dtype=np.float64)
        self._row = np.zeros(len(vocabulary), dtype=np.float64)

    def cosines(self, i: int, others: Sequence[int]) -> np.ndarray:
        """Cosine of article ``i``'s unit vector with each of ``others``' (0 where either has no words)."""
        if not others:
            return np.zeros(0)
        own = slice(self.bounds[i], self.bounds[i + 1])
        self._row[self.columns[own]] = self.values[own]
        try:
            rows = np.asarray(others, dtype=np.int64)
            starts, lengths = self.bounds[rows], self.bounds[rows + 1] - self.bounds[rows]
            ends = np.cumsum(lengths)
            at = np.repeat(starts - (ends - lengths), lengths) + np.arange(int(ends[-1]))
            products = self._row[self.columns[at]] * self.values[at]
            sums = np.zeros(len(rows))
            filled = lengths > 0
            if filled.any():
                sums[filled] = np.add.reduceat(products, (ends - lengths)[filled])
            return sums
        finally:
            self._row[self.columns[own]] = 0.0


class _Night:
    """The night's articles with what comparing them needs: word vectors, sentences, specific entities."""

    def __init__(self, articles: Sequence[StoryArticle]) -> None:
        self.articles = articles
        furniture = boilerplate(articles)
        self.texts = [without(a.text, furniture) for a in articles]
        self.vectors = _Vectors(_tfidf([_words(text) for text in self.texts]))
        self.similar: dict[tuple[int, int], float] = {}  # text(i, j) of the pairs that agree, for scoring
        self.sentences = [frozenset(sentences(text)) for text in self.texts]
        df: Counter[str] = Counter(e for a in articles for e in a.entities)
        limit = max(UBIQUITOUS_SHARE * len(articles), UBIQUITOUS_MIN)
        self.specific = frozenset(e for e, c in df.items() if c <= limit)
        # per article, once: its specific entities, and those of them it names as a person or speaker
        self._shared = [a.entities & self.specific for a in articles]
        self._actors = [(a.persons | a.speakers) & shared for a, shared in zip(articles, self._shared, strict=True)]

    def text(self, i: int, j: int) -> float:
        found = self.similar.get((i, j))
        if found is None:
            found = self.similar[i, j] = float(self.vectors.cosines(i, [j])[0])
        return found

    def related(self, i: int, j: int) -> bool:
        """Close in time and specific actors in common: what is asked before the words."""
        a, b = self.articles[i], self.articles[j]
        if a.day is not None and b.day is not None and abs((a.day - b.day).days) > MAX_DAYS:
            return False
        return len(self._shared[i] & self._shared[j]) >= MIN_SHARED and not self._actors[i].isdisjoint(self._actors[j])

    def same_words(self, i: int, others: Sequence[int]) -> set[int]:
        """Those of ``others`` whose specific words agree with article ``i``'s."""
        found = self.vectors.cosines(i, others).tolist()
        agree = {j: value for j, value in zip(others, found, strict=True) if value >= SAME_TEXT}
        self.similar.update(((i, j), value) for j, value in agree.items())  # kept for scoring the stories
        return set(agree)

    def copies(self, i: int, j: int) -> bool:
        """One report twice: most sentences of the shorter text are in the other."""
        a, b = self.sentences[i], self.sentences[j]
        return bool(a and b) and len(a & b) >= COPY_SHARE * min(len(a), len(b))

    def candidates(self) -> dict[int, set[int]]:
        """Each article's earlier articles that pass every test but the meaning's; only articles
        naming a specific person (or speaker) in common are compared."""
        postings: dict[str, list[int]] = {}
        out: dict[int, set[int]] = {}
        for i, article in enumerate(self.articles):
            actors = sorted((article.persons | article.speakers) & self.specific)
            near = sorted({j for e in actors for j in postings.get(e, ())})
            out[i] = self.same_words(i, [j for j in near if self.related(i, j)])
            for e in actors:
                postings.setdefault(e, []).append(i)
        return out

    def same_meaning(self, pairs: dict[int, set[int]], embed: Embed) -> dict[int, set[int]]:
        """The pairs whose leads mean the same; copies do without the encoder, which sees each other
        text once, in one call, and a copy as the first text it copies."""
        first = list(range(len(self.articles)))  # the first text each one copies (union by smallest index)

        def root(k: int) -> int:
            while first[k] != k:
                first[k] = first[first[k]]
                k = first[k]
            return k

        for i, near in pairs.items():
            for j in near:
                if self.copies(i, j):
                    a, b = root(i), root(j)
                    first[max(a, b)] = min(a, b)
        roots = [root(k) for k in range(len(first))]  # settled: the unions are done
        open_pairs = [(i, j) for i, near in pairs.items() for j in near if roots[i] != roots[j]]
        needed = sorted({roots[k] for pair in open_pairs for k in pair})
        rows = {k: r for r, k in enumerate(needed)}
        vectors = embed([self.texts[k] for k in needed]) if needed else None
        kept = {i: {j for j in near if roots[i] == roots[j]} for i, near in pairs.items()}
        for i, j in open_pairs:
            assert vectors is not None
            if float(vectors[rows[roots[i]]] @ vectors[rows[roots[j]]]) >= SAME_MEANING:
                kept[i].add(j)
        return kept


def _order(a: StoryArticle) -> tuple[date, date, str]:
    return (a.seen or a.day or date.max, a.day or date.max, a.doc_id)


def group_stories(articles: Sequence[StoryArticle], embed: Embed | None = None) -> list[Story]:
    """Stories of at least two articles, each with its articles in (night, day, doc_id) order.

    Articles are taken in that order; each joins the story whose first article and ``JOIN_SHARE`` of
    whose members report the same event (the best such story by mean word similarity), else starts
    its own. Only articles naming a specific person (or speaker) in common are compared, and only
    those that pass every cheaper test and copy no other are embedded, so a big night costs far less
    than all pairs.
    """
    ordered = sorted(articles, key=_order)
    night = _Night(ordered)
    related = night.candidates()
    if embed is not None:
        related = night.same_meaning(related, embed)
    story_of: list[int] = []
    members: list[list[int]] = []
    for i in range(len(ordered)):
        linked = related[i]
        best: tuple[float, int] | None = None
        for s in sorted({story_of[j] for j in linked}):
            group = members[s]
            hits = [j for j in group if j in linked]
            if group[0] not in linked or len(hits) < JOIN_SHARE * len(group):
                continue
            score = sum(night.text(i, j) for j in hits) / len(group)
            if best is None or score > best[0]:
                best = (score, s)
        story_of.append(best[1] if best is not None else len(members))
        if best is None:
            members.append([i])
        else:
            members[best[1]].append(i)
    stories = []
    for group in members:
        chosen = [ordered[i] for i in group]
        if len(chosen) < 2 or len({a.text for a in chosen}) < 2:
            continue
        shared = Counter(e for a in chosen for e in a.entities)
        common = [e for e, c in sorted(shared.items(), key=lambda x: (-x[1], x[0])) if c >= 2][:10]
        stories.append(Story(story_id(chosen[0].doc_id), [a.doc_id for a in chosen], common, chosen[0].day))
    return sorted(stories, key=lambda s: s.articles[0])


def story_id(first_doc_id: str) -> str:
    return hashlib.sha256(f"story|{first_doc_id}".encode()).hexdigest()[:16]
