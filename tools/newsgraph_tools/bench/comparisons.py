"""Side-by-side measurements in the same run: our cleanup vs plain trafilatura on the same pages, and
rdflib in memory vs the embedded pyoxigraph store for loading a night's graph and the named queries."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsgraph_tools.bench.corpus import BenchPage


def cleanup_vs_trafilatura(pages: Sequence[BenchPage], limit: int = 300) -> dict[str, Any]:
    """CPU seconds per page of ``clean_document`` and of ``trafilatura.extract`` on the same HTML pages.

    Interleaved page by page (so machine load hits both alike), CPU time of this process, after one
    warm-up pass; at most ``limit`` pages, spread evenly over the corpus.
    """
    import trafilatura

    from pipelines.cleanup import clean_document

    html_pages = [p for p in pages if p.content_type.startswith("text/html")]
    if not html_pages:
        return {"pages": 0}
    step = max(1, len(html_pages) // limit)
    chosen = html_pages[::step][:limit]
    for page in chosen[: min(len(chosen), 10)]:
        clean_document(page.body, page.content_type, url="http://127.0.0.1" + page.path)
        trafilatura.extract(page.body.decode("utf-8"))
    ours = theirs = 0.0
    for page in chosen:
        text = page.body.decode("utf-8")
        started = time.process_time()
        trafilatura.extract(text)
        middle = time.process_time()
        clean_document(page.body, page.content_type, url="http://127.0.0.1" + page.path)
        ours += time.process_time() - middle
        theirs += middle - started
    return {
        "pages": len(chosen),
        "cleanup_s_per_page": round(ours / len(chosen), 6),
        "trafilatura_s_per_page": round(theirs / len(chosen), 6),
        "ratio": round(ours / theirs, 3) if theirs else None,
    }


def query_substitutions(store: Any) -> dict[str, dict[str, str]]:
    """Bindings (terms in N3) for the queries that take parameters, so each answers rows as it is used:
    the two most mentioned entities for the pair query; the most quoted speaker and the latest day a
    quote is reported on for the week's quotes (a week without quotes would be timed empty)."""
    bindings: dict[str, dict[str, str]] = {}
    result = store.query(
        "PREFIX schema: <http://schema.org/> SELECT ?e (COUNT(*) AS ?n) WHERE { ?a schema:mentions ?e } "
        "GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 2"
    )
    top = [row[0] for row in result]
    if len(top) == 2:
        bindings["articles-mentioning-two-entities"] = {"entityA": top[0].n3(), "entityB": top[1].n3()}
    result = store.query(
        "PREFIX schema: <http://schema.org/> PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
        "SELECT ?speaker (COUNT(*) AS ?n) (MAX(?day) AS ?last) WHERE { "
        "?quote schema:spokenByCharacter ?speaker ; ng:reportedOn ?day } "
        "GROUP BY ?speaker ORDER BY DESC(?n) ?speaker LIMIT 1"
    )
    speakers = list(result)
    if speakers:
        speaker, _count, last = speakers[0]
        bindings["quotes-of-speaker-this-week"] = {"speaker": speaker.n3(), "until": last.n3()}
    return bindings


def rdflib_vs_store(graph_file: Path, store_dir: Path, *, timeout_s: float = 120.0, **timing: Any) -> dict[str, Any]:
    """Load a night's graph file into an rdflib Dataset and into a fresh on-disk store; time both loads
    and every named query on both (the same SPARQL, default graph = union of the named graphs, and
    the same data: the night plus the tallies publishing computes, which the tally queries read)."""
    import pyoxigraph as ox
    from rdflib import Dataset

    from newsgraph_tools.bench.memory import RssSampler
    from newsgraph_tools.bench.querytime import named_query_latencies
    from pipelines.namespaces import Namespaces
    from pipelines.store import EmbeddedStore
    from pipelines.store.tallies import refresh_all_tallies

    fmt = {".trig": "trig", ".nq": "nquads"}[graph_file.suffix]
    with RssSampler() as rss:
        started = time.perf_counter()
        ds = Dataset(default_union=True)
        ds.parse(graph_file, format=fmt)
        rdflib_load = time.perf_counter() - started
    rdflib_rss = rss.peak_mb - rss.start_mb
    triples = len(ds)
    del ds
    started = time.perf_counter()
    with EmbeddedStore(store_dir) as store:
        ox_format = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS
        store._store.bulk_load(path=str(graph_file), format=ox_format)
        store.flush()
        ox_load = time.perf_counter() - started
        started = time.perf_counter()
        refresh_all_tallies(store, Namespaces())
        tallies_s = time.perf_counter() - started
        bindings = query_substitutions(store)
        with_tallies = store_dir.with_name(f"{store_dir.name}-with-tallies.nq")
        store.dump(with_tallies, "nquads")
    ours = named_query_latencies("store", store_dir, bindings, timeout_s=timeout_s, **timing)
    theirs = named_query_latencies("rdflib", with_tallies, bindings, timeout_s=timeout_s, **timing)
    with_tallies.unlink(missing_ok=True)
    return {
        "triples": triples,
        "rdflib_load_s": round(rdflib_load, 3),
        "rdflib_load_rss_mb": round(rdflib_rss, 1),
        "store_load_s": round(ox_load, 3),
        "store_tallies_s": round(tallies_s, 3),
        "queries": {name: {"store": ours[name], "rdflib": theirs[name]} for name in ours},
    }
