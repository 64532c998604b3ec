"""A local news "site" that misbehaves on purpose: a feed, a sitemap index and 24 pages with the faults
real sites have. ``GOOD`` lists the articles that must be collected, ``BAD`` the pages that must be
recorded with their reason; the test server serves it on 127.0.0.1.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from tests.support.httpserver import Response, Route, repeat, sequence
from tests.support.samples import sample_files

HTML_UTF8 = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = "User-agent: *\nDisallow: /intern/\n"

# article path -> how it is served; every one must end up as exactly one document
GOOD = (
    "/artikel/1.html",
    "/artikel/2.html",
    "/artikel/3.html",
    "/artikel/4.html",
    "/artikel/5.html",
    "/artikel/6.html",
    "/artikel/7.html",
    "/artikel/8.html",
    "/artikel/ratenbegrenzt.html",  # 429 with Retry-After, then fine
    "/artikel/wackelig.html",  # 500, then fine
    "/artikel/neu.html",  # reached through a redirect from /artikel/umgezogen.html
    "/artikel/falscher-zeichensatz.html",  # header says ISO-8859-1, bytes are UTF-8
    "/artikel/ohne-zeichensatz.html",  # no charset anywhere, Windows-1252 bytes
    "/artikel/kaputt.html",  # broken HTML around a real article
)
# page path -> the outcome that must be recorded for it
BAD = {
    "/artikel/reset.html": "connection_error",
    "/artikel/haengt.html": "timeout",
    "/artikel/schleife.html": "too_many_redirects",
    "/artikel/extern.html": "forbidden_host",
    "/artikel/riesig.html": "too_large",
    "/artikel/bild.html": "binary_content",
    "/artikel/leer.html": "empty_page",
    "/artikel/english.html": "wrong_language",
    "/intern/geheim.html": "robots_disallowed",
}
DUPLICATES = ("/artikel/1.html?utm_source=rss", "/artikel/druck-3.html", "/artikel/5.html#kommentare")
FEED_NOT_XML = "/kaputter-feed.xml"
ENGLISH = (
    "The federal government announced on Wednesday that it would extend the support programme for small "
    "businesses until the end of next year. Ministers said the measures were necessary because energy prices "
    "remain high and many companies are still struggling with the consequences of the pandemic. "
)


def german_text(index: int) -> list[str]:
    """Paragraphs of a German article: sample lines, rotated so every article's text differs."""
    files = sample_files()
    lines = [line for line in files[index % len(files)].read_text(encoding="utf-8").splitlines() if len(line) > 60]
    shift = index // len(files)
    return [f"Meldung {index}.", *lines[shift:], *lines[:shift]]


def article_html(index: int, title: str, *, canonical: str | None = None, charset_meta: bool = True) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in german_text(index))
    meta = '<meta charset="utf-8">' if charset_meta else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f'<!DOCTYPE html>\n<html lang="de"><head>{meta}<title>{html.escape(title)}</title>{link}</head>\n'
        f"<body><nav><a href='/'>Startseite</a></nav><article><h1>{html.escape(title)}</h1>\n{paragraphs}\n"
        "</article><footer>© Beispielverlag</footer></body></html>"
    )


@dataclass
class Site:
    routes: dict[str, Route]
    feed_paths: list[str]
    sitemap_paths: list[str]


