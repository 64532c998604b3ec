"""Quotes of one article: direct, partial and reported speech, each with its cue and speaker.

Per sentence unit (see :mod:`pipelines.quotes.text`): quotation-mark pairs are direct quotes when they
form the utterance of the sentence (at its start, or after a colon, and closed by the sentence or a
reporting clause) and partial quotes otherwise; reported speech is a clause before ", sagte X" / ", so X",
after "X erklärte, (dass)", around "laut X" / "X zufolge" / "nach Angaben …", a headline "X: …" or "… – X",
or a Konjunktiv sentence that carries on the last report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipelines.domain import LinkedMention
from pipelines.quotes.lexicon import (
    ATTRIBUTION_AFTER,
    ATTRIBUTION_BEFORE,
    CONTINUATION_CUES,
    IMPERSONAL_CUES,
    LOUD_BEFORE,
    PRONOUNS,
    RELATIVE_PRONOUNS,
    SPEECH_ACT,
    is_say_verb,
    konjunktiv_in,
    separable_particles,
)
from pipelines.quotes.records import Quote, Span, Speaker
from pipelines.quotes.speakers import MentionIndex, Resolver, named, noun_phrase, speaker_of_phrase
from pipelines.quotes.text import QuotePair, Token, Unit, quote_pairs, tokenize, units

_TRIM = " \t\n,.;:!?–-"
_CLAUSE_STARTS = frozenset({"dass", "ob", "wenn", "warum", "wie", "weshalb", "falls"})
# 'Colombo/Genf – ' or 'Berlin (dpa) – ' before the first sentence: where the report comes from
_DATELINE = re.compile(r"[A-ZÄÖÜ][\w.]*(?:[/ ][A-ZÄÖÜ][\w.]*){0,3}(?: \([\w/ ]+\))? [–-] (?=[A-ZÄÖÜ\d])")
_CHAIN_UNITS = 2  # a direct quote without a cue belongs to the last speaker if they spoke this recently


@dataclass
class _State:
    last_speaker: Speaker | None = None
    chain: Speaker | None = None  # the report that Konjunktiv sentences carry on
    since_quote: int = 99


@dataclass
class _UnitView:
    unit: Unit
    tokens: list[Token]
    pairs: list[QuotePair]
    quotes: list[Quote] = field(default_factory=list)

    def outside(self) -> list[Token]:
        return [t for t in self.tokens if not any(p.open <= t.start <= p.close for p in self.pairs)]


def find_quotes(text: str, mentions: Sequence[LinkedMention], block_types: Sequence[str] | None = None) -> list[Quote]:
    """Every quote of the article in text order."""
    index = MentionIndex(text, sorted(mentions, key=lambda m: m.start))
    all_units = units(text, block_types)
    quoted = [(p.start, p.end) for u in all_units for p in quote_pairs(text, u.start, u.end)]
    resolver = Resolver(text, index, quoted)
    state = _State()
    found: list[Quote] = []
    for unit in all_units:
        view = _UnitView(unit, tokenize(text, unit.start, unit.end), quote_pairs(text, unit.start, unit.end))
        resolver.last_speaker = state.last_speaker
        if unit.heading:
            view.quotes.extend(_headline(text, view, index))
            view.quotes.extend(_partials(text, view, None, resolver))
        else:
            _unit_quotes(text, view, resolver, state)
        found.extend(view.quotes)
        spoken = [q.speaker for q in view.quotes if q.speaker is not None and q.kind != "partial"]
        if spoken:
            state.last_speaker = next((s for s in reversed(spoken) if s.named), state.last_speaker)
            state.chain = spoken[-1]
            state.since_quote = 0
        elif not unit.heading:
            state.chain = _reporter(text, view, resolver)
            state.since_quote += 1
    return sorted(found, key=lambda q: (q.start, -q.end))


def _unit_quotes(text: str, view: _UnitView, resolver: Resolver, state: _State) -> None:
    directs = [p for p in view.pairs if _is_direct(text, view, p)]
    for pair in directs:
        view.quotes.append(_direct(text, view, pair, resolver, state))
    reported = _reported(text, view, resolver, state, directs)
    view.quotes.extend(reported)
    unit_speaker = next((q for q in reported if q.speaker is not None), None)
    if unit_speaker is None:
        unit_speaker = next((q for q in view.quotes if q.speaker is not None), None)
    view.quotes.extend(_partials(text, view, unit_speaker, resolver, directs, reported, state))


# --- direct quotes ----------------------------------------------------------------------------


def _is_direct(text: str, view: _UnitView, pair: QuotePair) -> bool:
    before = text[view.unit.start : pair.open].strip()
    after = text[pair.close + 1 : view.unit.end].strip()
    content = text[pair.start : pair.end].strip()
    if not content or len(content.split()) < 3 or not (content[0].isupper() or content[0].isdigit()):
        return False
    opens_sentence = before == "" or before.endswith(":")
    closes_sentence = after == "" or after[0] in ".!?" or (after[0] == "," and _reporting_follows(text, pair, view))
    ends_in_punctuation = content[-1] in ".!?…"
    return opens_sentence and (closes_sentence or ends_in_punctuation)


def _reporting_follows(text: str, pair: QuotePair, view: _UnitView) -> bool:
    rest = [t for t in view.tokens if t.start > pair.close and t.text != ","]
    return bool(rest) and (is_say_verb(rest[0].text) or rest[0].lower == "so" or _name_then_verb(rest))


def _name_then_verb(rest: Sequence[Token]) -> bool:
    return len(rest) > 1 and rest[0].capitalised and any(is_say_verb(t.text) for t in rest[1:4])


def _direct(text: str, view: _UnitView, pair: QuotePair, resolver: Resolver, state: _State) -> Quote:
    after = [t for t in view.tokens if t.start > pair.close]
    before = [t for t in view.tokens if t.end <= pair.open]
    cue: Span | None = None
    speaker: Speaker | None = None
    if after and after[0].text == ",":
        cue, speaker = _cue_and_subject(text, after[1:], resolver, trailing=True)
    if cue is None and before and text[before[-1].start] == ":":
        cue, speaker = _cue_and_subject(text, before[:-1], resolver, trailing=False)
    if cue is not None:
        return Quote(pair.start, pair.end, text[pair.start : pair.end], "direct", "explicit", cue, speaker)
    inherited = state.last_speaker if state.since_quote < _CHAIN_UNITS else None
    return Quote(pair.start, pair.end, text[pair.start : pair.end], "direct", "continuation", None, inherited)


def _cue_and_subject(
    text: str, clause: Sequence[Token], resolver: Resolver, *, trailing: bool
) -> tuple[Span | None, Speaker | None]:
    """The say verb of a reporting clause and its subject (after the verb first, then before it)."""
    words = [t for t in clause if t.text not in ".!?"]
    for i, tok in enumerate(words):
        if tok.lower == "so" and trailing and i == 0:
            return Span(tok.start, tok.end, tok.text), resolver.after(words[1:])
        if is_say_verb(tok.text) and _has_particle(tok, words[i + 1 :]):
            cue = Span(tok.start, tok.end, tok.text)
            speaker = resolver.after(words[i + 1 :]) or resolver.before(words[:i])
            return cue, speaker
        if trailing and i >= 4:
            break
    return None, None


def _has_particle(verb: Token, rest: Sequence[Token]) -> bool:
    particles = separable_particles(verb.text)
    return not particles or any(t.lower in particles for t in rest[:12])


# --- reported speech --------------------------------------------------------------------------


def _reported(
    text: str, view: _UnitView, resolver: Resolver, state: _State, directs: Sequence[QuotePair]
) -> list[Quote]:
    if any(p.open <= view.unit.start + 1 and p.close >= view.unit.end - 3 for p in directs):
        return []
    if directs:
        return []
    embedded = _embedded(text, view, resolver)
    if embedded:
        return embedded
    for finder in (_cue_after, _cue_before):
        quote = finder(text, view, resolver)
        if quote is not None:
            return [quote]
    return _continuation(text, view, state)


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if text[start:end].lower().startswith("dass "):
        start += 5
    dateline = _DATELINE.match(text, start, end)
    if dateline is not None:
        start = dateline.end()
    return start, end


def _mood(text: str, start: int, end: int) -> str:
    return "konjunktiv" if konjunktiv_in([t.text for t in tokenize(text, start, end)]) else "indikativ"


def _indirect(text: str, start: int, end: int, attribution: str, cue: Span | None, speaker: Speaker | None) -> Quote:
    start, end = _clean_span(text, start, end)
    return Quote(start, end, text[start:end], "indirect", attribution, cue, speaker, _mood(text, start, end))


def _cue_after(text: str, view: _UnitView, resolver: Resolver) -> Quote | None:
    """'<clause>, sagte X …' and '<clause>, so X'."""
    words = view.outside()
    for i in range(len(words) - 1, 0, -1):
        if words[i].text != ",":
            continue
        rest = words[i + 1 :]
        if not rest:
            continue
        head = rest[0]
        cue: Span | None = None
        speaker: Speaker | None = None
        by_so = head.lower == "so" and len(rest) > 1 and rest[1].capitalised
        by_verb = is_say_verb(head.text) and head.text.islower() and _has_particle(head, rest[1:])
        impersonal = _impersonal(text, rest, resolver)
        if by_so or by_verb:
            cue, speaker = Span(head.start, head.end, head.text), resolver.after(rest[1:])
        elif impersonal is not None:
            cue, speaker = impersonal
        elif head.lower == "wie":
            cue, speaker = _as_reported(text, rest[1:], resolver)
        if cue is None or (speaker is None and impersonal is None):
            continue
        if not _is_clause(text, view.unit.start, words[i].start):
            return None
        return _indirect(text, view.unit.start, words[i].start, "explicit", cue, speaker)
    return None


def _impersonal(text: str, rest: Sequence[Token], resolver: Resolver) -> tuple[Span, Speaker | None] | None:
    """'…, heißt es in dem Bericht der Behörde': the cue, and the document or source it names (if any)."""
    if len(rest) < 2 or rest[0].lower not in IMPERSONAL_CUES or rest[1].lower != "es":
        return None
    cue = Span.of(text, rest[0].start, rest[1].end)
    source = rest[2:]
    if source and source[0].lower in ("in", "im", "aus", "von", "vom", "bei", "beim"):
        return cue, _attributed(text, noun_phrase(_drop_articles(source[1:]), resolver.index), resolver)
    return cue, None


def _drop_articles(tokens: Sequence[Token]) -> list[Token]:
    rest = list(tokens)
    while rest and rest[0].lower in ("dem", "der", "den", "des", "einem", "einer"):
        rest = rest[1:]
    return rest


def _as_reported(text: str, clause: Sequence[Token], resolver: Resolver) -> tuple[Span | None, Speaker | None]:
    """'…, wie ein Sprecher am Dienstag mitteilte' / '…, wie es in dem Papier heißt': verb last, subject first."""
    words = [t for t in clause if t.text not in ".!?"]
    if not words or any(t.text in ",;:" for t in words):
        return None, None
    verb = words[-1]
    if len(words) >= 3 and words[0].lower == "es" and verb.lower in IMPERSONAL_CUES and words[1].lower == "in":
        cue = Span.of(text, words[0].start, verb.end)
        return cue, _attributed(text, noun_phrase(_drop_articles(words[2:-1]), resolver.index), resolver)
    if not is_say_verb(verb.text) or not verb.text.islower() or len(words) < 2:
        return None, None
    return Span(verb.start, verb.end, verb.text), resolver.after(words[:-1])


def _is_clause(text: str, start: int, end: int) -> bool:
    tokens = [t for t in tokenize(text, start, end) if t.is_word]
    return len(tokens) >= 3


def _cue_before(text: str, view: _UnitView, resolver: Resolver) -> Quote | None:
    """'X sagte (…), (dass) <clause>' and 'Zugleich machte er deutlich, dass <clause>'."""
    words = view.outside()
    for i, tok in enumerate(words):
        if not is_say_verb(tok.text) or (not tok.text.islower() and i > 0) or _infinitive(words, i):
            continue
        comma = next((j for j in range(i + 1, min(len(words), i + 10)) if words[j].text in ",:"), None)
        if comma is None or not _has_particle(tok, words[i + 1 : comma + 1]):
            continue
        content = words[comma + 1 :]
        if not content or not _reports_clause(content):
            continue
        speaker = resolver.after(words[i + 1 : comma]) or resolver.before(words[:i])
        if speaker is None:
            continue
        cue = Span(tok.start, tok.end, tok.text)
        return _indirect(text, words[comma].end, view.unit.end, "explicit", cue, speaker)
    return None


def _infinitive(words: Sequence[Token], i: int) -> bool:
    """'Bleibt zu hoffen, dass …': a verb after 'zu' is an infinitive, nobody's report."""
    return i > 0 and words[i - 1].lower == "zu"


