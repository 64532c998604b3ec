"""What happened on a night, for an operator: what was collected, what failed and why, what is retried.

:func:`night_status` reads only the files a night leaves behind (``fetches.jsonl``, ``raw.jsonl``,
``failures-<stage>.jsonl``, ``validation.json`` in the partition folder) and the scraper's retry
ledger (``<state>/scrape.sqlite``, opened read-only), so it works while a night is running and on a
machine that only has the state folder. :func:`render_status` turns the result into text.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from pipelines.scraping.collect import FetchRecord
from pipelines.scraping.state import STATE_FILE
from pipelines.stages import STAGE_OUTPUT, DocumentStage, NightFile
from pipelines.workspace import PartitionWorkspace, WorkspaceError, validate_partition

LATER_STAGES: tuple[DocumentStage, ...] = ("cleanup", "ner", "linking")
LIST_LIMIT = 50


class StatusError(ValueError):
    """There is nothing to report on (no such night, unreadable files)."""


def latest_partition(partitions_dir: Path) -> str | None:
    """The most recent night that has a folder, or None."""
    nights = []
    for path in partitions_dir.glob("*") if partitions_dir.is_dir() else []:
        try:
            nights.append(validate_partition(path.name))
        except ValueError:
            continue
    return max(nights) if nights else None


def night_status(partitions_dir: Path, partition: str, *, state_dir: Path | None = None) -> dict[str, Any]:
    """The night's status as plain data (JSON-ready). ``state_dir`` defaults to ``<home>/state``."""
    try:
        return _night_status(PartitionWorkspace(partitions_dir, partition), state_dir)
    except WorkspaceError as exc:
        raise StatusError(str(exc)) from None


def _night_status(ws: PartitionWorkspace, state_dir: Path | None) -> dict[str, Any]:
    partitions_dir, partition, folder = ws.dir.parent, ws.partition, ws.dir
    if not folder.is_dir():
        known = latest_partition(partitions_dir)
        hint = f"; the latest night is {known}" if known else "; no night has run yet"
        raise StatusError(f"no night {partition} under {partitions_dir}{hint}")
    records = [FetchRecord.from_dict(row) for row in ws.rows(NightFile.FETCHES)]
    documents = ws.rows(NightFile.RAW)
    failed = [r for r in records if r.failed]
    by_source: dict[str, Counter[str]] = {}
    for record in records:
        by_source.setdefault(record.source, Counter())["failed" if record.failed else record.outcome] += 1
    status: dict[str, Any] = {
        "partition": partition,
        "folder": str(folder),
        "started_at": ws.json_or(NightFile.RUN, {}).get("started_at"),
        "scrape": {
            "ran": ws.exists(NightFile.FETCHES),
            "documents": len(documents),
            "fetches": len(records),
            "bytes": sum(r.bytes for r in records),
            "outcomes": dict(Counter(r.outcome for r in records).most_common()),
            "failure_reasons": dict(Counter(r.outcome for r in failed).most_common()),
            "by_source": {name: dict(counts) for name, counts in sorted(by_source.items())},
            "retry_next_night": sum(1 for r in failed if r.retry == "next_night"),
            "given_up": sum(1 for r in failed if r.retry == "given_up"),
            "failures": [
                {
                    "url": r.url,
                    "source": r.source,
                    "kind": r.kind,
                    "reason": r.outcome,
                    "detail": r.detail,
                    "status": r.status,
                    "attempts": r.attempts,
                    "nights_failed": r.nights_failed,
                    "retry": r.retry,
                }
                for r in failed
            ],
        },
        "stages": {},
        "stage_failures": [],
        "validation": ws.json_or(NightFile.VALIDATION, None),
        "ledger": _ledger_summary((state_dir or partitions_dir.parent / "state") / STATE_FILE),
    }
    for stage in LATER_STAGES:
        stage_failures = ws.rows(NightFile.failures(stage))
        output = STAGE_OUTPUT[stage]
        status["stages"][stage] = {
            "ran": ws.exists(output),
            "documents": len(ws.rows(output)),
            "failed": len(stage_failures),
        }
        status["stage_failures"].extend({"stage": stage, **f} for f in stage_failures)
    return status


