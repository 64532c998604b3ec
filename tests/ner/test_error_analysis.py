"""The NER error analysis: confusion cells, error kinds and their ranking (invented sentences)."""

from __future__ import annotations

from newsgraph_tools.evaluate.ner import prf
from newsgraph_tools.evaluate.ner_errors import analyse, analyse_document, report_lines
from newsgraph_tools.evaluate.stages import details

TEXT = "Jürgen Klopp trainierte den FC Liverpool in Mittelamerika für 5 Euro ."


def span(text: str, surface: str, label: str) -> tuple[int, int, str]:
    start = text.index(surface)
    return start, start + len(surface), label


GOLD = {
    span(TEXT, "Jürgen Klopp", "PER"),
    span(TEXT, "FC Liverpool", "ORG"),
    span(TEXT, "Mittelamerika", "LOC"),
}
PRED = {
    span(TEXT, "Jürgen Klopp", "PER"),
    span(TEXT, "FC Liverpool", "LOC"),
    span(TEXT, "Mittel", "LOC"),
    span(TEXT, "Euro", "MISC"),
}


def test_each_span_lands_in_one_cell_of_its_row_and_column() -> None:
    cells, errors = analyse_document(TEXT, GOLD, PRED)
    assert cells == {("PER", "PER"): 1, ("ORG", "LOC"): 1, ("LOC", "boundary"): 1, ("boundary", "LOC"): 1,
                     ("spurious", "MISC"): 1}  # fmt: skip
    kinds = {(e.kind, e.text, e.gold, e.predicted, e.predicted_text) for e in errors}
    assert kinds == {
        ("type", "FC Liverpool", "ORG", "LOC", None),
        ("boundary", "Mittelamerika", "LOC", "LOC", "Mittel"),
        ("spurious", "Euro", "O", "MISC", None),
    }


def test_a_gold_span_nothing_overlaps_is_missed() -> None:
    _, errors = analyse_document(TEXT, GOLD, set())
    assert sorted((e.kind, e.text) for e in errors) == [
        ("missed", "FC Liverpool"),
        ("missed", "Jürgen Klopp"),
        ("missed", "Mittelamerika"),
    ]


def test_rows_sum_to_gold_and_columns_to_predictions() -> None:
    texts = [TEXT, "Anna Schmidt flog nach Kairo ."]
    second = texts[1]
    gold = [GOLD, {span(second, "Anna Schmidt", "PER"), span(second, "Kairo", "LOC")}]
    pred = [PRED, {span(second, "Anna", "PER"), span(second, "Kairo", "LOC")}]
    confusion = analyse(texts, gold, pred)["confusion"]
    scores = prf(gold, pred)
    labels = ("PER", "LOC", "ORG", "MISC")
    for label in labels:
        assert sum(confusion[label].values()) == scores[label]["gold"]
        column = sum(confusion[row].get(label, 0) for row in confusion)
        assert column == scores[label]["predicted"]
        assert confusion[label][label] == scores[label]["tp"]


def test_the_most_frequent_errors_come_first_and_are_cut_at_top() -> None:
    texts = [f"Satz {i} kostet 3 Euro und 2 Dollar ." for i in range(3)] + ["Nur 4 Dollar ."]
    pred = [{span(t, "Euro", "MISC"), span(t, "Dollar", "MISC")} if "Euro" in t else {span(t, "Dollar", "MISC")}
            for t in texts]  # fmt: skip
    gold: list[set[tuple[int, int, str]]] = [set() for _ in texts]
    report = analyse(texts, gold, pred, top=1)
    assert report["top_errors"] == [
        {"kind": "spurious", "text": "Dollar", "gold": "O", "predicted": "MISC", "predicted_text": None, "count": 4}
    ]
    assert report["errors_by_kind"] == {"type": 0, "boundary": 0, "missed": 0, "spurious": 7}


def test_report_text_fits_one_screen() -> None:
    gold, pred = [GOLD], [PRED]
    scores = {**prf(gold, pred), "sentences": 1, "errors": analyse([TEXT], gold, pred)}
    lines = report_lines(scores)
    assert len(lines) <= 40
    header = lines.index(next(line for line in lines if line.startswith("Spans by gold label")))
    org_row = next(line.split() for line in lines[header:] if line.split()[:1] == ["ORG"])
    assert org_row == ["ORG", "0", "1", "0", "0", "0", "0"]  # columns PER LOC ORG MISC boundary missed
    assert any("'Mittelamerika' LOC → 'Mittel' LOC" in line for line in lines)


def test_eval_ner_shows_the_analysis_under_its_summary() -> None:
    gold, pred = [GOLD], [PRED]
    germeval = {**prf(gold, pred), "sentences": 1, "errors": analyse([TEXT], gold, pred)}
    assert details("ner", {"germeval_dev_a": germeval}) == report_lines(germeval)
    assert details("cleanup", {"totals": {}}) == []


def test_long_surfaces_are_cut_in_the_text_but_not_in_the_report() -> None:
    title = "Experimentelle Grundlagen zur zweckmäßigsten Stallmistbereitung"
    text = f"Er las {title} ."
    gold = [{span(text, title, "MISC")}]
    pred: list[set[tuple[int, int, str]]] = [set()]
    analysis = analyse([text], gold, pred)
    assert analysis["top_errors"][0]["text"] == title
    lines = report_lines({**prf(gold, pred), "sentences": 1, "errors": analysis})
    assert f"{title[:39]}…' MISC → O" in lines[-1] and title not in lines[-1]
