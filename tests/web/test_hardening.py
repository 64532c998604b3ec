"""The endpoint turned against its host: federation, nesting, fairness, limits, links, headers, dataset clauses.

A real server on 127.0.0.1 with a listener on 127.0.0.1 standing in for an internal service.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from pipelines.store import EmbeddedStore
from pipelines.store.guard import QueryPolicy
from pipelines.store.queries import named_queries
from pipelines.web import StoreSpec
from pipelines.web.fairness import FairGate
from pipelines.web.resources import IriMap, web_link
from pipelines.web.worker import QueryRunner
from pipelines.web.worker_requests import QueryRequest
from tests.web.conftest import Published, Site, serving

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DEEP_BRACES = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
DEEP_PARENS = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }"
EMPTY_RESULTS = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "inside"}}]}}'


@dataclass
class Listener:
    """An "internal service" on 127.0.0.1 that records every request and answers as a SPARQL endpoint."""

    url: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            hits.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(EMPTY_RESULTS)))
            self.end_headers()
            self.wfile.write(EMPTY_RESULTS)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(f"http://127.0.0.1:{server.server_address[1]}/sparql", hits)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def strict(published: Published, listener: Listener, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server with small limits, three workers and the listener on its federation allow-list."""
    with serving(
        published,
        tmp_path_factory,
        "dumps-strict",
        query_timeout_s=2.0,
        max_results=200,
        workers=3,
        per_client=1,
        queue_timeout_s=8.0,
        html_max_rows=3,
        max_bytes=20_000,
        worker_memory_mb=1024,
        query_policy=QueryPolicy(allowed_services=frozenset({listener.url + "/allowed"})),
    ) as served:
        yield served


def _get(site: Site, query: str, accept: str = "application/sparql-results+json", **kw: str) -> requests.Response:
    return requests.get(f"{site.url}/sparql", params={"query": query, **kw}, headers={"Accept": accept}, timeout=60)


def _events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, object]]:
    out = []
    for record in caplog.records:
        if record.name == "newsgraph.web":
            data = json.loads(record.getMessage())
            if data["event"] == name:
                out.append(data)
    return out


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSGRAPH_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


# ------------------------------------------------------------------ 1. federation


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX in: <{base}> SELECT * WHERE {{ SERVICE in:sparql {{ ?s ?p ?o }} }}",
        "BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    ],
)
def test_service_calls_are_refused_and_never_reach_the_internal_service(
    site: Site, listener: Listener, template: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "newsgraph.web")
    before = len(listener.hits)
    query = template.format(url=listener.url, base=listener.url.rsplit("/", 1)[0] + "/")
    answer = _get(site, query)
    assert answer.status_code == 400 and "not an allowed federated endpoint" in answer.text
    assert len(listener.hits) == before
    assert any(e["reason"] == "federation" for e in _events(caplog, "query_refused"))


def test_an_allowed_endpoint_is_federated_and_no_other(strict: Site, listener: Listener) -> None:
    allowed = _get(strict, f"SELECT ?x WHERE {{ SERVICE <{listener.url}/allowed> {{ ?x ?p ?o }} }}")
    assert allowed.status_code == 200, allowed.text
    assert [b["x"]["value"] for b in allowed.json()["results"]["bindings"]] == ["inside"]
    assert any("/allowed" in hit for hit in listener.hits)
    before = len(listener.hits)
    other = _get(strict, f"SELECT ?x WHERE {{ SERVICE <{listener.url}/other> {{ ?x ?p ?o }} }}")
    assert other.status_code == 400 and len(listener.hits) == before