def render_status(status: dict[str, Any]) -> str:
    """A readable report of :func:`night_status`'s result."""
    scrape = status["scrape"]
    lines = [f"night {status['partition']}" + (f" (started {status['started_at']})" if status["started_at"] else "")]
    if not scrape["ran"]:
        lines.append("  scrape:     not run yet")
    else:
        outcomes = ", ".join(f"{n} {k}" for k, n in scrape["outcomes"].items()) or "nothing"
        lines.append(f"  scrape:     {scrape['documents']} documents from {scrape['fetches']} fetches ({outcomes})")
        for name, counts in scrape["by_source"].items():
            lines.append(f"    {name}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        if scrape["failures"]:
            lines.append(
                f"  failed:     {len(scrape['failures'])} "
                f"({scrape['retry_next_night']} retried next night, {scrape['given_up']} given up)"
            )
            for failure in scrape["failures"][:LIST_LIMIT]:
                lines.append(f"    {failure['reason']:<24} {failure['url']}")
                lines.append(f"      {failure['detail']}" + _retry_note(failure))
            if len(scrape["failures"]) > LIST_LIMIT:
                lines.append(f"    … {len(scrape['failures']) - LIST_LIMIT} more in {status['folder']}/fetches.jsonl")
    for stage, info in status["stages"].items():
        if info["ran"]:
            failed = f", {info['failed']} failed" if info["failed"] else ""
            lines.append(f"  {stage + ':':<11} {info['documents']} documents{failed}")
    for failure in status["stage_failures"][:LIST_LIMIT]:
        where = failure.get("url") or failure.get("doc_id") or "?"
        lines.append(f"    {failure['stage']}: {where}: {failure.get('reason', '')}" + _retry_note(failure))
    validation = status["validation"]
    if validation is not None:
        verdict = "conforms" if validation.get("conforms") else f"{validation.get('violation_count')} violations"
        lines.append(f"  SHACL:      {verdict}")
    ledger = status["ledger"]
    if ledger is not None:
        lines.append(
            f"  ledger:     {ledger['pending']} URLs waiting for a retry, {ledger['given_up']} given up in all"
        )
        for entry in ledger["given_up_recent"]:
            lines.append(
                f"    given up {entry['last_partition']}: {entry['url']} "
                f"({entry['last_reason']} on {entry['attempts']} night(s))"
            )
    return "\n".join(lines)


def _retry_note(failure: dict[str, Any]) -> str:
    """What the retry ledger will do about a failure, e.g. `` [retry next night, failed 2 night(s)]``."""
    retry = {"next_night": "retry next night", "given_up": "GIVEN UP"}.get(failure.get("retry") or "", "")
    nights = f", failed {failure['nights_failed']} night(s)" if failure.get("nights_failed") else ""
    return f" [{retry}{nights}]" if retry else ""


def _ledger_summary(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            db.row_factory = sqlite3.Row
            pending = db.execute(
                "SELECT COUNT(*) FROM retry_ledger WHERE given_up = 0 AND resolved_partition IS NULL"
            ).fetchone()[0]
            given_up = db.execute("SELECT COUNT(*) FROM retry_ledger WHERE given_up = 1").fetchone()[0]
            recent = db.execute(
                "SELECT url, source, attempts, last_partition, last_reason FROM retry_ledger WHERE given_up = 1 "
                "ORDER BY last_partition DESC, url LIMIT 10"
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise StatusError(f"{path}: the retry ledger cannot be read ({exc})") from None
    return {"path": str(path), "pending": pending, "given_up": given_up, "given_up_recent": [dict(r) for r in recent]}
