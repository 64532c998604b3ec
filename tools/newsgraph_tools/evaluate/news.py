"""Linking measured on unseen news: coverage per type, frequent NIL names, judged precision.

The corpus is ../shared/corpora/10kgnad/test.csv (``category;text``, ``'`` as quote character):
evaluation only, never shipped. The NER's mentions of a corpus are cached beside the state (keyed by
the corpus' and the model's identity), so linking changes are measured in seconds.

Precision comes from judgements recorded by hand in ``eval/linking/judgements-<corpus>.jsonl``: one
row per judged link, keyed by the article's sha256, the span and the QID (no article text is stored,
the corpus may not be copied). A fixed-seed sample of the current links is drawn (by mention position,
so it keeps its members when other links change); links in it that nobody has judged yet are listed
so the sample can be completed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph_tools.checkout import CHECKOUT
from pipelines import progress
from pipelines.domain import LinkedMention, Mention
from pipelines.linking.errors import LinkingError
from pipelines.linking.linker import Linker

TYPES = ("PER", "ORG", "LOC")
JUDGEMENTS = CHECKOUT / "eval" / "linking" / "judgements-10kgnad.jsonl"
SAMPLE_SEED = 14
CONTEXT = 90


@dataclass(frozen=True)
class NewsArticle:
    row: int
    category: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def read_news_csv(path: Path) -> list[NewsArticle]:
    """The articles of a 10kGNAD-format file (``category;text``, quoted with ``'``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LinkingError(f"{path}: cannot read the news corpus ({exc.strerror})") from exc
    articles = []
    for row_no, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar="'"), start=1):
        if len(row) != 2 or not row[1].strip():
            raise LinkingError(f"{path}:{row_no}: expected 'category;text', got {len(row)} fields")
        articles.append(NewsArticle(row=row_no, category=row[0], text=row[1]))
    return articles


_DECODING_SETTINGS = ("entity_penalty", "split_compounds", "drop_units", "repair_spans", "consistent_parts")