def _reports_clause(content: Sequence[Token]) -> bool:
    first = content[0].lower
    if first in _CLAUSE_STARTS:
        return True
    second = content[1].text if len(content) > 1 else ""
    if first in RELATIVE_PRONOUNS and second.islower() and not konjunktiv_in([second]):
        return False  # '… ein paar Dinge gesagt, die ihm aufgefallen seien': a relative clause, not what was said
    words = [t for t in content if t.is_word]
    if len(words) >= 2 and words[-2].lower == "zu":  # an infinitive: a directive or announcement
        return False
    return konjunktiv_in([t.text for t in content])


def _by_first_word(phrases: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """Each phrase as its words, under its first word (a token is compared only with phrases it can start)."""
    out: dict[str, list[list[str]]] = {}
    for phrase in phrases:
        words = phrase.split()
        out.setdefault(words[0], []).append(words)
    return out


_BEFORE_BY_FIRST_WORD = _by_first_word(ATTRIBUTION_BEFORE)


def _embedded(text: str, view: _UnitView, resolver: Resolver) -> list[Quote]:
    """Clauses with 'laut X', 'X zufolge', 'nach den Worten von X', 'nach Angaben …' inside them."""
    words = view.outside()
    lowered = [t.lower for t in words]
    cues: list[tuple[int, int, Span, Speaker | None]] = []  # (cue token index, first token after attribution)
    for i, low in enumerate(lowered):
        for parts in _BEFORE_BY_FIRST_WORD.get(low, ()):
            if lowered[i : i + len(parts)] == parts:
                if any(SPEECH_ACT.match(w) for w in lowered[:i]) or _cue_inside_name(words[i], resolver):
                    continue
                if i > 0 and lowered[i - 1] in LOUD_BEFORE:
                    continue
                cue = Span(
                    words[i].start, words[i + len(parts) - 1].end, text[words[i].start : words[i + len(parts) - 1].end]
                )
                rest = words[i + len(parts) :]
                while rest and rest[0].lower in ("aus", "des", "der", "von", "dem", "den", "die"):
                    rest = rest[1:]
                np = noun_phrase(rest, resolver.index)
                speaker = _apposed(rest[len(np) :], resolver.index) or _attributed(text, np, resolver)
                cues.append((i, i + len(parts) + (len(words) - i - len(parts) - len(rest)) + len(np), cue, speaker))
        if low in ATTRIBUTION_AFTER and i > 0:
            prev = words[i - 1]
            cue = Span(words[i].start, words[i].end, words[i].text)
            if prev.lower in PRONOUNS:
                speaker = resolver.pronoun(prev)
            else:
                speaker = _attributed(text, _np_ending(words[:i], resolver), resolver)
            cues.append((i, -1, cue, speaker))
    if not cues:
        return []
    quotes: list[Quote] = []
    start = view.unit.start
    for n, (i, after, cue, speaker) in enumerate(cues):
        end = view.unit.end
        if n + 1 < len(cues):
            nxt = cues[n + 1][0]
            comma = next((words[j] for j in range(nxt - 1, i, -1) if words[j].text == ","), None)
            if comma is not None:
                end = comma.start
        colon = next((t for t in words if t.text == ":" and words[i].start < t.start < end), None)
        span_start = start
        if after > 0 and i == _first_word(words):
            span_start = words[after].start if after < len(words) else view.unit.end
        if colon is not None:
            quotes.append(_indirect(text, span_start, colon.start, "explicit", cue, speaker))
            rest_start = colon.end
            if _mood(text, rest_start, end) == "konjunktiv":
                quotes.append(_indirect(text, rest_start, end, "continuation", None, speaker))
        else:
            quotes.append(_indirect(text, span_start, end, "explicit", cue, speaker))
        start = end + 1
    return [q for q in quotes if q.end > q.start]


def _apposed(after: Sequence[Token], index: MentionIndex) -> Speaker | None:
    """'laut Generalinspekteur der Geheimdienste, Charles McCullough,': the name in apposition to the title."""
    if len(after) < 2 or after[0].text != ",":
        return None
    m = index.whole(after[1])
    return named(m, Span(m.start, m.end, m.text), "name") if m is not None and m.label == "PER" else None


def _first_word(words: Sequence[Token]) -> int:
    return next((i for i, t in enumerate(words) if t.is_word), 0)


def _cue_inside_name(tok: Token, resolver: Resolver) -> bool:
    return resolver.index.inside(tok) is not None


def _np_ending(words: Sequence[Token], resolver: Resolver) -> list[Token]:
    """The noun phrase that ends at the end of ``words`` ("Stoltenberg", "dem Bericht der Agentur")."""
    tail: list[Token] = []
    for tok in reversed(words):
        if not tok.is_word or (tok.text.islower() and tok.lower not in ("der", "des", "dem", "von", "den")):
            break
        tail.insert(0, tok)
        if len(tail) >= 5:
            break
    return tail


def _attributed(text: str, np: Sequence[Token], resolver: Resolver) -> Speaker | None:
    if not np:
        return None
    speaker, kind = speaker_of_phrase(text, np, resolver.index)
    if kind == "description":
        return resolver.description(np)
    return speaker


def _continuation(text: str, view: _UnitView, state: _State) -> list[Quote]:
    if state.chain is None:
        return []
    words = view.outside()
    cue_tok = next((t for t in words if t.lower in CONTINUATION_CUES), None)
    if cue_tok is None and not konjunktiv_in([t.text for t in words]):
        return []
    cue = Span(cue_tok.start, cue_tok.end, cue_tok.text) if cue_tok is not None else None
    return [_indirect(text, view.unit.start, view.unit.end, "continuation", cue, state.chain)]


# --- partial quotes and headlines -------------------------------------------------------------


def _partials(
    text: str,
    view: _UnitView,
    unit_quote: Quote | None,
    resolver: Resolver,
    directs: Sequence[QuotePair] = (),
    reported: Sequence[Quote] = (),
    state: _State | None = None,
) -> list[Quote]:
    out: list[Quote] = []
    for pair in view.pairs:
        if pair in directs:
            continue
        holder = next((q for q in reported if q.start <= pair.start and pair.end <= q.end), None) or unit_quote
        cue, speaker, attribution = None, None, "explicit"
        if holder is not None:
            cue, speaker, attribution = holder.cue, holder.speaker, holder.attribution
        else:
            cue, speaker = _speech_act(text, view, pair, resolver)
            if speaker is None and state is not None and state.chain is not None:
                speaker, attribution = state.chain, "continuation"
        out.append(Quote(pair.start, pair.end, text[pair.start : pair.end], "partial", attribution, cue, speaker))
    return out


def _speech_act(text: str, view: _UnitView, pair: QuotePair, resolver: Resolver) -> tuple[Span | None, Speaker | None]:
    """'Stoltenberg warnte vor einem "realen" Risiko': the subject of the sentence's speech act."""
    words = [t for t in view.outside() if t.end <= pair.open]
    for i, tok in enumerate(words):
        if tok.text.islower() and (SPEECH_ACT.match(tok.lower) or is_say_verb(tok.text)):
            speaker = resolver.before(words[:i]) or resolver.after(words[i + 1 :])
            if speaker is not None:
                return Span(tok.start, tok.end, tok.text), speaker
    return None, None


def _reporter(text: str, view: _UnitView, resolver: Resolver) -> Speaker | None:
    """The named subject of a verb of saying in a sentence without a quote: the report goes on after it."""
    words = view.outside()
    for i, tok in enumerate(words):
        if tok.text.islower() and (is_say_verb(tok.text) or SPEECH_ACT.match(tok.lower)) and not _infinitive(words, i):
            speaker = resolver.after(words[i + 1 :]) or resolver.before(words[:i])
            if speaker is not None and speaker.named:
                return speaker
    return None


def _headline(text: str, view: _UnitView, index: MentionIndex) -> list[Quote]:
    """'Sprecher: Aussage' and 'Aussage – Sprecher' in a heading."""
    tokens = view.tokens
    colon = next((i for i, t in enumerate(tokens) if t.text == ":"), None)
    if colon is not None and 0 < colon <= 3:
        m = index.whole(tokens[colon - 1])
        if m is not None and m.label in ("PER", "ORG") and m.end == tokens[colon - 1].end:
            return [_headline_quote(text, tokens[colon].end, view.unit.end, tokens[colon], m)]
    dash = next((i for i in range(len(tokens) - 1, 0, -1) if tokens[i].text in "–—-"), None)
    if dash is not None and dash >= len(tokens) - 4:
        tail = tokens[dash + 1 :]
        m = index.whole(tail[0]) if tail else None
        if m is not None and m.label in ("PER", "ORG") and m.end >= tail[-1].end:
            return [_headline_quote(text, view.unit.start, tokens[dash].start, tokens[dash], m)]
    return []


def _headline_quote(text: str, start: int, end: int, cue_tok: Token, m: LinkedMention) -> Quote:
    start, end = _clean_span(text, start, end)
    name = Span(m.start, m.end, m.text)
    speaker = Speaker(name, m.label, m.qid, m.entity_name, name, "name")
    cue = Span(cue_tok.start, cue_tok.end, cue_tok.text)
    return Quote(start, end, text[start:end], "indirect", "headline", cue, speaker, "headline")
