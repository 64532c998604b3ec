"""The corpus served from loopback hosts: a sitemap listing every page, robots.txt, the pages themselves.

The scraper then does what it does at night (discovery, robots, per-host rate limit, decoding,
language check), only against local servers, so the benchmark needs no network. The pages are spread
over several loopback addresses (127.0.0.1, 127.0.0.2, ...: one server each), as a night spreads over
several outlets; the scraper's politeness (at most one request per second per host by default) then
bounds the scrape stage as it would at night, not the number of pages one host can serve.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from newsgraph_tools.bench.corpus import BenchPage

SITEMAP = "/sitemap.xml"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, tuple[bytes, str]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        found = self.server.routes.get(self.path.partition("?")[0])
        body, kind = found if found else (b"not found", "text/plain")
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@dataclass(frozen=True)
class ServedCorpus:
    sitemap_url: str
    hosts: tuple[str, ...]  # host names to allow in the source


def sitemap_xml(urls: Sequence[str]) -> bytes:
    entries = "".join(f"<url><loc>{escape(url)}</loc></url>\n" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    ).encode()


@contextmanager
def serve_corpus(pages: Sequence[BenchPage], hosts: int = 1) -> Iterator[ServedCorpus]:
    """Serve ``pages`` round-robin over ``hosts`` loopback addresses until the block ends."""
    if not 1 <= hosts <= 250:
        raise ValueError(f"hosts must be between 1 and 250 (got {hosts})")
    servers = [_Server((f"127.0.0.{k + 1}", 0), _Handler) for k in range(hosts)]
    bases = [f"http://{s.server_address[0]!s}:{s.server_address[1]}" for s in servers]
    routes = {p.path: (p.body, p.content_type) for p in pages}
    routes["/robots.txt"] = (b"User-agent: *\nAllow: /\n", "text/plain")
    routes[SITEMAP] = (sitemap_xml([bases[i % hosts] + p.path for i, p in enumerate(pages)]), "application/xml")
    threads = []
    for server in servers:
        server.routes = routes
        threads.append(threading.Thread(target=server.serve_forever, args=(0.2,), daemon=True))
        threads[-1].start()
    try:
        yield ServedCorpus(bases[0] + SITEMAP, tuple(str(s.server_address[0]) for s in servers))
    finally:
        for server, thread in zip(servers, threads, strict=True):
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def write_sources(path: Path, served: ServedCorpus, articles: int) -> Path:
    """A sources file with one sitemap source over the local hosts (what ``newsgraph run --sources`` reads).

    No ``rate_limit_per_s``: the scraper's default per-host limit applies, as it would at night.
    """
    source = {
        "name": "bench",
        "kind": "sitemap",
        "url": served.sitemap_url,
        "language": "de",
        "allowed_hosts": list(served.hosts),
        "allow_private_network": True,
        "max_articles": articles,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"sources": [source]}, sort_keys=False), encoding="utf-8")
    return path
