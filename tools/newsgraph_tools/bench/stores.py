"""Big stores built cheaply: renamed copies of a real night's graph, bulk-loaded.

A copy renames every article-scoped IRI (article, its text, mentions, removals, its named graph), the
run's IRIs and the night's stories with a copy prefix, and dates everything in it on its own night, k
days before the bench night, so copy k is a different night of articles with the same shape, and a
store of many copies spans as many days as a store grown night by night would;
Wikidata entities, NIL entities, publishers and software stay shared, as they are across real nights.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from newsgraph_tools.bench.memory import RssSampler
from newsgraph_tools.checkout import CHECKOUT
from pipelines.namespaces import DEFAULT_BASE_IRI

RENAMED = ("article/", "graph/article/", "graph/run/", "run/", "graph/story/", "story/")
OUTLETS = 25  # copies are spread over this many publishers, as a store holds many outlets
# the named questions asked directly of the article graphs (the shipped queries before night tallies),
# measured side by side with the shipped, tally-based ones
PROPOSED_QUERIES = CHECKOUT / "bench" / "queries"


def nquads_of(graph_file: Path) -> str:
    """A graph file (TriG or N-Quads) as N-Quads text with full IRIs (so copies rename by text)."""
    fmt = ox.RdfFormat.TRIG if graph_file.suffix == ".trig" else ox.RdfFormat.N_QUADS
    data = ox.serialize(ox.parse(path=str(graph_file), format=fmt), format=ox.RdfFormat.N_QUADS) or b""
    return data.decode("utf-8")


_NAME = re.compile(r'(<[^>]*/publisher/[^>]*> <http://schema\.org/name> ")([^"]*)(")')


_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATED = re.compile(rf'"(\d{{4}}-\d{{2}}-\d{{2}})((?:T[^"]*)?)"\^\^<{re.escape(_XSD)}(date|dateTime)>')


def night_of(nquads: str) -> date | None:
    """The night a graph file holds: the latest day its dates and times name (the run ran then); None without."""
    return max((date.fromisoformat(match.group(1)) for match in _DATED.finditer(nquads)), default=None)


def renamed_copy(
    nquads: str,
    copy: int,
    base_iri: str = DEFAULT_BASE_IRI,
    *,
    night: date | None = None,
    days_back: int | None = None,
) -> str:
    """``nquads`` with every article/run IRI under the base renamed for copy number ``copy``, its
    publishers renamed to one of ``OUTLETS`` outlets (IRI and name), and every date and time in it
    moved to the day ``days_back`` (default: ``copy``) days before ``night`` (default: the file's own
    night), as a night's articles are of its day."""
    text = nquads
    for prefix in RENAMED:
        text = text.replace(f"<{base_iri}{prefix}", f"<{base_iri}{prefix}c{copy}-")
    outlet = copy % OUTLETS
    text = text.replace(f"<{base_iri}publisher/", f"<{base_iri}publisher/o{outlet}-")
    text = _NAME.sub(lambda m: f"{m.group(1)}{m.group(2)} {outlet}{m.group(3)}", text)
    night = night or night_of(nquads)
    if night is None:
        return text
    day = (night - timedelta(days=copy if days_back is None else days_back)).isoformat()
    return _DATED.sub(lambda m: f'"{day}{m.group(2)}"^^<{_XSD}{m.group(3)}>', text)


def articles_in(nquads: str) -> int:
    return nquads.count("<http://schema.org/NewsArticle>")