def model_key(nlp: Any) -> str:
    """What a spaCy pipeline's mentions depend on: its config, meta (name, version, training record) and
    the decoding settings its components hold now, so a retrained or re-tuned model never reads stale
    mentions."""
    live = {
        name: {key: getattr(pipe, key) for key in _DECODING_SETTINGS if hasattr(pipe, key)}
        for name, pipe in nlp.pipeline
    }
    text = nlp.config.to_str() + json.dumps([nlp.meta, live], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def cached_mentions(
    articles: list[NewsArticle],
    find_mentions: Callable[[list[str]], Iterable[list[Mention]]],
    cache: Path | None,
    model: str = "",
) -> list[list[Mention]]:
    """The NER's mentions of every article, read from ``cache`` where it was written for these texts by
    the same ``model`` (see :func:`model_key`)."""
    digest = hashlib.sha256(("".join(a.sha256 for a in articles) + model).encode()).hexdigest()
    if cache is not None and cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("corpus") == digest:
            return [[Mention(**m) for m in doc] for doc in data["mentions"]]
    texts = [a.text for a in articles]
    found = [list(doc) for doc in progress.track(find_mentions(texts), "news NER", total=len(texts), unit="articles")]
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        payload = {"corpus": digest, "mentions": [[m.to_dict() for m in doc] for doc in found]}
        cache.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return found


@dataclass(frozen=True)
class JudgedLink:
    article_sha256: str
    start: int
    end: int
    qid: str
    correct: bool


def judgement_key(sha: str, start: int, end: int, qid: str) -> str:
    return f"{sha[:16]}:{start}:{end}:{qid}"


def read_judgements(path: Path) -> dict[str, JudgedLink]:
    judged: dict[str, JudgedLink] = {}
    if not path.is_file():
        return judged
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            link = JudgedLink(row["article_sha256"], int(row["start"]), int(row["end"]), row["qid"], row["correct"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise LinkingError(f"{path}:{line_no}: not a judgement row ({exc})") from exc
        if not isinstance(link.correct, bool):
            raise LinkingError(f"{path}:{line_no}: 'correct' must be true or false")
        judged[judgement_key(link.article_sha256, link.start, link.end, link.qid)] = link
    return judged


def _links(
    articles: list[NewsArticle], linked: list[list[LinkedMention]]
) -> Iterator[tuple[NewsArticle, LinkedMention]]:
    for article, mentions in zip(articles, linked, strict=True):
        for mention in mentions:
            if mention.qid is not None and mention.label in TYPES:
                yield article, mention


def evaluate_news(
    articles: list[NewsArticle],
    mentions: list[list[Mention]],
    linker: Linker,
    *,
    judgements: Path | None = None,
    sample_size: int = 200,
    top_nil: int = 50,
) -> dict[str, Any]:
    """Coverage per type, the most frequent NIL names and precision over the judged sample."""
    pairs = progress.track(zip(articles, mentions, strict=True), "news linking", total=len(articles), unit="articles")
    linked = [linker.link(a.text, m) for a, m in pairs]
    per_type: dict[str, Counter[str]] = {t: Counter() for t in TYPES}
    nil_names: Counter[str] = Counter()
    nil_confidence: list[float] = []
    for doc in linked:
        for m in doc:
            if m.label not in TYPES:
                continue
            per_type[m.label]["mentions"] += 1
            if m.qid or m.candidates:
                per_type[m.label]["with_candidate"] += 1
            if m.qid:
                per_type[m.label]["linked"] += 1
            else:
                nil_names[f"{m.entity_name} ({m.label})"] += 1
                nil_confidence.append(m.confidence)
    total = sum(c["mentions"] for c in per_type.values())
    total_linked = sum(c["linked"] for c in per_type.values())
    links = list(_links(articles, linked))
    sample = sorted(links, key=lambda link: _sample_order(link[0].sha256, link[1].start, link[1].end))[:sample_size]
    judged = read_judgements(judgements) if judgements else {}
    correct = wrong = 0
    unjudged = []
    errors = []
    for article, m in sample:
        assert m.qid is not None
        verdict = judged.get(judgement_key(article.sha256, m.start, m.end, m.qid))
        if verdict is None:
            unjudged.append(_describe(article, m, linker))
        elif verdict.correct:
            correct += 1
        else:
            wrong += 1
            errors.append({"text": m.text, "label": m.label, "qid": m.qid, "entity": m.entity_name})
    judged_n = correct + wrong
    present = [
        verdict
        for article, m in links
        if (verdict := judged.get(judgement_key(article.sha256, m.start, m.end, m.qid or ""))) is not None
    ]
    buckets = Counter(min(9, int(c * 10)) / 10 for c in nil_confidence)
    return {
        "articles": len(articles),
        "kb_version": linker.kb.version,
        "kb_entities": len(linker.kb),
        "mentions": total,
        "linked_share": round(total_linked / total, 4) if total else 0.0,
        "with_candidate_share": round(sum(c["with_candidate"] for c in per_type.values()) / total, 4) if total else 0.0,
        "per_type": {
            t: {
                "mentions": c["mentions"],
                "linked": c["linked"],
                "share": round(c["linked"] / c["mentions"], 4) if c["mentions"] else 0.0,
                # the ceiling of this index: mentions with any candidate of a compatible type
                "with_candidate": round(c["with_candidate"] / c["mentions"], 4) if c["mentions"] else 0.0,
            }
            for t, c in per_type.items()
        },
        "top_nil": nil_names.most_common(top_nil),
        "nil_confidence_histogram": {f"{k:.1f}": v for k, v in sorted(buckets.items())},
        "precision": {
            "sample": len(sample),
            "judged": judged_n,
            "correct": correct,
            "precision": round(correct / judged_n, 4) if judged_n else None,
            "wrong": errors,
            "unjudged": len(unjudged),
            "all_judged_links_present": len(present),
            "all_judged_links_correct": sum(v.correct for v in present),
            "judged_links_gone": len(judged) - len(present),
        },
        "unjudged": unjudged,
    }


def _sample_order(sha: str, start: int, end: int) -> str:
    """A fixed pseudo-random order of mention positions: the sample keeps its members when other
    links come or go, so judgements stay usable across versions."""
    return hashlib.sha256(f"{SAMPLE_SEED}:{sha}:{start}:{end}".encode()).hexdigest()


def _describe(article: NewsArticle, m: LinkedMention, linker: Linker) -> dict[str, Any]:
    """A link to judge: the KB row it points at and where it sits (context is shown, not stored)."""
    record = linker.kb.record(m.qid or "")
    lo, hi = max(0, m.start - CONTEXT), min(len(article.text), m.end + CONTEXT)
    return {
        "article_sha256": article.sha256,
        "row": article.row,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "label": m.label,
        "qid": m.qid,
        "confidence": m.confidence,
        "kb_label": record.label if record else m.entity_name,
        "kb_type": record.type if record else None,
        "kb_description": (record.description_de or record.description_en) if record else None,
        "context": article.text[lo : m.start] + "[[" + m.text + "]]" + article.text[m.end : hi],
    }
