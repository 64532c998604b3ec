"""Validation results are readable, attributed to their graph, and the command-line entry exits 0/1/2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from pipelines.domain import Block, CleanDocument, LinkedMention
from pipelines.graph import (
    ShapesError,
    build_article_graph,
    load_dataset,
    validate_command,
    validate_dataset,
    write_dataset,
)
from pipelines.namespaces import NG, NIF, Namespaces
from tests.graph.samples import golden_dataset, golden_input

ARTICLE_GRAPH = URIRef("https://w3id.org/newsgraph/id/graph/article/golden0001")
MENTION = URIRef("https://w3id.org/newsgraph/id/article/golden0001/text#char=186,192")


def _broken() -> Dataset:
    ds = golden_dataset()
    graph = ds.graph(ARTICLE_GRAPH)
    graph.set((MENTION, NIF.anchorOf, Literal("Bonn")))
    graph.set((MENTION, NG.linkingConfidence, Literal(1.5)))
    return ds


def test_violations_are_readable_and_attributed_to_their_graph() -> None:
    result = validate_dataset(_broken())
    assert not result.conforms
    assert result.violation_count == 2 == len(result.violations)
    assert result.per_graph == {
        str(ARTICLE_GRAPH): 2,
        "https://w3id.org/newsgraph/id/graph/run/2026-11-20": 0,
    }
    anchor = next(v for v in result.violations if "nif:anchorOf" in v)
    assert anchor.startswith(f"<{ARTICLE_GRAPH}>: <{MENTION}> nif:anchorOf:")
    assert "Bonn is not the context text at [186, 192): Berlin" in anchor
    assert any("ng:linkingConfidence" in v and "[0, 1]" in v and "(value '1.5')" in v for v in result.violations)
    metadata = result.check_metadata()
    assert metadata["violation_count"] == 2 and metadata["failing_graphs"] == 1 and metadata["graphs"] == 2
    assert "Bonn" in str(metadata["first_violations"])
    assert result.summary().startswith("2 violation(s) in 1 of 2 graph(s):")


def test_validate_command_exit_codes(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.trig", tmp_path / "night" / "bad.nq"
    write_dataset(golden_dataset(), good)
    write_dataset(_broken(), bad)
    out = io.StringIO()
    assert validate_command(good, out) == 0
    assert "conforms: 2 graph(s), 0 violations" in out.getvalue()
    out = io.StringIO()
    assert validate_command(bad.parent, out) == 1
    assert "Bonn" in out.getvalue()
    out = io.StringIO()
    assert validate_command(tmp_path / "missing.trig", out) == 2
    assert "does not exist" in out.getvalue()
    (tmp_path / "junk.ttl").write_text("this is not turtle", encoding="utf-8")
    out = io.StringIO()
    assert validate_command(tmp_path / "junk.ttl", out) == 2
    assert "cannot parse" in out.getvalue()


def test_load_dataset_reads_a_directory_of_files(tmp_path: Path) -> None:
    write_dataset(golden_dataset(), tmp_path / "a.trig")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    ds = load_dataset(tmp_path)
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {
        str(ARTICLE_GRAPH),
        "https://w3id.org/newsgraph/id/graph/run/2026-11-20",
    }


def test_missing_shapes_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ShapesError, match="does not exist"):
        validate_dataset(golden_dataset(), tmp_path / "no-shapes")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ShapesError, match=r"no \*\.ttl files"):
        validate_dataset(golden_dataset(), tmp_path / "empty")


def test_anchor_constraint_counts_code_points_like_python() -> None:
    """Offsets are Python str indices; SPARQL SUBSTR counts code points too, also beyond the BMP."""
    data = golden_input()
    text = "Gru\u0308ße 😀 aus Berlin"  # combining diaeresis and an astral emoji before the mention
    start = text.index("Berlin")
    clean = CleanDocument(title=None, blocks=[Block(type="body", text=text)], language="de")
    mention = LinkedMention(start, start + 6, "Berlin", "LOC", "Q64", 0.9, "Berlin")
    ds = build_article_graph(data["raw"], clean, [mention], data["entities"], data["run"], Namespaces())
    assert validate_dataset(ds).conforms
    shifted = LinkedMention(start - 1, start + 5, text[start - 1 : start + 5], "LOC", "Q64", 0.9, "Berlin")
    ds = build_article_graph(data["raw"], clean, [shifted], data["entities"], data["run"], Namespaces())
    graph = ds.graph(ARTICLE_GRAPH)
    graph.set((Namespaces().phrase_iri("golden0001", start - 1, start + 5), NIF.anchorOf, Literal("Berlin")))
    result = validate_dataset(ds)
    assert result.violation_count == 1 and "is not the context text" in result.violations[0]
