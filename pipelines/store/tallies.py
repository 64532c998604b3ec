"""Night tallies: per-run aggregates that the whole-store named queries read.

Questions such as "articles per outlet per day" or "entities most mentioned this week" aggregate over
every article. Asked of the article graphs directly they scan the whole store, and worse, triples
repeated in every article graph (an entity's label, a publisher's name) appear once per graph in the
union default graph, so their joins grow faster than the store. Instead, each run's articles are
counted once, into that run's tally graph (``ngid:graph/tally/{run}``), and the named queries sum a few
rows per night.

The counts come from the SELECT queries in ``ontology/queries/tallies`` (patterns inside one article's
graph, ``?run`` bound). A publication refreshes the runs it touches, so the sums stay exact: the
night's own run from the night's graph file (small in-memory stores, so the cost follows the night;
read back out of a big store the same run got slower as the store grew: 21 s at 10,000 articles,
118 s at 100,000), and from the store the earlier runs whose article graphs it replaced (an article
updated and scraped again on a later night moves to the later run) and a run the file does not hold
whole (a partial rerun). ``newsgraph tallies`` recomputes every run of an existing store.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from pipelines.namespaces import NG, ONTOLOGY_DIR, SCHEMA, Namespaces
from pipelines.store.layout import StoreLayout
from pipelines.store.protocol import GraphStore, PublishCounts
from pipelines.store.queries import Row, rows_for_graphs, select, store_query

TALLY_QUERIES_DIR = ONTOLOGY_DIR / "queries" / "tallies"


class TallyError(RuntimeError):
    """A run's tallies could not be computed or written."""


@cache
def tally_query(name: str, directory: Path = TALLY_QUERIES_DIR) -> str:
    path = directory / f"{name}.rq"
    if not path.is_file():
        raise TallyError(f"tally query {path} is missing")
    return path.read_text(encoding="utf-8")


def runs_of_graphs(store: GraphStore, graph_iris: Iterable[str]) -> set[str]:
    """The runs that generated the articles the given graphs hold now (ask before replacing them)."""
    return {str(row["run"]) for row in rows_for_graphs(store, store_query("runs-of-graphs"), graph_iris)}


def all_runs(store: GraphStore) -> set[str]:
    return {str(row["run"]) for row in select(store, store_query("all-runs"))}


def runs_missing_tallies(store: GraphStore, ns: Namespaces) -> set[str]:
    """Runs in the store without a tally graph: a publication killed between its articles and their
    tallies, or a store published before tallies existed. Every publication repairs them."""
    names = set(store.graph_names())
    return {run for run in all_runs(store) if str(ns.tally_graph_iri(ns.run_id_of(run))) not in names}


def _count(value: Node | None) -> Literal:
    return Literal(int(value.toPython()) if isinstance(value, Literal) else 0, datatype=XSD.integer)


KINDS = ("outlet-day", "removals", "entities", "nil-entities", "roles")
# how rows of one kind computed over parts of a run (chunks of its articles) combine: every article is in
# exactly one part, so counts of articles, mentions and pieces add up
KEYS = {
    "outlet-day": ("outlet", "day"),
    "removals": ("outlet", "category"),
    "entities": ("entity",),
    "nil-entities": ("entity", "label", "type"),
    "roles": ("person", "role", "organisation", "position"),
}
SUMMED = ("articles", "mentions", "pieces", "characters")
LOWEST = ("example",)  # MIN in the query, so the lowest over the parts
Rows = dict[str, list[Row]]  # kind -> rows as the tally query returns them


def _rows(store: GraphStore, name: str, run: URIRef) -> list[Row]:
    return select(store, tally_query(name), {"run": run})


def tally_rows(store: GraphStore, run_iri: str) -> Rows:
    """Every tally query's rows for one run, from the article graphs ``store`` holds for it."""
    return {kind: _rows(store, kind, URIRef(run_iri)) for kind in KINDS}


def combine(parts: Iterable[Rows]) -> Rows:
    """Rows of the same run computed over disjoint sets of its articles, merged into the run's rows."""
    merged: dict[str, dict[tuple[str, ...], dict[str, Node | None]]] = {kind: {} for kind in KINDS}
    for rows in parts:
        for kind, kind_rows in rows.items():
            for row in kind_rows:
                key = tuple(str(row[k]) for k in KEYS[kind])
                into = merged[kind].get(key)
                if into is None:
                    merged[kind][key] = dict(row)
                    continue
                for name, value in row.items():
                    if value is None:
                        continue
                    if name in SUMMED:
                        into[name] = Literal(int(_count(into[name])) + int(_count(value)))
                    elif name in LOWEST:
                        into[name] = value if into[name] is None or str(value) < str(into[name]) else into[name]
                    elif into.get(name) is None:
                        into[name] = value
    return {kind: list(by_key.values()) for kind, by_key in merged.items()}


