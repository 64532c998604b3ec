"""What the scraper remembers between runs: page validators, page versions, and each night's documents.

- ``pages``: per canonical URL, the ETag / Last-Modified of the last answer (for conditional GETs),
  the content hash of the version last collected and the night it was first collected in.
- ``night_documents``: the documents each night collected, so a rerun of that night returns
  them again even when the page now answers 304, is unchanged, or fails — a rerun never loses an
  article and never adds a duplicate.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from pipelines.domain import RawDocument
from pipelines.scraping.fetch import Validators

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS pages (
        url TEXT PRIMARY KEY,        -- canonical URL as requested
        etag TEXT,
        last_modified TEXT,
        content_hash TEXT NOT NULL,  -- the version last collected
        doc_id TEXT NOT NULL,
        partition TEXT NOT NULL,     -- night that version was first collected in
        fetched_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS night_documents (
        partition TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        document TEXT NOT NULL,      -- RawDocument as JSON
        PRIMARY KEY (partition, doc_id)
    )
    """,
)


@dataclass(frozen=True)
class PageVersion:
    url: str
    etag: str | None
    last_modified: str | None
    content_hash: str
    doc_id: str
    partition: str
    fetched_at: str

    @property
    def validators(self) -> Validators | None:
        if not self.etag and not self.last_modified:
            return None
        return Validators(self.etag, self.last_modified)


class PageMemory:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection
        for statement in _SCHEMA:
            self.db.execute(statement)
        self.db.commit()

    def page(self, url: str) -> PageVersion | None:
        row = self.db.execute("SELECT * FROM pages WHERE url = ?", (url,)).fetchone()
        return PageVersion(*tuple(row)) if row else None

    def remember_page(self, version: PageVersion) -> None:
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)", tuple(version.__dict__.values()))
        self.db.commit()

    def night_documents(self, partition: str) -> dict[str, RawDocument]:
        rows = self.db.execute(
            "SELECT doc_id, document FROM night_documents WHERE partition = ? ORDER BY rowid", (partition,)
        )
        return {doc_id: RawDocument.from_dict(json.loads(text)) for doc_id, text in rows}

    def document(self, partition: str, doc_id: str) -> RawDocument | None:
        row = self.db.execute(
            "SELECT document FROM night_documents WHERE partition = ? AND doc_id = ?", (partition, doc_id)
        ).fetchone()
        return RawDocument.from_dict(json.loads(row[0])) if row else None

    def save_document(self, partition: str, document: RawDocument) -> None:
        self.db.execute(
            "INSERT INTO night_documents VALUES (?, ?, ?) ON CONFLICT (partition, doc_id) DO UPDATE SET "
            "document = excluded.document",
            (partition, document.doc_id, json.dumps(document.to_dict(), ensure_ascii=False)),
        )
        self.db.commit()
