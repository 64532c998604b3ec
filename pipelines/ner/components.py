"""spaCy components: the e5 ONNX tagger and the entity normaliser every model ends with.

``newsgraph_e5_ner`` tags words with the exported encoder (ONNX Runtime, no PyTorch) and sets
``doc.ents`` with the model's raw labels (PER/LOC/ORG/MISC and their ``part`` variants).
``newsgraph_entity_normalizer`` then maps any model's labels to PER/LOC/ORG/MISC, cuts names
out of hyphenated compounds, splitting the token so the mention has exact character offsets, and
drops currency and unit words ("Euro", "Prozent"), which are never entities here.
Both are registered on import of this module and through the ``spacy_factories`` entry point.
"""

from __future__ import annotations

import bisect
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipelines.ner.compounds import InstitutionHeads, compound_head, default_institution_heads, resolve_part
from pipelines.ner.germeval import bio_spans
from pipelines.ner.labels import map_label
from pipelines.ner.part_types import retype_parts
from pipelines.ner.segment import make_sequences
from pipelines.ner.spans import repair_spans
from pipelines.ner.units import is_unit_mention

E5_FACTORY = "newsgraph_e5_ner"
NORMALIZER_FACTORY = "newsgraph_entity_normalizer"
ONNX_FILE = "model.onnx"
# the [project.entry-points.spacy_factories] lines of pyproject.toml (checked by tests/ner)
ENTRY_POINTS = {
    E5_FACTORY: "pipelines.ner.components:make_e5_ner",
    NORMALIZER_FACTORY: "pipelines.ner.components:make_entity_normalizer",
}
TAGS_FILE = "tags.json"


class ModelFilesError(ValueError):
    """A model directory lacks a file the component needs."""


