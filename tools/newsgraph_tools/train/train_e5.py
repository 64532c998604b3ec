"""Fine-tune the e5 encoder for German NER on GermEval 2014 (PyTorch; training only).

Recipe measured on this machine (see docs in the model card): token classification on the first
piece of each word, BIO over PER/LOC/ORG/MISC and their ``part`` variants, word embeddings
frozen, AdamW lr 1e-4 (head 1e-3), weight decay 0.01, batches of 16 sentences of similar length,
linear warm-up over 6% then linear decay, dropout 0.1, 3 epochs. Optionally (``augment_copies``) also
over mention-replaced copies of the sentences (newsgraph_tools.train.augment): measured, not the
default (see bench/notes.md, "NER decoding and training").
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from newsgraph_tools.train.augment import augmented
from newsgraph_tools.train.decoded import DecodedScore, decoded_score, span_f1
from newsgraph_tools.train.e5_torch import E5Tagger
from pipelines.domain import ENTITY_LABELS
from pipelines.ner.e5_file import E5File
from pipelines.ner.germeval import TAGS, Sentence
from pipelines.ner.sentencepiece import UnigramTokenizer

log = logging.getLogger(__name__)
IGNORE = -100


@dataclass
class TrainConfig:
    epochs: int = 3
    batch_size: int = 16
    lr: float = 1e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    dropout: float = 0.1
    seed: int = 13
    threads: int = 2
    max_pieces: int = 510
    ema_decay: float = 0.0  # >0: keep an exponential moving average of the weights and save that
    augment_rate: float = 0.5  # share of mentions replaced in the copies (newsgraph_tools.train.augment)
    augment_copies: int = 0  # mention-replaced copies of each training sentence with a mention (0: none)
    init_seed: int | None = None  # seed of the tag head's initial weights (None: ``seed``); runs that share
    # it start from the same weights, so their weights can be averaged (average_checkpoints)


@dataclass
class Encoded:
    ids: list[int]  # piece ids with bos/eos
    labels: list[int]  # tag id on each word's first piece, IGNORE elsewhere
    first: list[int]  # position of each word's first piece


def make_tokenizer(e5: E5File) -> UnigramTokenizer:
    return UnigramTokenizer(e5.pieces, e5.scores, e5.normalisation, e5.unk, (e5.bos, e5.eos, e5.pad))


def encode(sentence: Sentence, tok: UnigramTokenizer, e5: E5File, max_pieces: int) -> Encoded:
    tag_id = {t: i for i, t in enumerate(TAGS)}
    ids, labels, first = [e5.bos], [IGNORE], []
    for word, tag in zip(sentence.words, sentence.tags, strict=True):
        pieces = tok.encode_word(word) or (e5.unk,)
        if len(ids) - 1 + len(pieces) > max_pieces:
            break
        first.append(len(ids))
        ids.extend(pieces)
        labels.extend([tag_id[tag]] + [IGNORE] * (len(pieces) - 1))
    ids.append(e5.eos)
    labels.append(IGNORE)
    return Encoded(ids, labels, first)


class EmbeddingTable:
    """The frozen word-embedding rows the corpus uses, remapped to a small dense table."""

    def __init__(self, e5: E5File, encoded: Sequence[Encoded]) -> None:
        used = sorted({i for enc in encoded for i in enc.ids})
        self.index = {piece: row for row, piece in enumerate(used)}
        self.table = torch.from_numpy(e5.word_embeddings(np.array(used)))

    def batch(self, batch: Sequence[Encoded]) -> tuple[torch.Tensor, torch.Tensor]:
        width = max(len(e.ids) for e in batch)
        rows = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for b, enc in enumerate(batch):
            rows[b, : len(enc.ids)] = torch.tensor([self.index[i] for i in enc.ids])
            mask[b, : len(enc.ids)] = 1
        return self.table[rows], mask


def label_tensor(batch: Sequence[Encoded]) -> torch.Tensor:
    width = max(len(e.ids) for e in batch)
    out = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    for b, enc in enumerate(batch):
        out[b, : len(enc.labels)] = torch.tensor(enc.labels)
    return out


def length_batches(encoded: Sequence[Encoded], size: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding), in random order."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids) + rng.random() * 4)
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def calibration_batches(
    sentences: Sequence[Sentence], e5: E5File, batch_size: int = 32
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(embeddings, mask) batches of sentences, to calibrate int8 export."""
    tok = make_tokenizer(e5)
    encoded = [encode(s, tok, e5, TrainConfig.max_pieces) for s in sentences]
    table = EmbeddingTable(e5, encoded)
    return [table.batch(encoded[i : i + batch_size]) for i in range(0, len(encoded), batch_size)]


