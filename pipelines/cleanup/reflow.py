"""Joining hard-wrapped lines back into paragraphs, deciding from the words at the break.

A line that ends without sentence punctuation belongs to the next line when the next one continues
in lower case, or when the break falls after a word that cannot end a sentence (article,
conjunction, pronoun, auxiliary), or when both lines look like one wrapped paragraph. Otherwise the
line stands alone (a title or heading).
"""

from __future__ import annotations

import itertools
import re

_TERMINAL = re.compile(r"(?:[.!?:;…]\s?['\"“”»«’)\]]*|[“”»«]|(?<=\S)\")$")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"“”»«’)]?\s+[\"„»«]?[A-ZÄÖÜ0-9]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words after which a sentence or headline cannot end: a break there is always a wrap.
_NEVER_FINAL = _words(
    "der die das den dem des eine einen einem einer eines kein keine keinen keinem keiner und oder "
    "aber sowie dass daß weil wenn ob als wie denn sondern sodass damit obwohl ehe bevor nachdem "
    "welche welcher welches welchen welchem seine seinen seinem seiner seines ihre ihren ihrem ihrer "
    "ihres unsere unseren unserem unserer in im ins am beim vom zum zur für von seit gegen ohne trotz "
    "wegen laut gemäß zwischen unter neben hinter dank innerhalb außerhalb bis mittels statt sehr "
    "diese dieser diesen diesem dieses jede jeder jeden jedem jedes the of to and or for with"
)
# Words a headline may end in (separable-verb particles "hält an", verb-final clauses "… soll",
# pronouns "sagt er"): only a wrap when the two lines also look like one wrapped paragraph.
_WEAK_FINAL = _words(
    "an auf ab aus vor zu mit nach durch ein um zurück weiter fest hin her los bei über ich du er sie "
    "es wir ihr man sich ihm ihn ihnen uns euch mich mir soll sollen sollte muss müssen kann können "
    "will wollen wird werden wurde würde hat haben hatte habe hätte ist sind war waren sei seien wäre "
    "darf mag möchte sein mehr so alle"
)
_CONJUNCTION_START = _words("und oder bis sowie bzw. beziehungsweise")
_WORD_CHAR = re.compile(r"[\wÄÖÜäöüß]")
_HYPHENS = re.compile(r"-+")


def ends_sentence(line: str) -> bool:
    """True if the line ends with sentence punctuation (possibly followed by a closing quote)."""
    return bool(_TERMINAL.search(line.rstrip()[-8:]))


def has_inner_sentence_end(line: str) -> bool:
    return bool(_SENTENCE_INSIDE.search(line))


def _starts_lower(line: str) -> bool:
    for ch in line:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def _last_word(line: str) -> str:
    """The run of word characters and hyphens around the line's last word character (what the regex
    ``([\\w-]+)\\W*$`` finds), read from the end: that regex backtracks quadratically on a long line."""
    last = len(line) - 1
    while last >= 0 and not _WORD_CHAR.match(line, last):
        last -= 1
    if last < 0:
        hyphens = _HYPHENS.search(line)
        return hyphens.group(0) if hyphens else ""
    start, end = last, last + 1
    while start and (line[start - 1] == "-" or _WORD_CHAR.match(line, start - 1)):
        start -= 1
    while end < len(line) and line[end] == "-":
        end += 1
    return line[start:end]


def estimate_wrap_width(lines: list[str]) -> int | None:
    """The fixed width a text was hard-wrapped at, if its certain wraps (a mid-sentence line followed
    by a lower-case continuation) all end near one width; None for ragged or unwrapped text."""
    widths = [
        len(line)
        for line, following in itertools.pairwise(lines)
        if line and following and not ends_sentence(line) and _starts_lower(following) and len(line.split()) >= 5
    ]
    if len(widths) < 3 or max(widths) - min(widths) > 0.25 * max(widths):
        return None
    return max(widths)


def is_wrapped(line: str, following: str, *, inside_paragraph: bool, width: int | None = None) -> tuple[bool, str]:
    """Whether ``line`` was hard-wrapped and continues in ``following``; with the reason.
    ``width`` is the text's fixed wrap width where known (see ``estimate_wrap_width``)."""
    line, following = line.rstrip(), following.strip()
    if not line or not following:
        return False, "nothing to join"
    next_word = following.split(" ", 1)[0]
    if ends_sentence(line):
        if (
            width is not None
            and len(line) + 1 + len(next_word) > width - 2
            and (ends_sentence(following) or len(following) >= 0.8 * width)
        ):
            return True, f"sentence ends at the wrap width {width}: the paragraph goes on"
        return False, "line ends a sentence"
    if _starts_lower(following):
        return True, "next line continues in lower case"
    if line.endswith("-") and line[-2:-1].isalpha():
        return True, "hyphenated word broken at the line end"
    if inside_paragraph:
        return True, "continuation of a wrapped paragraph"
    last = _last_word(line)
    if last.lower() in _NEVER_FINAL and last[:1].islower():
        return True, f"break after {last!r}, which cannot end a sentence"
    long_running = has_inner_sentence_end(line) and len(line) >= 100  # teaser headlines ask "…? …" too
    if _starts_lower(line) or long_running or line.endswith(","):
        return True, "line is part of running text"
    if width is not None:  # fixed-width text: wrapped only if the next word would not have fitted
        if len(line) + 1 + len(next_word) > width - 2:
            return True, f"next word would not fit the wrap width {width}"
        return False, f"line ends before the wrap width {width}"
    tail = _last_word(following)
    if (
        " " not in line
        and not ends_sentence(following)
        and tail[:1].islower()
        and (tail.lower() in _NEVER_FINAL | _WEAK_FINAL or following.endswith(","))
    ):
        return True, "single word starting a wrapped paragraph (the next line is wrapped too)"
    fits_width = len(following) <= 1.35 * len(line) + 10
    if fits_width and len(line) >= 40 and (last[:1].islower() or last.lower() in _WEAK_FINAL):
        return True, "lines of a wrapped paragraph (similar width, break mid-clause)"
    return False, "line stands alone"


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph with single spaces, mending words hyphenated at a break."""
    text = ""
    for line in (part.strip() for part in lines):
        if not text:
            text = line
        elif text.endswith("-") and text[-2:-1].isalpha():
            first = line.split(" ", 1)[0]
            if _starts_lower(line) and first.lower() not in _CONJUNCTION_START:
                text = text[:-1] + line  # soft hyphenation: "Wirtschafts-" + "sanktionen"
            elif _starts_lower(line):
                text = text + " " + line  # "Ein- und Ausreise"
            else:
                text = text + line  # "Nato-" + "Staaten"
        else:
            text = text + " " + line
    return text
