"""``newsgraph bench --sections adhoc``: ten plain questions (``bench/adhoc/*.rq``) on big stores.

The stores are renamed copies of a real night's graph (``stores.bulk_load``), placed as publication
places them; at the smallest size the same copies are also loaded as the night files hold them (every
article graph repeating the descriptions of the nodes it names), the layout before, side by side. Each
query runs in a child process killed at its time limit (``querytime``).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from newsgraph_tools.bench.querytime import timed_query
from newsgraph_tools.checkout import CHECKOUT

ADHOC_DIR = CHECKOUT / "bench" / "adhoc"
DEFAULT_TRIPLES = (1_000_000, 10_000_000)
SUBJECTS = ("since", "entity", "person", "publisher")  # bench/adhoc/subjects/*.rq, in the order chosen
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def adhoc_queries(directory: Path = ADHOC_DIR) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.rq"))}


def _column(store: ox.Store, sparql: str) -> list[Any]:
    result = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return [row[0] for row in result]


def choose_bindings(store_dir: Path, directory: Path = ADHOC_DIR / "subjects") -> dict[str, str]:
    """The terms the questions are about, as N-Triples terms, chosen from the store's own data: the
    last row of ``since`` (a day), the first row of the others (IRIs)."""
    store = ox.Store.read_only(str(store_dir))
    found: dict[str, str] = {}
    for name in SUBJECTS:
        terms = _column(store, inline((directory / f"{name}.rq").read_text(encoding="utf-8"), found))
        if terms:
            found[name] = str(terms[-1] if name == "since" else terms[0])
        elif name == "since":
            found[name] = str(ox.Literal("1970-01-01", datatype=ox.NamedNode(_XSD_DATE)))
    return found


def inline(sparql: str, bindings: dict[str, str]) -> str:
    """The question with its subject written in, as a user types an IRI or a date into a query."""
    for name, term in bindings.items():
        sparql = re.sub(rf"\?{name}\b", term.replace("\\", "\\\\"), sparql)
    return sparql


def adhoc_at_size(
    nquads: str,
    target_triples: int,
    work_dir: Path,
    *,
    repeated_descriptions: bool = False,
    compacted: bool = True,
    timeout_s: float = 60.0,
    log: Callable[[str], None] = lambda _message: None,
) -> dict[str, Any]:
    """Each plain question on a store of about ``target_triples`` triples, as bulk-loaded and (``compacted``)
    after ``newsgraph compact``."""
    from newsgraph_tools.bench.stores import articles_for, bulk_load, compact_store

    articles = articles_for(nquads, target_triples)
    store_dir = Path(tempfile.mkdtemp(prefix="adhoc-", dir=work_dir))
    try:
        built = bulk_load(store_dir, nquads, articles, repeated_descriptions=repeated_descriptions)
        bindings = choose_bindings(store_dir)
        built["bindings"] = bindings
        layout = "repeated" if repeated_descriptions else "placed"
        built["queries"] = _timed(
            store_dir,
            bindings,
            timeout_s,
            lambda name, result: log(f"adhoc {target_triples:,} {layout}: {name} {_short(result)}"),
        )
        if compacted:
            built["compaction"] = compact_store(store_dir)
            built["compacted_queries"] = _timed(
                store_dir,
                bindings,
                timeout_s,
                lambda name, result: log(f"adhoc {target_triples:,} {layout}, compacted: {name} {_short(result)}"),
            )
        return built
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)


def _timed(
    store_dir: Path, bindings: dict[str, str], timeout_s: float, report: Callable[[str, dict[str, Any]], None]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, sparql in adhoc_queries().items():
        out[name] = timed_query(
            "store", store_dir, inline(sparql, bindings), repeats=10, budget_s=15, timeout_s=timeout_s
        )
        report(name, out[name])
    return out


def _short(result: dict[str, Any]) -> str:
    if result.get("timeout"):
        return f"timeout {result['timeout_s']:.0f} s"
    if "error" in result:
        return str(result["error"])[:80]
    return f"p95 {result['p95_ms']} ms, {result['rows']} rows"


def run_adhoc_bench(
    graph_file: Path,
    work_dir: Path,
    *,
    sizes: tuple[int, ...] = DEFAULT_TRIPLES,
    compare_at: int | None = None,
    log: Callable[[str], None] = lambda _message: None,
) -> dict[str, Any]:
    """Every size in the store's layout; at ``compare_at`` (default the smallest size) also the layout before."""
    from newsgraph_tools.bench.stores import nquads_of

    nquads = nquads_of(graph_file)
    compare = compare_at if compare_at is not None else min(sizes)
    section: dict[str, Any] = {"graph_file": graph_file.name, "sizes": {}, "repeated": {}}
    for size in sizes:
        section["sizes"][str(size)] = adhoc_at_size(nquads, size, work_dir, log=log)
    section["repeated"][str(compare)] = adhoc_at_size(
        nquads, compare, work_dir, repeated_descriptions=True, compacted=False, timeout_s=30.0, log=log
    )
    return section


def adhoc_bench_command(
    out: Path, docs: Path | None, *, graph_file: Path, sizes: tuple[int, ...] = DEFAULT_TRIPLES
) -> dict[str, Any]:
    """Run the adhoc section, merge it into ``out`` as "adhoc" (other sections kept) and rewrite ``docs``."""
    from newsgraph_tools.bench.report import merge_section
    from pipelines import progress

    if not graph_file.is_file():
        raise ValueError(f"no night graph file at {graph_file} (run the nights section with --keep-dir, or name one)")
    work = Path(tempfile.mkdtemp(prefix="newsgraph-bench-adhoc-"))
    try:
        section = run_adhoc_bench(graph_file, work, sizes=sizes, log=lambda m: progress.write(f"bench: {m}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return merge_section(out, docs, "adhoc", section)
