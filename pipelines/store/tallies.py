"""Night tallies: per-run aggregates that the whole-store named queries read.

Questions such as "articles per outlet per day" or "entities most mentioned this week" aggregate over
every article. Asked of the article graphs directly they scan the whole store, and worse, triples
repeated in every article graph (an entity's label, a publisher's name) appear once per graph in the
union default graph, so their joins grow faster than the store. Instead, each run's articles are
counted once, into that run's tally graph (``ngid:graph/tally/{run}``), and the named queries sum a few
rows per night.

The counts are derived from the store itself, by the SELECT queries in ``ontology/queries/tallies``,
whose patterns stay inside one article's graph, so refreshing a run costs what the run holds, not
what the store holds. A publication refreshes the runs it touches: its own, and the earlier runs
whose article graphs it replaced (an article updated and scraped again on a later night moves to the
later run), so the sums stay exact. ``newsgraph tallies`` refreshes every run of an existing store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from pipelines.namespaces import NG, ONTOLOGY_DIR, Namespaces

TALLY_QUERIES_DIR = ONTOLOGY_DIR / "queries" / "tallies"
VALUES_CHUNK = 500  # graph IRIs per VALUES block when looking up the runs of replaced graphs

RUNS_OF_GRAPHS = """
PREFIX schema: <http://schema.org/>
PREFIX prov:   <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?run WHERE {
    VALUES ?g { %s }
    GRAPH ?g { ?article a schema:NewsArticle ; prov:wasGeneratedBy ?run }
}"""
ALL_RUNS = """
PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT DISTINCT ?run WHERE { ?run a ng:NightlyRun }"""


class TallyError(RuntimeError):
    """A run's tallies could not be computed or written."""


@cache
def tally_query(name: str, directory: Path = TALLY_QUERIES_DIR) -> str:
    path = directory / f"{name}.rq"
    if not path.is_file():
        raise TallyError(f"tally query {path} is missing")
    return path.read_text(encoding="utf-8")


def runs_of_graphs(store: Any, graph_iris: Iterable[str]) -> set[str]:
    """The runs that generated the articles the given graphs hold now (ask before replacing them)."""
    names = sorted(set(graph_iris))
    runs: set[str] = set()
    for start in range(0, len(names), VALUES_CHUNK):
        values = " ".join(f"<{name}>" for name in names[start : start + VALUES_CHUNK])
        for row in store.query(RUNS_OF_GRAPHS % values).dicts():
            runs.add(str(row["run"]))
    return runs


def all_runs(store: Any) -> set[str]:
    return {str(row["run"]) for row in store.query(ALL_RUNS).dicts()}


def _count(value: Node | None) -> Literal:
    return Literal(int(value.toPython()) if isinstance(value, Literal) else 0, datatype=XSD.integer)


def _rows(store: Any, name: str, run: URIRef) -> list[dict[str, Node | None]]:
    result = store.query(tally_query(name), substitutions={"run": run})
    rows: list[dict[str, Node | None]] = result.dicts()
    return rows


def night_tallies(store: Any, run_iri: str, ns: Namespaces) -> Graph:
    """The tally graph of one run, computed from the article graphs the store holds for it now."""
    run = URIRef(run_iri)
    run_id = ns.run_id_of(run_iri)
    g = Graph(identifier=ns.tally_graph_iri(run_id))

    def tally(kind: str, cls: URIRef, *key: Node | None) -> URIRef:
        node = ns.tally_iri(run_id, kind, *(str(k) for k in key))
        g.add((node, RDF.type, cls))
        g.add((node, NG.run, run))
        return node

    for row in _rows(store, "outlet-day", run):
        if row["outlet"] is None or row["day"] is None:
            continue
        node = tally("outlet-day", NG.OutletDayTally, row["outlet"], row["day"])
        g.add((node, NG.outletName, Literal(str(row["outlet"]))))
        g.add((node, NG.day, Literal(str(row["day"]))))
        g.add((node, NG.articleCount, _count(row["articles"])))
    for row in _rows(store, "removals", run):
        node = tally("removals", NG.RemovalTally, row["outlet"], row["category"])
        g.add((node, NG.outletName, Literal(str(row["outlet"]))))
        g.add((node, NG.removalCategory, Literal(str(row["category"]))))
        g.add((node, NG.pieceCount, _count(row["pieces"])))
        g.add((node, NG.removedCharTotal, _count(row["characters"])))
    for row in _rows(store, "entities", run):
        entity = row["entity"]
        if not isinstance(entity, URIRef):
            continue
        node = tally("entity", NG.EntityTally, entity)
        g.add((node, NG.entity, entity))
        label = row["labelDe"] if row["labelDe"] is not None else row["labelEn"]
        if label is not None:
            g.add((node, RDFS.label, label))
        g.add((node, NG.mentionCount, _count(row["mentions"])))
        g.add((node, NG.articleCount, _count(row["articles"])))
    for row in _rows(store, "nil-entities", run):
        entity = row["entity"]
        if not isinstance(entity, URIRef) or row["label"] is None or row["type"] is None:
            continue
        node = tally("nil-entity", NG.NilEntityTally, entity, row["label"], row["type"])
        g.add((node, NG.entity, entity))
        g.add((node, RDFS.label, row["label"]))
        g.add((node, NG.entityType, row["type"]))
        g.add((node, NG.mentionCount, _count(row["mentions"])))
        g.add((node, NG.articleCount, _count(row["articles"])))
        if row["example"] is not None:
            g.add((node, NG.exampleAnchor, Literal(str(row["example"]))))
    return g


@dataclass(frozen=True)
class TallyReport:
    runs: int  # runs refreshed
    tallies: int  # tally nodes written
    triples: int


def refresh_tallies(store: Any, run_iris: Iterable[str], ns: Namespaces) -> TallyReport:
    """Recompute and replace the tally graphs of these runs, all in one write.

    A run with no articles left gets an empty tally graph, which deletes the old one.
    """
    ds = Dataset()
    tallies = triples = 0
    runs = sorted(set(run_iris))
    for run_iri in runs:
        try:
            graph = night_tallies(store, run_iri, ns)
        except Exception as exc:  # one error message that names the run, whatever the store raised
            raise TallyError(f"tallies of run {run_iri} could not be computed: {exc}") from exc
        target = ds.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
        tallies += len(set(graph.subjects(NG.run, None)))
        triples += len(graph)
    if runs:
        store.publish(ds)
    return TallyReport(runs=len(runs), tallies=tallies, triples=triples)


def summary(report: TallyReport) -> Mapping[str, int]:
    return {"tally_runs": report.runs, "tallies": report.tallies, "tally_triples": report.triples}


def publish_with_tallies(
    store: Any, graph_iris: Iterable[str], write: Callable[[], Mapping[str, int]], ns: Namespaces
) -> dict[str, int]:
    """Run ``write`` (which replaces ``graph_iris`` in ``store``), then refresh the tallies of every run
    whose articles it changed: the runs of those graphs before the write and after it."""
    graphs = list(graph_iris)
    before = runs_of_graphs(store, graphs)
    counts = dict(write())
    report = refresh_tallies(store, before | runs_of_graphs(store, graphs), ns)
    return {**counts, **summary(report)}


def refresh_all_tallies(store: Any, ns: Namespaces) -> TallyReport:
    """Recompute the tallies of every run in the store (for a store published before tallies existed)."""
    return refresh_tallies(store, all_runs(store), ns)