def build_site() -> Site:
    routes: dict[str, Route] = {"/robots.txt": Response(200, ROBOTS.encode(), {"Content-Type": "text/plain"})}
    for number in range(1, 9):
        page = article_html(number, f"Artikel {number}").encode("utf-8")
        routes[f"/artikel/{number}.html"] = Response(200, page, HTML_UTF8, etag=number % 2 == 0)
    routes["/artikel/druck-3.html"] = Response(
        200, article_html(3, "Artikel 3 (Druckfassung)", canonical="/artikel/3.html").encode("utf-8"), HTML_UTF8
    )
    routes["/artikel/ratenbegrenzt.html"] = sequence(
        Response(429, b"slow down", {"Retry-After": "1", "Content-Type": "text/plain"}),
        Response(200, article_html(20, "Ratenbegrenzt").encode("utf-8"), HTML_UTF8),
    )
    routes["/artikel/wackelig.html"] = sequence(
        Response(500, b"oops", {"Content-Type": "text/plain"}),
        Response(200, article_html(21, "Wackelig").encode("utf-8"), HTML_UTF8),
    )
    routes["/artikel/umgezogen.html"] = Response(301, b"", {"Location": "/artikel/neu.html"})
    routes["/artikel/neu.html"] = Response(200, article_html(22, "Neu").encode("utf-8"), HTML_UTF8)
    routes["/artikel/falscher-zeichensatz.html"] = Response(
        200,
        article_html(23, "Falscher Zeichensatz für Umlaute", charset_meta=False).encode("utf-8"),
        {"Content-Type": "text/html; charset=iso-8859-1"},
    )
    routes["/artikel/ohne-zeichensatz.html"] = Response(
        200,
        article_html(24, "Ohne Zeichensatz: Bürgerentscheid", charset_meta=False).encode("cp1252", "replace"),
        {"Content-Type": "text/html"},
    )
    broken = article_html(25, "Kaputt").replace("</p>", "").replace("</article>", "<div><span><table><tr><td>")
    routes["/artikel/kaputt.html"] = Response(200, ("<<<>>" + broken[:-14]).encode("utf-8"), HTML_UTF8)
    routes["/artikel/reset.html"] = Response(reset=True)
    routes["/artikel/haengt.html"] = Response(
        200, headers=HTML_UTF8, stream=repeat(b"<p>noch ein bisschen ", 10**9), chunk_delay_s=0.05
    )
    routes["/artikel/schleife.html"] = Response(302, b"", {"Location": "/artikel/schleife.html"})
    routes["/artikel/extern.html"] = Response(302, b"", {"Location": "http://elsewhere.invalid/artikel.html"})
    routes["/artikel/riesig.html"] = Response(
        200, headers=HTML_UTF8, stream=repeat(b"<p>" + b"x" * 65533, 50 * 1024 * 1024)
    )
    routes["/artikel/bild.html"] = Response(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, HTML_UTF8)
    routes["/artikel/leer.html"] = Response(200, b"", HTML_UTF8)
    english = f"<html><head><title>News</title></head><body><p>{ENGLISH * 3}</p></body></html>"
    routes["/artikel/english.html"] = Response(200, english.encode("utf-8"), HTML_UTF8)
    routes["/intern/geheim.html"] = Response(200, article_html(26, "Intern").encode("utf-8"), HTML_UTF8)

    feed_paths = [
        "/artikel/1.html",
        "/artikel/2.html",
        "/artikel/3.html",
        "/artikel/4.html",
        "/artikel/5.html",
        "/artikel/ratenbegrenzt.html",
        "/artikel/wackelig.html",
        "/artikel/umgezogen.html",
        "/artikel/reset.html",
        "/artikel/haengt.html",
        "/artikel/schleife.html",
        "/artikel/extern.html",
        "/intern/geheim.html",
        "/artikel/1.html?utm_source=rss",
    ]
    sitemap_paths = [
        "/artikel/5.html",
        "/artikel/6.html",
        "/artikel/7.html",
        "/artikel/8.html",
        "/artikel/druck-3.html",
        "/artikel/falscher-zeichensatz.html",
        "/artikel/ohne-zeichensatz.html",
        "/artikel/kaputt.html",
        "/artikel/riesig.html",
        "/artikel/bild.html",
        "/artikel/leer.html",
        "/artikel/english.html",
        "/artikel/5.html#kommentare",
    ]
    items = "".join(
        f"<item><title>Meldung {i}</title><link>{html.escape(p)}</link>"
        f"<pubDate>Fri, 20 Nov 2026 0{i % 10}:00:00 +0100</pubDate></item>"
        for i, p in enumerate(feed_paths)
    )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Beispiel</title>'
        f"{items}</channel></rss>"
    )
    routes["/feed.xml"] = Response(200, rss.encode("utf-8"), {"Content-Type": "application/rss+xml"})
    urls = "".join(
        f"<url><loc>{html.escape(p)}</loc><news:news><news:title>T</news:title>"
        "<news:publication_date>2026-11-20</news:publication_date></news:news></url>"
        for p in sitemap_paths
    )
    news = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )
    routes["/sitemap-news.xml"] = Response(200, news.encode("utf-8"), {"Content-Type": "application/xml"})
    index = (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/sitemap-news.xml</loc></sitemap></sitemapindex>"
    )
    routes["/sitemap.xml"] = Response(200, index.encode("utf-8"), {"Content-Type": "application/xml"})
    routes[FEED_NOT_XML] = Response(
        200, b"<html><body>Wartungsarbeiten<br></body></html>", {"Content-Type": "application/rss+xml"}
    )
    return Site(routes, feed_paths, sitemap_paths)
