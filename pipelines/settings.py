"""The one place that reads the environment.

Configuration flows one way: files in data/ and environment variables → :class:`Settings` →
Dagster resources → assets. Nothing else in the code base calls ``os.environ``. Runtime state goes
under ``NEWSGRAPH_HOME`` (default: ``.newsgraph`` in the current folder); the data newsgraph ships with
is read from the installed package unless ``NEWSGRAPH_DATA_DIR`` names another folder of that layout.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar, get_args

from pipelines.shipped import data_dir

DATA_DIR = data_dir()

DEFAULT_USER_AGENT = "newsgraph/0.1 (+https://github.com/newsgraph/newsgraph; newsgraph@users.noreply.github.com)"
DEFAULT_BASE_IRI = "https://w3id.org/newsgraph/id/"
WikidataMode = Literal["offline", "online", "auto"]
StoreKind = Literal["embedded", "remote"]
WIKIDATA_MODES: tuple[WikidataMode, ...] = get_args(WikidataMode)
STORE_KINDS: tuple[StoreKind, ...] = get_args(StoreKind)


class SettingsError(ValueError):
    """An environment variable holds a value newsgraph cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with the defaults a fresh machine runs on."""

    home: Path  # all runtime state: raw pages, partitions, store, kb index, DAGSTER_HOME
    data_dir: Path = DATA_DIR  # sources.yaml, profiles/, models/, kb/ (the shipped ones by default)
    sources_file: Path = DATA_DIR / "sources.yaml"
    profiles_dir: Path = DATA_DIR / "profiles"
    ner_model: str = "default"  # "default", "fast", a path, or an installed spaCy package name
    ner_workers: int = 0  # documents the default model tags at once; 0 = one per usable CPU
    kb_extra_sources: tuple[Path, ...] = ()  # more JSONL / Wikidata-dump files for the KB index
    kb_index: Path | None = None  # an index kept outside the home (shared by several homes)
    wikidata_mode: WikidataMode = "offline"
    wikidata_api_url: str = "https://www.wikidata.org/w/api.php"
    wikidata_sparql_url: str = "https://query.wikidata.org/sparql"
    user_agent: str = DEFAULT_USER_AGENT
    http_timeout_s: float = 20.0
    cleanup_budget_s: float = 10.0  # seconds cleanup may spend on one page (night and CLI)
    base_iri: str = DEFAULT_BASE_IRI
    # the published store: embedded (pyoxigraph on disk) or remote (SPARQL 1.1 Query/Update/Graph Store)
    store_kind: StoreKind = "embedded"
    store_query_url: str | None = None
    store_update_url: str | None = None
    store_graph_url: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    # the web server
    query_timeout_s: float = 10.0
    query_max_results: int = 10_000
    serve_workers: int = 4
    public_url: str | None = None
    dagster_url: str = "http://127.0.0.1:3000/"  # the Dagster UI (`make dev`) that `newsgraph run` links its runs to
    # SPARQL queries (endpoint and CLI): federation allow-list and limits checked before evaluation
    federation_allowed: tuple[str, ...] = ()  # SERVICE endpoint IRIs; empty = federation off
    query_max_length: int = 100_000
    query_max_depth: int = 64
    serve_per_client: int = 1  # queries one client may run at once on the server
    query_max_bytes: int = 16_000_000  # one serialised answer
    worker_memory_mb: int = 2048  # address space of one query worker (RLIMIT_AS, where supported)
    schedule_running: bool = False  # the nightly schedule's state when Dagster first loads it
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def shared_dir(self) -> Path:
        """Third-party evaluation and training data (gold, corpora, kb), by default ../shared from the
        current folder (a checkout's neighbour); absent on a user's machine."""
        return Path(self.extra.get("shared_dir", Path.cwd().parent / "shared"))

    @property
    def models_dir(self) -> Path:
        """Where the named NER models ("default", "fast") live."""
        return self.data_dir / "models"

    @property
    def kb_data_dir(self) -> Path:
        """The curated KB rows and the Wikidata extract the index is built from."""
        return self.data_dir / "kb"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def store_path(self) -> Path:
        return self.home / "store"

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def partitions_dir(self) -> Path:
        return self.home / "partitions"

    @property
    def state_dir(self) -> Path:
        """The scraper's memory across nights: validators for conditional GET, the retry ledger."""
        return self.home / "state"

    @property
    def dumps_dir(self) -> Path:
        return self.home / "dumps"

    @property
    def kb_index_path(self) -> Path:
        return self.kb_index or self.home / "kb" / "index.sqlite"

    @property
    def kb_dir(self) -> Path:
        """The index and the KB rows fetched onto this machine (dump rows, SPARQL extracts)."""
        return self.home / "kb"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``NEWSGRAPH_*`` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        home = Path(env.get("NEWSGRAPH_HOME") or Path.cwd() / ".newsgraph").expanduser().resolve()
        data = _optional_path(env, "NEWSGRAPH_DATA_DIR") or DATA_DIR
        mode = _choice(env, "NEWSGRAPH_WIKIDATA_MODE", WIKIDATA_MODES)
        extra_sources = tuple(
            Path(p).expanduser().resolve() for p in env.get("NEWSGRAPH_KB_SOURCES", "").split(os.pathsep) if p.strip()
        )
        timeout = _number(env, "NEWSGRAPH_HTTP_TIMEOUT", 20.0)
        store_kind = _choice(env, "NEWSGRAPH_STORE", STORE_KINDS)
        if store_kind == "remote" and not env.get("NEWSGRAPH_STORE_QUERY_URL"):
            raise SettingsError("NEWSGRAPH_STORE=remote needs NEWSGRAPH_STORE_QUERY_URL (the SPARQL query endpoint)")
        public_url = env.get("NEWSGRAPH_PUBLIC_URL") or None
        if public_url and not public_url.endswith("/"):
            raise SettingsError(f"NEWSGRAPH_PUBLIC_URL={public_url!r} must end with '/'")
        dagster_url = env.get("NEWSGRAPH_DAGSTER_URL") or cls.dagster_url
        if not dagster_url.startswith(("http://", "https://")):
            raise SettingsError(f"NEWSGRAPH_DAGSTER_URL={dagster_url!r} is not an http(s) URL")
        ner_workers = _count(env, "NEWSGRAPH_NER_WORKERS", 0)
        base_iri = env.get("NEWSGRAPH_BASE_IRI", DEFAULT_BASE_IRI)
        if not base_iri.endswith("/"):
            raise SettingsError(f"NEWSGRAPH_BASE_IRI={base_iri!r} must end with '/'")
        return cls(
            home=home,
            data_dir=data,
            sources_file=Path(env.get("NEWSGRAPH_SOURCES", data / "sources.yaml")).expanduser().resolve(),
            profiles_dir=Path(env.get("NEWSGRAPH_PROFILES", data / "profiles")).expanduser().resolve(),
            ner_model=env.get("NEWSGRAPH_NER_MODEL", "default"),
            ner_workers=ner_workers,
            kb_extra_sources=extra_sources,
            kb_index=_optional_path(env, "NEWSGRAPH_KB_INDEX"),
            wikidata_mode=mode,
            wikidata_api_url=env.get("NEWSGRAPH_WIKIDATA_API", cls.wikidata_api_url),
            wikidata_sparql_url=env.get("NEWSGRAPH_WIKIDATA_SPARQL", cls.wikidata_sparql_url),
            user_agent=env.get("NEWSGRAPH_USER_AGENT", DEFAULT_USER_AGENT),
            http_timeout_s=timeout,
            cleanup_budget_s=_number(env, "NEWSGRAPH_CLEANUP_BUDGET", 10.0),
            base_iri=base_iri,
            store_kind=store_kind,
            store_query_url=env.get("NEWSGRAPH_STORE_QUERY_URL") or None,
            store_update_url=env.get("NEWSGRAPH_STORE_UPDATE_URL") or None,
            store_graph_url=env.get("NEWSGRAPH_STORE_GRAPH_URL") or None,
            store_user=env.get("NEWSGRAPH_STORE_USER") or None,
            store_password=env.get("NEWSGRAPH_STORE_PASSWORD") or None,
            query_timeout_s=_number(env, "NEWSGRAPH_QUERY_TIMEOUT", 10.0),
            query_max_results=int(_number(env, "NEWSGRAPH_QUERY_MAX_RESULTS", 10_000)),
            serve_workers=int(_number(env, "NEWSGRAPH_SERVE_WORKERS", 4)),
            public_url=public_url,
            dagster_url=dagster_url.rstrip("/") + "/",
            federation_allowed=tuple(env.get("NEWSGRAPH_FEDERATION_ALLOW", "").split()),
            query_max_length=int(_number(env, "NEWSGRAPH_QUERY_MAX_LENGTH", 100_000)),
            query_max_depth=int(_number(env, "NEWSGRAPH_QUERY_MAX_DEPTH", 64)),
            serve_per_client=int(_number(env, "NEWSGRAPH_SERVE_PER_CLIENT", 1)),
            query_max_bytes=int(_number(env, "NEWSGRAPH_QUERY_MAX_BYTES", 16_000_000)),
            worker_memory_mb=_count(env, "NEWSGRAPH_WORKER_MEMORY_MB", 2048),
            schedule_running=_flag(env, "NEWSGRAPH_SCHEDULE_RUNNING"),
            extra={"shared_dir": env["NEWSGRAPH_SHARED"]} if env.get("NEWSGRAPH_SHARED") else {},
        )

    def to_env(self) -> dict[str, str]:
        """The ``NEWSGRAPH_*`` mapping that :meth:`from_env` reads back into these settings, secrets left out
        (a child process that needs the store password inherits it from the environment)."""
        optional = {
            "NEWSGRAPH_STORE_QUERY_URL": self.store_query_url,
            "NEWSGRAPH_STORE_UPDATE_URL": self.store_update_url,
            "NEWSGRAPH_STORE_GRAPH_URL": self.store_graph_url,
            "NEWSGRAPH_STORE_USER": self.store_user,
            "NEWSGRAPH_PUBLIC_URL": self.public_url,
            "NEWSGRAPH_SHARED": self.extra.get("shared_dir"),
            "NEWSGRAPH_KB_INDEX": str(self.kb_index) if self.kb_index else None,
        }
        return {
            "NEWSGRAPH_HOME": str(self.home),
            "NEWSGRAPH_DATA_DIR": str(self.data_dir),
            "NEWSGRAPH_SOURCES": str(self.sources_file),
            "NEWSGRAPH_PROFILES": str(self.profiles_dir),
            "NEWSGRAPH_NER_MODEL": self.ner_model,
            "NEWSGRAPH_NER_WORKERS": str(self.ner_workers),
            "NEWSGRAPH_KB_SOURCES": os.pathsep.join(str(p) for p in self.kb_extra_sources),
            "NEWSGRAPH_WIKIDATA_MODE": self.wikidata_mode,
            "NEWSGRAPH_WIKIDATA_API": self.wikidata_api_url,
            "NEWSGRAPH_WIKIDATA_SPARQL": self.wikidata_sparql_url,
            "NEWSGRAPH_USER_AGENT": self.user_agent,
            "NEWSGRAPH_HTTP_TIMEOUT": repr(self.http_timeout_s),
            "NEWSGRAPH_CLEANUP_BUDGET": repr(self.cleanup_budget_s),
            "NEWSGRAPH_BASE_IRI": self.base_iri,
            "NEWSGRAPH_STORE": self.store_kind,
            "NEWSGRAPH_QUERY_TIMEOUT": repr(self.query_timeout_s),
            "NEWSGRAPH_QUERY_MAX_RESULTS": str(self.query_max_results),
            "NEWSGRAPH_SERVE_WORKERS": str(self.serve_workers),
            "NEWSGRAPH_DAGSTER_URL": self.dagster_url,
            "NEWSGRAPH_FEDERATION_ALLOW": " ".join(self.federation_allowed),
            "NEWSGRAPH_QUERY_MAX_LENGTH": str(self.query_max_length),
            "NEWSGRAPH_QUERY_MAX_DEPTH": str(self.query_max_depth),
            "NEWSGRAPH_SERVE_PER_CLIENT": str(self.serve_per_client),
            "NEWSGRAPH_QUERY_MAX_BYTES": str(self.query_max_bytes),
            "NEWSGRAPH_WORKER_MEMORY_MB": str(self.worker_memory_mb),
            "NEWSGRAPH_SCHEDULE_RUNNING": "1" if self.schedule_running else "0",
            **{key: value for key, value in optional.items() if value},
        }


_Choice = TypeVar("_Choice", bound=str)


def _choice(env: Mapping[str, str], name: str, choices: tuple[_Choice, ...]) -> _Choice:
    """One of ``choices`` (any case; unset: the first)."""
    text = env.get(name, choices[0]).strip().lower()
    for choice in choices:
        if text == choice:
            return choice
    raise SettingsError(f"{name}={text!r} is not one of {', '.join(choices)}")


def _optional_path(env: Mapping[str, str], name: str) -> Path | None:
    value = env.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else None


def _flag(env: Mapping[str, str], name: str) -> bool:
    """On or off: 1/true/yes/on or 0/false/no/off (unset: off); anything else is a mistake worth saying."""
    text = env.get(name, "").strip().lower()
    if text in ("", "0", "false", "no", "off"):
        return False
    if text in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name}={env[name]!r} is not one of 1, true, yes, on, 0, false, no, off")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a number") from None
    if value <= 0:
        raise SettingsError(f"{name}={text!r} must be positive")
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number ≥ 0 (0 = "one per usable CPU" where a count of workers is meant)."""
    text = env.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a whole number") from None
    if value < 0:
        raise SettingsError(f"{name}={text!r} must be 0 (one per usable CPU) or a positive count")
    return value
