"""A night's graph file built in worker processes is byte for byte the serial build's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pipelines.graph.parallel import ArticleInput, BuildTotals, build_articles
from pipelines.graph.stream import GraphFileWriter, iter_graphs
from pipelines.namespaces import PREFIXES, Namespaces
from tests.graph.samples import golden_input


def _items(count: int, broken: int) -> list[ArticleInput]:
    data = golden_input()
    items = []
    for i in range(count):
        raw = dataclasses.replace(data["raw"], doc_id=f"doc{i:03d}", url=f"https://example.org/{i}")
        mentions = list(data["mentions"])
        if i == broken:  # a mention past the end of the text: this article cannot be built
            mentions[0] = dataclasses.replace(mentions[0], start=10_000, end=10_005)
        items.append(ArticleInput(raw, data["clean"], mentions))
    return items


def _build(path: Path, items: list[ArticleInput], workers: int) -> tuple[bytes, BuildTotals]:
    data = golden_input()
    with GraphFileWriter(path, PREFIXES) as out:
        built = build_articles(
            items, data["entities"], data["run"], Namespaces(), out, workers=workers, chunk_articles=3
        )
    return path.read_bytes(), built


def test_parallel_build_writes_the_serial_file_and_records_the_same_failures(tmp_path: Path) -> None:
    items = _items(10, broken=4)
    serial_bytes, serial = _build(tmp_path / "serial.trig", items, workers=1)
    parallel_bytes, parallel = _build(tmp_path / "parallel.trig", items, workers=2)
    assert parallel_bytes == serial_bytes
    assert parallel == serial
    assert serial.articles == 9 and len(serial.failures) == 1
    failure = serial.failures[0]
    assert failure.stage == "graph" and failure.doc_id == "doc004" and "outside the clean text" in failure.reason
    names = [str(g.identifier) for g in iter_graphs(tmp_path / "parallel.trig")]
    assert names == [f"{Namespaces().base_iri}graph/article/doc{i:03d}" for i in range(10) if i != 4]  # night order
