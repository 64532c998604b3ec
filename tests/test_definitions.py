"""The Dagster code location loads, and its assets, check, job and schedule are wired as designed."""

import json
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from pipelines.defs import build_definitions
from pipelines.defs.resources import (
    CleanupResource,
    NerResource,
    StateResource,
    TripleStoreResource,
    WikidataResource,
)
from pipelines.defs.schedules import nightly_schedule
from pipelines.settings import Settings
from pipelines.store import RemoteStore

STAGES = [
    "raw_articles",
    "clean_articles",
    "entity_mentions",
    "linked_entities",
    "quoted_speech",
    "article_graph",
    "published_graph",
]


def test_definitions_load(tmp_path: Path) -> None:
    defs = build_definitions(Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path)}))
    defs.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == set(STAGES)
    for upstream, downstream in pairwise(STAGES):
        assert dg.AssetKey(upstream) in graph.get(dg.AssetKey(downstream)).parent_keys
    job = defs.resolve_job_def("nightly")
    assert job.executor_def is dg.in_process_executor
    assert isinstance(job.partitions_def, dg.TimeWindowPartitionsDefinition)
    assert job.partitions_def.timezone == "Europe/Berlin"


def test_shacl_check_blocks_publication(tmp_path: Path) -> None:
    defs = build_definitions(Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path)}))
    keys = list(defs.resolve_asset_graph().get(dg.AssetKey("article_graph")).check_keys)
    assert [key.name for key in keys] == ["article_graph_conforms"]
    (spec,) = defs.get_asset_checks_def(keys[0]).check_specs
    assert spec.blocking


def test_schedule_runs_at_two_for_the_day_that_ended() -> None:
    assert nightly_schedule.cron_schedule == "0 2 * * *"
    assert nightly_schedule.execution_timezone == "Europe/Berlin"
    when = datetime(2026, 3, 29, 2, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    context = dg.build_schedule_context(scheduled_execution_time=when)
    request = nightly_schedule(context)
    assert isinstance(request, dg.RunRequest)
    assert request.partition_key == "2026-03-28"


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (None, dg.DefaultScheduleStatus.STOPPED),
        ("0", dg.DefaultScheduleStatus.STOPPED),
        ("1", dg.DefaultScheduleStatus.RUNNING),
        ("yes", dg.DefaultScheduleStatus.RUNNING),
    ],
)
def test_the_schedule_starts_stopped_unless_the_setting_says_running(
    tmp_path: Path, value: str | None, status: dg.DefaultScheduleStatus
) -> None:
    env = {"NEWSGRAPH_HOME": str(tmp_path), **({"NEWSGRAPH_SCHEDULE_RUNNING": value} if value else {})}
    settings = Settings.from_env(env)
    assert Settings.from_env(settings.to_env()) == settings
    schedule = build_definitions(settings).get_schedule_def("nightly_schedule")
    assert schedule.default_status == status
    assert schedule.cron_schedule == "0 2 * * *"


