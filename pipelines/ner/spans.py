"""Span repair: mentions end at word boundaries and never as a truncated conjunct ("Mittel-").

German coordinates compounds by cutting the shared head off the first conjunct: "Mittel- und
Südamerika", "Nord- und Ostsee". GermEval (the model's training data) annotates the truncated
"Mittel-" as a LOC of its own, which a reader or the linker cannot use. GermEval's own convention
decides what the product does instead: places are separate conjuncts there ("Nord-" LOC, "Ostsee"
LOC), so the truncated one is dropped and the complete one kept; organisations are one name over
the whole coordination ("Volks- und Raiffeisenbanken"), so an ORG ending in a hyphen is extended
over it ("Schweizer Buchhändler- und Verlegerverband"), taking in the next conjunct where the model
tagged that as an organisation of its own. A truncated conjunct of several words is a
whole name before an elided head ("Windows 7- oder Windows 8.1-System"), so only its hyphen goes. A
hyphen not followed by a conjunction is a dash glued to the name ("Istanbul- Der Konflikt …") and is
cut off, as are a trailing slash or bracket. A mention that starts or ends inside a word is widened
to the whole word.
"""

from __future__ import annotations

from collections.abc import Mapping

HYPHENS = "-\u2010\u2011"
CONJUNCTIONS = frozenset({"und", "oder", "bzw", "sowie", "&"})
TRAILING_PUNCTUATION = HYPHENS + "/(" + " \t\n"
WORD_END_PUNCTUATION = ".,;:!?)\"'»«“”"

Span3 = tuple[int, int, str]


def repair_spans(text: str, mentions: list[Span3]) -> list[Span3]:
    """The mentions with their spans repaired (see module docstring); unusable ones are left out, and an
    organisation that a truncated ORG conjunct was extended over is part of that one name."""
    by_start = {start: (start, end, label) for start, end, label in mentions}
    repaired: list[Span3] = []
    joined: set[int] = set()
    for start, end, label in mentions:
        span, absorbed = repair_span(text, start, end, label, by_start)
        joined |= absorbed
        if span is not None:
            repaired.append(span)
    return [span for span in repaired if span[0] not in joined]


def repair_span(
    text: str, start: int, end: int, label: str, mentions: Mapping[int, Span3]
) -> tuple[Span3 | None, set[int]]:
    """One mention repaired (None if it is a truncated conjunct that cannot be completed), and the
    starts of the later ``mentions`` (all of the text's, by start) it was extended over."""
    start, end = widen_to_word(text, start, end)
    absorbed: set[int] = set()
    if text[end - 1] in HYPHENS and _conjunction_after(text, end) is not None:
        completed = complete_coordination(text, end, mentions) if label == "ORG" else None
        if completed is not None:
            end, absorbed = completed
        elif not any(ch.isspace() for ch in text[start:end]):
            return None, set()
    while end > start and text[end - 1] in TRAILING_PUNCTUATION:
        end -= 1
    if not any(ch.isalnum() for ch in text[start:end]):
        return None, set()
    return (start, end, label), absorbed


def widen_to_word(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved out to the enclosing word (letters and digits; hyphens end a word)."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def complete_coordination(text: str, end: int, mentions: Mapping[int, Span3]) -> tuple[int, set[int]] | None:
    """End of the coordination a truncated conjunct ending at ``end`` begins ("Buchhändler- und
    Verlegerverband"), with the starts of the ORG mentions it takes in ("Volks- und Raiffeisenbanken"
    tagged as two); None if a later conjunct is lower-case, missing, or a mention that is not an
    organisation over the whole word (a name cut out of a compound: "BMW- und Daimler-Chefs")."""
    absorbed: set[int] = set()
    while text[end - 1] in HYPHENS:
        after = _conjunction_after(text, end)
        if after is None:
            return None
        word = _next_word(text, after)
        if word is None:
            return None
        word_start, word_end = word
        if not text[word_start].isupper():
            return None
        inside = [mention for s, mention in mentions.items() if word_start <= s < word_end]
        if inside:
            mention = inside[0]
            if len(inside) > 1 or mention[0] != word_start or mention[1] < word_end or mention[2] != "ORG":
                return None
            absorbed.add(mention[0])
            word_end = mention[1]
        end = word_end
    return end, absorbed


def _next_word(text: str, position: int) -> tuple[int, int] | None:
    """(start, end) of the next whitespace-separated word from ``position``, without closing punctuation."""
    start = position
    while start < len(text) and text[start].isspace():
        start += 1
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in ",":
        end += 1
    while end > start and text[end - 1] in WORD_END_PUNCTUATION:
        end -= 1
    return (start, end) if end > start else None


def _conjunction_after(text: str, end: int) -> int | None:
    """Position after the coordinating word that follows ``end`` ("und", "oder", ","), if one does."""
    word = _next_word(text, end)
    if word is not None and text[word[0] : word[1]].lower() in CONJUNCTIONS:
        return word[1]
    position = end
    while position < len(text) and text[position].isspace():
        position += 1
    if position < len(text) and text[position] in ",/":
        return position + 1
    return None
