"""The benchmark's parts on a tiny scale: corpus, local hosts, scraping them, big-store copies, memory
sampling, and (where the NER model is installed) a whole tiny benchmark run with its report."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest

from newsgraph_tools.bench.corpus import CorpusError, base_pages, build_corpus
from newsgraph_tools.bench.memory import ProcessTreeSampler, RssSampler, process_peak_mb, rss_mb
from newsgraph_tools.bench.runner import parse_sizes
from newsgraph_tools.bench.site import serve_corpus, write_sources
from newsgraph_tools.bench.stores import articles_in, bulk_load, copies, night_of, renamed_copy
from pipelines.scraping import HttpFetcher, RawPageStore, collect, load_sources
from pipelines.settings import DEFAULT_USER_AGENT
from tests.graph.samples import golden_copies, write_graph_file
from tests.support.homes import home_settings
from tests.support.memory_child import hold_memory


def test_corpus_pages_differ_but_keep_their_base_text() -> None:
    bases = base_pages()
    pages = build_corpus(2 * len(bases) + 1, bases)
    assert len({hashlib.sha256(p.body).hexdigest() for p in pages}) == len(pages)
    assert len({p.path for p in pages}) == len(pages)
    first, again = pages[0], pages[len(bases)]
    assert first.base == again.base
    assert b"Nachtrag Nummer 1:" in first.body and f"Nachtrag Nummer {len(bases) + 1}:".encode() in again.body
    with pytest.raises(CorpusError):
        build_corpus(0, bases)


def test_the_scraper_collects_every_page_from_the_local_hosts(tmp_path: Path) -> None:
    pages = build_corpus(6)
    with serve_corpus(pages, hosts=3) as served:
        assert served.hosts == ("127.0.0.1", "127.0.0.2", "127.0.0.3")
        sources = load_sources(write_sources(tmp_path / "sources.yaml", served, len(pages)))
        fetcher = HttpFetcher(DEFAULT_USER_AGENT, timeout_s=5)
        try:
            result = collect(sources, RawPageStore(tmp_path / "raw"), fetcher, datetime.now(UTC))
        finally:
            fetcher.close()
    assert len(result.documents) == len(pages), [(r.url, r.outcome, r.detail) for r in result.failures]
    hosts = {d.url.split("/")[2].split(":")[0] for d in result.documents}
    assert hosts == set(served.hosts)


def test_rss_sampler_sees_a_block_that_allocates() -> None:
    with RssSampler(interval_s=0.001) as rss:
        block = bytearray(80 * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
        del block
    assert rss.peak_mb >= rss.start_mb + 60
    assert process_peak_mb() >= rss.peak_mb - 1 and rss_mb() > 0


def test_process_tree_sampler_reads_each_spawned_worker_s_own_peak() -> None:
    """A spawned child's peak is its own (not the parent's image it was forked from), and the tree's
    sum holds parent and child together."""
    ballast = bytearray(150 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # the parent is big: a forked image would count it
    with ProcessTreeSampler(interval_s=0.05) as tree:
        child = multiprocessing.get_context("spawn").Process(target=hold_memory, args=(60, 1.5))
        child.start()
        child.join(timeout=60)
    assert child.exitcode == 0
    assert len(tree.child_peaks_mb) >= 1
    assert 60 <= tree.largest_child_mb < 150, tree.child_peaks_mb
    assert tree.tree_peak_mb >= rss_mb() + 55
    del ballast


def _dated(quad: ox.Quad) -> bool:
    return isinstance(quad.object, ox.Literal) and quad.object.datatype.value.endswith(("#date", "#dateTime"))


def test_renamed_copies_are_new_articles_sharing_entities(tmp_path: Path) -> None:
    path = write_graph_file(tmp_path / "graph.trig", golden_copies(2))
    serialized = ox.serialize(ox.parse(path=str(path), format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS)
    assert serialized is not None
    nquads = serialized.decode()
    assert articles_in(nquads) == 2
    copy = renamed_copy(nquads, 7)
    assert "/article/c7-bench0000" in copy and "/graph/run/c7-" in copy and "/publisher/o7-" in copy
    night = night_of(nquads)
    assert night is not None and night_of(copy) == night - timedelta(days=7)
    copied_days = {q.object.value[:10] for q in ox.parse(copy.encode(), format=ox.RdfFormat.N_QUADS) if _dated(q)}
    assert copied_days == {(night - timedelta(days=7)).isoformat()}  # a night's articles are of its day
    assert night_of(renamed_copy(nquads, 900_000, days_back=-1)) == night + timedelta(days=1)
    assert copy.count("http://www.wikidata.org/entity/") == nquads.count("http://www.wikidata.org/entity/")
    assert len(list(copies(nquads, 6))) == 3
    built = bulk_load(tmp_path / "store", nquads, 6)
    store = ox.Store.read_only(str(tmp_path / "store"))
    articles = store.query(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a <http://schema.org/NewsArticle> } }"
    )
    assert isinstance(articles, ox.QuerySolutions)
    (count,) = [solution["n"] for solution in articles]
    assert isinstance(count, ox.Literal) and int(count.value) == 6
    assert built["triples"] == len(store)


def test_sizes_are_parsed_with_clear_errors() -> None:
    assert parse_sizes("100,1_000, 10000") == (100, 1000, 10000)
    with pytest.raises(ValueError, match="positive"):
        parse_sizes("100,0")
    with pytest.raises(ValueError, match="comma-separated"):
        parse_sizes("hundred")
    with pytest.raises(ValueError, match="--store-triples 'x'"):
        parse_sizes("x", "--store-triples", "triple count")


@pytest.mark.skipif(importlib.util.find_spec("pipelines.ner") is None, reason="needs the NER package (pipelines.ner)")
def test_a_tiny_benchmark_runs_end_to_end_and_writes_its_report(tmp_path: Path) -> None:
    from newsgraph_tools.bench import BenchOptions, run_benchmark

    settings = home_settings(tmp_path / "home")
    options = BenchOptions(
        sizes=(3,),
        dagster=False,
        sparql_triples=2000,
        backgrounds=(4, 8),
        night_articles=4,
        query_repeats=1,
        proposed_queries=False,
        query_timeout_s=30,
        work_dir=tmp_path,
    )
    out, docs = tmp_path / "results.json", tmp_path / "docs" / "benchmarks.md"
    results = run_benchmark(settings, out, options, docs=docs)
    size = results["sizes"]["3"]
    assert size["articles"] == 3 and size["words"] > 100
    assert set(size["stages"]) == {"scrape", "cleanup", "ner", "linking", "quotes", "graph", "validate", "publish"}
    assert all(row["seconds"] > 0 and row["peak_rss_mb"] > 0 for row in size["stages"].values())
    streamed = size["streamed"]
    assert streamed["night_s"] == pytest.approx(streamed["streamed_s"] + streamed["publish_s"], abs=1e-3)
    assert {"ner", "linking", "graph_wait", "write"} <= set(streamed["main_thread_s"])
    assert "dagster" not in size and size["end_to_end_measured"] == "direct process"
    assert size["end_to_end_to_ner_ratio"] == round(size["bare_ner_s"] / size["direct"]["wall_s"], 3)
    assert size["counts"]["graph"]["articles"] == 3 and size["counts"]["publish"]["graphs"] > 3
    memory = size["direct"]
    assert memory["tree_peak_rss_mb"] >= memory["night_peak_rss_mb"] * 0.5 > 0
    assert memory["worker_peak_rss_mb"] == max(memory["worker_peaks_rss_mb"], default=0.0)
    assert (
        results["sparql"]["triples"] >= 1000 and "p95_ms" in results["sparql"]["queries"]["articles-per-outlet-per-day"]
    )
    assert set(results["incremental"]["backgrounds"]) == {"4", "8"}
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    assert {
        "end_to_end_articles_per_s",
        "ner_only_articles_per_s",
        "cleanup_s_per_page",
        "trafilatura_s_per_page",
        "sparql_p95_ms",
        "incremental_ratio_10x",
        "process_tree_peak_rss_mb",
    } <= set(summary)
    report = docs.read_text(encoding="utf-8")
    assert "| scrape |" in report and "× bare NER** (direct process" in report
    assert docs.with_suffix(".png").stat().st_size > 1000


def test_the_plain_questions_answer_on_a_small_store_in_either_layout(tmp_path: Path) -> None:
    from newsgraph_tools.bench.adhoc import adhoc_at_size, adhoc_queries, inline

    path = write_graph_file(tmp_path / "graph.trig", golden_copies(3))
    nquads = (
        ox.serialize(ox.parse(path=str(path), format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS) or b""
    ).decode()
    assert len(adhoc_queries()) == 10
    placed = adhoc_at_size(nquads, 3_000, tmp_path, timeout_s=60)
    repeated = adhoc_at_size(nquads, 3_000, tmp_path, repeated_descriptions=True, compacted=False, timeout_s=60)
    assert {"since", "entity", "publisher"} <= set(placed["bindings"])  # no quote names a speaker here
    for name, result in placed["queries"].items():
        assert "p95_ms" in result, (name, result)
        assert "p95_ms" in repeated["queries"][name], (name, repeated["queries"][name])
        assert placed["compacted_queries"][name]["rows"] == result["rows"], name  # compaction changes no answer
    assert placed["compaction"]["files_after"] >= 1
    assert "compacted_queries" not in repeated
    quoting = {"04-articles-quoting", "09-roles-of-people", "10-quoted-this-week"}  # the sample quotes no one
    empty = {name for name, result in placed["queries"].items() if not result["rows"]}
    assert empty <= quoting, placed["queries"]
    assert placed["triples"] < repeated["triples"]  # each description once instead of once per article
    question = "SELECT * WHERE { ?a <http://schema.org/mentions> ?entity FILTER (?day >= ?since) ?entity2 ?p ?o }"
    written = inline(question, {"entity": "<http://www.wikidata.org/entity/Q64>", "since": '"2026-01-01"^^<x:d>'})
    assert "?entity2" in written and "<http://www.wikidata.org/entity/Q64> FILTER" in written