def word_log_probs(model: E5Tagger, table: EmbeddingTable, encoded: Sequence[Encoded]) -> list[np.ndarray]:
    """[words, tags] log-probabilities of each sentence, read on each word's first piece."""
    model.eval()
    out: list[np.ndarray] = [np.zeros((0, len(TAGS)), dtype=np.float32) for _ in encoded]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
    with torch.no_grad():
        for start in range(0, len(order), 32):
            idx = order[start : start + 32]
            emb, mask = table.batch([encoded[i] for i in idx])
            log_probs = torch.log_softmax(model(emb, mask), dim=-1)
            for b, i in enumerate(idx):
                out[i] = log_probs[b, encoded[i].first].numpy()
    return out


def predict_tags(model: E5Tagger, table: EmbeddingTable, encoded: Sequence[Encoded]) -> list[list[str]]:
    """Argmax tag of each word (no decoding)."""
    return [[TAGS[int(t)] for t in lp.argmax(-1)] for lp in word_log_probs(model, table, encoded)]


def decoded_checkpoint_score(
    checkpoint: Path, dev: Sequence[Sentence], penalties: Sequence[float], e5: E5File | None = None
) -> DecodedScore:
    """:func:`decoded_score` of a saved run (or average) on ``dev``."""
    e5 = e5 or E5File()
    tok = make_tokenizer(e5)
    dev_enc = [encode(s, tok, e5, TrainConfig.max_pieces) for s in dev]
    model = E5Tagger(e5.hidden, e5.layers, e5.heads, e5.ff, e5.max_positions, e5.eps, len(TAGS), dropout=0.0)
    model.load_state_dict(torch.load(checkpoint, map_location="cpu", weights_only=False)["state"])
    gold = [s.tags[: len(e.first)] for s, e in zip(dev, dev_enc, strict=True)]
    return decoded_score(word_log_probs(model, EmbeddingTable(e5, dev_enc), dev_enc), gold, penalties)


def train_e5(
    train: Sequence[Sentence],
    dev: Sequence[Sentence],
    checkpoint: Path,
    config: TrainConfig,
    e5: E5File | None = None,
) -> dict[str, float]:
    """Fine-tune and save ``{"state": ..., "tags": ..., "config": ...}`` to ``checkpoint``."""
    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed if config.init_seed is None else config.init_seed)
    rng = random.Random(config.seed)
    e5 = e5 or E5File()
    tok = make_tokenizer(e5)
    if config.augment_copies > 0 and config.augment_rate > 0:
        train = augmented(train, copies=config.augment_copies, rate=config.augment_rate, seed=config.seed)
    train_enc = [encode(s, tok, e5, config.max_pieces) for s in train]
    dev_enc = [encode(s, tok, e5, config.max_pieces) for s in dev]
    table = EmbeddingTable(e5, [*train_enc, *dev_enc])
    model = E5Tagger.from_e5(e5, len(TAGS), config.dropout)
    if config.init_seed is not None and config.init_seed != config.seed:
        torch.manual_seed(config.seed)  # dropout differs from run to run, the start does not
    head = list(model.head.parameters())
    head_ids = {id(p) for p in head}
    decay = [p for n, p in model.named_parameters() if id(p) not in head_ids and p.ndim == 2 and n != "pos"]
    no_decay = [p for n, p in model.named_parameters() if id(p) not in head_ids and (p.ndim != 2 or n == "pos")]
    optim = torch.optim.AdamW(
        [
            {"params": decay, "lr": config.lr, "weight_decay": config.weight_decay},
            {"params": no_decay, "lr": config.lr, "weight_decay": 0.0},
            {"params": head, "lr": config.head_lr, "weight_decay": config.weight_decay},
        ]
    )
    steps_per_epoch = (len(train_enc) + config.batch_size - 1) // config.batch_size
    total = steps_per_epoch * config.epochs
    warm = max(1, int(total * config.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()} if config.ema_decay > 0 else None
    started = time.time()
    step = 0
    for epoch in range(config.epochs):
        model.train()
        running = 0.0
        for batch_idx in length_batches(train_enc, config.batch_size, rng):
            batch = [train_enc[i] for i in batch_idx]
            emb, mask = table.batch(batch)
            logits = model(emb, mask)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), label_tensor(batch).reshape(-1))
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            step += 1
            if ema is not None:
                with torch.no_grad():
                    for name, value in model.state_dict().items():
                        if value.dtype.is_floating_point:
                            ema[name].mul_(config.ema_decay).add_(value, alpha=1 - config.ema_decay)
            running += loss.item()
            if step % 50 == 0:
                log.info(
                    "epoch %d step %d/%d loss %.4f (%.0fs)",
                    epoch + 1,
                    step,
                    total,
                    running / 50,
                    time.time() - started,
                )
                running = 0.0
    train_seconds = time.time() - started
    if ema is not None:
        raw_pred = predict_tags(model, table, dev_enc)
        raw_gold = [s.tags[: len(e.first)] for s, e in zip(dev, dev_enc, strict=True)]
        log.info(
            "scores without the moving average %s",
            json.dumps(span_f1(raw_gold, raw_pred, ENTITY_LABELS)),
        )
        model.load_state_dict(ema)
    pred = predict_tags(model, table, dev_enc)
    gold = [s.tags[: len(e.first)] for s, e in zip(dev, dev_enc, strict=True)]
    scores = span_f1(gold, pred, ENTITY_LABELS)
    scores["train_seconds"] = train_seconds
    log.info("dev scores %s", json.dumps(scores))
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    torch.save(
        {"state": model.state_dict(), "tags": list(TAGS), "config": config.__dict__, "scores": scores},
        checkpoint,
    )
    return scores


