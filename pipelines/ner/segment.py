"""Split a document's words into encoder-sized sequences: sentences, then windows.

The encoder sees at most 512 positions, so a document is cut at sentence ends (".", "!", "?"
tokens and line breaks) and any sentence longer than the limit into consecutive windows, so
nothing is truncated silently. The model was trained on single sentences, which also keeps
attention cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

SENTENCE_END = frozenset({".", "!", "?", "…", "...", "!?", "?!"})


def split_sentences(words: Sequence[str], is_break: Sequence[bool]) -> list[list[int]]:
    """Word indices per sentence; ``is_break[i]`` marks a line break before word i."""
    sentences: list[list[int]] = []
    current: list[int] = []
    for i, word in enumerate(words):
        if is_break[i] and current:
            sentences.append(current)
            current = []
        current.append(i)
        if word in SENTENCE_END:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def split_windows(indices: Sequence[int], piece_counts: Sequence[int], max_pieces: int) -> list[list[int]]:
    """Consecutive windows of ``indices`` whose summed piece counts stay within ``max_pieces``."""
    windows: list[list[int]] = []
    current: list[int] = []
    used = 0
    for i in indices:
        n = min(piece_counts[i], max_pieces)
        if current and used + n > max_pieces:
            windows.append(current)
            current, used = [], 0
        current.append(i)
        used += n
    if current:
        windows.append(current)
    return windows


def make_sequences(
    words: Sequence[str], is_break: Sequence[bool], count_pieces: Callable[[str], int], max_pieces: int
) -> list[list[int]]:
    """Word-index sequences that each fit the encoder (``max_pieces`` without bos/eos)."""
    counts = [count_pieces(w) for w in words]
    out: list[list[int]] = []
    for sentence in split_sentences(words, is_break):
        out.extend(split_windows(sentence, counts, max_pieces))
    return out
