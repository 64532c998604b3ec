"""The sample corpus served as HTML pages, as a news site would serve it."""

from __future__ import annotations

import html
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def as_html_page(text: str, title: str) -> bytes:
    """Wrap each non-empty line of a sample in a paragraph of an ordinary article page."""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    page = f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav>
<main><article><h1>{html.escape(title)}</h1>
{paragraphs}
</article></main>
<footer>© Beispielverlag – Alle Rechte vorbehalten</footer></body></html>"""
    return page.encode("utf-8")
