"""Entity linking: each NER mention → a Wikidata item or an explicit NIL, with a confidence.

Per article: repair spans (titles, compounds), collect candidates from the index by name (with German
inflection variants and given-name spelling variants), resolve surnames to a person named in full in
the same article, rank by name match, type agreement, popularity and context, and keep the item above
the NIL threshold. In ``auto`` mode the live Wikidata client is asked only where the index has no
confident answer; in ``online`` mode it is asked for every name (its answers are cached on disk).
Metonymy needs no rule: "Moskau fordert" links to the city, the graph never invents a government item.
"""

from __future__ import annotations

import difflib
import itertools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from pipelines.domain import ENTITY_LABELS, Candidate, EntityInfo, EntityLabel, LinkedMention, Mention, entity_label
from pipelines.kb import KBEntry, KBRecord, KnowledgeBase, name_key
from pipelines.kb.entry import BASE_PRIOR, NAME_KIND_WEIGHT
from pipelines.linking.compounds import (
    extend_to_known_name,
    is_droppable,
    never_a_name,
    repair_span,
    split_joined_names,
)
from pipelines.linking.errors import LinkingError
from pipelines.linking.morphology import VARIANT_FACTOR, name_variants, nil_base, nil_key
from pipelines.linking.scoring import (
    NIL_THRESHOLD,
    PROMINENT,
    WEAK_NAME,
    Scored,
    compatible,
    confidence,
    type_agreement,
)
from pipelines.linking.surroundings import Surroundings, part_of_longer_name
from pipelines.wikidata.errors import WikidataError

log = logging.getLogger(__name__)

MODES = ("offline", "online", "auto")
MAX_NAMESAKES = 50  # persons sharing a surname beyond which given-name spelling variants are not tried
NEAR_MISS_NAMESAKES = 5  # bearers of a NIL surname beyond which it is no less likely NIL
GIVEN_NAME_SIMILARITY = 0.75  # "Dymetro" ~ "Dmytro" (0.77); "Alexander" vs "Aleksandr Anatolevitsj" (0.45)
SEARCH_MATCH_FACTOR = 0.7  # a search hit whose names do not literally match the mention
ROMANISATION_FACTOR = 0.85  # same name in another romanisation ("Sergej Lawrow" ~ "Sergey Lavrov")
SURNAME_ONLY_FACTOR = 0.62  # a bare surname with no full name in the article: only a prominent, unique person
SURNAME_ONLY_PRIOR = 0.85  # ... and only among leaders and curated people (see popularity_prior)
# German spellings of Cyrillic names use w (в), j (й), sch (ш), tsch (ч), ch (х): only names with one
# of them are tried in other romanisations (so "Meyer" never becomes "Meijer").
_GERMAN_TRANSLITERATION = re.compile(r"[wj]|sch|ch", re.IGNORECASE)
_WORD = re.compile(r"\w{5,}")
# Items their description calls former: news mostly means the living organisation or state of today
# ("Grüne" is Bündnis 90/Die Grünen, not the West German party it grew out of).
_FORMER = re.compile(r"^(?:ehemalige|frühere|historische|former|defunct|historical)\b", re.IGNORECASE)
FORMER_FACTOR = 0.85
# German news writes a place or body that has a German name by that name: "Austria" and "France"
# in a German text are parts of other names (Bank Austria, Austria Wien, Air France).
FOREIGN_NAME_FACTOR = 0.6
AMBIGUOUS_WEAK_NAME = 3  # items sharing an acronym or foreign alias beyond which context cannot pick one
_GROUP = re.compile(r"fraktion", re.IGNORECASE)
JOINED_NAME_PRIOR = 0.75  # a fragment beside another name links only to an item this prominent
# A place nothing says is known (no population, mentions or names in other languages) links only
# where the article supports it: "Baltimore" is not the Canadian hamlet the index happens to hold.
OBSCURE_PLACE_FACTOR = 0.8
# A province that shares its city's name ("Ankara" the province, called "Ankara Province" in English):
# news that writes the bare name means the city.
_REGION = re.compile(r"\b(?:Province|Region|Governorate|Oblast|Prefecture|County|District|Provinz|Bezirk)\b")
REGION_FACTOR = 0.9
_LABEL_KINDS = frozenset({"label_de", "alias_de", "label_en", "alias_en"})


