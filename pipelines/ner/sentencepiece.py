"""SentencePiece-unigram tokenisation (Viterbi over piece scores) in plain Python.

multilingual-e5 uses XLM-R's unigram vocabulary. No installed library reads the wheel's table,
so this reimplements the reference reader: normalise each character, prefix the word with the
metaspace "▁", then choose the segmentation with the best total piece score (an unknown single
character costs min score - 10). Words repeat a lot in news, so results are cached per word.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

METASPACE = "\u2581"


class UnigramTokenizer:
    """Word → piece ids, as the e5 model saw them in pretraining."""

    def __init__(
        self,
        pieces: Sequence[str],
        scores: Sequence[float] | np.ndarray,
        normalisation: dict[str, str],
        unk_id: int,
        special_ids: Sequence[int] = (),
    ) -> None:
        skip = {unk_id, *special_ids}
        self._ids: dict[str, tuple[int, float]] = {
            piece: (i, float(scores[i])) for i, piece in enumerate(pieces) if i not in skip and piece
        }
        self._normalisation = normalisation
        self._unk_id = unk_id
        self._unk_score = float(min(scores)) - 10.0
        self._max_len = max(len(p) for p in self._ids)
        self.encode_word = lru_cache(maxsize=200_000)(self._encode_word)

    def normalise(self, text: str) -> str:
        table = self._normalisation
        return "".join(table.get(ch, ch) for ch in text)

    def _encode_word(self, word: str) -> tuple[int, ...]:
        """Piece ids of one whitespace-free word (with its leading metaspace)."""
        text = METASPACE + self.normalise(word).replace(" ", METASPACE)
        n = len(text)
        best = [0.0] + [float("-inf")] * n
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        ids = self._ids
        unk_score = self._unk_score
        max_len = self._max_len
        for i in range(n):
            base = best[i]
            if base == float("-inf"):
                continue
            for end in range(i + 1, min(n, i + max_len) + 1):
                hit = ids.get(text[i:end])
                if hit is not None:
                    score = base + hit[1]
                    if score > best[end]:
                        best[end] = score
                        back_piece[end] = hit[0]
                        back_from[end] = i
            score = base + unk_score
            if score > best[i + 1]:
                best[i + 1] = score
                back_piece[i + 1] = self._unk_id
                back_from[i + 1] = i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(back_piece[i])
            i = back_from[i]
        out.reverse()
        return tuple(out)

    def encode_words(self, words: Sequence[str]) -> list[tuple[int, ...]]:
        return [self.encode_word(w) for w in words]
