"""German inflection variants and NIL keys."""

from __future__ import annotations

import pytest

from pipelines.linking import nil_key
from pipelines.linking.morphology import name_variants, nil_base


@pytest.mark.parametrize(
    ("surface", "base"),
    [
        ("Russlands", "Russland"),
        ("Moskaus", "Moskau"),
        ("Estlands", "Estland"),
        ("Europäischen Union", "Europäische Union"),
        ("Schwarzen Meer", "Schwarzes Meer"),
        ("NATO-Russland-Rates", "NATO-Russland-Rat"),
        ("Nato-Russland-Rats", "Nato-Russland-Rat"),
    ],
)
def test_inflected_names_have_their_base_among_the_variants(surface: str, base: str) -> None:
    assert base in name_variants(surface)


@pytest.mark.parametrize(
    ("names", "label"),
    [
        (["Nato-Russland-Rat", "NATO-Russland-Rat", "NATO-Russland-Rates", "Nato-Russland-Rats"], "ORG"),
        (["Normandieformat", "Normandie-Format"], "MISC"),
        (["Schwarzen Meer", "Schwarzes Meer", "Schwarze Meer"], "LOC"),
        (["Baltikum", "Baltikums"], "LOC"),
    ],
)
def test_spellings_of_one_nil_thing_share_a_key(names: list[str], label: str) -> None:
    assert len({nil_key(name, label) for name in names}) == 1


def test_nil_keys_separate_types_and_different_names() -> None:
    assert nil_key("Brest", "LOC") != nil_key("Brest", "ORG")
    assert nil_key("Alexander Fomin", "PER") != nil_key("Andreas Michaelis", "PER")
    assert nil_key("Südkaukasus", "LOC") != nil_key("Zentralasien", "LOC")


def test_nil_base_keeps_names_that_only_look_inflected() -> None:
    assert nil_base("Andreas Michaelis", "PER") == "Andreas Michaelis"
    assert nil_base("Südkaukasus", "LOC") == "Südkaukasus"
    assert nil_base("NATO-Russland-Rates", "ORG") == "NATO-Russland-Rat"
