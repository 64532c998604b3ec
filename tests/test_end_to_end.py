"""One night on the sample corpus, materialized through Dagster in process, then queried.

Runs on a fresh machine (no ../shared): sample corpus, KB and NER model all come from data/.
"""

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest
from rdflib import Dataset, URIRef
from rdflib.compare import isomorphic

from pipelines import factory
from pipelines.cli import main as cli
from pipelines.defs import build_definitions
from pipelines.night import SettingsParts, run_night
from pipelines.settings import Settings
from pipelines.stages import STAGES, NightFile
from pipelines.store import SelectResult
from pipelines.workspace import PartitionWorkspace
from tests.support.homes import home_settings

PARTITION = "2026-11-20"
WIKIDATA = "http://www.wikidata.org/entity/"


@dataclass
class Night:
    settings: Settings
    defs: dg.Definitions
    instance: dg.DagsterInstance

    def run(self, asset_selection: Sequence[dg.AssetKey] | None = None) -> dg.ExecuteInProcessResult:
        job = self.defs.resolve_job_def("nightly")
        return job.execute_in_process(
            partition_key=PARTITION, instance=self.instance, raise_on_error=False, asset_selection=asset_selection
        )

    def select(self, sparql: str) -> list[tuple[str, ...]]:
        with factory.store(self.settings, read_only=True) as store:
            result = store.query(sparql)
        assert isinstance(result, SelectResult)
        return [tuple(str(term) for term in row) for row in result]

    def triple_count(self) -> int:
        with factory.store(self.settings, read_only=True) as store:
            return store.triple_count()


def _int_value(entry: dg.MetadataValue) -> int:
    """A metadata entry's value, checked to be the integer the asset recorded."""
    value = entry.value
    assert isinstance(value, int), entry
    return value


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Night]:
    home = tmp_path_factory.mktemp("newsgraph-home")
    settings = home_settings(home)
    with dg.DagsterInstance.ephemeral() as instance:
        night = Night(settings, build_definitions(settings), instance)
        result = night.run()
        assert result.success, [e.message for e in result.all_events if e.is_failure]
        yield night


def test_every_stage_materialized_with_metadata(night: Night) -> None:
    records = {
        key.to_user_string(): night.instance.get_latest_materialization_event(key)
        for key in night.defs.resolve_asset_graph().get_all_asset_keys()
    }
    assert all(records.values()), records
    raw_record, graph_record = records["raw_articles"], records["article_graph"]
    assert raw_record is not None and graph_record is not None
    raw, graph = raw_record.asset_materialization, graph_record.asset_materialization
    assert raw is not None and raw.metadata["documents"].value == 5
    assert graph is not None and _int_value(graph.metadata["triples"]) > 1000
    assert "preview" in graph.metadata


def test_store_holds_the_five_articles_and_linked_entities(night: Night) -> None:
    articles = night.select(
        "PREFIX schema: <http://schema.org/> SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a a schema:NewsArticle } }"
    )
    assert len(articles) == 5
    entities = night.select(
        "PREFIX schema: <http://schema.org/> SELECT DISTINCT ?e WHERE { GRAPH ?g { ?a schema:mentions ?e } "
        f'FILTER(STRSTARTS(STR(?e), "{WIKIDATA}")) }}'
    )
    assert len(entities) >= 25


def test_running_the_same_night_again_changes_nothing(night: Night) -> None:
    before = night.triple_count()
    assert night.run().success
    assert night.triple_count() == before


def test_inconsistent_article_is_recorded_not_fatal(night: Night) -> None:
    """The graph builder refuses a mention whose offsets do not match the text; the night goes on."""
    ws = PartitionWorkspace(night.settings.partitions_dir, PARTITION)
    linked_file = ws.path("linked.jsonl")
    original = linked_file.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in original.splitlines()]
    rows[0]["mentions"][0]["end"] += 3
    ws.write_jsonl("linked.jsonl", rows)
    try:
        result = night.run(asset_selection=[dg.AssetKey("article_graph")])
        assert result.success
        (failure,) = list(ws.read_jsonl("failures-graph.jsonl"))
        assert failure["doc_id"] == rows[0]["doc_id"] and "does not match the text" in failure["reason"]
    finally:
        linked_file.write_text(original, encoding="utf-8")
        assert night.run().success  # restore the night for the other tests


