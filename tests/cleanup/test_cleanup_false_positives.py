"""The junk rules must leave real German sentences alone: GermEval 2014 (news and Wikipedia
sentences, CC BY 4.0, read from ../shared) as a sample of text that is content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.cleanup.agency import split_trailing_tag, standalone_tag
from pipelines.cleanup.rules import line_hit
from pipelines.cleanup.script import foreign_script

pytestmark = pytest.mark.needs_shared("corpora/germeval2014")


def _sentences(path: Path) -> list[str]:
    sentences: list[str] = []
    tokens: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) > 1:
            tokens.append(parts[1])
        elif tokens:
            text = re.sub(r" ([.,;:!?)])", r"\1", " ".join(tokens))
            sentences.append(re.sub(r"([(„]) ", r"\1", text))
            tokens = []
    return sentences


def test_rules_rarely_fire_on_real_sentences(shared_dir: Path) -> None:
    corpus = shared_dir / "corpora" / "germeval2014"
    sentences = [s for name in ("NER-de-test.tsv", "NER-de-dev-a.tsv") for s in _sentences(corpus / name)]
    assert len(sentences) > 5000
    fired = [
        s
        for s in sentences
        if line_hit(s) is not None
        or standalone_tag(s) is not None
        or split_trailing_tag(s)[1] is not None
        or foreign_script(s, "LATIN") is not None
    ]
    assert len(fired) / len(sentences) < 0.003, fired[:20]


def test_articles_of_real_sentences_keep_their_words(shared_dir: Path) -> None:
    from collections import Counter

    from newsgraph_tools.evaluate.cleanup import tokens
    from pipelines.cleanup import clean_text

    sentences = _sentences(shared_dir / "corpora" / "germeval2014" / "NER-de-test.tsv")[:2000]
    given: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for start in range(0, len(sentences), 10):  # ten sentences a line each: a plain text dump
        text = "\n".join(sentences[start : start + 10])
        given += tokens(text)
        kept += tokens(clean_text(text).text)
    assert sum((kept & given).values()) / sum(given.values()) > 0.995
