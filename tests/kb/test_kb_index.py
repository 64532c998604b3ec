"""Building and reading the SQLite index from the default sources and from configured files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pipelines.kb import (
    KBIndexError,
    KBIndexOutdated,
    KBSourceError,
    KnowledgeBase,
    build_index,
    ensure_index,
)


def test_default_index_holds_countries_territories_and_the_curated_domain(
    default_index: tuple[Path, dict[str, object]],
) -> None:
    path, stats = default_index
    sources = stats["sources"]
    assert set(sources) == {  # type: ignore[call-overload]
        "curated:curated.jsonl",
        "extract:wikidata-extract.jsonl.gz",
        "natural-earth-admin0",
        "rigour-territories",
    }
    assert sources["natural-earth-admin0"] == 250 and sources["rigour-territories"] == 619  # type: ignore[index]
    assert int(stats["entities"]) > 200_000  # type: ignore[call-overload]
    kb = KnowledgeBase(path)
    assert len(kb) == stats["entities"]
    germany = kb.get("Q183")
    assert germany is not None and germany.label_de == "Deutschland" and germany.type == "LOC"
    assert [m.qid for m in kb.lookup("Russland")] == ["Q159"]
    assert [m.qid for m in kb.lookup("NATO")] == [m.qid for m in kb.lookup("nato")] == ["Q7184"]
    eu = kb.record("Q458")
    assert eu is not None and eu.type == "ORG" and any("rigour" in s for s in eu.sources)


@pytest.mark.parametrize(
    ("name", "qid"),
    [
        ("CDU", "Q49762"),
        ("AfD", "Q6721203"),
        ("FDP", "Q13124"),
        ("Bündnis 90/Die Grünen", "Q49766"),
        ("München", "Q1726"),
        ("Hamas", "Q38799"),
        ("ÖVP", "Q186867"),
        ("EU-Kommission", "Q8880"),  # derived from "Europäische Kommission"
        ("Linke", "Q49764"),  # "Die Linke" without its article
        ("Google", "Q95"),  # "Google (United States)" without the registry's qualifier
    ],
)
def test_the_names_german_news_uses_most_are_in_the_shipped_index(
    default_index: tuple[Path, dict[str, object]], name: str, qid: str
) -> None:
    assert qid in [m.qid for m in KnowledgeBase(default_index[0]).lookup(name)]


def test_names_without_foreign_accents_find_the_item(default_index: tuple[Path, dict[str, object]]) -> None:
    kb = KnowledgeBase(default_index[0])
    accented = [m for m in kb.lookup("Recep Tayyip Erdoğan") if m.kind.startswith("label")]
    assert accented, "the shipped index should know Erdoğan"
    assert accented[0].qid in [m.qid for m in kb.lookup("Recep Tayyip Erdogan")]


def test_an_item_without_labels_shows_a_name_it_has(default_index: tuple[Path, dict[str, object]]) -> None:
    europe = KnowledgeBase(default_index[0]).record("Q46")
    assert europe is not None and europe.label_de is None and europe.label == "Europa"


def test_index_version_depends_only_on_content(tmp_path: Path) -> None:
    first = build_index(tmp_path / "first.sqlite", extract=None)
    again = build_index(tmp_path / "again.sqlite", extract=None)
    assert again["version"] == first["version"]
    other = build_index(tmp_path / "other.sqlite", curated=None, extract=None)
    assert other["version"] != first["version"]
    assert KnowledgeBase(tmp_path / "again.sqlite").version == first["version"]


@pytest.mark.needs_shared("kb/entities_core.jsonl")
def test_index_only_from_configured_files(shared_dir: Path, tmp_path: Path) -> None:
    core = shared_dir / "kb" / "entities_core.jsonl"
    stats = build_index(tmp_path / "core.sqlite", extra_sources=[core], include_defaults=False)
    rows = [json.loads(line) for line in core.read_text(encoding="utf-8").splitlines()]
    accepted = {r["qid"] for r in rows if r["confidence"] in ("high", "medium") and r["type"] != "POSITION"}
    assert stats["entities"] == len(accepted)
    kb = KnowledgeBase(tmp_path / "core.sqlite")
    rejected = [r["qid"] for r in rows if r["confidence"] == "low" or r["type"] == "POSITION"]
    assert rejected and all(kb.get(qid) is None for qid in rejected)  # offices are not named entities


@pytest.mark.needs_shared("kb/entities.jsonl")
def test_low_confidence_rows_are_not_indexed(shared_dir: Path, tmp_path: Path) -> None:
    rows = {}
    for line in (shared_dir / "kb" / "entities.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["confidence"] in ("low", "medium"):
            rows[row["qid"]] = row
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows.values()) + "\n", encoding="utf-8")
    build_index(tmp_path / "mixed.sqlite", extra_sources=[source], include_defaults=False)
    kb = KnowledgeBase(tmp_path / "mixed.sqlite")
    for qid, row in rows.items():
        assert (kb.get(qid) is not None) == (row["confidence"] == "medium"), qid


@pytest.mark.needs_shared("wikidata-api")
def test_wikidata_dump_lines_are_indexed(shared_dir: Path, tmp_path: Path) -> None:
    api = shared_dir / "wikidata-api"
    bielefeld = json.loads((api / "wikibase-sdk__Q2112.json").read_text())
    putin = json.loads((api / "nomenklatura__wbgetentities_Q7747_full.json").read_text())["entities"]["Q7747"]
    dump = tmp_path / "latest-all.json"
    dump.write_text("[\n" + json.dumps(bielefeld) + ",\n" + json.dumps(putin) + "\n]\n", encoding="utf-8")
    stats = build_index(tmp_path / "dump.sqlite", extra_sources=[dump], include_defaults=False)
    assert stats["entities"] == 2
    kb = KnowledgeBase(tmp_path / "dump.sqlite")
    city = kb.get("Q2112")
    assert city is not None and city.label_de == "Bielefeld" and city.type == "LOC"
    assert [m.qid for m in kb.lookup("Leineweberstadt")] == ["Q2112"]  # German alias
    person = kb.record("Q7747")
    assert person is not None and person.type == "PER" and person.instance_of == ("Q5",)
    assert person.prior > 0.05  # sitelinks count as popularity


def test_bad_sources_say_which_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"qid": "Q183", "label_de": "Deutschland"}\n{not json\n', encoding="utf-8")
    with pytest.raises(KBSourceError, match=r"broken.jsonl:2: invalid JSON"):
        build_index(tmp_path / "x.sqlite", extra_sources=[broken], include_defaults=False)
    with pytest.raises(KBSourceError, match="not found"):
        build_index(tmp_path / "x.sqlite", extra_sources=[tmp_path / "absent.jsonl"], include_defaults=False)
    assert not (tmp_path / "x.sqlite").exists()  # a failed build leaves no half-written index


def test_opening_a_missing_or_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KBIndexError, match="kb build"):
        KnowledgeBase(tmp_path / "missing.sqlite")
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(KBIndexError, match="not a knowledge-base index"):
        KnowledgeBase(foreign)


def test_ensure_index_builds_when_missing(tmp_path: Path) -> None:
    path = tmp_path / "kb" / "index.sqlite"
    kb = ensure_index(path, curated=None, extract=None)
    assert path.is_file() and kb.get("Q212") is not None


def test_default_kb_adds_persons(default_index: tuple[Path, dict[str, object]]) -> None:
    path, stats = default_index
    assert int(stats["entities"]) > 20000  # type: ignore[call-overload]
    kb = KnowledgeBase(path)
    assert "Q3658303" in [qid for qid, _ in kb.persons_with_surname("Gruschko")]
    assert kb.same_spelling("Dmitri Peskow") == kb.same_spelling("Dmitry Peskov") != []


@pytest.mark.needs_shared("wikidata-api")
def test_compressed_dump_is_read(shared_dir: Path, tmp_path: Path) -> None:
    import gzip

    moscow = json.loads((shared_dir / "wikidata-api" / "nomenklatura__wbgetentities_Q649_labels.json").read_text())
    dump = tmp_path / "latest-all.json.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as handle:
        handle.write("[\n" + json.dumps(moscow["entities"]["Q649"]) + "\n]\n")
    build_index(tmp_path / "gz.sqlite", extra_sources=[dump], include_defaults=False)
    assert [m.qid for m in KnowledgeBase(tmp_path / "gz.sqlite").lookup("Moscow")] == ["Q649"]


@pytest.mark.needs_shared("wikidata-api")
def test_dump_items_already_known_are_merged_not_duplicated(shared_dir: Path, tmp_path: Path) -> None:
    moscow = json.loads((shared_dir / "wikidata-api" / "nomenklatura__wbgetentities_Q649_labels.json").read_text())
    dump = tmp_path / "dump.json"
    line = json.dumps(moscow["entities"]["Q649"])
    dump.write_text(f"[\n{line},\n{line}\n]\n", encoding="utf-8")
    stats = build_index(tmp_path / "merged.sqlite", extra_sources=[dump], extract=None)
    assert stats["entities"] == build_index(tmp_path / "plain.sqlite", extract=None)["entities"]
    assert stats["sources"]["file:dump.json"] == 2  # type: ignore[index]
    kb = KnowledgeBase(tmp_path / "merged.sqlite")
    record = kb.record("Q649")
    assert record is not None and record.label_de == "Moskau" and record.label_en == "Moscow"
    assert any(s.startswith("wikidata-dump:") for s in record.sources)
    assert [m.qid for m in kb.lookup("Moscow")] == ["Q649"]


def test_index_in_a_folder_with_awkward_characters(tmp_path: Path) -> None:
    path = tmp_path / "kb #1 ?x" / "index.sqlite"
    build_index(path, curated=None, extract=None)
    assert KnowledgeBase(path).get("Q183") is not None


def test_an_index_of_an_older_schema_is_rebuilt_by_ensure_index(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    build_index(path, curated=None, extract=None)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    with pytest.raises(KBIndexOutdated, match="rebuild"):
        KnowledgeBase(path)
    assert ensure_index(path, curated=None, extract=None).get("Q183") is not None
