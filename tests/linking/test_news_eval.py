"""Unseen-news evaluation: coverage per type, judged precision keyed without storing article text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from newsgraph_tools.evaluate.news import (
    JUDGEMENTS,
    NewsArticle,
    cached_mentions,
    evaluate_news,
    model_key,
    read_judgements,
    read_news_csv,
)
from pipelines.domain import EntityLabel, Mention
from pipelines.kb import KnowledgeBase
from pipelines.linking import Linker
from pipelines.linking.errors import LinkingError


def _corpus(tmp_path: Path) -> Path:
    path = tmp_path / "news.csv"
    path.write_text(
        "International;'Angela Merkel traf in Wien den Xyzzy-Chef Qwertz Uiop.'\n"
        "Inland;'Die ÖVP und die FPÖ stritten in Graz.'\n",
        encoding="utf-8",
    )
    return path


def _mentions(text: str, *names: tuple[str, EntityLabel]) -> list[Mention]:
    return [Mention(text.index(n), text.index(n) + len(n), n, label) for n, label in names]


def test_coverage_and_judged_precision(default_kb: KnowledgeBase, tmp_path: Path) -> None:
    articles = read_news_csv(_corpus(tmp_path))
    first, second = articles
    mentions = [
        _mentions(first.text, ("Angela Merkel", "PER"), ("Wien", "LOC"), ("Qwertz Uiop", "PER")),
        _mentions(second.text, ("ÖVP", "ORG"), ("FPÖ", "ORG"), ("Graz", "LOC")),
    ]
    judgements = tmp_path / "judged.jsonl"
    wien = first.text.index("Wien")
    rows = [
        {"article_sha256": first.sha256, "start": 0, "end": 13, "qid": "Q567", "correct": True},
        {"article_sha256": first.sha256, "start": wien, "end": wien + 4, "qid": "Q1741", "correct": False},
    ]
    judgements.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = evaluate_news(articles, mentions, Linker(default_kb), judgements=judgements)
    assert report["per_type"]["PER"] == {"mentions": 2, "linked": 1, "share": 0.5, "with_candidate": 0.5}
    assert report["with_candidate_share"] >= report["linked_share"]
    assert report["per_type"]["ORG"]["linked"] == 2 and report["per_type"]["LOC"]["linked"] == 2
    assert report["precision"]["judged"] == 2 and report["precision"]["precision"] == 0.5
    assert report["precision"]["unjudged"] == 3  # ÖVP, FPÖ, Graz: listed for judging
    assert ["Qwertz Uiop (PER)", 1] in [list(t) for t in report["top_nil"]]


def test_the_recorded_judgements_are_well_formed_and_store_no_text() -> None:
    judged = read_judgements(JUDGEMENTS)
    assert len(judged) >= 150
    for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) <= {"article_sha256", "start", "end", "text", "label", "qid", "kb_label", "correct", "note"}
        assert len(row["text"]) <= 60  # the mention, never a passage of the article


def test_a_malformed_corpus_row_names_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Inland;'ok'\nno separator here\n", encoding="utf-8")
    with pytest.raises(LinkingError, match=r"bad\.csv:2"):
        read_news_csv(path)


def test_cached_mentions_are_reused_only_for_the_same_texts_and_model(tmp_path: Path) -> None:
    articles = [NewsArticle(row=1, category="Inland", text="Merkel besucht Wien.")]
    calls: list[str] = []

    def tagger(name: str) -> Callable[[list[str]], list[list[Mention]]]:
        def find(texts: list[str]) -> list[list[Mention]]:
            calls.append(name)
            return [[Mention(0, 6, "Merkel", "PER")] for _ in texts]

        return find

    cache = tmp_path / "mentions.json"
    first = cached_mentions(articles, tagger("a"), cache, model="model-a")
    again = cached_mentions(articles, tagger("a"), cache, model="model-a")
    retuned = cached_mentions(articles, tagger("b"), cache, model="model-b")
    assert first == again == retuned == [[Mention(0, 6, "Merkel", "PER")]]
    assert calls == ["a", "b"]


def test_model_key_changes_with_the_decoding_settings() -> None:
    from pipelines.ner import load_ner
    from pipelines.ner.components import E5EntityRecognizer

    nlp = load_ner("default")
    before = model_key(nlp)
    tagger = nlp.get_pipe("newsgraph_e5_ner")
    assert isinstance(tagger, E5EntityRecognizer)
    saved = tagger.entity_penalty
    try:
        tagger.set_entity_penalty(saved + 1.0)
        assert model_key(nlp) != before
    finally:
        tagger.set_entity_penalty(saved)
    assert model_key(nlp) == before
