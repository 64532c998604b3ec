"""Role texts to Wikidata positions, read from a KB extract built at test time from ../shared's POSITION rows."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pipelines.quotes.positions import read_positions, with_positions
from pipelines.quotes.records import Role, Span


@pytest.fixture(scope="module")
def rows(shared_dir: Path) -> list[dict[str, object]]:
    with (shared_dir / "kb" / "entities.jsonl").open(encoding="utf-8") as handle:
        return [row for line in handle if '"POSITION"' in line and (row := json.loads(line))["type"] == "POSITION"]


@pytest.fixture(scope="module")
def extract(rows: list[dict[str, object]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kb") / "extract.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    return path


def _role(text: str, org_qid: str | None) -> Role:
    title = text.split()[0]
    return Role(
        Span(len(title) + 1, len(text), text[len(title) + 1 :]),
        None,
        "X",
        Span(0, len(title), title),
        "position",
        "prenominal",
        organisation_qid=org_qid,
    )


def _jurisdictions(row: dict[str, object]) -> list[object]:
    """The places a position applies to (Wikidata P1001), as the KB row records them."""
    facts = row.get("facts")
    places = facts.get("P1001_applies_to_jurisdiction") if isinstance(facts, dict) else None
    return places if isinstance(places, list) else []


def _with_jurisdiction(rows: list[dict[str, object]], english: str) -> tuple[str, str]:
    """A position whose English label names the office, with its one jurisdiction (taken from the data)."""
    for row in rows:
        places = _jurisdictions(row)
        label = str(row.get("label_en") or "")
        if label.startswith(english) and len(places) == 1:
            same_place = [
                r
                for r in rows
                if str(r.get("label_en") or "").lower().startswith(english.lower()) and places[0] in _jurisdictions(r)
            ]
            if len(same_place) == 1:
                return str(row["qid"]), str(places[0])
    pytest.skip(f"no {english!r} position with a single jurisdiction in the shared KB")


@pytest.mark.needs_shared("kb/entities.jsonl")
def test_title_and_jurisdiction_name_one_position(rows: list[dict[str, object]], extract: Path) -> None:
    index = read_positions(extract)
    assert len(index) == len(rows)
    qid, place = _with_jurisdiction(rows, "Prime Minister of")
    (mapped,) = with_positions([_role("Ministerpräsidentin Anna Berg", place)], index)
    assert mapped.position_qid == qid


@pytest.mark.needs_shared("kb/entities.jsonl")
def test_no_jurisdiction_or_a_deputy_maps_to_nothing(rows: list[dict[str, object]], extract: Path) -> None:
    index = read_positions(extract)
    _qid, place = _with_jurisdiction(rows, "Prime Minister of")
    roles = [_role("Präsident Karl Berg", None), _role("Vizepremierminister Karl Berg", place)]
    assert [r.position_qid for r in with_positions(roles, index)] == [None, None]


def test_an_absent_extract_maps_nothing(tmp_path: Path) -> None:
    index = read_positions(tmp_path / "missing.jsonl.gz")
    assert len(index) == 0
    assert with_positions([_role("Außenminister Karl Berg", None)], index)[0].position_qid is None
