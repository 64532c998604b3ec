"""Who speaks: the subject noun phrase next to a cue, and what pronouns and descriptions refer to.

Without a dependency parse (the project ships NER models only) the subject is found the way German
reporting clauses are built: right after the verb in verb-second inversion ("…, sagte der Nato-Chef"),
otherwise right before it ("Stoltenberg betonte, …"). Pronouns go to the last person named before
them, descriptions ("der Generalsekretär") to the last named speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.domain import LinkedMention
from pipelines.quotes.lexicon import ARTICLES, NP_STOP, PRONOUNS, ROLE_MODIFIERS, is_role_noun
from pipelines.quotes.records import Span, Speaker
from pipelines.quotes.text import Token

SUBJECT_LABELS = ("PER", "ORG", "LOC")
_NP_MAX_TOKENS = 7
DEFINITE = frozenset({"der", "die", "das", "des", "dem", "den"})
_SKIP_AFTER_VERB = frozenset({"sich", "noch", "einmal", "erneut", "nun", "dann"})


@dataclass
class MentionIndex:
    """The article's mentions, found by token."""

    text: str
    mentions: Sequence[LinkedMention]

    def whole(self, token: Token) -> LinkedMention | None:
        """The mention this token belongs to, unless the mention is only part of a compound ("NATO-Diplomaten")."""
        for m in self.mentions:
            if m.start <= token.start < m.end:
                return m if token.end <= m.end + 1 and not self._compound_part(m, token) else None
        return None

    def inside(self, token: Token) -> LinkedMention | None:
        for m in self.mentions:
            if m.start <= token.start < m.end or (token.start <= m.start < token.end):
                return m
        return None

    def _compound_part(self, m: LinkedMention, token: Token) -> bool:
        return token.end > m.end and self.text[m.end : m.end + 1] == "-" and token.end - m.end > 2

    def last_person_before(self, pos: int, excluded: Sequence[tuple[int, int]] = ()) -> LinkedMention | None:
        best: LinkedMention | None = None
        for m in self.mentions:
            outside = not any(a <= m.start < b for a, b in excluded)
            if m.label == "PER" and m.end <= pos and outside and (best is None or m.start > best.start):
                best = m
        return best


def named(m: LinkedMention, ref: Span, ref_kind: str) -> Speaker:
    return Speaker(Span(m.start, m.end, m.text), m.label, m.qid, m.entity_name, ref, ref_kind)


def unnamed(text: str, tokens: Sequence[Token]) -> Speaker:
    span = Span.of(text, tokens[0].start, tokens[-1].end)
    return Speaker(span, None, None, "", span, "unnamed")


def noun_phrase(tokens: Sequence[Token], index: MentionIndex) -> list[Token]:
    """The noun phrase at the start of ``tokens``: articles, adjectives, nouns and whole names."""
    np: list[Token] = []
    after_role = False
    for tok in tokens[:_NP_MAX_TOKENS]:
        mention = index.inside(tok)
        in_name = bool(np) and mention is not None and index.inside(np[-1]) is mention
        if not tok.is_word or (not in_name and _ends_phrase(tok, mention, np, after_role, index)):
            break
        np.append(tok)
        after_role = after_role or (is_role_noun(tok.text) and mention is None)
    return np


def _ends_phrase(
    tok: Token, mention: LinkedMention | None, np: Sequence[Token], after_role: bool, index: MentionIndex
) -> bool:
    """Whether ``tok`` (not inside the name being read) no longer belongs to the phrase."""
    if (tok.lower in NP_STOP and tok.lower != "von") or (tok.lower in PRONOUNS and not _possessive(tok, np)):
        return True
    is_person = mention is not None and mention.label == "PER"
    if after_role and not is_person and (tok.lower not in ("der", "des") or not np):
        return True  # after a title only a name or a genitive follows: "der Generalsekretär (der NATO)"
    previous = index.inside(np[-1]) if np else None
    if previous is not None and mention is not None and mention is not previous and not is_person:
        return True  # a second name that is no person: "der Generalsekretär Moskau"
    has_noun = any(t.capitalised and t.lower not in ARTICLES for t in np)
    return has_noun and tok.text.islower() and tok.lower not in ("der", "des", "von", "und")


