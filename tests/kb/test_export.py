"""The shipped KB extract: rebuilt exactly from ../shared/kb, only shippable rows, names as the source says."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from pipelines.kb import DEFAULT_EXTRACT, KnowledgeBase, build_index
from pipelines.kb.export import export_kb, licence_classes
from pipelines.kb.sources import iter_jsonl_entities


def _write_shared(folder: Path, base: Sequence[Mapping[str, object]], extra: Sequence[Mapping[str, object]]) -> Path:
    kb = folder / "kb"
    kb.mkdir(parents=True)
    (kb / "entities.jsonl").write_text("".join(json.dumps(r) + "\n" for r in base), encoding="utf-8")
    with gzip.open(kb / "entities_extra.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in extra)
    return kb


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {row["qid"]: row for row in map(json.loads, handle)}


@pytest.mark.needs_shared("kb")
def test_the_committed_extract_is_what_the_export_command_writes(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "extract.jsonl.gz"
    report = export_kb(shared_dir / "kb", out)
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(DEFAULT_EXTRACT.read_bytes()), (
        "data/kb/wikidata-extract.jsonl.gz is stale: run `make kb-data` and commit it"
    )
    assert report.rows_written > 200_000 and report.size_bytes < 40_000_000


@pytest.mark.parametrize(
    ("licence", "classes"),
    [
        ("CC0 (Wikidata SPARQL extract; repo has no LICENSE)", {"cc0"}),
        ("CC-BY (Who's On First: attribution required)", {"cc-by"}),
        ("MIT (Party Facts) + QIDs Wikidata CC0", {"mit"}),
        ("CC-BY-NC-SA-4.0 (CLEF-HIPE-2020) NC", {"nc"}),
        ("unknown (mapping repo has no LICENSE)", {"unknown"}),
        ("CC0 (ROR data; repo code MIT) | CC-BY-NC-SA-4.0 (x) NC", {"cc0", "nc"}),
    ],
)
def test_licence_parts_are_classified(licence: str, classes: set[str]) -> None:
    assert licence_classes(licence) == classes


def test_only_shippable_rows_go_in_and_names_keep_their_kind(tmp_path: Path) -> None:
    base = [
        {"qid": "Q1", "label_en": "Alpha Party", "type": "ORG", "confidence": "high", "source": "every-politician"},
        {"qid": "Q2", "label_en": "Low One", "type": "ORG", "confidence": "low", "source": "x"},
    ]
    extra: list[dict[str, object]] = [
        {
            "qid": "Q1",
            "label_de": "Alpha-Partei",
            "aliases_de": ["AP"],
            "adds_to_existing": True,
            "licence": "CC0 (Wikidata)",
            "source": "s1",
            "confidence": "high",
        },
        {"qid": "Q3", "label_de": "Nur NC", "type": "ORG", "licence": "CC-BY-NC-SA-4.0 (y) NC", "source": "s2"},
        {
            "qid": "Q4",
            "label_de": None,
            "label_de_candidate": "Bibliothek Beta",
            "type": "ORG",
            "licence": "CC0 (lobid)",
            "source": "s3",
            "confidence": "high",
        },
        {
            "qid": "Q5",
            "type": "LOC",
            "mentions_de": ["Gammaland", "Gammalands", "l'Gamma"],
            "licence": "CC-BY-4.0 (NewsEye) | CC-BY-NC-SA-4.0 (z) NC",
            "source": "s4",
            "confidence": "high",
        },
        {"qid": "Q6", "label_en": "Only Unknown", "type": "ORG", "licence": "unknown (no LICENSE)", "source": "s5"},
        {
            "qid": "Q7",
            "aliases_other": ["ru:Дельта", "Delta (Germany)"],
            "type": "ORG",
            "licence": "CC0 (ROR)",
            "source": "s6",
            "confidence": "medium",
        },
    ]
    report = export_kb(_write_shared(tmp_path / "shared", base, extra), tmp_path / "out.jsonl.gz")
    rows = _rows(tmp_path / "out.jsonl.gz")
    assert set(rows) == {"Q1", "Q4", "Q5", "Q7"}
    assert report.dropped["licence not CC0/MIT/CC BY"] == 2 and report.dropped["confidence low"] == 1
    assert rows["Q1"]["label_de"] == "Alpha-Partei" and rows["Q1"]["aliases_de"] == ["AP"]
    assert rows["Q1"]["source"] == "every-politician" and "s1" in rows["Q1"]["sources"]
    assert rows["Q4"]["label_de"] is None and rows["Q4"]["names_any"] == ["Bibliothek Beta"]
    assert rows["Q5"]["mentions_de"] == ["Gammaland", "Gammalands"]
    assert "NC" not in str(rows["Q5"]["licence"])  # only the shippable parts are named
    assert rows["Q7"]["names_any"] == ["Delta (Germany)"] and rows["Q7"]["aliases_other"] == []

    entries = {e.qid: e for e in iter_jsonl_entities(tmp_path / "out.jsonl.gz")}
    assert ("Bibliothek Beta", "name_any") in list(entries["Q4"].names())
    build_index(tmp_path / "index.sqlite", extra_sources=[tmp_path / "out.jsonl.gz"], include_defaults=False)
    kb = KnowledgeBase(tmp_path / "index.sqlite")
    assert [m.qid for m in kb.lookup("Delta")] == ["Q7"]  # the registry's "(Germany)" dropped
    gammaland = kb.record("Q5")
    assert gammaland is not None and gammaland.label == "Gammaland"


def test_the_export_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    base = [{"qid": "Q10", "label_de": "Zehn", "type": "LOC", "source": "a"}]
    extra = [{"qid": "Q9", "label_de": "Neun", "type": "LOC", "licence": "CC0", "source": "b"}]
    shared = _write_shared(tmp_path / "shared", base, extra)
    export_kb(shared, tmp_path / "one.gz")
    export_kb(shared, tmp_path / "two.gz")
    assert (tmp_path / "one.gz").read_bytes() == (tmp_path / "two.gz").read_bytes()
    assert list(_rows(tmp_path / "one.gz")) == ["Q9", "Q10"]  # numeric QID order


def test_a_missing_shared_folder_is_a_clear_error(tmp_path: Path) -> None:
    from pipelines.kb import KBSourceError

    with pytest.raises(KBSourceError, match=r"entities\.jsonl: knowledge-base file not found"):
        export_kb(tmp_path, tmp_path / "x.gz")
