"""Latency of the web server on a small store: ``python -m tests.web.bench_web [--requests N]``.

Builds the five seed articles (../shared) plus the golden article into a temporary store, starts the
real server on a free port and times N requests per endpoint; prints JSON (median and p95 in ms),
plus how long a runaway query holds a request before the time limit answers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

from pipelines.namespaces import Namespaces
from pipelines.store import EmbeddedStore
from pipelines.web import StoreSpec, WebConfig, running_server
from tests.conftest import SHARED
from tests.graph.samples import golden_dataset, merge, seed_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's query time limit (s)")
    args = parser.parse_args()
    ns = Namespaces()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ds = merge(seed_dataset(SHARED), golden_dataset()) if SHARED.is_dir() else golden_dataset()
        with EmbeddedStore(root / "store") as store:
            store.publish(ds)
            triples = store.triple_count()
        config = WebConfig(StoreSpec(path=root / "store"), dumps_dir=root / "dumps", query_timeout_s=args.timeout)
        started = time.perf_counter()
        with running_server(config) as url:
            startup = time.perf_counter() - started
            article = urlsplit(str(ns.article_iri("golden0001"))).path
            select = "SELECT ?a ?h WHERE { ?a a <http://schema.org/NewsArticle> ; <http://schema.org/headline> ?h }"
            endpoints = {
                "home (html)": (url + "/", {"Accept": "text/html"}),
                "article (html)": (url + article, {"Accept": "text/html"}),
                "article (turtle)": (url + article, {"Accept": "text/turtle"}),
                "article (json-ld)": (url + article, {"Accept": "application/ld+json"}),
                "entity Q57665 (html)": (url + "/wikidata/Q57665", {"Accept": "text/html"}),
                "sparql select (json)": (url + "/sparql?" + requests.compat.urlencode({"query": select}), {}),
                "void (turtle)": (url + "/.well-known/void", {"Accept": "text/turtle"}),
            }
            report: dict[str, object] = {"triples": triples, "startup_s": round(startup, 2)}
            for name, (target, headers) in endpoints.items():
                times = []
                for _ in range(args.requests):
                    t = time.perf_counter()
                    response = requests.get(target, headers=headers, timeout=60)
                    response.raise_for_status()
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                report[name] = {
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                }
            slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
            t = time.perf_counter()
            response = requests.get(url + "/sparql", params={"query": slow}, timeout=120)
            report["runaway query"] = {
                "status": response.status_code,
                "answered_after_s": round(time.perf_counter() - t, 2),
            }
            t = time.perf_counter()
            requests.get(target, timeout=60).raise_for_status()
            report["first query after the kill_ms"] = round((time.perf_counter() - t) * 1000, 1)
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