def tally_graph(run_iri: str, rows: Rows, ns: Namespaces) -> Graph:
    """The tally graph of one run from its tally rows."""
    run = URIRef(run_iri)
    run_id = ns.run_id_of(run_iri)
    g = Graph(identifier=ns.tally_graph_iri(run_id))

    def tally(kind: str, cls: URIRef, *key: Node | None) -> URIRef:
        node = ns.tally_iri(run_id, kind, *(str(k) for k in key))
        g.add((node, RDF.type, cls))
        g.add((node, NG.run, run))
        return node

    for row in rows.get("outlet-day", []):
        if row["outlet"] is None or row["day"] is None:
            continue
        node = tally("outlet-day", NG.OutletDayTally, row["outlet"], row["day"])
        g.add((node, NG.outletName, Literal(str(row["outlet"]))))
        g.add((node, NG.day, Literal(str(row["day"]))))
        g.add((node, NG.articleCount, _count(row["articles"])))
    for row in rows.get("removals", []):
        node = tally("removals", NG.RemovalTally, row["outlet"], row["category"])
        g.add((node, NG.outletName, Literal(str(row["outlet"]))))
        g.add((node, NG.removalCategory, Literal(str(row["category"]))))
        g.add((node, NG.pieceCount, _count(row["pieces"])))
        g.add((node, NG.removedCharTotal, _count(row["characters"])))
    for row in rows.get("entities", []):
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
    for row in rows.get("nil-entities", []):
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
    for row in rows.get("roles", []):
        person, organisation, position = row["person"], row["organisation"], row["position"]
        if not isinstance(person, URIRef) or row["role"] is None:
            continue
        node = tally("role", NG.RoleTally, person, row["role"], organisation, position)
        g.add((node, NG.roleHolder, person))
        g.add((node, SCHEMA.roleName, Literal(str(row["role"]))))
        if isinstance(organisation, URIRef):
            g.add((node, NG.roleOrganisation, organisation))
        if isinstance(position, URIRef):
            g.add((node, NG.wikidataPosition, position))
        g.add((node, NG.articleCount, _count(row["articles"])))
    return g


def night_tallies(store: GraphStore, run_iri: str, ns: Namespaces) -> Graph:
    """The tally graph of one run, computed from the article graphs the store holds for it now."""
    return tally_graph(run_iri, tally_rows(store, run_iri), ns)


def run_graph_count(store: GraphStore, run_iri: str) -> int:
    """How many graphs hold something the run generated (its article graphs)."""
    rows = select(store, store_query("run-graphs"), {"run": URIRef(run_iri)})
    return int(_count(rows[0]["graphs"])) if rows else 0


@dataclass(frozen=True)
class FileTallies:
    rows: Rows
    graphs: int  # article graphs of the run in the file


def tallies_of_file(
    path: Path, *, chunk_graphs: int = 500, layout: StoreLayout | None = None
) -> dict[str, FileTallies]:
    """Tally rows per run from a night's graph file alone, without the store.

    The file is read in chunks of ``chunk_graphs`` named graphs, each loaded into a small in-memory
    store where the same tally queries run; the chunks' rows are combined. Cost and memory follow the
    night, not the store (reading a run's articles back out of a big store slows as the store grows).
    Each chunk is placed as the store places it (``layout``), so the queries meet the same layout.
    """
    import pyoxigraph as ox

    from pipelines.store.embedded import EmbeddedStore, parse_quads

    parts: dict[str, list[Rows]] = {}
    graphs: dict[str, int] = {}
    # the runs' nights (ng:partition, in the run graphs at the end of the file) are needed by every chunk
    partition = ox.NamedNode(str(NG.partition))
    nights = [q for q in parse_quads(path) if q.predicate == partition]

    def tally_chunk(quads: list[ox.Quad]) -> None:
        chunk = EmbeddedStore(None, layout=layout)
        chunk.extend(chunk.layout.place(quads))
        chunk.extend(nights)
        for row in select(chunk, store_query("run-graphs")):
            run = str(row["run"])
            parts.setdefault(run, []).append(tally_rows(chunk, run))
            graphs[run] = graphs.get(run, 0) + int(_count(row["graphs"]))

    quads: list[ox.Quad] = []
    names: set[object] = set()
    current: object = None
    for quad in parse_quads(path):
        graph = quad.graph_name
        if graph != current:  # a graph's quads are contiguous: look at the name only when it changes
            current = graph
            if graph not in names and len(names) >= chunk_graphs:
                tally_chunk(quads)
                quads, names = [], set()
            names.add(graph)
        quads.append(quad)
    if quads:
        tally_chunk(quads)
    return {run: FileTallies(rows=combine(rows), graphs=graphs[run]) for run, rows in parts.items()}


