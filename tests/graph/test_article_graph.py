"""Building article and run graphs: model, offsets, stable IRIs and clear errors on bad input."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from pipelines.domain import LinkedMention
from pipelines.graph import GraphBuildError, build_article_graph, build_run_graph, validate_dataset
from pipelines.graph.terms import publication_date_literal
from pipelines.namespaces import NG, NIF, SCHEMA, Namespaces
from tests.graph.samples import SEED_DATA, golden_dataset, golden_input, seed_dataset, seed_records, union

SHAPES_DIR = Path(__file__).resolve().parents[2] / "ontology" / "shapes"

MENTION_FACTS = """
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?mention ?begin ?end ?anchor ?text ?run ?entity WHERE {
    ?mention a nif:Phrase .
    OPTIONAL { ?mention nif:beginIndex ?begin ; nif:endIndex ?end }
    OPTIONAL { ?mention nif:anchorOf ?anchor }
    OPTIONAL { ?mention nif:referenceContext/nif:isString ?text }
    OPTIONAL { ?mention prov:wasGeneratedBy ?run }
    OPTIONAL { ?mention itsrdf:taIdentRef ?entity }
}"""


@pytest.fixture(scope="module")
def seeds_ds(shared_dir: Path) -> Dataset:
    return seed_dataset(shared_dir)


@pytest.fixture(scope="module")
def seeds(seeds_ds: Dataset) -> Graph:
    return union(seeds_ds)


@pytest.mark.needs_shared(*SEED_DATA)
def test_seed_articles_conform_to_the_shapes(seeds_ds: Dataset) -> None:
    result = validate_dataset(seeds_ds)
    assert result.conforms, result.summary()
    assert len(result.per_graph) == 6  # five articles and the run
    assert set(result.per_graph.values()) == {0}


@pytest.mark.needs_shared(*SEED_DATA)
def test_every_seed_mention_has_offsets_anchor_context_run_and_entity(seeds: Graph, shared_dir: Path) -> None:
    gold_mentions = sum(len(mentions) for _raw, _clean, mentions, _ents in seed_records(shared_dir))
    rows = list(seeds.query(MENTION_FACTS))
    assert len(rows) == gold_mentions
    for mention, begin, end, anchor, text, run, entity in rows:  # type: ignore[misc]
        assert None not in (begin, end, anchor, text, run, entity), f"{mention} lacks a fact"
        assert str(text)[int(begin) : int(end)] == str(anchor)
        assert str(mention).endswith(f"#char={begin},{end}")


@pytest.mark.needs_shared(*SEED_DATA)
def test_article_model_uses_schema_nif_prov(seeds: Graph) -> None:
    articles = set(seeds.subjects(RDF.type, SCHEMA.NewsArticle))
    assert len(articles) == 5
    for article in articles:
        body = seeds.value(article, SCHEMA.articleBody)
        context = seeds.value(article, NG.textContext)
        assert seeds.value(context, NIF.isString) == body
        assert seeds.value(article, SCHEMA.inLanguage) == Literal("de")
        assert (seeds.value(article, SCHEMA.publisher), SCHEMA.name, Literal("Seed Outlet")) in seeds
        assert len(list(seeds.objects(article, NG.removal))) >= 1


def test_publication_date_gets_the_precision_it_has() -> None:
    assert publication_date_literal("2022") == Literal("2022", datatype=XSD.gYear)
    assert publication_date_literal("2022-01") == Literal("2022-01", datatype=XSD.gYearMonth)
    assert publication_date_literal("2022-01-18") == Literal("2022-01-18", datatype=XSD.date)
    assert publication_date_literal("2022-01-18T10:00:00+01:00") == Literal(
        "2022-01-18T10:00:00+01:00", datatype=XSD.dateTime
    )
    assert publication_date_literal("gestern") is None
    assert publication_date_literal("2022-02-30") is None
    assert publication_date_literal(None) is None


def _golden_args(**changes: object) -> dict[str, object]:
    data = golden_input()
    args = {k: data[k] for k in ("raw", "clean", "mentions", "entities", "run")}
    args.update(changes)
    args["ns"] = Namespaces()
    return args


def _replace_mention(index: int, **changes: object) -> list[LinkedMention]:
    mentions = list(golden_input()["mentions"])
    mentions[index] = dataclasses.replace(mentions[index], **changes)
    return mentions


@pytest.mark.parametrize(
    ("mentions", "message"),
    [
        (_replace_mention(0, end=12), "does not match the text there"),
        (_replace_mention(0, start=500, end=510), "outside the clean text"),
        (_replace_mention(0, confidence=1.3), r"outside \[0, 1\]"),
        (_replace_mention(0, label="GPE"), "not one of"),
        (_replace_mention(0, qid="Q0"), "is not a Wikidata item id"),
        (_replace_mention(7, entity_name=" "), "has no entity_name"),
        (golden_input()["mentions"] + golden_input()["mentions"][:1], "given twice"),
    ],
)
def test_bad_mentions_are_refused_with_a_clear_error(mentions: list[LinkedMention], message: str) -> None:
    with pytest.raises(GraphBuildError, match=message) as info:
        build_article_graph(**_golden_args(mentions=mentions))  # type: ignore[arg-type]
    assert "golden0001" in str(info.value)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "example.org/no-scheme", "not an absolute IRI"),
        ("url", "https://example.org/a b", "not an absolute IRI"),
        ("fetched_at", "2026-11-20T22:15:00", "has no UTC offset"),
        ("fetched_at", "yesterday", "not an ISO 8601 datetime"),
        ("doc_id", "a/b", "cannot be used in an IRI"),
        ("content_hash", "abc", "not a lower-case sha256"),
    ],
)
def test_bad_raw_documents_are_refused(field: str, value: str, message: str) -> None:
    raw = dataclasses.replace(golden_input()["raw"], **{field: value})
    with pytest.raises(GraphBuildError, match=message):
        build_article_graph(**_golden_args(raw=raw))  # type: ignore[arg-type]


def test_declared_values_are_normalised_where_the_meaning_is_clear() -> None:
    data = golden_input()
    raw = dataclasses.replace(data["raw"], content_type="text/HTML; charset=utf-8")
    clean = dataclasses.replace(data["clean"], language="de_DE")
    ds = build_article_graph(**_golden_args(raw=raw, clean=clean))  # type: ignore[arg-type]
    graph = union(ds)
    article = URIRef("https://w3id.org/newsgraph/id/article/golden0001")
    assert graph.value(article, SCHEMA.inLanguage) == Literal("de-de")
    assert Literal("text/html") in set(graph.objects(None, DCTERMS.format))
    nil = URIRef(str(Namespaces().nil_entity_iri("Nato-Russland-Rat", "ORG")))
    assert graph.value(nil, RDFS.label) == Literal("Nato-Russland-Rat", lang="de")
    assert validate_dataset(ds).conforms


def test_url_the_store_would_refuse_fails_for_its_article_only() -> None:
    raw = dataclasses.replace(golden_input()["raw"], url="https://example.org/a%zz")
    with pytest.raises(GraphBuildError, match="not a valid IRI"):
        build_article_graph(**_golden_args(raw=raw))  # type: ignore[arg-type]
    raw = dataclasses.replace(golden_input()["raw"], outlet=None, source=" ")
    with pytest.raises(GraphBuildError, match="neither outlet nor source"):
        build_article_graph(**_golden_args(raw=raw))  # type: ignore[arg-type]


def test_bad_run_records_are_refused() -> None:
    run = golden_input()["run"]
    with pytest.raises(GraphBuildError, match="partition"):
        build_run_graph(dataclasses.replace(run, partition="20.11.2026"), Namespaces())
    with pytest.raises(GraphBuildError, match="ner_model is empty"):
        build_run_graph(dataclasses.replace(run, ner_model=""), Namespaces())
    with pytest.raises(GraphBuildError, match="non-negative integer"):
        build_run_graph(run, Namespaces(), {"articles": -1})


def test_entity_without_kb_labels_gets_the_linker_name_in_the_article_language() -> None:
    args = _golden_args(entities={})
    ds = build_article_graph(**args)  # type: ignore[arg-type]
    labels = set(union(ds).objects(URIRef("http://www.wikidata.org/entity/Q7184"), RDFS.label))
    assert labels == {Literal("North Atlantic Treaty Organization", lang="de")}
    assert validate_dataset(ds).conforms


def _serialized_golden(tmp_path: Path, mutate: bool) -> Path:
    ds = golden_dataset()
    if mutate:
        graph = ds.graph(URIRef("https://w3id.org/newsgraph/id/graph/article/golden0001"))
        graph.set(
            (
                URIRef("https://w3id.org/newsgraph/id/article/golden0001/text#char=186,192"),
                NIF.anchorOf,
                Literal("Bonn"),
            )
        )
    path = tmp_path / ("bad.trig" if mutate else "golden.trig")
    ds.serialize(path, format="trig")
    return path


@pytest.mark.parametrize("mutate", [False, True])
def test_pyshacl_command_line_agrees_from_outside_the_pipeline(tmp_path: Path, mutate: bool) -> None:
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    shapes_file = tmp_path / "shapes.ttl"
    shapes.serialize(shapes_file, format="turtle")
    data = _serialized_golden(tmp_path, mutate)
    cli = Path(sys.executable).with_name("pyshacl")
    done = subprocess.run([str(cli), "-s", str(shapes_file), str(data)], capture_output=True, text=True, timeout=120)
    assert ("Conforms: True" in done.stdout) is not mutate, done.stdout
    if mutate:
        assert "Bonn" in done.stdout and done.returncode == 1
    else:
        assert done.returncode == 0