def test_the_cli_refuses_service_too(listener: Listener, tmp_path: Path) -> None:
    before = len(listener.hits)
    done = _cli("query", f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", home=tmp_path)
    assert done.returncode == 1 and "not an allowed federated endpoint" in done.stderr
    assert len(listener.hits) == before


# ------------------------------------------------------------------ 3. nesting and length


@pytest.mark.parametrize("query", [DEEP_BRACES, DEEP_PARENS], ids=["braces", "parens"])
def test_deeply_nested_queries_are_refused_before_evaluation(
    site: Site, query: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "newsgraph.web")
    answer = requests.post(
        f"{site.url}/sparql", data={"query": query}, headers={"Accept": "application/json"}, timeout=60
    )
    assert answer.status_code == 400 and "nests brackets" in answer.text
    assert not _events(caplog, "worker_crashed")
    assert _get(site, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_an_overlong_query_is_refused(site: Site) -> None:
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001
    answer = requests.post(f"{site.url}/sparql", data={"query": long_query}, timeout=60)
    assert answer.status_code == 400 and "characters; the limit is" in answer.text


@pytest.mark.parametrize("query", [DEEP_BRACES, DEEP_PARENS], ids=["braces", "parens"])
def test_the_cli_refuses_deep_nesting_instead_of_crashing(query: str, tmp_path: Path) -> None:
    done = _cli("query", query, home=tmp_path)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "nests brackets" in done.stderr


# ------------------------------------------------------------------ 2. fairness


def test_the_gate_serves_the_least_busy_client_first_and_caps_each_client() -> None:
    gate = FairGate(slots=2, per_client=1)
    assert gate.acquire("a", 1)
    assert not gate.acquire("a", 0.05)  # a's second query waits for a's first
    assert gate.acquire("b", 0.05)
    order: list[str] = []

    def take(client: str) -> None:
        if gate.acquire(client, 10):
            order.append(client)

    waiting = [threading.Thread(target=take, args=(c,)) for c in ("a", "c")]
    for thread in waiting:
        thread.start()
        time.sleep(0.05)
    gate.release("a")  # a frees a slot: c (running nothing) goes before a's second query
    deadline = time.monotonic() + 10
    while not order and time.monotonic() < deadline:
        time.sleep(0.01)
    assert order == ["c"]
    gate.release("b")
    for thread in waiting:
        thread.join(10)
    assert order == ["c", "a"]


def test_two_clients_with_runaway_queries_leave_a_third_answered(strict: Site) -> None:
    def runaway(client: str) -> list[int]:
        headers = {"X-Forwarded-For": client, "Accept": "application/json"}
        return [
            requests.get(f"{strict.url}/sparql", params={"query": SLOW}, headers=headers, timeout=60).status_code
            for _ in range(2)
        ]

    with ThreadPoolExecutor(4) as pool:
        attackers = [pool.submit(runaway, ip) for ip in ("10.0.0.1", "10.0.0.2")]
        time.sleep(0.3)
        cheap = [_get(strict, "ASK { ?s ?p ?o }", **{}).status_code for _ in range(20)]
        assert all(a.result() == [503, 503] for a in attackers)  # stopped by the time limit
    assert cheap == [200] * 20


# ------------------------------------------------------------------ 4. result limits and memory


def test_html_results_show_a_capped_number_of_rows(strict: Site) -> None:
    page = _get(strict, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50", "text/html")
    assert page.status_code == 200
    assert "the first 3 rows" in page.text and "more rows than a page shows" in page.text


def test_an_answer_over_the_byte_limit_is_refused(strict: Site) -> None:
    query = 'SELECT ?x WHERE { VALUES ?n { 1 2 3 } BIND(CONCAT(STRUUID(), "' + "x" * 9_000 + '") AS ?x) }'
    answer = _get(strict, query)
    assert answer.status_code == 413 and "20000" in answer.text
    assert _get(strict, "ASK { ?s ?p ?o }").status_code == 200


def _worker_pids(memory_mb: int = 1024) -> list[int]:
    """The workers of the ``strict`` server (told apart from other servers' by their memory limit)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            mine = f", {memory_mb})".encode() in cmdline
            if b"pipelines.web.worker" in cmdline and mine and int(stat[1]) == os.getpid():
                pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_run_under_an_address_space_limit(strict: Site) -> None:
    pids = _worker_pids()
    assert pids
    limited = []
    for pid in pids:
        line = next(ln for ln in Path(f"/proc/{pid}/limits").read_text().splitlines() if "address space" in ln)
        limited.append(line.split()[3])
    assert str(1024 * 1024 * 1024) in limited


@pytest.fixture
def lone(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server with one worker (told apart by its memory limit), so a query waits for its replacement."""
    with serving(
        published,
        tmp_path_factory,
        "dumps-lone",
        query_timeout_s=20.0,
        workers=1,
        queue_timeout_s=30.0,
        worker_memory_mb=LONE_MEMORY_MB,
    ) as served:
        yield served


LONE_MEMORY_MB = 1000


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGABRT], ids=["killed", "aborted"])
def test_a_worker_dying_mid_query_is_a_503_to_retry_and_is_replaced(lone: Site, how: signal.Signals) -> None:
    """SIGABRT is how a worker dies when RocksDB cannot start a thread (std::terminate)."""
    assert _get(lone, "ASK { ?s ?p ?o }").status_code == 200
    [pid] = _worker_pids(LONE_MEMORY_MB)
    idle = _cpu_ticks(pid)
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(_get, lone, SLOW, "text/html")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _cpu_ticks(pid) < idle + 10:  # 0.1 s into evaluating the query
            time.sleep(0.05)
        assert _cpu_ticks(pid) >= idle + 10
        os.kill(pid, how)
        answer = slow.result()
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert "is being restarted" in answer.text
    after = _get(lone, "ASK { ?s ?p ?o }")  # waits for the replacement
    assert after.status_code == 200 and json.loads(after.text)["boolean"] is True
    assert _worker_pids(LONE_MEMORY_MB) not in ([], [pid])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas")
def test_a_worker_opens_the_store_within_a_tight_address_space(published: Published) -> None:
    """RocksDB opens the store with up to 16 threads per column family; with glibc's default arenas (64 MB
    reserved each, up to 8 per core) that peaked near 1 GB of address space and a thread could fail to start."""
    runner = QueryRunner(StoreSpec(path=published.store_path), workers=1, memory_mb=400)
    runner.start()
    try:
        for _ in range(3):
            answer = runner.call(QueryRequest("protocol", "ASK { ?s ?p ?o }"))
            assert json.loads(answer.body)["boolean"] is True
        assert runner.replaced == 0
    finally:
        runner.close()


def _cpu_ticks(pid: int) -> int:
    """User plus system clock ticks the process has run."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_memory_limit_turns_a_huge_allocation_into_memory_error() -> None:
    code = (
        "from pipelines.web.worker import limit_memory; limit_memory(512)\n"
        "try:\n  b = bytearray(2 * 1024**3)\nexcept MemoryError:\n  print('refused')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "refused", done.stderr


# ------------------------------------------------------------------ 5. links and headers


def test_javascript_iris_are_shown_but_never_linked(site: Site) -> None:
    page = _get(site, "SELECT ?x WHERE { BIND(<javascript:alert(1)> AS ?x) }", "text/html")
    assert page.status_code == 200 and "javascript:alert(1)" in page.text
    assert 'href="javascript:' not in page.text.lower()
    iris = IriMap("https://w3id.org/newsgraph/id/")
    assert iris.href("javascript:alert(1)") == "" and iris.href("data:text/html,x") == ""
    assert iris.href("https://example.org/a") == "https://example.org/a"
    assert web_link("JavaScript:alert(1)") is None and web_link(" http://x/") is None


def test_html_pages_carry_a_script_free_content_security_policy(site: Site) -> None:
    for path in ("/", "/sparql", "/queries", "/dumps", "/graphs", "/no/such/page"):
        answer = requests.get(site.url + path, headers={"Accept": "text/html"}, timeout=30)
        csp = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        if path == "/sparql":  # the query editor: script from this server only, never inline or eval
            directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
            assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
            scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", answer.text, re.DOTALL)
            assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
        else:
            assert "script-src" not in csp and "<script" not in answer.text
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert answer.headers["X-Frame-Options"] == "DENY"


# ------------------------------------------------------------------ 6. dataset clauses


def test_from_and_named_graph_parameters_have_sparql_semantics(site: Site, reader: EmbeddedStore) -> None:
    def count(query: str, **params: str | list[str]) -> int:
        answer = requests.get(
            f"{site.url}/sparql", params={"query": query, **params}, headers={"Accept": "application/json"}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    graph = next(g for g in reader.graph_names() if "/graph/article/" in g)
    size = len(reader.graph(graph))
    everything = reader.triple_count()
    assert count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == everything
    assert count("SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE { ?s ?p ?o }") == 0
    assert count(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}") == size
    assert count(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 0
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == size
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ ?s ?p ?o }}") == 0
    # the protocol's parameters replace the query's dataset
    assert (
        count("SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE { ?s ?p ?o }", **{"default-graph-uri": graph}) == size
    )
    assert count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"named-graph-uri": graph}) == 0
    assert count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": graph}) == size


def test_the_store_api_honours_from_too(reader: EmbeddedStore) -> None:
    result = reader.query("SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE { ?s ?p ?o }")
    assert [int(row[0].toPython()) for row in result.rows] == [0]  # type: ignore[union-attr]


# ------------------------------------------------------------------ 7. trusting the client


def test_void_links_never_come_from_the_host_header(site: Site) -> None:
    void = requests.get(
        f"{site.url}/.well-known/void", headers={"Host": "evil.example", "Accept": "text/turtle"}, timeout=30
    )
    assert void.status_code == 200
    assert "evil.example" not in void.text and site.url in void.text


def test_cors_preflight_and_errors_carry_cors_headers(site: Site) -> None:
    preflight = requests.options(
        f"{site.url}/sparql",
        headers={
            "Origin": "https://other.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] in ("*", "https://other.example")
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    for answer in (
        _get(site, "SELECT ?x WHERE { ?x "),  # 400
        requests.get(f"{site.url}/queries/nope", timeout=30),  # 404
        requests.post(f"{site.url}/sparql", data=b"x", headers={"Content-Type": "image/png"}, timeout=30),  # 415
    ):
        assert answer.status_code >= 400
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_named_query_download_links_encode_their_parameters(site: Site) -> None:
    with_parameter = [
        (q.name, p)
        for q in sorted(named_queries(None).values(), key=lambda q: q.name)
        for p in re.findall(r"\?([A-Za-z_]\w*)", q.description)
        if re.search(rf"\?{p}\b", q.sparql)
    ]
    assert with_parameter
    name, parameter = with_parameter[0]
    value = "x&format=xml#b"
    page = requests.get(f"{site.url}/queries/{name}", params={parameter: value}, timeout=30).text
    download = page.split("Download:", 1)[1].split("</span>", 1)[0].replace("&amp;", "&")
    assert f"/queries/{name}?{parameter}=x%26format%3Dxml%23b&format=json" in download
    assert value not in download


# ------------------------------------------------------------------ 8. the log


def test_timeouts_crashes_and_replacements_are_logged(strict: Site, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "newsgraph.web")
    assert _get(strict, SLOW).status_code == 503
    assert _events(caplog, "query_timeout")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _events(caplog, "worker_replaced"):
        time.sleep(0.1)
    assert [e["why"] for e in _events(caplog, "worker_replaced")] == ["timeout"]
    for pid in _worker_pids():  # every worker dies: the next query finds a dead one
        os.kill(pid, 9)
    time.sleep(0.2)
    refused = _get(strict, "ASK { ?s ?p ?o }")
    assert refused.status_code == 503 and refused.headers["Retry-After"].isdigit()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(_events(caplog, "worker_replaced")) < 2:
        time.sleep(0.1)
    assert {e["why"] for e in _events(caplog, "worker_replaced")} == {"timeout", "crash"}
    crashed = _events(caplog, "worker_crashed")
    assert crashed and crashed[0]["returncode"] == -9
    statuses: set[int] = set()
    while time.monotonic() < deadline and statuses != {200}:  # the dead workers are replaced one by one
        statuses = {_get(strict, "ASK { ?s ?p ?o }").status_code for _ in range(6)}
    assert statuses == {200}
