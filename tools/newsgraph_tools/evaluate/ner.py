"""Evaluate an NER pipeline: GermEval sentences, the seed-article gold, and speed.

Scores are typed exact-span precision/recall/F1 (micro, and per label). For GermEval, ``-part``
and ``-deriv`` gold tags count as O (standard outer-level PER/LOC/ORG/MISC scoring), so the
normaliser's compound cutting is switched off while scoring there; so are its unit-word rule,
since GermEval tags currencies ("Euro", "Dollar") as OTH, which the product drops, and its span
repair, since GermEval tags a truncated conjunct ("Nord-" of "Nord- und Ostsee") as a name. The seed gold follows the
product convention (names cut out of compounds) and is scored on the full pipeline.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph_tools.checkout import SHARED
from newsgraph_tools.evaluate.ner_errors import analyse
from pipelines import progress
from pipelines.domain import ENTITY_LABELS
from pipelines.ner.components import E5_FACTORY, NORMALIZER_FACTORY, EntityNormalizer, usable_cpus
from pipelines.ner.germeval import bio_spans, read_germeval
from pipelines.ner.mentions import find_mentions

Span3 = tuple[int, int, str]


class GoldDataError(ValueError):
    """A gold file does not match the text it annotates."""


def prf(
    gold: Sequence[set[Span3]], pred: Sequence[set[Span3]], labels: Sequence[str] = ENTITY_LABELS
) -> dict[str, Any]:
    """Micro and per-label P/R/F1 of typed exact spans, plus untyped span recall."""

    def score(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "tp": tp,
            "predicted": n_pred,
            "gold": n_gold,
        }

    result: dict[str, Any] = {}
    tot = [0, 0, 0]
    span_hits = 0
    for label in labels:
        tp = sum(
            len({s for s in g if s[2] == label} & {s for s in p if s[2] == label})
            for g, p in zip(gold, pred, strict=True)
        )
        n_pred = sum(sum(1 for s in p if s[2] == label) for p in pred)
        n_gold = sum(sum(1 for s in g if s[2] == label) for g in gold)
        result[label] = score(tp, n_pred, n_gold)
        tot = [tot[0] + tp, tot[1] + n_pred, tot[2] + n_gold]
    for g, p in zip(gold, pred, strict=True):
        found = {(s[0], s[1]) for s in p}
        span_hits += sum(1 for s in g if (s[0], s[1]) in found)
    result["micro"] = score(*tot)
    result["span_recall"] = round(span_hits / tot[2], 4) if tot[2] else 0.0
    return result


def _normalizer(nlp: Language) -> EntityNormalizer | None:
    if NORMALIZER_FACTORY in nlp.pipe_names:
        pipe = nlp.get_pipe(NORMALIZER_FACTORY)
        return pipe if isinstance(pipe, EntityNormalizer) else None
    return None


@contextmanager
def germeval_conventions(nlp: Language) -> Iterator[None]:
    """Within: the normaliser neither cuts names out of compounds, drops unit words nor repairs spans
    (GermEval annotates the whole compound as -part, currencies as OTH and a truncated conjunct such
    as "Nord-" of "Nord- und Ostsee" as LOC); afterwards all are as before."""
    normalizer = _normalizer(nlp)
    if normalizer is None:
        yield
        return
    saved = (normalizer.split_compounds, normalizer.drop_units, normalizer.repair_spans)
    normalizer.split_compounds = normalizer.drop_units = normalizer.repair_spans = False
    try:
        yield
    finally:
        normalizer.split_compounds, normalizer.drop_units, normalizer.repair_spans = saved


def germeval_gold(nlp: Language, corpus_file: Path, limit: int | None = None) -> tuple[list[Doc], list[set[Span3]]]:
    """Untagged docs of a GermEval file's sentences and their gold character spans (-part/-deriv as O)."""
    sentences = list(read_germeval(Path(corpus_file), keep_parts=False, limit=limit))
    docs = [Doc(nlp.vocab, words=s.words) for s in sentences]
    gold = [
        {(doc[a].idx, doc[b - 1].idx + len(doc[b - 1]), t) for a, b, t in bio_spans(s.tags)}
        for doc, s in zip(docs, sentences, strict=True)
    ]
    return docs, gold