def _possessive(tok: Token, np: Sequence[Token]) -> bool:
    """'ihr Sprecher': "ihr" opening a phrase is a determiner, not the pronoun."""
    return tok.lower == "ihr" and not np


def speaker_of_phrase(text: str, np: Sequence[Token], index: MentionIndex) -> tuple[Speaker | None, str]:
    """A named speaker in the noun phrase, or the kind of reference it is: description or unnamed."""
    for label in SUBJECT_LABELS:
        for tok in np:
            m = index.whole(tok)
            if m is not None and m.label == label:
                return named(m, Span(m.start, m.end, m.text), "name"), "name"
    words = [t for t in np if t.lower not in ARTICLES]
    if not words or not any(t.capitalised for t in words):
        return None, "none"
    definite = np[0].lower in DEFINITE  # "der Minister" is someone named before; "ihr Sprecher" is not
    if definite and any(is_role_noun(t.text) for t in words):
        return None, "description"
    content = [t for t in words if t.lower not in ROLE_MODIFIERS or t is not words[0]]
    return unnamed(text, content or words), "unnamed"


_AUXILIARIES = frozenset({"hat", "haben", "hatte", "hatten", "ist", "sind", "war", "waren", "wird", "werden"})


def _next_to_verb(between: Sequence[Token]) -> bool:
    """A subject before its verb stands right before it, or before the auxiliary of a perfect ('hat … gesagt')."""
    return not between or (between[0].lower in _AUXILIARIES and len(between) <= 4)


@dataclass
class Resolver:
    """Resolves pronouns and descriptions against what came before in the article."""

    text: str
    index: MentionIndex
    quoted: Sequence[tuple[int, int]]
    last_speaker: Speaker | None = None

    def pronoun(self, tok: Token) -> Speaker | None:
        m = self.index.last_person_before(tok.start, self.quoted)
        return named(m, Span(tok.start, tok.end, tok.text), "pronoun") if m is not None else None

    def description(self, np: Sequence[Token]) -> Speaker | None:
        ref = Span.of(self.text, np[-1].start, np[-1].end)
        role = next((t for t in np if is_role_noun(t.text)), np[-1])
        ref = Span(role.start, role.end, role.text)
        if self.last_speaker is not None and self.last_speaker.named and self.last_speaker.label == "PER":
            s = self.last_speaker
            return Speaker(s.span, s.label, s.qid, s.entity_name, ref, "description")
        m = self.index.last_person_before(np[0].start, self.quoted)
        return named(m, ref, "description") if m is not None else None

    def after(self, tokens: Sequence[Token]) -> Speaker | None:
        """The subject right after a verb (inversion)."""
        rest = [t for t in tokens]
        while rest and rest[0].lower in _SKIP_AFTER_VERB:
            rest = rest[1:]
        if not rest:
            return None
        determiner = len(rest) > 1 and rest[0].lower == "ihr" and rest[1].capitalised
        if rest[0].lower in PRONOUNS and rest[0].text.islower() and not determiner:
            return self.pronoun(rest[0])
        return self._phrase(noun_phrase(rest, self.index))

    def before(self, tokens: Sequence[Token]) -> Speaker | None:
        """The subject of a clause whose verb comes after ``tokens`` (the clause up to the verb)."""
        words = [t for t in tokens if t.is_word]
        if not words:
            return None
        for tok in words:
            m = self.index.whole(tok)
            if m is not None and m.label == "PER":
                return named(m, Span(m.start, m.end, m.text), "name")
        for tok in reversed(words[-3:]):
            if tok.lower in PRONOUNS and tok.lower not in ("ihm", "ihr", "ihnen"):
                return self.pronoun(tok)
        start = next((i for i, t in enumerate(tokens) if t.is_word), 0)
        np = noun_phrase(list(tokens[start:]), self.index)
        speaker = self._phrase(np)
        between = [t for t in tokens[start + len(np) :] if t.is_word]
        if speaker is not None and not speaker.named and not _next_to_verb(between):
            return None  # 'Direkt nach der Wahl hat der … versprochen': a fronted adverbial, not the subject
        return speaker

    def _phrase(self, np: Sequence[Token]) -> Speaker | None:
        if not np:
            return None
        speaker, kind = speaker_of_phrase(self.text, np, self.index)
        if kind == "description":
            return self.description(np)
        return speaker
