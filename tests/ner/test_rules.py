"""Compound resolution, label mapping and sequence splitting (pure functions)."""

from __future__ import annotations

import pytest

from pipelines.ner.compounds import default_institution_heads, parse_institution_heads, resolve_part
from pipelines.ner.labels import UnknownLabelError, map_label
from pipelines.ner.segment import make_sequences, split_sentences, split_windows

HEADS = default_institution_heads()


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("Nato-Staaten", "ORG", "Nato"),
        ("Nato-Generalsekretär", "ORG", "Nato"),
        ("US-Außenminister", "LOC", "US"),
        ("Ukraine-Konflikts", "LOC", "Ukraine"),
        ("Baltikum-Staaten", "LOC", "Baltikum"),
        ("Ex-Nato-Chef", "ORG", "Nato"),
    ],
)
def test_name_part_is_cut_out_of_generic_compounds(text: str, label: str, expected: str) -> None:
    start, end, out_label = resolve_part(text, label, HEADS) or (0, 0, "")
    assert text[start:end] == expected and out_label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Nato-Russland-Rat", "ORG"),
        ("NATO-Russland-Rates", "ORG"),
        ("Nato-Russland-Rats", "ORG"),
        ("EU-Kommission", "ORG"),
        ("NATO-Ukraine-Kommission", "ORG"),
        ("US-Außenministeriums", "ORG"),
        ("Normandie-Format", "MISC"),
    ],
)
def test_institution_compounds_stay_whole(text: str, label: str) -> None:
    assert resolve_part(text, "LOC", HEADS) == (0, len(text), label)


def test_part_without_hyphen_yields_nothing() -> None:
    assert resolve_part("Europapolitik", "LOC", HEADS) is None


def test_heads_file_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_institution_heads("rat ORG\nkaputt\n")


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("PERSON", ("PER", False)),
        ("GPE", ("LOC", False)),
        ("ORG", ("ORG", False)),
        ("EVENT", ("MISC", False)),
        ("NORP", (None, False)),
        ("LOCpart", ("LOC", True)),
        ("OTHpart", ("MISC", True)),
        ("LOCderiv", (None, False)),
    ],
)
def test_foreign_label_sets_map_to_product_labels(label: str, expected: tuple[str | None, bool]) -> None:
    assert map_label(label) == expected


def test_label_map_override_and_unknown_label() -> None:
    assert map_label("NORP", {"NORP": "MISC"}) == ("MISC", False)
    with pytest.raises(UnknownLabelError, match="FOO"):
        map_label("FOO")


def test_sentences_split_at_ends_and_line_breaks() -> None:
    words = ["Titel", "ohne", "Punkt", "Satz", "eins", ".", "Satz", "zwei", "!"]
    breaks = [False, False, False, True, False, False, False, False, False]
    assert split_sentences(words, breaks) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]


def test_long_sentence_is_windowed_not_truncated() -> None:
    counts = [3] * 1000
    windows = split_windows(range(1000), counts, 510)
    assert [i for w in windows for i in w] == list(range(1000))
    assert all(sum(counts[i] for i in w) <= 510 for w in windows)
    seqs = make_sequences(["Wort"] * 1000, [False] * 1000, lambda w: 3, 510)
    assert len(seqs) == len(windows) == 6


def test_germeval_tags_map_to_product_labels(tmp_path) -> None:
    from pipelines.ner.germeval import GermEvalFormatError, bio_spans, map_tag, read_germeval

    assert [map_tag(t) for t in ("B-OTH", "I-PER", "B-LOCderiv", "B-ORGpart", "O")] == [
        "B-MISC",
        "I-PER",
        "O",
        "B-ORGpart",
        "O",
    ]
    assert map_tag("B-ORGpart", keep_parts=False) == "O"
    assert bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "ORG"),
        (5, 6, "LOC"),
    ]
    good = tmp_path / "ok.tsv"
    good.write_text("# url\n1\tNato-Staaten\tB-ORGpart\tO\n2\tin\tO\tO\n3\tBerlin\tB-LOC\tO\n\n", encoding="utf-8")
    (sentence,) = read_germeval(good)
    assert sentence.words == ["Nato-Staaten", "in", "Berlin"] and sentence.tags == ["B-ORGpart", "O", "B-LOC"]
    bad = tmp_path / "bad.tsv"
    bad.write_text("1\tBerlin\tB-CITY\tO\n", encoding="utf-8")
    with pytest.raises(GermEvalFormatError, match=r"bad\.tsv:1"):
        list(read_germeval(bad))


def test_training_command_names_a_missing_corpus() -> None:
    from newsgraph_tools.train.ner import main

    with pytest.raises(SystemExit, match="not found"):
        main(["--corpus-dir", "/nonexistent/germeval"])