def articles_for(nquads: str, target_triples: int) -> int:
    """How many articles of this night's shape make a store of about ``target_triples`` triples."""
    per_article = max(1, nquads.count("\n") // max(1, articles_in(nquads)))
    return max(1, target_triples // per_article)


def copies(nquads: str, articles: int, start: int = 0, *, days_back: int = 0) -> Iterator[str]:
    """Renamed copies of ``nquads`` until about ``articles`` articles (at least one copy), numbered from
    ``start``, the first dated ``days_back`` days before the file's night and each next one a day earlier."""
    per_copy = max(1, articles_in(nquads))
    night = night_of(nquads)
    for k in range(max(1, round(articles / per_copy))):
        yield renamed_copy(nquads, start + k, night=night, days_back=days_back + k)


def bulk_load(
    store_dir: Path,
    nquads: str,
    articles: int,
    start: int = 0,
    *,
    tallies: bool = False,
    repeated_descriptions: bool = False,
) -> dict[str, Any]:
    """A store at ``store_dir`` holding about ``articles`` articles (renamed copies, bulk-loaded),
    with every run's night tallies if ``tallies`` (as publishing night after night leaves them).

    The copies are placed as publication places them (``pipelines.store.layout``: each shared node's
    description once); ``repeated_descriptions`` loads them as the night files hold them instead (every
    article graph repeating the descriptions of the nodes it names), the layout before, for comparison.
    """
    from pipelines.namespaces import Namespaces
    from pipelines.store import EmbeddedStore
    from pipelines.store.layout import StoreLayout
    from pipelines.store.tallies import refresh_all_tallies

    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    layout = StoreLayout()
    for text in copies(nquads, articles, start):
        quads = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        store.bulk_extend(quads if repeated_descriptions else layout.place(quads))
    store.flush()
    del store
    out: dict[str, Any] = {"articles": articles, "load_s": round(time.perf_counter() - started, 2)}
    with EmbeddedStore(store_dir) as embedded:
        if tallies:
            started = time.perf_counter()
            report = refresh_all_tallies(embedded, Namespaces())
            out.update(tally_runs=report.runs, tallies_s=round(time.perf_counter() - started, 2))
        out["triples"] = embedded.triple_count()
    return out


def compact_store(store_dir: Path) -> dict[str, Any]:
    """Compact a built store as ``newsgraph compact`` (the weekly maintenance) does; its report."""
    from pipelines.store import EmbeddedStore

    with EmbeddedStore(store_dir) as store:
        return store.compact().counts()


def sparql_at_size(
    nquads: str, target_triples: int, work_dir: Path, *, proposed: bool = True, **timing: Any
) -> dict[str, Any]:
    """Named-query latency on a store of about ``target_triples`` triples, as bulk-loaded (the copies' files
    overlap, as published nights' do until compacted) and after compaction."""
    from newsgraph_tools.bench.comparisons import query_substitutions
    from newsgraph_tools.bench.querytime import named_query_latencies
    from pipelines.store import EmbeddedStore

    articles = articles_for(nquads, target_triples)
    store_dir = Path(tempfile.mkdtemp(prefix="sparql-", dir=work_dir))
    try:
        built = bulk_load(store_dir, nquads, articles, tallies=True)
        with EmbeddedStore(store_dir, read_only=True) as store:
            bindings = query_substitutions(store)
        built["queries"] = named_query_latencies("store", store_dir, bindings, **timing)
        if proposed and PROPOSED_QUERIES.is_dir():
            built["proposed_queries"] = named_query_latencies("store", store_dir, bindings, PROPOSED_QUERIES, **timing)
        built["compaction"] = compact_store(store_dir)
        built["compacted_queries"] = named_query_latencies("store", store_dir, bindings, **timing)
        return built
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)


def incremental(
    night_nquads: str, background_nquads: str, backgrounds: list[int], work_dir: Path, night_articles: int = 1000
) -> dict[str, Any]:
    """Publishing a night of ``night_articles`` new articles into stores holding each background size.

    The night is published the way the pipeline publishes (``EmbeddedStore.publish_file`` on its TriG
    file, then the night tallies of the runs it touched), so the time includes what grows with the
    store, if anything does.
    """
    from pipelines.graph.stream import graph_names
    from pipelines.namespaces import Namespaces
    from pipelines.store import EmbeddedStore
    from pipelines.store.tallies import publish_with_tallies

    night_file = work_dir / "incremental-night.nq"
    with night_file.open("w", encoding="utf-8") as handle:
        for text in copies(night_nquads, night_articles, start=900_000, days_back=-1):  # the newest night
            handle.write(text)
    out: dict[str, Any] = {"night_articles": night_articles, "backgrounds": {}}
    for size in backgrounds:
        store_dir = Path(tempfile.mkdtemp(prefix=f"bg{size}-", dir=work_dir))
        try:
            built = bulk_load(store_dir, background_nquads, size, tallies=True)  # as nights leave it
            with EmbeddedStore(store_dir) as store, RssSampler() as rss:
                started = time.perf_counter()
                graphs = graph_names(night_file)
                counts = publish_with_tallies(
                    store, graphs, lambda: store.publish_file(night_file), Namespaces(), night_file=night_file
                )
                built["publish_s"] = round(time.perf_counter() - started, 3)
            built["publish_peak_rss_mb"] = round(rss.peak_mb, 1)
            built["published"] = counts
            out["backgrounds"][str(size)] = built
        finally:
            shutil.rmtree(store_dir, ignore_errors=True)
    night_file.unlink(missing_ok=True)
    return out