def test_failed_validation_blocks_publication(night: Night, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a bad graph get past the builder, the blocking SHACL check keeps it out of the store."""
    import pipelines.graph.article as article

    monkeypatch.setattr(article, "_check_mention", lambda *args, **kwargs: None)
    ws = PartitionWorkspace(night.settings.partitions_dir, PARTITION)
    linked_file = ws.path("linked.jsonl")
    original = linked_file.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in original.splitlines()]
    rows[0]["mentions"][0]["end"] += 3  # the anchor no longer matches the article text at its offsets
    ws.write_jsonl("linked.jsonl", rows)
    before = night.triple_count()
    try:
        result = night.run(asset_selection=[dg.AssetKey("article_graph"), dg.AssetKey("published_graph")])
        checks = result.get_asset_check_evaluations()
        assert [c.passed for c in checks] == [False]
        assert _int_value(checks[0].metadata["violation_count"]) >= 1
        assert "published_graph" not in {
            e.asset_key.to_user_string() for e in result.get_asset_materialization_events() if e.asset_key
        }
        assert night.triple_count() == before
    finally:
        linked_file.write_text(original, encoding="utf-8")
        monkeypatch.undo()
        assert night.run(asset_selection=[dg.AssetKey("article_graph")]).success  # the night's graph as it was


def test_query_command_prints_csv(
    night: Night, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(night.settings.home))
    status = cli(
        [
            "query",
            "PREFIX schema: <http://schema.org/> SELECT (COUNT(DISTINCT ?a) AS ?n) "
            "WHERE { GRAPH ?g { ?a a schema:NewsArticle } }",
        ]
    )
    assert status == 0
    assert capsys.readouterr().out.splitlines() == ["n", "5"]


def test_query_command_rejects_malformed_sparql(
    night: Night, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(night.settings.home))
    assert cli(["query", "SELEKT ?x WHERE {"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("newsgraph: ") and len(error.strip().splitlines()) == 1


def test_the_night_publishes_tallies_the_named_queries_read(night: Night) -> None:
    """After a Dagster night the tally-based named queries answer, equal to counting the articles."""
    from pipelines.store import load_query

    per_outlet = night.select(load_query("articles-per-outlet-per-day").sparql)
    assert sum(int(row[2]) for row in per_outlet) == 5
    tally_graph = str(factory.namespaces(night.settings).tally_graph_iri(PARTITION))
    assert (
        tally_graph
        in night.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g = <{tally_graph}>) }}")[0]
    )


def test_tallies_command_recomputes_the_same_tallies(
    night: Night, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = night.triple_count()
    monkeypatch.setenv("NEWSGRAPH_HOME", str(night.settings.home))
    assert cli(["tallies", "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)["result"]
    assert report["tally_runs"] == 1 and report["tallies"] > 0
    assert "(1/1)" in captured.err, "progress is shown per run"
    assert night.triple_count() == before


def test_compact_command_keeps_the_night_and_reports_its_files(
    night: Night, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = night.triple_count()
    monkeypatch.setenv("NEWSGRAPH_HOME", str(night.settings.home))
    assert cli(["compact", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["summary"].startswith("store compacted in ")
    assert out["result"]["store"] == str(night.settings.store_path)
    assert out["result"]["files_before"] >= 1 and out["result"]["files_after"] >= 1
    assert night.triple_count() == before


def test_compact_command_without_a_store_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSGRAPH_HOME", str(tmp_path))
    assert cli(["compact"]) == 1
    assert "no published store at" in capsys.readouterr().err


def test_the_night_without_dagster_is_the_same_night(night: Night, tmp_path: Path) -> None:
    """``run_night`` over parts from the settings writes what the Dagster assets wrote: one wiring."""
    dagsters = PartitionWorkspace(night.settings.partitions_dir, PARTITION)
    fetched = datetime.fromisoformat(dagsters.rows(NightFile.RAW)[0]["fetched_at"])  # the sample replays at "now"
    settings = home_settings(tmp_path / "home")
    direct = run_night(SettingsParts(settings), PARTITION, now=fetched)
    assert list(direct.results) == list(STAGES)
    assert direct.validation is not None and direct.validation.conforms
    assert direct.reports["publish"].counts["graphs"] > 5
    ours = PartitionWorkspace(settings.partitions_dir, PARTITION)
    for name in (NightFile.CLEAN, NightFile.MENTIONS, NightFile.LINKED, NightFile.QUOTES):
        assert ours.rows(name) == dagsters.rows(name), name
    articles = [str(g) for g in ours.read_json(NightFile.GRAPHS) if "/graph/article/" in str(g)]
    assert articles
    ours_graphs, dagsters_graphs = Dataset(), Dataset()
    ours_graphs.parse(ours.path(NightFile.GRAPH), format="trig")
    dagsters_graphs.parse(dagsters.path(NightFile.GRAPH), format="trig")
    for name in articles:
        assert isomorphic(ours_graphs.graph(URIRef(name)), dagsters_graphs.graph(URIRef(name))), name
