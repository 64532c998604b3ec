from pathlib import Path

import pytest

from pipelines.scraping import SourcesError, load_sources
from pipelines.settings import DATA_DIR


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_sources_replay_the_sample_corpus() -> None:
    (source,) = load_sources(DATA_DIR / "sources.yaml")
    assert source.kind == "directory"
    assert source.path == DATA_DIR / "samples"
    assert source.language == "de"


def test_url_source_allows_its_own_hosts_by_default(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sources:\n  - {name: site, kind: urls, language: de, urls: ['https://Example.org/a', 'https://example.org/b']}\n",
    )
    (source,) = load_sources(path)
    assert source.allowed_hosts == ("example.org",)
    assert source.allow_private_network is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: 3\n", "expected a top-level 'sources:' list"),
        (
            "sources:\n  - {kind: urls, language: de, urls: ['https://a.org']}\n",
            r"sources\[0\]: missing or empty 'name'",
        ),
        ("sources:\n  - {name: x, kind: carrier-pigeon, language: de}\n", "unknown kind 'carrier-pigeon'"),
        ("sources:\n  - {name: x, kind: urls, language: de, urls: ['ftp://a.org/x']}\n", r"is not an http\(s\) URL"),
        ("sources:\n  - {name: x, kind: directory, language: de, path: nowhere}\n", "does not exist"),
        ("sources: [\n", "not valid YAML"),
    ],
)
def test_invalid_sources_name_the_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SourcesError, match=message) as info:
        load_sources(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "sources:\n" + "  - {name: a, kind: urls, language: de, urls: ['https://a.org']}\n" * 2)
    with pytest.raises(SourcesError, match="duplicate source name 'a'"):
        load_sources(path)


def test_feed_and_sitemap_sources_with_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """sources:
  - name: tagesnews
    kind: feed
    url: https://www.news.example/rss.xml
    language: de
    allowed_hosts: [www.news.example, static.news.example]
    rate_limit_per_s: 0.5
    profile: tagesnews
    outlet: Tagesnews
    max_articles: 50
  - name: lokal
    kind: sitemap
    url: https://lokal.example/sitemap-news.xml
    language: de
    allow_private_network: true
""",
    )
    feed, sitemap = load_sources(path)
    assert (feed.kind, feed.urls, feed.allowed_hosts) == (
        "feed",
        ("https://www.news.example/rss.xml",),
        ("www.news.example", "static.news.example"),
    )
    assert (feed.rate_limit_per_s, feed.profile, feed.outlet, feed.max_articles) == (0.5, "tagesnews", "Tagesnews", 50)
    assert sitemap.allowed_hosts == ("lokal.example",) and sitemap.allow_private_network
    assert sitemap.max_articles == 500 and sitemap.is_http


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources:\n  - {name: x, kind: feed, language: de}\n", "kind 'feed' needs 'url:'"),
        (
            "sources:\n  - {name: x, kind: feed, language: de, url: 'https://a.org/f', rate_limit: 1}\n",
            "unknown key 'rate_limit' for kind 'feed'",
        ),
        (
            "sources:\n  - {name: x, kind: sitemap, language: de, url: 'https://a.org/s', urls: ['https://a.org']}\n",
            "unknown key 'urls' for kind 'sitemap'",
        ),
        (
            "sources:\n  - {name: x, kind: feed, language: de, url: 'https://a.org/f', rate_limit_per_s: 0}\n",
            "'rate_limit_per_s' must be a positive number",
        ),
        (
            "sources:\n  - {name: x, kind: feed, language: de, url: 'https://a.org/f', max_articles: many}\n",
            "'max_articles' must be a positive whole number",
        ),
        (
            "sources:\n  - {name: x, kind: feed, language: de, url: 'https://a.org/f', allow_private_network: 1}\n",
            "'allow_private_network' must be true or false",
        ),
        (
            "sources:\n  - {name: x, kind: feed, language: de, url: 'https://a.org/f', allowed_hosts: a.org}\n",
            "'allowed_hosts' must be a list",
        ),
        ("sources:\n  - {name: x, kind: feed, language: de, url: 'https:///nohost'}\n", r"is not an http\(s\) URL"),
    ],
)
def test_invalid_http_sources(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SourcesError, match=message) as info:
        load_sources(path)
    assert f"{path}: sources[0] (x)" in str(info.value)