def usable_cpus() -> int:
    """CPUs this process may run on (the affinity mask, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class E5EntityRecognizer:
    """Sets ``doc.ents`` from the fine-tuned e5 encoder, sentence by sentence.

    ``workers`` documents are tagged at once, each by a one-thread ONNX run (ONNX Runtime
    releases the GIL): on 2 cores that is twice the words per second of one run with two
    intra-op threads, whose small matrices do not keep two threads busy.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        threads: int,
        workers: int,
        batch_tokens: int,
        max_pieces: int,
        check_sha256: bool,
        entity_penalty: float = 0.0,
    ) -> None:
        self.name = name
        self.entity_penalty = entity_penalty
        self.threads = threads
        self.workers = workers
        self.batch_tokens = batch_tokens
        self.max_pieces = max_pieces
        self.check_sha256 = check_sha256
        self._onnx_path: Path | None = None
        self._runtime: Any = None
        self._pool: ThreadPoolExecutor | None = None

    @property
    def worker_count(self) -> int:
        """Documents tagged in parallel (``workers = 0``: one per usable CPU)."""
        return self.workers if self.workers > 0 else usable_cpus()

    def set_workers(self, workers: int) -> None:
        """Tag this many documents at once (0 = one per usable CPU)."""
        if workers < 0:
            raise ValueError(f"workers must be 0 (one per CPU) or more, not {workers}")
        self.workers = workers
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    # -- model files ---------------------------------------------------------------------------
    def load_model(self, onnx_path: Path, tags: Sequence[str]) -> None:
        from pipelines.ner.e5_runtime import E5TaggerRuntime

        self._onnx_path = Path(onnx_path)
        self._runtime = E5TaggerRuntime(
            self._onnx_path,
            tags,
            threads=self.threads,
            check_sha256=self.check_sha256,
            entity_penalty=self.entity_penalty,
        )
        self.max_pieces = min(self.max_pieces, self._runtime.max_pieces)

    def set_entity_penalty(self, penalty: float) -> None:
        """Decode with another entity penalty (see pipelines.ner.decoding.entity_bias)."""
        if self._runtime is not None:
            self._runtime.set_entity_penalty(penalty)
        self.entity_penalty = penalty

    def set_threads(self, threads: int) -> None:
        """Reload the ONNX session with another intra-op thread count (0 = ONNX Runtime's default)."""
        self.threads = threads
        if self._runtime is not None and self._onnx_path is not None:
            self.load_model(self._onnx_path, self._runtime.tags)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> E5EntityRecognizer:
        path = Path(path)
        for needed in (ONNX_FILE, TAGS_FILE):
            if not (path / needed).is_file():
                raise ModelFilesError(f"{path}: missing {needed} (is this a newsgraph e5 NER model directory?)")
        tags = json.loads((path / TAGS_FILE).read_text(encoding="utf-8"))
        self.load_model(path / ONNX_FILE, tags)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        if self._runtime is None or self._onnx_path is None:
            raise ModelFilesError(f"component {self.name!r} has no model loaded; nothing to save")
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self._onnx_path.resolve() != (path / ONNX_FILE).resolve():
            shutil.copyfile(self._onnx_path, path / ONNX_FILE)
        (path / TAGS_FILE).write_text(json.dumps(self._runtime.tags), encoding="utf-8")

    # -- tagging -------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._tag_docs(batch)
                batch = []
        if batch:
            yield from self._tag_docs(batch)

    def _tag_docs(self, docs: list[Doc]) -> list[Doc]:
        if self._runtime is None:
            raise ModelFilesError(f"component {self.name!r} has no model loaded (load the pipeline from disk)")
        runtime = self._runtime
        requests: list[tuple[int, list[int]]] = []  # (doc index, token indices)
        for d, doc in enumerate(docs):
            word_tokens: list[int] = []
            breaks: list[bool] = []
            pending_break = False
            for token in doc:
                if token.is_space:
                    pending_break = pending_break or "\n" in token.text
                    continue
                word_tokens.append(token.i)
                breaks.append(pending_break)
                pending_break = False
            words = [doc[i].text for i in word_tokens]
            sequences = make_sequences(words, breaks, lambda w: len(runtime.pieces([w])[0]), self.max_pieces)
            requests.extend((d, [word_tokens[k] for k in seq]) for seq in sequences)
        # one document's sentences are batched only with each other, so a document's mentions do
        # not depend on its neighbours, and documents can be tagged in parallel
        per_doc: list[list[list[str]]] = [[] for _ in docs]
        for d, toks in requests:
            per_doc[d].append([docs[d][i].text for i in toks])
        tagged: list[list[int]] = []
        if self.worker_count > 1 and len(docs) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.worker_count, thread_name_prefix=f"{self.name}-onnx")
            for doc_tags in self._pool.map(lambda seqs: runtime.tag(seqs, self.batch_tokens), per_doc):
                tagged.extend(doc_tags)
        else:
            for seqs in per_doc:
                tagged.extend(runtime.tag(seqs, self.batch_tokens))
        spans: list[list[Span]] = [[] for _ in docs]
        for (d, toks), tag_ids in zip(requests, tagged, strict=True):
            tags = [runtime.tags[t] for t in tag_ids]
            for start, end, label in bio_spans(tags):
                spans[d].append(Span(docs[d], toks[start], toks[end - 1] + 1, label=label))
        for doc, doc_spans in zip(docs, spans, strict=True):
            doc.ents = filter_spans(doc_spans)
        return docs