def average_checkpoints(
    checkpoints: Sequence[Path],
    dev: Sequence[Sentence],
    out: Path,
    penalties: Sequence[float] = (0.0,),
    e5: E5File | None = None,
) -> DecodedScore:
    """Average the weights of runs fine-tuned from the same start, save it, and return its score on ``dev``
    as the product decodes (:func:`decoded_score`; the argmax scores are kept in the checkpoint).

    Runs that differ only in data order and dropout end in one basin of the loss; the mean of their
    weights is a model that agrees with all of them ("model soup", Wortsman et al. 2022), usually
    better than each and with less run-to-run variance, at the cost of one model.
    """
    if len(checkpoints) < 2:
        raise ValueError("averaging needs at least two checkpoints")
    saved = [torch.load(path, map_location="cpu", weights_only=False) for path in checkpoints]
    starts = {json.dumps(run["config"].get("init_seed")) for run in saved}
    if len(starts) != 1 or None in (run["config"].get("init_seed") for run in saved):
        raise ValueError(
            f"checkpoints {[str(p) for p in checkpoints]} do not share an init_seed; their weights cannot be averaged"
        )
    state = {
        name: torch.stack([run["state"][name].float() for run in saved]).mean(0)
        if value.dtype.is_floating_point
        else value
        for name, value in saved[0]["state"].items()
    }
    e5 = e5 or E5File()
    tok = make_tokenizer(e5)
    dev_enc = [encode(s, tok, e5, TrainConfig.max_pieces) for s in dev]
    model = E5Tagger(e5.hidden, e5.layers, e5.heads, e5.ff, e5.max_positions, e5.eps, len(TAGS), dropout=0.0)
    model.load_state_dict(state)
    log_probs = word_log_probs(model, EmbeddingTable(e5, dev_enc), dev_enc)
    gold = [s.tags[: len(e.first)] for s, e in zip(dev, dev_enc, strict=True)]
    scores = span_f1(gold, [[TAGS[int(t)] for t in lp.argmax(-1)] for lp in log_probs], ENTITY_LABELS)
    config = dict(saved[0]["config"], averaged_seeds=[run["config"]["seed"] for run in saved])
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state": state, "tags": list(saved[0]["tags"]), "config": config, "scores": scores}, out)
    log.info("average of %d runs: dev scores (argmax) %s", len(saved), json.dumps(scores))
    return decoded_score(log_probs, gold, penalties)
