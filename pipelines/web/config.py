"""What the web server needs to know, given by the caller (the CLI builds it from Settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipelines.namespaces import DEFAULT_BASE_IRI, Namespaces
from pipelines.store.guard import QueryPolicy
from pipelines.web.worker import StoreSpec


class WebConfigError(ValueError):
    """A server setting that cannot work (says which and why)."""


@dataclass(frozen=True)
class WebConfig:
    store: StoreSpec
    dumps_dir: Path  # where dump files are cached (made on first request, remade when the store changes)
    base_iri: str = DEFAULT_BASE_IRI
    query_timeout_s: float = 10.0  # per SPARQL query and per page; the worker is killed and replaced after it
    max_results: int = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer
    workers: int = 4  # query worker processes: more than the clients expected to run slow queries at once
    dump_timeout_s: float = 600.0  # making one dump file
    public_url: str | None = None  # the public root URL for VoID and dump links; never taken from a request
    queries_dir: Path | None = None  # named queries; default ontology/queries
    stats_ttl_s: float = 30.0  # how long dataset statistics are reused
    query_policy: QueryPolicy = field(default_factory=QueryPolicy)  # length, nesting, federation allow-list
    per_client: int = 1  # queries one client (IP address) runs at once; more wait in the queue
    queue_timeout_s: float = 5.0  # longest wait for a worker before "busy" (503)
    max_bytes: int = 16_000_000  # one answer's size
    html_max_rows: int = 1_000  # rows an HTML result page shows (the rest: download)
    worker_memory_mb: int = 2048  # each worker's address space (RLIMIT_AS); 0 = unlimited

    def __post_init__(self) -> None:
        Namespaces(self.base_iri)  # raises on a malformed base IRI
        if self.query_timeout_s <= 0 or self.dump_timeout_s <= 0:
            raise WebConfigError("query and dump time limits must be positive numbers of seconds")
        if self.max_results < 1:
            raise WebConfigError(f"max_results must be at least 1, not {self.max_results}")
        if self.per_client < 1 or self.html_max_rows < 1 or self.max_bytes < 1 or self.queue_timeout_s <= 0:
            raise WebConfigError("per_client, html_max_rows, max_bytes and queue_timeout_s must be positive")
        if self.workers < 1:
            raise WebConfigError(f"workers must be at least 1, not {self.workers}")
        if self.public_url is not None and not self.public_url.endswith("/"):
            raise WebConfigError(f"public_url {self.public_url!r} must end with '/'")
