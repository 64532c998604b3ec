from pathlib import Path

import pytest

from pipelines.scraping import RawPageStore, canonicalize_url, doc_id_for


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.ORG:443/a?utm_source=x&id=3#top", "https://example.org/a?id=3"),
        ("http://example.org:8080", "http://example.org:8080/"),
        ("https://example.org/a?fbclid=1", "https://example.org/a"),
        ("urn:newsgraph:samples:000", "urn:newsgraph:samples:000"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


def test_doc_id_is_the_same_for_tracking_variants() -> None:
    assert doc_id_for("https://example.org/a?utm_medium=x") == doc_id_for("https://example.org/a#c")
    assert len(doc_id_for("https://example.org/a")) == 16


def test_raw_store_is_content_addressed(tmp_path: Path) -> None:
    store = RawPageStore(tmp_path)
    first = store.put(b"<html>same</html>")
    assert store.put(b"<html>same</html>") == first
    assert store.get(first) == b"<html>same</html>"
    assert first in store
    assert len(list(tmp_path.rglob("*"))) == 2  # one folder, one file
    with pytest.raises(FileNotFoundError, match="not in the raw store"):
        store.get("0" * 64)