def test_a_schedule_setting_that_is_no_flag_is_refused(tmp_path: Path) -> None:
    from pipelines.settings import SettingsError

    with pytest.raises(SettingsError, match="NEWSGRAPH_SCHEDULE_RUNNING"):
        Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path), "NEWSGRAPH_SCHEDULE_RUNNING": "sometimes"})


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 3, 10, 2, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2026, 3, 10, 15, 45, tzinfo=ZoneInfo("Europe/Berlin")),
        datetime(2026, 3, 9, 23, 30, tzinfo=UTC),  # already the 10th in Berlin
    ],
)
def test_newsgraph_run_and_the_schedule_mean_the_same_day(
    now: datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day ``newsgraph run`` picks without --date is the one the schedule's tick at that moment picks."""
    import pipelines.cli as cli
    import pipelines.days as days

    ran: list[str] = []

    def run_partition(_settings: object, partition: str, _args: object) -> dict[str, object]:
        ran.append(partition)
        return {
            "partition": partition,
            "succeeded": True,
            "articles": 0,
            "articles_collected": 0,
            "mentions": 0,
            "linked_mentions": 0,
            "entities": 0,
            "failed_documents": 0,
            "failures": str(tmp_path),
            "validation": None,
            "store_triples": None,
            "triples_published": 0,
            "run_id": "test-run",
            "run_url": "http://127.0.0.1:3000/runs/test-run",
            "errors": [],
        }

    monkeypatch.setattr(days, "utc_now", lambda: now.astimezone(UTC))
    monkeypatch.setattr(cli, "_run_partition", run_partition)
    monkeypatch.setenv("NEWSGRAPH_HOME", str(tmp_path))
    assert cli.main(["run", "--quiet"]) == 0
    request = nightly_schedule(dg.build_schedule_context(scheduled_execution_time=now))
    assert isinstance(request, dg.RunRequest)
    assert ran == [request.partition_key] == ["2026-03-09"]


def _config(resource: object) -> dict[str, object]:
    """A resource's config as the UI shows it (what Dagster serialises of the definition)."""
    value: dict[str, object] = resource.get_resource_definition().config_schema.default_value  # type: ignore[attr-defined]
    return value


def test_each_resource_gets_the_settings_it_works_with(tmp_path: Path) -> None:
    """A remote store, a timeout or a mode set in the environment reaches the resource that uses it, and
    only that resource: no resource carries the whole settings."""
    env = {
        "NEWSGRAPH_HOME": str(tmp_path),
        "NEWSGRAPH_STORE": "remote",
        "NEWSGRAPH_STORE_QUERY_URL": "http://127.0.0.1:7878/query",
        "NEWSGRAPH_HTTP_TIMEOUT": "7.5",
        "NEWSGRAPH_WIKIDATA_MODE": "auto",
        "NEWSGRAPH_NER_MODEL": "fast",
        "NEWSGRAPH_NER_WORKERS": "3",
        "NEWSGRAPH_CLEANUP_BUDGET": "4",
    }
    settings = Settings.from_env(env)
    assert settings.ner_workers == 3
    assert Settings.from_env(settings.to_env()) == settings
    resources = build_definitions(settings).resources or {}
    store = resources["triple_store"]
    assert isinstance(store, TripleStoreResource)
    assert (store.kind, store.query_url, store.http_timeout_s) == ("remote", env["NEWSGRAPH_STORE_QUERY_URL"], 7.5)
    assert store.location() == env["NEWSGRAPH_STORE_QUERY_URL"]
    assert isinstance(store.open(), RemoteStore)
    wikidata = resources["wikidata"]
    assert isinstance(wikidata, WikidataResource)
    assert (wikidata.mode, wikidata.http_timeout_s) == ("auto", 7.5)
    assert Path(wikidata.kb_index) == settings.kb_index_path
    ner = resources["ner"]
    assert isinstance(ner, NerResource) and (ner.model, ner.workers) == ("fast", 3)
    cleanup = resources["cleanup"]
    assert isinstance(cleanup, CleanupResource) and cleanup.budget_s == 4.0
    state = resources["state"]
    assert isinstance(state, StateResource)
    assert state.workspace("2026-03-09").dir == settings.partitions_dir / "2026-03-09"
    assert state.state_path == settings.state_dir
    holders: dict[str, list[str]] = {}
    for name, resource in resources.items():
        for field in _config(resource):
            holders.setdefault(field, []).append(name)
    assert holders["kind"] == ["triple_store"] and holders["mode"] == ["wikidata"]
    assert "home" not in holders and "password" not in holders  # no password set, no field filled


def test_the_store_password_never_appears_in_any_resource_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dagster._core.remote_representation.external_data import RepositorySnap
    from dagster_shared.serdes import serialize_value

    secret = "s3cret-" + tmp_path.name
    monkeypatch.setenv("NEWSGRAPH_STORE_PASSWORD", secret)
    env = {
        "NEWSGRAPH_HOME": str(tmp_path),
        "NEWSGRAPH_STORE": "remote",
        "NEWSGRAPH_STORE_QUERY_URL": "http://127.0.0.1:7878/query",
        "NEWSGRAPH_STORE_USER": "newsgraph",
        "NEWSGRAPH_STORE_PASSWORD": secret,
    }
    settings = Settings.from_env(env)
    defs = build_definitions(settings)
    resources = defs.resources or {}
    assert secret not in json.dumps(settings.to_env())
    for name, resource in resources.items():
        config = _config(resource)
        assert secret not in json.dumps(config, default=str)
        assert ("password" in config) == (name == "triple_store")
    store = resources["triple_store"]
    assert isinstance(store, TripleStoreResource)
    assert _config(store)["password"] == {"env": "NEWSGRAPH_STORE_PASSWORD"}
    assert store.auth() == ("newsgraph", secret)
    snapshot = serialize_value(RepositorySnap.from_def(defs.get_repository_def()))  # what the UI is served
    assert secret not in snapshot and "NEWSGRAPH_STORE_PASSWORD" in snapshot


def test_a_bad_ner_worker_count_is_refused_with_its_name(tmp_path: Path) -> None:
    from pipelines.settings import SettingsError

    for bad in ("-2", "two", "1.5"):
        with pytest.raises(SettingsError, match="NEWSGRAPH_NER_WORKERS"):
            Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path), "NEWSGRAPH_NER_WORKERS": bad})
    assert Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path)}).ner_workers == 0
    assert Settings.from_env(Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path)}).to_env()).ner_workers == 0


def test_the_maintenance_job_compacts_the_published_store(tmp_path: Path) -> None:
    from pipelines.store import EmbeddedStore
    from tests.graph.samples import golden_dataset
    from tests.support.documents import other_article

    settings = Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path)})
    with EmbeddedStore(settings.store_path) as store:
        for dataset in (golden_dataset(), other_article()):
            store.publish(dataset)
            store.flush()
        triples = store.triple_count()
    defs = build_definitions(settings)
    result = defs.resolve_job_def("store_maintenance").execute_in_process()
    assert result.success
    (materialized,) = [e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    metadata = materialized.step_output_data.metadata
    after, before = metadata["files after"].value, metadata["files before"].value
    assert isinstance(after, int) and isinstance(before, int) and after >= 1 and before >= 1
    assert metadata["store"].value == str(settings.store_path)
    with EmbeddedStore(settings.store_path, read_only=True) as store:
        assert store.triple_count() == triples


@pytest.mark.parametrize(("value", "status"), [(None, "STOPPED"), ("1", "RUNNING")])
def test_the_maintenance_schedule_is_weekly_and_follows_the_schedule_setting(
    tmp_path: Path, value: str | None, status: str
) -> None:
    env = {"NEWSGRAPH_HOME": str(tmp_path), **({"NEWSGRAPH_SCHEDULE_RUNNING": value} if value else {})}
    defs = build_definitions(Settings.from_env(env))
    schedule = next(s for s in defs.schedules or [] if s.name == "store_maintenance_schedule")
    assert isinstance(schedule, dg.ScheduleDefinition)
    assert schedule.cron_schedule == "0 12 * * 0" and schedule.execution_timezone == "Europe/Berlin"
    assert schedule.default_status == dg.DefaultScheduleStatus[status]
