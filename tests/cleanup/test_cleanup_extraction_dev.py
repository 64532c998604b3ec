"""The score floor on unseen web pages: a fixed sample of ../shared/corpora/extraction-dev (every 9th page of
the manifest sorted by id, 60 of 532), both modes, floors just under the scores measured when they were set,
so a regression of the cleanup fails here. The scorer is checked against the corpus's own score.py."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newsgraph_tools.evaluate.extraction_score import score_page, summarize
from newsgraph_tools.evaluate.manifest_pages import OURS, evaluate_manifest, extractors, load_manifest

CORPUS = "corpora/extraction-dev"
pytestmark = pytest.mark.needs_shared(CORPUS)

EVERY = 9
SAMPLE_PAGES = 60
# micro precision / recall / F1 over the sample's 177 with and 176 without snippets, set a snippet or two
# under those measured: HTML .900 / .966 / .932, text .825 / .960 / .888 (with the mojibake repair, the
# whole-page extraction where pruning misled the extractor, list items kept at an article's end, the lead
# found again under the headline, a lead box whole, a post's meta lines and appeals for support removed)
FLOORS = {
    "html": {"p": 0.89, "r": 0.96, "f1": 0.925},
    "text": {"p": 0.815, "r": 0.95, "f1": 0.88},
}
MAX_FAILED = {"html": 0, "text": 0}


@pytest.fixture(scope="module")
def sample_report(shared_dir: Path) -> dict[str, Any]:
    ours = {mode: {OURS: tools[OURS]} for mode, tools in extractors().items()}
    return evaluate_manifest(shared_dir / CORPUS, every=EVERY, tools=ours)


def test_the_sample_is_fixed(shared_dir: Path) -> None:
    sample = load_manifest(shared_dir / CORPUS, every=EVERY)
    assert len(sample) == SAMPLE_PAGES
    ids = [entry["id"] for entry in load_manifest(shared_dir / CORPUS)]
    assert [entry["id"] for entry in sample] == ids[::EVERY]


@pytest.mark.parametrize("mode", sorted(FLOORS))
def test_the_cleanup_holds_its_floor(sample_report: dict[str, Any], mode: str) -> None:
    ours = sample_report["modes"][mode]["tools"][OURS]
    assert ours["pages"] == SAMPLE_PAGES
    micro = ours["scores"]["snippets"]["micro"]
    below = {key: round(micro[key], 4) for key, floor in FLOORS[mode].items() if micro[key] < floor}
    assert below == {}, f"{mode} mode under its floor {FLOORS[mode]}: {below}"
    assert len(ours["failed"]) <= MAX_FAILED[mode], ours["failed"]


# pages whose boxes, once pruned, misled the extractor's comparison with its fallbacks: the extraction on
# the pruned tree held under half of the page's paragraph text, the one on the whole page several times more
MISLED_BY_PRUNING = ("trafilatura:baumeister.de.sportzentrum", "trafilatura:smava.de.privatkredit")


@pytest.mark.parametrize("page_id", MISLED_BY_PRUNING)
def test_a_page_the_pruning_misled_is_extracted_from_the_whole_page(shared_dir: Path, page_id: str) -> None:
    from pipelines.cleanup import clean_html

    entry = next(entry for entry in load_manifest(shared_dir / CORPUS) if entry["id"] == page_id)
    doc = clean_html((shared_dir / CORPUS / entry["local_html"]).read_bytes(), url=entry["url"])
    text = " ".join(doc.text.split())
    assert doc.metadata["extracted_from"] == "whole page"
    assert [snippet for snippet in entry["with"] if " ".join(snippet.split()) not in text] == []
    leaked = [snippet for snippet in entry["without"] if " ".join(snippet.split()) in text]
    assert len(leaked) <= 1, leaked  # the whole page may bring a related-article line the pruned one did not
    removed = [" ".join(r.text.split()) for r in doc.removed]
    assert not any(shown in text for shown in removed if len(shown) > 80), "a removal the text still holds"


# news-like pages whose lead sits in a header box between the headline and the body, apart from what the
# extractor scores as the article: the lead is found again there
LEAD_IN_A_HEADER_BOX = (
    "trafilatura:aerobuzz.de-bremen",
    "trafilatura:spdfraktion.de-Vizepräsidentin",
    "trafilatura:zoo-berlin.de-turm",
)


@pytest.mark.parametrize("page_id", LEAD_IN_A_HEADER_BOX)
def test_a_lead_the_extractor_left_out_is_found_again(shared_dir: Path, page_id: str) -> None:
    from pipelines.cleanup import clean_html

    entry = next(entry for entry in load_manifest(shared_dir / CORPUS) if entry["id"] == page_id)
    doc = clean_html((shared_dir / CORPUS / entry["local_html"]).read_bytes(), url=entry["url"])
    leads = [" ".join(block.text.split()) for block in doc.blocks if block.type == "lead"]
    assert len(leads) == 1
    assert [snippet for snippet in entry["with"] if " ".join(snippet.split()) in leads[0]] != []
    assert [snippet for snippet in entry["without"] if " ".join(snippet.split()) in leads[0]] == []


def _corpus_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_dev_score", shared / CORPUS / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outputs(entry: dict[str, Any]) -> list[str | None]:
    """Outputs that hit every case: nothing, all the text, the text with the junk, the junk alone, half of each."""
    with_, without = entry["with"], entry["without"]
    half = with_[: len(with_) // 2] + without[: len(without) // 2]
    return [None, "", "\n".join(with_), "  ".join(with_ + without), "\n\n".join(without), " \t".join(half)]


def test_our_scorer_agrees_with_the_corpus_scorer(shared_dir: Path) -> None:
    theirs = _corpus_scorer(shared_dir)
    entries = load_manifest(shared_dir / CORPUS, every=EVERY)
    fulltext = {"id": "full", "gold_type": "fulltext", "gold_text": "Der Pegel steigt, der Pegel fällt."}
    cases = itertools.chain(
        ((page, output) for page in entries for output in _outputs(page)),
        ((fulltext, output) for output in (None, "der Pegel", "Pegel steigt und steigt, fällt")),
    )
    rows_ours: list[tuple[dict[str, Any], dict[str, Any]]] = []
    rows_theirs: list[tuple[dict[str, Any], Any]] = []
    for entry, output in cases:
        ours, reference = score_page(entry, output), theirs.score_page(entry, output)
        assert ours == reference, (entry["id"], output)
        rows_ours.append((entry, ours))
        rows_theirs.append((entry, reference))
    assert summarize(rows_ours) == theirs.summarize(rows_theirs)
