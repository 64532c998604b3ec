"""The shipped models: real German sentences through load_ner/find_mentions."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler

import pipelines.ner
from pipelines.domain import ENTITY_LABELS
from pipelines.ner import E5_FACTORY, NORMALIZER_FACTORY, NerModelNotFoundError, find_mentions, load_ner
from pipelines.ner.components import E5EntityRecognizer
from pipelines.ner.loading import MODELS_DIR, NAMED_MODELS


def mentions_of(nlp: Language, text: str) -> set[tuple[str, str]]:
    (found,) = find_mentions(nlp, [text])
    for m in found:
        assert text[m.start : m.end] == m.text
    return {(m.text, m.label) for m in found}


def e5_component(nlp: Language) -> E5EntityRecognizer:
    component = nlp.get_pipe(E5_FACTORY)
    assert isinstance(component, E5EntityRecognizer)
    return component


def test_factories_are_registered_on_import() -> None:
    assert pipelines.ner.E5_FACTORY == E5_FACTORY
    assert spacy.language.Language.has_factory(E5_FACTORY)
    assert spacy.language.Language.has_factory(NORMALIZER_FACTORY)


def test_entry_point_targets_are_the_registered_factories() -> None:
    import importlib

    from pipelines.ner.components import ENTRY_POINTS

    for name, target in ENTRY_POINTS.items():
        module, attr = target.split(":")
        factory = getattr(importlib.import_module(module), attr)
        assert callable(factory)
        assert spacy.language.Language.get_factory_meta(name).factory == name


def test_default_model_is_a_plain_spacy_directory() -> None:
    path = MODELS_DIR / NAMED_MODELS["default"]
    nlp = spacy.load(path)
    assert nlp.pipe_names == [E5_FACTORY, NORMALIZER_FACTORY]
    assert (path / "README.md").is_file() and (path / "NOTICE").is_file()
    size = sum(f.stat().st_size for f in MODELS_DIR.rglob("*") if f.is_file())
    assert size < 50_000_000


def test_default_finds_persons_and_places(default_nlp: Language) -> None:
    found = mentions_of(default_nlp, "Bundeskanzler Olaf Scholz hat am Montag in Paris mit Emmanuel Macron gesprochen.")
    assert {("Olaf Scholz", "PER"), ("Paris", "LOC"), ("Emmanuel Macron", "PER")} <= found


def test_default_finds_organisations(default_nlp: Language) -> None:
    found = mentions_of(default_nlp, "Die Europäische Union und die Vereinten Nationen kritisierten Russland scharf.")
    assert ("Russland", "LOC") in found
    assert {label for _, label in found} <= set(ENTITY_LABELS)
    assert any(label == "ORG" for _, label in found)


def test_default_cuts_the_name_out_of_a_compound(default_nlp: Language) -> None:
    text = "Die Nato-Staaten wollen den Nato-Russland-Rat wieder einberufen."
    (found,) = find_mentions(default_nlp, [text])
    spans = {(m.start, m.end, m.label) for m in found}
    assert (4, 8, "ORG") in spans  # "Nato" inside "Nato-Staaten"
    start = text.index("Nato-Russland-Rat")
    assert (start, start + len("Nato-Russland-Rat"), "ORG") in spans


def test_long_text_is_split_not_truncated(default_nlp: Language) -> None:
    sentence = "Olaf Scholz traf Emmanuel Macron in Paris und sprach über die Ukraine"
    text = ", ".join([sentence] * 60) + "."  # one sentence of about 1,000 pieces
    (found,) = find_mentions(default_nlp, [text])
    last = text.rindex("Paris")  # the last clause is tagged: its window was not cut off
    assert any(m.start == last and m.text == "Paris" for m in found)
    assert sum(1 for m in found if m.text == "Olaf Scholz") >= 55


def test_batches_keep_texts_apart(default_nlp: Language) -> None:
    texts = ["Angela Merkel lebt in Berlin.", "", "Keine Namen hier.", "Die SPD gewann in Hamburg."]
    results = list(find_mentions(default_nlp, texts, batch_size=2))
    assert len(results) == 4 and results[1] == []
    assert ("Berlin", "LOC") in {(m.text, m.label) for m in results[0]}
    assert ("Hamburg", "LOC") in {(m.text, m.label) for m in results[3]}


def test_fast_model_has_the_same_labels(fast_nlp: Language) -> None:
    assert fast_nlp.pipe_names[-1] == NORMALIZER_FACTORY
    found = mentions_of(fast_nlp, "Angela Merkel besuchte am Dienstag Berlin und München.")
    assert found and {label for _, label in found} <= set(ENTITY_LABELS)
    assert ("Berlin", "LOC") in found or ("München", "LOC") in found


def test_unknown_model_name_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NerModelNotFoundError, match="not 'default', 'fast'"):
        load_ner("de_no_such_model_xyz")
    with pytest.raises(NerModelNotFoundError, match=r"no config\.cfg"):
        load_ner(str(tmp_path))


def test_a_foreign_spacy_ner_gets_the_normaliser(tmp_path: Path) -> None:
    # an OntoNotes-style pipeline (PERSON/GPE/NORP labels) loaded by path: product labels come out
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    assert isinstance(ruler, EntityRuler)
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Olaf Scholz"},
            {"label": "GPE", "pattern": "Berlin"},
            {"label": "NORP", "pattern": "deutsche"},
            {"label": "GPEpart", "pattern": "US-Regierung"},
        ]
    )
    nlp.to_disk(tmp_path / "foreign")
    loaded = load_ner(str(tmp_path / "foreign"))
    assert loaded.pipe_names == ["entity_ruler", NORMALIZER_FACTORY]
    text = "Olaf Scholz sagte in Berlin, die deutsche und die US-Regierung seien einig."
    assert mentions_of(loaded, text) == {("Olaf Scholz", "PER"), ("Berlin", "LOC"), ("US", "LOC")}


def test_pipeline_without_entities_is_rejected(tmp_path: Path) -> None:
    spacy.blank("de").to_disk(tmp_path / "empty")
    with pytest.raises(NerModelNotFoundError, match=r"sets doc\.ents"):
        load_ner(str(tmp_path / "empty"))


def test_thread_count_is_configurable() -> None:
    nlp = load_ner("default", threads=1)
    component = e5_component(nlp)
    assert component.threads == 1
    assert component._runtime.session.get_session_options().intra_op_num_threads == 1
    assert mentions_of(nlp, "Angela Merkel sprach in Berlin.") >= {
        ("Angela Merkel", "PER"),
        ("Berlin", "LOC"),
    }
    assert load_ner("fast", threads=1).pipe_names[-1] == NORMALIZER_FACTORY


def test_parallel_workers_tag_exactly_as_one(default_nlp: Language) -> None:
    """Documents tagged at once by several one-thread ONNX runs get the same mentions as one by one."""
    texts = [
        "Bundeskanzler Olaf Scholz hat am Montag in Paris mit Emmanuel Macron gesprochen.",
        "Die Nato-Staaten trafen sich in Brüssel; US-Außenminister Antony Blinken sprach zuerst.",
        "Die Europäische Union und die Vereinten Nationen kritisierten Russland scharf.",
        "In Kiew sagte Wolodymyr Selenskyj, die Ukraine brauche mehr Hilfe aus Deutschland.",
    ] * 3
    component = e5_component(default_nlp)
    workers_before = component.workers
    try:
        component.set_workers(1)
        one = [[(m.start, m.end, m.label) for m in ms] for ms in find_mentions(default_nlp, texts)]
        component.set_workers(3)
        assert component.worker_count == 3
        several = [[(m.start, m.end, m.label) for m in ms] for ms in find_mentions(default_nlp, texts)]
    finally:
        component.set_workers(workers_before)
    assert several == one
    assert all(one), "every text has at least one mention"


def test_negative_worker_count_is_refused(default_nlp: Language) -> None:
    with pytest.raises(ValueError, match="workers"):
        e5_component(default_nlp).set_workers(-1)