class EntityNormalizer:
    """Maps labels to PER/LOC/ORG/MISC, resolves names inside hyphenated compounds (typed as their
    article types the name elsewhere), repairs spans at word and hyphen boundaries, drops unit words."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        label_map: dict[str, str | None],
        split_compounds: bool,
        drop_units: bool = True,
        repair_spans: bool = True,
        consistent_parts: bool = True,
    ) -> None:
        self.name = name
        self.label_map = dict(label_map)
        self.split_compounds = split_compounds
        self.drop_units = drop_units
        self.repair_spans = repair_spans
        self.consistent_parts = consistent_parts
        self.heads: InstitutionHeads = default_institution_heads()

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # spaCy joins the tokens anew on every read
        wanted: list[tuple[int, int, str]] = []
        parts: dict[int, str] = {}  # index in ``wanted`` of a name cut out of a compound → its compound's head
        for ent in doc.ents:
            label, is_part = map_label(ent.label_, self.label_map)
            if label is None:
                continue
            if not is_part:
                wanted.append((ent.start_char, ent.end_char, label))
                continue
            if not self.split_compounds:
                continue
            inner = resolve_part(ent.text, label, self.heads)
            if inner is not None:
                if inner[1] - inner[0] < len(ent.text):
                    parts[len(wanted)] = compound_head(ent.text)
                wanted.append((ent.start_char + inner[0], ent.start_char + inner[1], inner[2]))
        if self.consistent_parts and parts:
            wanted = retype_parts(text, wanted, parts)
        if self.repair_spans:
            wanted = repair_spans(text, wanted)
        if self.drop_units:
            wanted = [(start, end, label) for start, end, label in wanted if not is_unit_mention(text[start:end])]
        split_tokens_at(doc, {o for s, e, _ in wanted for o in (s, e)})
        ents = []
        for start, end, label in wanted:
            span = doc.char_span(start, end, label=label)
            if span is None:  # cannot happen after split_tokens_at; guard against odd whitespace
                raise ValueError(f"entity {text[start:end]!r} at {start}-{end} does not align with tokens")
            ents.append(span)
        doc.ents = filter_spans(ents)
        return doc


def split_tokens_at(doc: Doc, offsets: set[int]) -> None:
    """Split tokens so that each character offset falls on a token boundary.

    A cut next to a hyphen also cuts on its other side, so "Nato-Staaten" becomes "Nato", "-",
    "Staaten" and every piece keeps its exact offsets.
    """
    cuts: dict[int, set[int]] = {}
    ordered = sorted(offsets)
    for token in doc:
        text = token.text
        lo = bisect.bisect_right(ordered, token.idx)
        hi = bisect.bisect_left(ordered, token.idx + len(text))
        if lo >= hi:
            continue
        inner = {o - token.idx for o in ordered[lo:hi]}
        for o in list(inner):
            if o < len(text) and text[o] in "-\u2010\u2011" and o + 1 < len(text):
                inner.add(o + 1)
            if o > 0 and text[o - 1] in "-\u2010\u2011" and o - 1 > 0:
                inner.add(o - 1)
        if inner:
            cuts[token.i] = inner
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, inner in cuts.items():
            token = doc[i]
            bounds = [0, *sorted(inner), len(token.text)]
            orths = [token.text[a:b] for a, b in pairwise(bounds)]
            last = len(orths) - 1
            heads: list[Token | tuple[Token, int]] = [(token, last)] * last
            heads.append(token.head if token.head.i != token.i else (token, last))
            retokenizer.split(token, orths, heads=heads)


@Language.factory(
    E5_FACTORY,
    default_config={
        "threads": 1,
        "workers": 0,
        "batch_tokens": 2048,
        "max_pieces": 256,
        "check_sha256": True,
        "entity_penalty": 0.0,
    },
    assigns=["doc.ents"],
)
def make_e5_ner(
    nlp: Language,
    name: str,
    threads: int,
    workers: int,
    batch_tokens: int,
    max_pieces: int,
    check_sha256: bool,
    entity_penalty: float,
) -> E5EntityRecognizer:
    return E5EntityRecognizer(nlp, name, threads, workers, batch_tokens, max_pieces, check_sha256, entity_penalty)


@Language.factory(
    NORMALIZER_FACTORY,
    default_config={
        "label_map": {},
        "split_compounds": True,
        "drop_units": True,
        "repair_spans": True,
        "consistent_parts": True,
    },
    assigns=["doc.ents"],
    requires=["doc.ents"],
)
def make_entity_normalizer(
    nlp: Language,
    name: str,
    label_map: dict[str, str | None],
    split_compounds: bool,
    drop_units: bool,
    repair_spans: bool,
    consistent_parts: bool,
) -> EntityNormalizer:
    return EntityNormalizer(nlp, name, label_map, split_compounds, drop_units, repair_spans, consistent_parts)
