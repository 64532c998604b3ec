"""A night of the sample corpus through the quote stage: the graph conforms and the named queries answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from pipelines.store import EmbeddedStore, load_query
from pipelines.store.embedded import SelectResult
from tests.support.homes import home_settings

NIGHT = "2022-01-12"


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipelines.cli import main

    home = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("NEWSGRAPH_HOME", str(home))
    try:
        assert main(["run", "--date", NIGHT]) == 0
    finally:
        mp.undo()
    return home


def _rows(home: Path, name: str, **bindings: Node) -> list[dict[str, Node | None]]:
    settings = home_settings(home)
    with EmbeddedStore(settings.store_path, read_only=True) as store:
        result = store.query(load_query(name).sparql, substitutions=bindings)
    assert isinstance(result, SelectResult)
    return result.dicts()


def test_night_conforms_and_the_seeds_are_one_story(night: Path) -> None:
    import json

    part = night / "partitions" / NIGHT
    assert json.loads((part / "validation.json").read_text())["conforms"]
    stories = json.loads((part / "stories.json").read_text())
    assert len(stories) == 1 and len(stories[0]["articles"]) == 5


def test_named_queries_answer_from_the_store(night: Path) -> None:
    stoltenberg = URIRef("http://www.wikidata.org/entity/Q57665")
    roles = _rows(night, "roles-according-to-the-press", person=stoltenberg)
    assert {str(r["role"]) for r in roles} >= {"Nato-Generalsekretär"}
    stories = _rows(night, "stories-of-the-day", day=Literal(NIGHT, datatype=XSD.date))
    assert len(stories) == 1 and int(str(stories[0]["articles"])) == 5


def test_what_stoltenberg_said_that_week(night: Path) -> None:
    """The seeds' dates are missing, a month ("2022-01") or a day: each quote is placed on a day all the same."""
    stoltenberg = URIRef("http://www.wikidata.org/entity/Q57665")
    until = Literal(NIGHT, datatype=XSD.date)
    quotes = _rows(night, "quotes-of-speaker-this-week", speaker=stoltenberg, until=until)
    articles = {str(r["article"]) for r in quotes}
    assert len(quotes) >= 20 and len(articles) == 5
    assert {str(r["speaker"]) for r in quotes} == {str(stoltenberg)}
    assert all(str(r["text"]).strip() and str(r["kind"]) in ("direct", "partial", "indirect") for r in quotes)
    assert {str(r["day"]) for r in quotes} == {NIGHT}  # no whole publication day before the night
    assert "Aber wir müssen auch auf die Möglichkeit vorbereitet sein, dass die Diplomatie scheitert." in {
        str(r["text"]) for r in quotes
    }
    assert any(r["cue"] is not None for r in quotes) and any(r["outlet"] is not None for r in quotes)
    later = Literal("2022-01-19", datatype=XSD.date)  # the week 13-19 January holds none of them
    assert _rows(night, "quotes-of-speaker-this-week", speaker=stoltenberg, until=later) == []
    one_day = _rows(night, "quotes-of-speaker-this-week", speaker=stoltenberg, since=until, until=until)
    assert len(one_day) == len(quotes)
    everyone = _rows(night, "quotes-of-speaker-this-week", until=until)
    assert len({str(r["speaker"]) for r in everyone}) > 1 and len(everyone) > len(quotes)
    # left unbound, ?until is today: the seeds' week of 2022 is long over
    assert _rows(night, "quotes-of-speaker-this-week", speaker=stoltenberg) == []


def test_an_article_s_quotes_come_in_the_order_it_tells_them(night: Path) -> None:
    import json

    stoltenberg = URIRef("http://www.wikidata.org/entity/Q57665")
    rows = _rows(night, "quotes-of-speaker-this-week", speaker=stoltenberg, until=Literal(NIGHT, datatype=XSD.date))
    told: dict[str, dict[str, int]] = {}  # article → quote text → where the article first tells it
    for line in (night / "partitions" / NIGHT / "quotes.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for quote in record["quotes"]:
            if (quote.get("speaker") or {}).get("qid") == "Q57665":
                first = told.setdefault(record["doc_id"], {})
                first[quote["text"]] = min(first.get(quote["text"], quote["start"]), quote["start"])
    by_article: dict[str, list[int]] = {}
    for row in rows:
        (doc_id,) = [d for d in told if str(row["article"]).endswith(d)]
        by_article.setdefault(doc_id, []).append(told[doc_id][str(row["text"])])
    assert len(by_article) == 5
    assert all(positions == sorted(positions) and len(positions) > 1 for positions in by_article.values())


def test_an_article_of_the_next_night_joins_the_story(night: Path) -> None:
    import json
    from datetime import date, timedelta

    from pipelines import nightly
    from pipelines.namespaces import Namespaces
    from pipelines.workspace import PartitionWorkspace

    partitions = night / "partitions"
    first = json.loads((partitions / NIGHT / "stories.json").read_text())[0]
    tonight = PartitionWorkspace(partitions, (date.fromisoformat(NIGHT) + timedelta(days=1)).isoformat())
    earlier = PartitionWorkspace(partitions, NIGHT)
    source = first["articles"][-1]  # another outlet's report of the same event, published the next night
    for name in ("clean.jsonl", "linked.jsonl"):
        rows = [r for r in earlier.read_jsonl(name) if r["doc_id"] == source]
        tonight.write_jsonl(name, [{**r, "doc_id": "next-night-report"} for r in rows])
    nightly.find_quotes(tonight, Namespaces())
    written = (tonight.dir / "stories.json").read_text()
    (story,) = json.loads(written)
    assert story["story_id"] == first["story_id"]
    assert set(story["articles"]) == {*first["articles"], "next-night-report"}
    nightly.find_quotes(tonight, Namespaces())
    assert (tonight.dir / "stories.json").read_text() == written


def test_the_bench_times_a_week_of_quotes_that_has_some(night: Path) -> None:
    """The benchmark binds the most quoted speaker and the day of their last quote: a week timed empty
    would say nothing about the query."""
    from rdflib.util import from_n3

    from newsgraph_tools.bench.comparisons import query_substitutions
    from newsgraph_tools.bench.querytime import timed_query

    store_path = home_settings(night).store_path
    with EmbeddedStore(store_path, read_only=True) as store:
        bindings = query_substitutions(store)["quotes-of-speaker-this-week"]
    assert from_n3(bindings["until"]) == Literal(NIGHT, datatype=XSD.date)
    terms: dict[str, Node] = {}
    for name, n3 in bindings.items():
        term = from_n3(n3)
        assert isinstance(term, Node)
        terms[name] = term
    expected = _rows(night, "quotes-of-speaker-this-week", **terms)
    assert len(expected) >= 20
    timed = timed_query("store", store_path, load_query("quotes-of-speaker-this-week").sparql, bindings, repeats=1)
    assert timed["rows"] == len(expected) and timed["p95_ms"] > 0
