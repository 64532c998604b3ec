"""The night's status from the files a night leaves behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.scraping import FetchRecord
from pipelines.status import StatusError, latest_partition, night_status, render_status
from pipelines.workspace import PartitionWorkspace


def test_no_night_yet_is_a_clear_error(tmp_path: Path) -> None:
    assert latest_partition(tmp_path / "partitions") is None
    with pytest.raises(StatusError, match=r"no night 2026-11-20 .*no night has run yet"):
        night_status(tmp_path / "partitions", "2026-11-20")
    (tmp_path / "partitions" / "2026-11-19").mkdir(parents=True)
    (tmp_path / "partitions" / "not-a-night").mkdir()
    assert latest_partition(tmp_path / "partitions") == "2026-11-19"
    with pytest.raises(StatusError, match="the latest night is 2026-11-19"):
        night_status(tmp_path / "partitions", "2026-11-20")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        night_status(tmp_path / "partitions", "yesterday")


def test_status_of_a_night_with_failures_in_several_stages(tmp_path: Path) -> None:
    ws = PartitionWorkspace(tmp_path / "partitions", "2026-11-20")
    records = [
        FetchRecord("site", "https://a.example/1", "ok", bytes=1200, content_hash="ab" * 32),
        FetchRecord(
            "site",
            "https://a.example/2",
            "http_503",
            "Service Unavailable (gave up after 4 attempts)",
            status=503,
            attempts=4,
            nights_failed=1,
            retry="next_night",
        ),
        FetchRecord(
            "site",
            "https://a.example/3",
            "wrong_language",
            "text is en (p=0.99), the source is declared de",
            retry="given_up",
            nights_failed=1,
        ),
        FetchRecord("feed", "https://a.example/rss", "feed_not_xml", "not XML", kind="feed"),
    ]
    ws.write_jsonl("fetches.jsonl", (r.to_dict() for r in records))
    ws.write_jsonl("raw.jsonl", [{"doc_id": "x"}])
    ws.write_jsonl("clean.jsonl", [])
    ws.write_jsonl("failures-cleanup.jsonl", [{"doc_id": "x", "url": "https://a.example/1", "reason": "no text"}])
    ws.write_json("validation.json", {"conforms": False, "violation_count": 2})
    status = night_status(tmp_path / "partitions", "2026-11-20")
    scrape = status["scrape"]
    assert (scrape["documents"], scrape["fetches"], scrape["retry_next_night"], scrape["given_up"]) == (1, 4, 1, 1)
    assert scrape["failure_reasons"] == {"http_503": 1, "wrong_language": 1, "feed_not_xml": 1}
    assert scrape["by_source"] == {"feed": {"failed": 1}, "site": {"ok": 1, "failed": 2}}
    assert status["stages"]["cleanup"] == {"ran": True, "documents": 0, "failed": 1}
    assert status["stages"]["ner"]["ran"] is False
    assert status["ledger"] is None  # no state folder on this machine
    text = render_status(status)
    expected_lines = (
        "http_503",
        "retry next night",
        "GIVEN UP",
        "feed_not_xml",
        "2 violations",
        "cleanup: https://a.example/1: no text",
    )
    for expected in expected_lines:
        assert expected in text


def test_a_damaged_file_is_named(tmp_path: Path) -> None:
    ws = PartitionWorkspace(tmp_path, "2026-11-20")
    ws.write_text("fetches.jsonl", '{"source": "s", "url": "u", "outcome": "ok"}\n{broken\n')
    with pytest.raises(StatusError, match=r"fetches.jsonl:2: not a JSON line"):
        night_status(tmp_path, "2026-11-20")
