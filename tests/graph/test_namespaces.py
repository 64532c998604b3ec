"""IRIs are derived only from stable identifiers, so they are the same on every run and machine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.namespaces import (
    DEFAULT_BASE_IRI,
    WIKIDATA_ENTITY_PATTERN,
    InvalidIdentifierError,
    Namespaces,
    normalise_name,
    slug,
)

SHAPES = Path(__file__).resolve().parents[2] / "ontology" / "shapes"


def test_data_iris_follow_the_base_and_the_identifiers() -> None:
    ns = Namespaces()
    assert ns.base_iri == DEFAULT_BASE_IRI == "https://w3id.org/newsgraph/id/"
    assert str(ns.article_iri("abc123")) == "https://w3id.org/newsgraph/id/article/abc123"
    assert str(ns.article_graph_iri("abc123")) == "https://w3id.org/newsgraph/id/graph/article/abc123"
    assert str(ns.context_iri("abc123", 230)) == "https://w3id.org/newsgraph/id/article/abc123/text#char=0,230"
    assert str(ns.phrase_iri("abc123", 5, 9)) == "https://w3id.org/newsgraph/id/article/abc123/text#char=5,9"
    assert str(ns.run_iri("2026-11-20")) == "https://w3id.org/newsgraph/id/run/2026-11-20"
    assert str(ns.run_graph_iri("2026-11-20")) == "https://w3id.org/newsgraph/id/graph/run/2026-11-20"
    assert str(ns.wikidata_iri("Q64")) == "http://www.wikidata.org/entity/Q64"
    assert ns.prefixes()["ngid"] == DEFAULT_BASE_IRI
    assert str(ns.ner_model_iri("de core", "1.0/2")) == "https://w3id.org/newsgraph/id/model/de%20core/1.0%2F2"


def test_nil_iris_are_stable_readable_and_distinct() -> None:
    first, second = Namespaces(), Namespaces()
    iri = first.nil_entity_iri("Nato-Russland-Rat", "ORG")
    assert iri == second.nil_entity_iri("Nato-Russland-Rat", "ORG")
    assert re.fullmatch(r"https://w3id\.org/newsgraph/id/nil/org/nato-russland-rat-[0-9a-f]{10}", str(iri))
    assert iri == first.nil_entity_iri("  nato-russland-RAT ", "ORG")  # case and spacing do not matter
    assert iri != first.nil_entity_iri("Nato-Russland-Rat", "MISC")  # the type does
    assert first.nil_entity_iri("Müller", "PER") != first.nil_entity_iri("Muller", "PER")
    assert "/nil/loc/" in str(first.nil_entity_iri("Москва", "LOC"))  # no Latin letters: hash only
    with pytest.raises(InvalidIdentifierError, match="entity type"):
        first.nil_entity_iri("X", "GPE")
    with pytest.raises(InvalidIdentifierError, match="non-empty name"):
        first.nil_entity_iri("   ", "PER")


def test_identifiers_that_would_break_iris_are_refused() -> None:
    ns = Namespaces()
    for bad in ("a/b", "", "a b", "../x", "#x"):
        with pytest.raises(InvalidIdentifierError, match="cannot be used in an IRI"):
            ns.article_iri(bad)
    with pytest.raises(InvalidIdentifierError, match="not a Wikidata item id"):
        ns.wikidata_iri("Q012")
    for base in ("w3id.org/x/", "https://example.org/x", "https://exa mple.org/"):
        with pytest.raises(InvalidIdentifierError, match="base IRI"):
            Namespaces(base)


def test_slug_and_name_normalisation() -> None:
    assert slug("Straße des 17. Juni") == "strasse-des-17-juni"
    assert slug("Élysée-Palast") == "elysee-palast"
    assert normalise_name("  Olaf\tSCHOLZ ") == "olaf scholz"


def test_shapes_use_the_same_wikidata_pattern_as_the_code() -> None:
    entity_shapes = (SHAPES / "entity.ttl").read_text(encoding="utf-8")
    assert WIKIDATA_ENTITY_PATTERN.replace("\\", "\\\\") in entity_shapes
    pattern = re.compile(WIKIDATA_ENTITY_PATTERN)
    assert pattern.match("http://www.wikidata.org/entity/Q57665")
    assert not pattern.match("http://www.wikidata.org/entity/Q0")
    assert not pattern.match("https://www.wikidata.org/wiki/Q57665")