APART_FROM_BYTES = 8_000_000  # a night file this big is tallied in a process of its own while it is written


@contextmanager
def _tallies_beside(
    night_file: Path | None, layout: StoreLayout
) -> Iterator[Callable[[], dict[str, FileTallies] | None]]:
    """The night file's tallies, for after the write: counted in a second process during the write when the
    file is big (both read the whole file; the write waits on the store, the tallies on Python), else after."""
    if night_file is None:
        yield lambda: None
        return
    if night_file.stat().st_size < APART_FROM_BYTES:
        yield lambda: tallies_of_file(night_file, layout=layout)
        return
    spawn = multiprocessing.get_context("spawn")  # no fork: the store's files are open in this process
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        counting = pool.submit(tallies_of_file, night_file, layout=layout)
        yield counting.result


@dataclass(frozen=True)
class TallyReport:
    runs: int  # runs refreshed
    tallies: int  # tally nodes written
    triples: int

    def counts(self) -> dict[str, int]:
        """As the publish stage and ``newsgraph tallies`` report them."""
        return {"tally_runs": self.runs, "tallies": self.tallies, "tally_triples": self.triples}


def refresh_tallies(
    store: GraphStore,
    run_iris: Iterable[str],
    ns: Namespaces,
    computed: Mapping[str, Graph] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> TallyReport:
    """Recompute and replace the tally graphs of these runs, all in one write (``computed``: tally
    graphs already made for some of them, e.g. from the night's file; ``progress(done, total, run)``
    is called after each run).

    A run with no articles left gets an empty tally graph, which deletes the old one.
    """
    ds = Dataset()
    tallies = triples = 0
    computed = computed or {}
    runs = sorted(set(run_iris) | set(computed))
    for done, run_iri in enumerate(runs, start=1):
        try:
            graph = computed[run_iri] if run_iri in computed else night_tallies(store, run_iri, ns)
        except Exception as exc:  # one error message that names the run, whatever the store raised
            raise TallyError(f"tallies of run {run_iri} could not be computed: {exc}") from exc
        target = ds.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
        tallies += len(set(graph.subjects(NG.run, None)))
        triples += len(graph)
        if progress is not None:
            progress(done, len(runs), run_iri)
    if runs:
        store.publish(ds)
    return TallyReport(runs=len(runs), tallies=tallies, triples=triples)


def publish_with_tallies(
    store: GraphStore,
    graph_iris: Iterable[str],
    write: Callable[[], PublishCounts],
    ns: Namespaces,
    *,
    night_file: Path | None = None,
) -> dict[str, int]:
    """Run ``write`` (which replaces ``graph_iris`` in ``store``), then refresh the tallies of every run
    whose articles it changed (the runs of those graphs before the write and after it) and of every
    run left without tallies by an earlier publication that did not finish.

    With ``night_file`` (the file ``write`` published), a run's tallies come from the file alone when
    the store holds no other article graph of that run, which keeps publishing as fast on a store of
    100,000 articles as on one of 10,000; otherwise (a partial rerun of a night, or an earlier run that
    lost articles to this night) they are recomputed from the store.
    """
    graphs = list(graph_iris)
    before = runs_of_graphs(store, graphs)
    with _tallies_beside(night_file, StoreLayout(ns)) as file_tallies:
        counts = dict(write())
        from_file = file_tallies()
    computed: dict[str, Graph] = {}
    if from_file is not None:
        for run, found in from_file.items():
            if run_graph_count(store, run) == found.graphs:
                computed[run] = tally_graph(run, found.rows, ns)
            else:
                before.add(run)
        after: set[str] = set()
    else:
        after = runs_of_graphs(store, graphs)
    repair = runs_missing_tallies(store, ns)
    report = refresh_tallies(store, (before | after | repair) - set(computed), ns, computed)
    return {**counts, **report.counts(), "tally_runs_repaired": len(repair - set(computed) - before - after)}


def refresh_all_tallies(
    store: GraphStore, ns: Namespaces, progress: Callable[[int, int, str], None] | None = None
) -> TallyReport:
    """Recompute the tallies of every run in the store (for a store published before tallies existed)."""
    return refresh_tallies(store, all_runs(store), ns, progress=progress)
