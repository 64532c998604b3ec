"""Tokens, quotation-mark pairs and sentence units of a clean text, with offsets.

A sentence unit never ends inside a pair of quotation marks, so a direct quote of several sentences
stays in one unit with its reporting clause (``"…. …", sagte X.``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pipelines.quotes.lexicon import words

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*-?|[^\w\s]", re.UNICODE)
# opening mark -> the marks that close it; typewriter quotes close themselves
_PAIRS: dict[str, str] = {"„": '“"”', "“": '”"', "»": "«", "«": "»", '"': '"“”'}
_MARK = re.compile("[" + "".join(sorted(set(_PAIRS).union(*_PAIRS.values()))) + "]")  # the only characters pairs read
_SENTENCE_END = re.compile(r"[.!?]")
_ABBREVIATIONS = words(
    "z.b bzw ca dr prof nr st vgl u.a d.h mio mrd red anm usw etc ggf inkl evtl abs jh hr fr bsp sog"
)
_MONTHS = words("januar februar märz april mai juni juli august september oktober november dezember jänner")
# words after which "18." is an ordinal ("im 18. Bezirk"), not a number ending a sentence
_ORDINAL_BEFORE = words("im am zum zur vom beim ins der die das den dem des ab bis seit zu seinem ihrem")
HEADING_TYPES = frozenset({"title", "heading", "subheading", "headline"})


class Token(NamedTuple):
    """A word or mark with its offsets (a tuple: the quote finder makes tens of thousands a night)."""

    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


@dataclass(frozen=True)
class QuotePair:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark

    @property
    def start(self) -> int:
        return self.open + 1

    @property
    def end(self) -> int:
        return self.close


@dataclass(frozen=True)
class Unit:
    """A sentence (or a run of sentences joined by a quotation) inside one block."""

    start: int
    end: int
    block: int
    heading: bool


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    stop = len(text) if end is None else end
    return [Token(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(text[start:stop])]


def quote_pairs(text: str, start: int, end: int) -> list[QuotePair]:
    """Pairs of quotation marks in ``text[start:end]`` (one level; an unclosed mark is ignored)."""
    pairs: list[QuotePair] = []
    opened: int | None = None
    for mark in _MARK.finditer(text, start, end):
        i = mark.start()
        ch = text[i]
        if opened is None:
            if ch in _PAIRS and _opens(text, i, start, end):
                opened = i
        elif ch in _PAIRS[text[opened]]:
            pairs.append(QuotePair(opened, i))
            opened = None
    return pairs


def _opens(text: str, i: int, start: int, end: int) -> bool:
    """A typewriter quote opens only before a word (not after one: that is an inch sign or a closing mark)."""
    if text[i] != '"':
        return True
    nxt = text[i + 1] if i + 1 < end else " "
    return not nxt.isspace()


def blocks_of(text: str, block_types: Sequence[str] | None = None) -> list[tuple[int, int, str]]:
    """The blocks of a clean text (joined by blank lines) with their types."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for index, part in enumerate(text.split("\n\n")):
        kind = block_types[index] if block_types is not None and index < len(block_types) else "body"
        if part.strip():
            out.append((pos, pos + len(part), kind))
        pos += len(part) + 2
    return out


def units(text: str, block_types: Sequence[str] | None = None) -> list[Unit]:
    """Sentence units of every block; headings are one unit each."""
    result: list[Unit] = []
    for index, (start, end, kind) in enumerate(blocks_of(text, block_types)):
        heading = kind in HEADING_TYPES or _looks_like_heading(text[start:end])
        if heading:
            result.append(Unit(start, end, index, True))
            continue
        inside = _inside_quotes(text, start, end)
        begin = start
        for boundary in _boundaries(text, start, end, inside):
            if text[begin:boundary].strip():
                result.append(Unit(begin, boundary, index, False))
            begin = boundary
            while begin < end and text[begin].isspace():
                begin += 1
        if text[begin:end].strip():
            result.append(Unit(begin, end, index, False))
    return result


def _looks_like_heading(block: str) -> bool:
    stripped = block.strip()
    return "\n" not in stripped and len(stripped.split()) <= 14 and stripped[-1:] not in '.!?"“”«»:'


def _inside_quotes(text: str, start: int, end: int) -> list[bool]:
    inside = [False] * (end - start)
    for pair in quote_pairs(text, start, end):
        inside[pair.open + 1 - start : pair.close - start] = [True] * (pair.close - pair.open - 1)
    return inside


def _boundaries(text: str, start: int, end: int, inside: list[bool]) -> list[int]:
    """Offsets just after each sentence end: [.!?] (plus closing marks) before a space and a capital."""
    found: list[int] = []
    for stop in _SENTENCE_END.finditer(text, start, end):
        i = stop.start()
        if not inside[i - start]:
            j = i + 1
            while j < end and text[j] in "\"“”«»)’'":
                j += 1
            if j < end and text[j].isspace() and _next_starts_sentence(text, j, end) and not _abbreviation(text, i, j):
                found.append(j)
        else:
            # a sentence ending inside quotes ends the unit only where the quote closes it: '…real." Die'
            j = i + 1
            if j < end and text[j] in '"“”«»' and not (j + 1 - start < len(inside) and inside[j + 1 - start]):
                k = j + 1
                if k < end and text[k].isspace() and _next_starts_sentence(text, k, end):
                    found.append(k)
    return sorted(set(found))


def _next_starts_sentence(text: str, j: int, end: int) -> bool:
    k = j
    while k < end and text[k].isspace():
        k += 1
    return k < end and (text[k].isupper() or text[k].isdigit() or text[k] in '„"»«(')


def _abbreviation(text: str, dot: int, after: int) -> bool:
    if text[dot] != ".":
        return False
    m = re.search(r"(\w+(?:\.\w+)*)$", text[max(0, dot - 20) : dot])
    if not m:
        return False
    word = m.group(1)
    if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    if word.isdigit():  # "12. Januar", "im 3. Quartal", "im 18. Bezirk"
        nxt = re.match(r"\s*(\w+)", text[after:])
        before = re.search(r"(\w+)\s+$", text[max(0, dot - len(word) - 12) : dot - len(word)])
        ordinal = before is not None and before.group(1).lower() in _ORDINAL_BEFORE
        return ordinal or bool(nxt and (nxt.group(1).lower() in _MONTHS or nxt.group(1)[0].islower()))
    return False
