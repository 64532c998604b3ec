"""Roles the text attaches to a person: prenominal titles, appositions and parenthesised parties.

"Nato-Generalsekretär Jens Stoltenberg", "Der Generalsekretär der NATO, Jens Stoltenberg,",
"Jens Stoltenberg, der NATO-Chefdiplomat,", "Olaf Scholz (SPD)". The organisation is the mention inside
the title ("Nato-…", "US-…"), a genitive before it ("Estlands Ministerpräsidentin") or after it
("der EU-Kommission"); adjectives (ukrainisch, russisch) are no organisation.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.domain import LinkedMention
from pipelines.quotes.lexicon import ARTICLES, OTHER_ROLE, PARTY, ROLE_MODIFIERS, is_role_noun
from pipelines.quotes.records import Role, Span
from pipelines.quotes.speakers import MentionIndex
from pipelines.quotes.text import Token, tokenize

_APPOSITION_WINDOW = 7
_ORG_LABELS = ("ORG", "LOC")


def find_roles(text: str, mentions: Sequence[LinkedMention]) -> list[Role]:
    """Every role statement of the article, in text order."""
    index = MentionIndex(text, sorted(mentions, key=lambda m: m.start))
    tokens = tokenize(text)
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    roles: list[Role] = []
    for m in index.mentions:
        if m.label != "PER" or m.start not in starts or m.end not in ends:
            continue
        first, last = starts[m.start], ends[m.end]
        for finder in (_prenominal, _apposition_before, _apposition_after, _party):
            role = finder(text, tokens, first, last, m, index)
            if role is not None:
                roles.append(role)
    return roles


def _role(text: str, m: LinkedMention, role: Span, kind: str, construction: str, org: LinkedMention | None) -> Role:
    return Role(
        person=Span(m.start, m.end, m.text),
        person_qid=m.qid,
        person_name=m.entity_name,
        role_text=role,
        kind=kind,
        construction=construction,
        organisation=Span(org.start, org.end, org.text) if org is not None else None,
        organisation_label=org.label if org is not None else None,
        organisation_qid=org.qid if org is not None else None,
        organisation_name=org.entity_name if org is not None else "",
    )


def _kind(word: str) -> str:
    return "other" if OTHER_ROLE.search(word.lower()) else "position"


def _org_in(tokens: Sequence[Token], index: MentionIndex) -> LinkedMention | None:
    for tok in tokens:
        m = index.inside(tok)
        if m is not None and m.label in _ORG_LABELS:
            return m
    return None


def _title_span(text: str, tokens: Sequence[Token], at: int) -> Span:
    start = at
    if at > 0 and tokens[at - 1].lower in ROLE_MODIFIERS:
        start = at - 1
    return Span.of(text, tokens[start].start, tokens[at].end)


def _prenominal(
    text: str, tokens: Sequence[Token], first: int, last: int, m: LinkedMention, index: MentionIndex
) -> Role | None:
    at = first - 1
    if at < 0 or not is_role_noun(tokens[at].text) or index.whole(tokens[at]) is not None:
        return None
    org = _org_in([tokens[at]], index)
    if org is None and at > 0:
        prev = index.whole(tokens[at - 1])
        if prev is not None and prev.label in _ORG_LABELS and tokens[at - 1].text.endswith("s"):
            org = prev
    return _role(text, m, _title_span(text, tokens, at), _kind(tokens[at].text), "prenominal", org)


def _apposition_before(
    text: str, tokens: Sequence[Token], first: int, last: int, m: LinkedMention, index: MentionIndex
) -> Role | None:
    """'Der Generalsekretär der NATO, Jens Stoltenberg, …'."""
    if first < 2 or tokens[first - 1].text != "," or not _closes_apposition(tokens, last):
        return None
    for at in range(first - 2, max(-1, first - 2 - _APPOSITION_WINDOW), -1):
        tok = tokens[at]
        if not tok.is_word:
            return None
        if is_role_noun(tok.text) and index.whole(tok) is None:
            article = at - 1 if at > 0 and tokens[at - 1].lower in ROLE_MODIFIERS else at
            if article > 0 and tokens[article - 1].lower in ARTICLES:
                org = _org_in(tokens[at : first - 1], index)
                return _role(text, m, _title_span(text, tokens, at), _kind(tok.text), "apposition", org)
            return None
    return None


def _closes_apposition(tokens: Sequence[Token], last: int) -> bool:
    return last + 1 >= len(tokens) or tokens[last + 1].text in ",.;)"


def _apposition_after(
    text: str, tokens: Sequence[Token], first: int, last: int, m: LinkedMention, index: MentionIndex
) -> Role | None:
    """'Jens Stoltenberg, der NATO-Chefdiplomat, …' and 'Erich Schönleitner, Geschäftsführer der Firma, …'."""
    if last + 3 >= len(tokens) or tokens[last + 1].text != ",":
        return None
    bare = is_role_noun(tokens[last + 2].text) and tokens[last + 3].lower in ("der", "des", "von", "vom", "beim")
    if tokens[last + 2].lower not in ARTICLES and not bare:
        return None
    for at in range(last + 2 if bare else last + 3, min(len(tokens), last + 6)):
        tok = tokens[at]
        if not tok.is_word:
            return None
        if is_role_noun(tok.text) and index.whole(tok) is None:
            if at + 1 < len(tokens) and tokens[at + 1].text not in ",.;" and tokens[at + 1].lower not in ARTICLES:
                return None
            org = _org_in(tokens[last + 3 : at + 3], index)
            return _role(text, m, _title_span(text, tokens, at), _kind(tok.text), "postnominal_apposition", org)
        if tok.text[0].isupper():
            return None
    return None


def _party(
    text: str, tokens: Sequence[Token], first: int, last: int, m: LinkedMention, index: MentionIndex
) -> Role | None:
    """'Olaf Scholz (SPD)': a party (or party-like organisation) in parentheses right after the name."""
    if last + 3 >= len(tokens) or tokens[last + 1].text != "(" or tokens[last + 3].text != ")":
        return None
    inner = tokens[last + 2]
    mention = index.whole(inner)
    if not PARTY.match(inner.text) and (mention is None or mention.label not in ("ORG", "MISC")):
        return None
    if mention is not None and mention.label in ("PER", "LOC"):
        return None
    span = Span(inner.start, inner.end, inner.text)
    role = _role(text, m, span, "party", "parenthetical", mention)
    if mention is None:
        role = Role(**{**role.__dict__, "organisation": span})
    return role