def evaluate_germeval(
    nlp: Language, corpus_file: Path, limit: int | None = None, top_errors: int = 20
) -> dict[str, Any]:
    """Scores on a GermEval TSV file (use one the model was not trained on: NER-de-dev-a.tsv).

    Besides P/R/F1, ``errors`` holds the span confusion table and the ``top_errors`` most
    frequent errors (:mod:`newsgraph_tools.evaluate.ner_errors`).
    """
    docs, gold = germeval_gold(nlp, corpus_file, limit)
    with germeval_conventions(nlp):
        started = time.perf_counter()
        tagged = progress.track(nlp.pipe(docs, batch_size=64), "GermEval dev-a", total=len(docs), unit="sentences")
        pred = [{(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in tagged]
        seconds = time.perf_counter() - started
    result = prf(gold, pred)
    result["errors"] = analyse([doc.text for doc in docs], gold, pred, top=top_errors)
    result["sentences"] = len(docs)
    result["words"] = sum(len(doc) for doc in docs)
    result["seconds"] = round(seconds, 2)
    return result


def load_gold_articles(shared_dir: Path) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(name, clean text, gold mentions) of each seed article; the text's sha256 is checked."""
    out = []
    entity_dir = Path(shared_dir) / "gold" / "entities"
    files = sorted(entity_dir.glob("*.json"))
    if not files:
        raise GoldDataError(f"no gold entity files in {entity_dir}")
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        cleanup_path = Path(shared_dir) / "gold" / "cleanup" / gold["file"]
        blocks = json.loads(cleanup_path.read_text(encoding="utf-8"))["blocks"]
        text = "\n\n".join(b["text"] for b in blocks)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != gold["text_sha256"]:
            raise GoldDataError(
                f"{path.name}: clean text of {cleanup_path.name} has sha256 {digest}, "
                f"gold expects {gold['text_sha256']}"
            )
        out.append((path.stem, text, gold["mentions"]))
    return out


def evaluate_gold(nlp: Language, shared_dir: Path) -> dict[str, Any]:
    """Scores on the seed articles' gold mentions (product convention), with the misses listed."""
    articles = load_gold_articles(shared_dir)
    gold = [{(m["start"], m["end"], m["type"]) for m in mentions} for _, _, mentions in articles]
    found = find_mentions(nlp, [t for _, t, _ in articles])
    pred: list[set[Span3]] = [
        {(m.start, m.end, m.label) for m in ms}
        for ms in progress.track(found, "seed gold", total=len(articles), unit="articles")
    ]
    result = prf(gold, pred)
    misses = []
    extras = []
    for (name, text, _), g, p in zip(articles, gold, pred, strict=True):
        spans = {(a, b) for a, b, _ in p}
        misses += [f"{name}: {text[a:b]!r} {t}" for a, b, t in sorted(g) if (a, b) not in spans]
        gspans = {(a, b) for a, b, _ in g}
        extras += [f"{name}: {text[a:b]!r} {t}" for a, b, t in sorted(p) if (a, b) not in gspans]
    result["missed_spans"] = misses
    result["extra_spans"] = extras
    return result


def article_texts_from_germeval(corpus_file: Path, sentences_per_doc: int = 25) -> list[str]:
    """Article-sized texts (about 450 words) built from consecutive GermEval sentences."""
    sentences = [" ".join(s.words) for s in read_germeval(Path(corpus_file))]
    return [" ".join(sentences[i : i + sentences_per_doc]) for i in range(0, len(sentences), sentences_per_doc)]


def measure_speed(nlp: Language, texts: Iterable[str], batch_size: int = 16, warmup: int = 2) -> dict[str, float]:
    """Words (whitespace-separated) per second over a stream of documents, after a short warm-up."""
    docs = list(texts)
    for _ in find_mentions(nlp, docs[:warmup], batch_size=batch_size):
        pass
    words = sum(len(t.split()) for t in docs)
    started = time.perf_counter()
    cpu_started = time.process_time()
    found = progress.track(find_mentions(nlp, docs, batch_size=batch_size), "speed", total=len(docs), unit="documents")
    mentions = sum(len(ms) for ms in found)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    # on a shared machine wall time depends on other load; CPU time shows what the work costs
    return {
        "docs": len(docs),
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 3),
        "words_per_cpu_second": round(words / cpu_seconds, 1),
        "mentions": mentions,
        "cpus": usable_cpus(),
    }


def evaluate_all(
    model: str,
    shared_dir: Path,
    *,
    speed_docs: int | None = None,
    threads: int | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """What ``newsgraph eval ner`` reports: GermEval dev-a, seed gold, and speed, for one model."""
    from pipelines.ner.loading import load_ner

    nlp = load_ner(model, threads=threads, workers=workers)
    corpus = Path(shared_dir) / "corpora" / "germeval2014" / "NER-de-dev-a.tsv"
    if not corpus.is_file():
        raise GoldDataError(f"GermEval dev-a not found at {corpus}")
    texts = article_texts_from_germeval(corpus)
    tagger = nlp.get_pipe(E5_FACTORY) if E5_FACTORY in nlp.pipe_names else None
    return {
        "model": model,
        "entity_penalty": getattr(tagger, "entity_penalty", None),
        "germeval_dev_a": evaluate_germeval(nlp, corpus),
        "seed_gold": evaluate_gold(nlp, shared_dir),
        "speed": measure_speed(nlp, texts[:speed_docs] if speed_docs else texts),
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m newsgraph_tools.evaluate.ner [--model default] [--shared-dir ../shared]``: print JSON scores."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m newsgraph_tools.evaluate.ner", description=main.__doc__)
    parser.add_argument("--model", default="default", help="default, fast, a path or a spaCy package")
    parser.add_argument("--shared-dir", type=Path, default=SHARED)
    parser.add_argument("--threads", type=int, default=None, help="ONNX Runtime threads per run of the e5 model")
    parser.add_argument("--workers", type=int, default=None, help="documents the e5 model tags at once (0 = per CPU)")
    args = parser.parse_args(argv)
    scores = evaluate_all(args.model, args.shared_dir, threads=args.threads, workers=args.workers)
    print(json.dumps(scores, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
