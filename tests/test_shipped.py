"""The files newsgraph ships with are found through the package, wherever it is installed, and an operator
can point newsgraph at a data folder of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import factory
from pipelines.settings import Settings
from pipelines.shipped import data_dir, ontology_dir


def test_the_shipped_folders_hold_what_the_stages_read() -> None:
    ontology, data = ontology_dir(), data_dir()
    assert (ontology / "newsgraph.ttl").is_file() and (ontology / "context.jsonld").is_file()
    assert list((ontology / "shapes").glob("*.ttl")) and list((ontology / "queries").rglob("*.rq"))
    assert (data / "sources.yaml").is_file() and list((data / "profiles").glob("*.yaml"))
    assert (data / "models" / "de_newsgraph_e5" / "config.cfg").is_file()
    assert (data / "kb" / "curated.jsonl").is_file() and (data / "samples" / "manifest.yaml").is_file()


def test_by_default_the_settings_read_the_shipped_data() -> None:
    settings = Settings.from_env({"NEWSGRAPH_HOME": "/tmp/unused"})
    assert settings.data_dir == data_dir()
    assert settings.sources_file == data_dir() / "sources.yaml"
    assert settings.models_dir == data_dir() / "models"


def test_a_data_folder_of_ones_own_replaces_the_shipped_one(tmp_path: Path) -> None:
    own = tmp_path / "our-data"
    settings = Settings.from_env({"NEWSGRAPH_HOME": str(tmp_path / "home"), "NEWSGRAPH_DATA_DIR": str(own)})
    assert settings.data_dir == own
    assert (settings.sources_file, settings.profiles_dir) == (own / "sources.yaml", own / "profiles")
    assert settings.models_dir == own / "models"
    assert factory.kb_shipped_sources(settings.kb_data_dir) == {
        "curated": own / "kb" / "curated.jsonl",
        "extract": own / "kb" / "wikidata-extract.jsonl.gz",
    }
    assert Settings.from_env(settings.to_env()) == settings


def test_explicit_sources_and_profiles_still_win_over_the_data_folder(tmp_path: Path) -> None:
    env = {
        "NEWSGRAPH_HOME": str(tmp_path / "home"),
        "NEWSGRAPH_DATA_DIR": str(tmp_path / "our-data"),
        "NEWSGRAPH_SOURCES": str(tmp_path / "feeds.yaml"),
    }
    settings = Settings.from_env(env)
    assert settings.sources_file == tmp_path / "feeds.yaml"
    assert settings.profiles_dir == tmp_path / "our-data" / "profiles"


def test_the_home_defaults_to_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({}).home == tmp_path.resolve() / ".newsgraph"
