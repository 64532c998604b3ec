"""Language and writing-system detection, so "text in another script" is judged against the article.

The article's language is detected, never assumed: text whose commonest function words are German
is German at once, anything else goes to py3langid (BSD licence). Each line's dominant script is
then compared with the script of that language.
"""

from __future__ import annotations

import re
import unicodedata

# Languages whose usual script is not Latin (everything else py3langid knows is treated as Latin).
_LANGUAGE_SCRIPTS: dict[str, str] = {
    **dict.fromkeys(("ru", "uk", "bg", "be", "mk", "sr", "kk", "ky", "mn", "tg"), "CYRILLIC"),
    "el": "GREEK",
    **dict.fromkeys(("ar", "fa", "ur", "ps"), "ARABIC"),
    "he": "HEBREW",
    **dict.fromkeys(("zh", "ja"), "CJK"),
    "ko": "HANGUL",
    "hy": "ARMENIAN",
    "ka": "GEORGIAN",
    "th": "THAI",
    **dict.fromkeys(("hi", "mr", "ne"), "DEVANAGARI"),
}
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_SAMPLE_CHARS = 600
_WORD = re.compile(r"[^\W\d_]+")
# Function words frequent in German and rare elsewhere (no "in", "die" is rare in English prose).
_GERMAN_FUNCTION_WORDS = frozenset(
    _WORD.findall(
        "der die das und ist nicht mit von den dem sich des auf für eine einer einen zu im sie es "
        "auch wird werden sei hat haben dass bei aus nach wie über vor zum zur"
    )
)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, from a sample of its longest lines (None if no letters)."""
    lines = sorted((line for line in text.splitlines() if line.strip()), key=len, reverse=True)
    sample = "\n".join(lines)[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    words = _WORD.findall(sample.lower())
    if len(words) >= 40 and sum(w in _GERMAN_FUNCTION_WORDS for w in words) >= 0.18 * len(words):
        return "de"  # unmistakably German: the commonest function words make up a fifth of it
    import py3langid

    code, _score = py3langid.classify(sample)
    return str(code)


def language_script(language: str | None) -> str:
    """The writing system a language is normally written in (LATIN when unknown)."""
    return _LANGUAGE_SCRIPTS.get(language or "", "LATIN")


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA")):
        return "CJK"
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def foreign_script(line: str, article_script: str) -> str | None:
    """The script most of the line's letters are in, if that is not the article's script; else None."""
    if article_script == "LATIN" and not _NON_LATIN_LETTER.search(line):
        return None  # fast path: only Latin letters
    counts: dict[str, int] = {}
    letters = 0
    for ch in line:
        if ch.isalpha():
            letters += 1
            script = _script_of(ch)
            counts[script] = counts.get(script, 0) + 1
    if not letters:
        return None
    script, count = max(counts.items(), key=lambda item: item[1])
    if script != article_script and count * 2 > letters:
        return script
    return None