class SearchHitLike(Protocol):
    @property
    def qid(self) -> str: ...

    @property
    def description(self) -> str | None: ...


# Search hits that are Wikimedia pages rather than things (told by their description, in de or en).
_WIKI_PAGE = re.compile(r"disambiguation page|Begriffsklärungsseite|Wikimedia[- ]list|Wikimedia-Liste", re.I)


def _is_wiki_page(hit: SearchHitLike) -> bool:
    return bool(hit.description and _WIKI_PAGE.search(hit.description))


class EntitySource(Protocol):
    """What the linker needs from a live Wikidata client (pipelines.wikidata.WikidataClient)."""

    def search(self, query: str, *, language: str = "de", limit: int = 7) -> Sequence[SearchHitLike]: ...

    def get_entities(self, ids: Sequence[str]) -> dict[str, KBEntry]: ...


@dataclass(frozen=True)
class _Article:
    words: set[str]
    named: dict[str, set[str]]  # item QID → name keys of the mentions that most plausibly mean it
    countries: dict[str, set[str]]  # the same, and the countries of those items


@dataclass
class _Decision:
    qid: str | None
    entity_name: str
    confidence: float
    candidates: list[Scored]


def _record_from_entry(entry: KBEntry) -> KBRecord:
    return KBRecord(
        qid=entry.qid,
        label_de=entry.label_de,
        label_en=entry.label_en,
        description_de=entry.description_de,
        description_en=entry.description_en,
        type=entry.type,
        prior=entry.prior,
        instance_of=tuple(entry.instance_of),
        country=entry.country,
        sources=tuple(entry.sources),
    )


def _foreign_name_of_a_german_item(record: KBRecord, kind: str | None, mention: Mention) -> bool:
    """The mention matched only an English or international name of a non-person item that has a
    different German one."""
    return (
        kind in ("label_en", "alias_en", "alias_strong")
        and record.type != "PER"
        and bool(record.label_de)
        and name_key(record.label_de or "") != name_key(mention.text)
    )


def _persons_by_surname(spans: list[Mention]) -> list[Mention]:
    """A one-word span that is the surname of a person named in full in the article is that person,
    whatever type the NER gave it ("Trump" of "Trump-Anhänger" tagged ORG, "Merkel" tagged LOC)."""
    surnames = {name_key(m.text).split(" ")[-1] for m in spans if m.label == "PER" and " " in m.text.strip()}
    if not surnames:
        return spans
    out = []
    for m in spans:
        if m.label != "PER" and " " not in m.text.strip():
            forms = {name_key(m.text), *(name_key(v) for v in name_variants(m.text))}
            if forms & surnames:
                m = Mention(m.start, m.end, m.text, "PER")
        out.append(m)
    return out


def _is_acronym(surface: str) -> bool:
    word = surface.strip()
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()


def _is_ordinary_word(name: str) -> bool:
    """A name written as a plain capitalised word ("Apa", "Ger"), not as an acronym."""
    return len(name) > 1 and name.isalpha() and name[0].isupper() and name[1:].islower()


_OPENING_PARENTHESIS = re.compile(r"\s*\(\s*$")


def _is_abbreviation_of(short: str, long_name: str) -> bool:
    """ "FT" of "Financial Times", "EZB" of "Europäische Zentralbank": the letters in order, the first
    one first ("Olaf Scholz (SPD)" is no abbreviation)."""
    letters = [c.casefold() for c in short if c.isalpha()]
    if len(letters) < 2 or " " in short.strip() or sum(c.isupper() for c in short) < 2:
        return False
    rest = long_name.casefold()
    if not rest.startswith(letters[0]):
        return False
    position = 1
    for letter in letters[1:]:
        position = rest.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def _abbreviations_in_parentheses(text: str, spans: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
    """(name, abbreviation) pairs written "Financial Times (FT)": the abbreviation names the same item
    as the name before it, linked or NIL (a short form alone is far more ambiguous than the name)."""
    pairs = []
    for previous, mention in itertools.pairwise(spans):
        if (
            previous.label != "PER"
            and text[mention.end : mention.end + 1] == ")"
            and _OPENING_PARENTHESIS.match(text, previous.end, mention.start)
            and _is_abbreviation_of(mention.text, previous.text)
        ):
            pairs.append((previous, mention))
    return pairs


class Linker:
    """Links the mentions of one article at a time; NIL names are shared across the articles of a run."""

    def __init__(
        self,
        kb: KnowledgeBase,
        client: EntitySource | None = None,
        mode: str = "offline",
        *,
        nil_threshold: float = NIL_THRESHOLD,
        max_candidates: int = 5,
    ) -> None:
        if mode not in MODES:
            raise LinkingError(f"linking mode {mode!r} is not one of {', '.join(MODES)}")
        if mode != "offline" and client is None:
            raise LinkingError(f"linking mode {mode!r} needs a WikidataClient (client=None given)")
        self.kb = kb
        self.client = client
        self.mode = mode
        self.nil_threshold = nil_threshold
        self.max_candidates = max_candidates
        self._nil_names: dict[str, str] = {}
        self._online: dict[str, KBRecord] = {}
        self._searched: dict[str, list[str]] = {}
        self._lookups: dict[str, list[tuple[str, float, str]]] = {}
        self._countries: dict[str, str | None] = {}
        self.online_failures = 0  # questions Wikidata could not answer (the index decided alone)

    # --- public API -------------------------------------------------------------------------------

    def link(self, text: str, mentions: Sequence[Mention]) -> list[LinkedMention]:
        """Link every mention of ``text``; the result is sorted by offset and never overlaps."""
        spans = _persons_by_surname(self._repair_all(text, mentions))
        doc = self._article(text, spans)
        decisions: dict[tuple[int, int], _Decision] = {}
        cache: dict[tuple[str, str, Surroundings | None], _Decision] = {}
        # Full names first, so that surnames can take over their decision.
        order = sorted(range(len(spans)), key=lambda i: -len(spans[i].text.split()))
        full_names: list[tuple[list[str], tuple[int, int]]] = []
        for i in order:
            mention = spans[i]
            antecedent = self._antecedent(mention, full_names, decisions)
            if antecedent is not None:
                decisions[(mention.start, mention.end)] = antecedent
                continue
            around = part_of_longer_name(text, mention, self._continues_a_name)
            key = (name_key(mention.text), mention.label, around)
            if key not in cache:
                cache[key] = self._decide(mention, doc, around)
            decisions[(mention.start, mention.end)] = cache[key]
            if mention.label == "PER" and " " in key[0]:
                full_names.append((key[0].split(" "), (mention.start, mention.end)))
        for long_name, short in _abbreviations_in_parentheses(text, spans):
            decisions[(short.start, short.end)] = decisions[(long_name.start, long_name.end)]
        linked = []
        for mention in spans:
            decision = decisions[(mention.start, mention.end)]
            beaten = [c for c in decision.candidates if c.qid != decision.qid][: self.max_candidates]
            linked.append(
                LinkedMention(
                    start=mention.start,
                    end=mention.end,
                    text=mention.text,
                    label=mention.label,
                    qid=decision.qid,
                    confidence=decision.confidence,
                    entity_name=decision.entity_name,
                    candidates=[Candidate(qid=c.qid, label=c.label, score=c.score) for c in beaten],
                )
            )
        return linked

    def entity_info(self, qid: str) -> EntityInfo | None:
        """Labels and type of an item from the index, else from items fetched online during this run."""
        info = self.kb.get(qid)
        if info is not None:
            return info
        record = self._online.get(qid)
        if record is None and self.mode != "offline" and self.client is not None:
            record = self._fetch([qid]).get(qid)
        return record.info() if record else None

    def _article(self, text: str, spans: Sequence[Mention]) -> _Article:
        """The article as context: its words, the items its names most plausibly mean, and the
        countries of those items (each with the names that point there)."""
        named: dict[str, set[str]] = {}
        countries: dict[str, set[str]] = {}
        for mention in spans:
            found = self._lookup(mention.text)
            if not found:
                continue
            key = name_key(mention.text)
            named.setdefault(found[0][0], set()).add(key)
            countries.setdefault(found[0][0], set()).add(key)
            record = self.kb.record(found[0][0])
            country = self._country_qid(record.country) if record is not None else None
            if country is not None:
                countries.setdefault(country, set()).add(key)
        return _Article(words={w.casefold() for w in _WORD.findall(text)}, named=named, countries=countries)

    def _country_qid(self, country: str | None) -> str | None:
        """The QID of a record's country (the index keeps a QID, or a name where the source gave one)."""
        if not country:
            return None
        if country not in self._countries:
            if re.fullmatch(r"Q\d+", country):
                self._countries[country] = country
            else:
                found = [m.qid for m in self.kb.lookup(country) if (r := self.kb.record(m.qid)) and r.type == "LOC"]
                self._countries[country] = found[0] if found else None
        return self._countries[country]

    # --- spans ------------------------------------------------------------------------------------

    def _repair_all(self, text: str, mentions: Sequence[Mention]) -> list[Mention]:
        for index, mention in enumerate(mentions):
            if not (0 <= mention.start < mention.end <= len(text)):
                raise LinkingError(
                    f"mention {index} ({mention.text!r}): offsets {mention.start}..{mention.end} "
                    f"outside the text (length {len(text)})"
                )
            if mention.label not in ENTITY_LABELS:
                raise LinkingError(
                    f"mention {index} ({mention.text!r}): label {mention.label!r} is not one of "
                    f"{', '.join(ENTITY_LABELS)}"
                )
            if text[mention.start : mention.end] != mention.text:
                raise LinkingError(
                    f"mention {index}: text[{mention.start}:{mention.end}] is "
                    f"{text[mention.start : mention.end]!r}, not {mention.text!r}"
                )
        repaired = []
        for mention in mentions:
            span = repair_span(text, mention, self._is_name, self._kb_label, self._is_label)
            if not span.text.strip():
                continue
            extended = extend_to_known_name(text, span, self.kb.names_around)
            if extended != span:  # the whole known name decides the type ("Leyen" tagged ORG)
                extended = Mention(
                    extended.start, extended.end, extended.text, self._kb_label(extended.text) or span.label
                )
            span = extended
            for piece in split_joined_names(text, span, self._is_name, self._kb_label):
                if never_a_name(piece):
                    continue
                if not is_droppable(piece) or self._is_name(piece.text):
                    repaired.append(piece)
        # Flat, non-overlapping spans: the longer span wins an overlap, then the earlier one.
        taken = bytearray(len(text))
        chosen: list[Mention] = []
        for mention in sorted(repaired, key=lambda m: (-(m.end - m.start), m.start)):
            if not any(taken[mention.start : mention.end]):
                taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
                chosen.append(mention)
        return sorted(chosen, key=lambda m: m.start)

    def _is_name(self, surface: str) -> bool:
        return bool(self._lookup(surface))

    def _continues_a_name(self, word: str) -> bool:
        """A word beside a mention that makes it part of a longer name: any name of the index but the
        German name of a country-level item ("die EU-Kommission Deutschland …" is two names;
        "Bank Austria", "Casinos Austria" are one)."""
        found = self._lookup(word)
        if not found:
            return False
        for qid, _, kind in found:
            record = self.kb.record(qid)
            if kind in ("label_de", "alias_de") and record is not None and record.prior >= JOINED_NAME_PRIOR:
                return False
        return True

    def _is_label(self, surface: str) -> bool:
        return any(kind in _LABEL_KINDS for _, _, kind in self._lookup(surface))

    def _kb_label(self, surface: str) -> EntityLabel | None:
        for qid, _, _ in self._lookup(surface):
            record = self.kb.record(qid)
            if record and (label := entity_label(record.type)):
                return label
        return None

    def _lookup(self, surface: str) -> list[tuple[str, float, str]]:
        """(qid, name-match factor, kind) for the surface and its inflection variants (memoised)."""
        if surface not in self._lookups:
            self._lookups[surface] = self._lookup_uncached(surface)
        return self._lookups[surface]

    def _lookup_uncached(self, surface: str) -> list[tuple[str, float, str]]:
        found: dict[str, tuple[str, float, str]] = {}
        acronym = _is_acronym(surface)
        for variant, factor in [(surface, 1.0)] + [(v, VARIANT_FACTOR) for v in name_variants(surface)]:
            for match in self.kb.lookup(variant):
                if acronym and _is_ordinary_word(match.name):
                    continue  # "APA" is not the river Apa, "GER" not the town Ger
                value = factor * match.weight
                if match.qid not in found or found[match.qid][1] < value:
                    found[match.qid] = (match.qid, value, match.kind)
        return sorted(found.values(), key=lambda t: -t[1])

    # --- coreference ------------------------------------------------------------------------------

    @staticmethod
    def _antecedent(
        mention: Mention,
        full_names: Sequence[tuple[list[str], tuple[int, int]]],
        decisions: dict[tuple[int, int], _Decision],
    ) -> _Decision | None:
        """A surname ("Stoltenberg", "Von der Leyen") takes the decision of the person named in full."""
        if mention.label != "PER" or not full_names:
            return None
        tokens = name_key(mention.text).split(" ")
        variants = [tokens] + [name_key(v).split(" ") for v in name_variants(mention.text)]
        best: _Decision | None = None
        for other_tokens, span in full_names:
            if len(other_tokens) <= len(tokens):
                continue
            if any(other_tokens[-len(v) :] == v for v in variants):
                decision = decisions[span]
                if best is None or decision.confidence > best.confidence:
                    best = decision
        return best

    # --- candidates and decision ------------------------------------------------------------------

    def _decide(self, mention: Mention, doc: _Article, around: Surroundings | None = None) -> _Decision:
        scored = self._candidates(mention, doc)
        if around in (Surroundings.CLUB, Surroundings.INSTITUTION):
            scored = []  # "FC Sevilla", "Universität Tel Aviv": the index does not hold them under the place's name
        elif around is Surroundings.JOINED:
            # Only a country-level item, and only by its German name ("Air France" is no country).
            scored = [c for c in scored if c.prior >= JOINED_NAME_PRIOR and not c.foreign_name]
        best = scored[0] if scored else None
        if self.mode == "online" or (self.mode == "auto" and self._confidence(scored) < self.nil_threshold):
            scored = self._merge(scored, self._online_candidates(mention, doc))
        # Decide on the confidence (the score lowered by a close runner-up): an ambiguous name stays NIL.
        certainty = self._confidence(scored)
        if scored and certainty >= self.nil_threshold:
            best = scored[0]
            return _Decision(best.qid, best.label, certainty, scored)
        key = nil_key(mention.text, mention.label)
        name = self._nil_names.setdefault(key, nil_base(mention.text, mention.label))
        evidence = certainty if scored else self._near_miss(mention)
        return _Decision(None, name, round(1.0 - evidence, 4), scored)

    def _near_miss(self, mention: Mention) -> float:
        """How much the index resembles a name it has no candidate for (lowers a NIL's confidence).

        A surname several known people carry, or a multi-word name whose first or last word begins
        or ends known names, may well be one of them; a name nothing in the index resembles is NIL
        with near certainty (the confidence says how sure NIL is right, not how unknown the name is).
        """
        words = nil_base(mention.text, mention.label).split()
        if not words:
            return 0.0
        if mention.label == "PER":
            namesakes = len(self.kb.persons_with_surname(words[-1], limit=NEAR_MISS_NAMESAKES))
            return 0.0 if namesakes == 0 else min(0.4, 0.15 + 0.05 * namesakes)
        if len(words) > 1 and (self.kb.names_around(words[0], "first") or self.kb.names_around(words[-1], "last")):
            return 0.2
        return 0.02

    @staticmethod
    def _confidence(scored: list[Scored]) -> float:
        if not scored:
            return 0.0
        runner_up = next((c.score for c in scored[1:] if c.qid != scored[0].qid), None)
        return confidence(scored[0].score, runner_up)

    @staticmethod
    def _merge(first: list[Scored], second: list[Scored]) -> list[Scored]:
        merged: dict[str, Scored] = {}
        for candidate in first + second:
            if candidate.qid not in merged or merged[candidate.qid].score < candidate.score:
                merged[candidate.qid] = candidate
        return sorted(merged.values(), key=lambda c: (-c.score, c.qid))

    def _score(self, record: KBRecord, name_match: float, mention: Mention, doc: _Article) -> Scored:
        context = 0.0
        # The item's country is named in the article by another name than this one ("Luxemburg" the
        # city does not take its support from "Luxemburg" the country).
        key = name_key(mention.text)
        country = self._country_qid(record.country)
        if country and any(other != key for other in doc.named.get(country, ())):
            context = 1.0
        description = f"{record.description_de or ''} {record.description_en or ''}"
        if context == 0.0 and description.strip():
            # Words of the mention itself ("Grünen" in "grüne Partei") are no context.
            own_words = {w.casefold() for w in _WORD.findall(" ".join([mention.text, *name_variants(mention.text)]))}
            # Words that many descriptions share ("Partei", "Politiker") say what kind of item it is:
            # half as much as a distinctive one ("Brandenburg", "Bundesliga").
            words = {w.casefold() for w in _WORD.findall(description)} - own_words
            common = self.kb.common_description_words()
            shared = words & doc.words
            context = min(1.0, sum(0.5 if w in common else 1.0 for w in shared) / 2.0)
        if _FORMER.match(record.description_de or "") or _FORMER.match(record.description_en or ""):
            name_match *= FORMER_FACTOR
        if _GROUP.search(record.label_de or "") and not _GROUP.search(mention.text):
            name_match *= FORMER_FACTOR  # "AfD" is the party, not its group in a parliament
        if record.type == "LOC" and record.prior <= BASE_PRIOR and context == 0.0:
            name_match *= OBSCURE_PLACE_FACTOR
        if record.type == "LOC" and _REGION.search(record.label_en or "") and not _REGION.search(mention.text):
            name_match *= REGION_FACTOR
        return Scored(
            qid=record.qid,
            label=record.label,
            kb_type=record.type,
            name_match=round(name_match, 4),
            type_score=type_agreement(mention.label, record.type, record.prior),
            prior=record.prior,
            context=context,
        )

    def _candidates(self, mention: Mention, doc: _Article) -> list[Scored]:
        if mention.label == "PER" and " " not in mention.text.strip() and self.kb.is_common_given_name(mention.text):
            return []  # "Max" alone is nobody in particular (a person named in full was tried before)
        found = {qid: factor for qid, factor, _ in self._lookup(mention.text)}
        kinds = {qid: kind for qid, _, kind in self._lookup(mention.text)}
        more: dict[str, float] = {}
        if not found and _GERMAN_TRANSLITERATION.search(mention.text):
            # Other romanisations (Lawrow ~ Lavrov), also of the inflection variants; same type only.
            for variant in [mention.text, *name_variants(mention.text)]:
                for qid in self.kb.same_spelling(variant):
                    record = self.kb.record(qid)
                    if record is not None and record.type == mention.label:
                        more[qid] = max(more.get(qid, 0.0), ROMANISATION_FACTOR)
        if mention.label == "PER" and " " in mention.text.strip():
            for qid, factor in self._spelling_variants(mention.text).items():
                more[qid] = max(more.get(qid, 0.0), factor)
        elif mention.label == "PER" and not found and not self.kb.is_common_given_name(mention.text):
            surname = nil_base(mention.text, "PER")
            for qid, _ in self.kb.persons_with_surname(surname, min_prior=SURNAME_ONLY_PRIOR, limit=MAX_NAMESAKES):
                record = self.kb.record(qid)
                if record is not None and record.prior >= SURNAME_ONLY_PRIOR:
                    more[qid] = max(more.get(qid, 0.0), SURNAME_ONLY_FACTOR)
        for qid, factor in more.items():
            if factor > found.get(qid, 0.0):
                found[qid] = factor
        scored = []
        for qid, factor in found.items():
            record = self.kb.record(qid) or self._online.get(qid)
            if record is not None and compatible(mention.label, record.type):
                foreign = _foreign_name_of_a_german_item(record, kinds.get(qid), mention)
                if foreign:
                    factor *= FOREIGN_NAME_FACTOR
                scored.append(replace(self._score(record, factor, mention, doc), foreign_name=foreign))
        weak = [c for c in scored if c.name_match < WEAK_NAME]
        if len(weak) >= AMBIGUOUS_WEAK_NAME:
            # "ORF" is the acronym of several research foundations abroad: a country named in the
            # article does not pick one of them (it is more likely none of them).
            scored = [replace(c, context=0.0) if c.name_match < WEAK_NAME else c for c in scored]
        scored = self._namesakes_by_country(scored, mention, doc, kinds)
        return sorted(scored, key=lambda c: (-c.score, c.qid))

    def _namesakes_by_country(
        self, scored: list[Scored], mention: Mention, doc: _Article, kinds: dict[str, str]
    ) -> list[Scored]:
        """Items with one German name in different countries ("die Grünen" in Germany and in Austria):
        the one whose country the article's other names belong to (CDU, München; ÖVP, Währing) has
        context. Only between such namesakes, and only by German names: an item is not supported by
        the country it shares with the article ("Bayer" in a German sports report is the club the
        index does not hold, not "Bayer (Germany)" rather than "Bayer (United States)")."""
        key = name_key(mention.text)
        countries: dict[str, str] = {}
        for candidate in scored:
            record = self.kb.record(candidate.qid)
            country = self._country_qid(record.country) if record is not None else None
            if country and kinds.get(candidate.qid) in ("label_de", "alias_de"):
                countries[candidate.qid] = country
        if len(set(countries.values())) < 2:
            return scored
        supported = {qid for qid, country in countries.items() if doc.countries.get(country, set()) - {key}}
        return [replace(c, context=1.0) if c.qid in supported else c for c in scored]

    def _spelling_variants(self, surface: str) -> dict[str, float]:
        """Persons with the same surname and a similar given name ("Dymetro Kuleba" → Dmytro Kuleba)."""
        tokens = name_key(surface).split(" ")
        surname, given = tokens[-1], " ".join(tokens[:-1])
        result: dict[str, float] = {}
        namesakes = self.kb.persons_with_surname(surname, limit=MAX_NAMESAKES + 1)
        if len(namesakes) > MAX_NAMESAKES:
            return result  # a surname this common says nothing about a misspelt given name
        for qid, their_given in namesakes:
            if not their_given or their_given[:1] != given[:1]:
                continue
            record = self.kb.record(qid)
            if record is None or record.prior < PROMINENT:
                continue  # "Andreas Fink" is not the US official Andrew Fink: only well-known people
            similarity = difflib.SequenceMatcher(None, given, their_given).ratio()
            if similarity >= GIVEN_NAME_SIMILARITY:
                result[qid] = max(result.get(qid, 0.0), similarity * NAME_KIND_WEIGHT["alias_de"])
        return result

    # --- live Wikidata ----------------------------------------------------------------------------

    def _online_candidates(self, mention: Mention, doc: _Article) -> list[Scored]:
        try:
            return self._ask_wikidata(mention, doc)
        except WikidataError as exc:
            # A nightly run must not die with Wikidata: the index's decision stands for this mention.
            self.online_failures += 1
            log.warning("linking %r without Wikidata: %s", mention.text, exc)
            return []

    def _ask_wikidata(self, mention: Mention, doc: _Article) -> list[Scored]:
        assert self.client is not None
        surfaces = [mention.text, *name_variants(mention.text)[:2]]
        qids: list[str] = []
        for surface in surfaces:
            if surface not in self._searched:
                hits = self.client.search(surface, language="de")
                self._searched[surface] = [hit.qid for hit in hits if not _is_wiki_page(hit)]
            qids.extend(q for q in self._searched[surface] if q not in qids)
        records = self._fetch(qids)
        keys = {name_key(s) for s in surfaces}
        scored = []
        for qid in qids:
            record = records.get(qid)
            if record is None:
                continue
            if not compatible(mention.label, record.type):
                continue
            entry_names = [record.label_de, record.label_en]
            literal = any(n and name_key(n) in keys for n in entry_names)
            factor = 1.0 if literal else SEARCH_MATCH_FACTOR
            match = factor * NAME_KIND_WEIGHT["alias_de"]
            scored.append(self._score(record, match, mention, doc))
        return sorted(scored, key=lambda c: (-c.score, c.qid))

    def _fetch(self, qids: Sequence[str]) -> dict[str, KBRecord]:
        assert self.client is not None
        missing = [q for q in qids if q not in self._online and self.kb.record(q) is None]
        if missing:
            for qid, entry in self.client.get_entities(missing).items():
                self._online[qid] = _record_from_entry(entry)
        result: dict[str, KBRecord] = {}
        for qid in qids:
            record = self.kb.record(qid) or self._online.get(qid)
            if record is not None:
                result[qid] = record
        return result
