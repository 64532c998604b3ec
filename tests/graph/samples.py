"""Sample inputs for graph, store and ontology tests: the golden input and the five seed articles."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, Graph

from pipelines.domain import Block, CleanDocument, EntityInfo, LinkedMention, RawDocument, Removal, RunInfo
from pipelines.graph import build_article_graph, build_run_graph, merge_datasets
from pipelines.graph.stream import GraphFileWriter
from pipelines.namespaces import PREFIXES, Namespaces
from pipelines.settings import DATA_DIR

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SEED_DATA = ("seeds", "gold/cleanup", "gold/entities", "kb/entities.jsonl")
"""What :func:`seed_records` reads in ../shared: the marker arguments of a test built on the seeds."""


def merge(*datasets: Dataset) -> Dataset:
    return merge_datasets(*datasets)


def union(ds: Dataset) -> Graph:
    """All triples of all graphs of a dataset in one graph (for assertions across graphs)."""
    out = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        out.add((s, p, o))
    return out


def golden_input() -> dict[str, Any]:
    data = json.loads((GOLDEN_DIR / "input.json").read_text(encoding="utf-8"))
    return {
        "raw": RawDocument.from_dict(data["raw"]),
        "clean": CleanDocument.from_dict(data["clean"]),
        "mentions": [LinkedMention.from_dict(m) for m in data["mentions"]],
        "entities": {qid: EntityInfo(**info) for qid, info in data["entities"].items()},
        "run": RunInfo(**data["run"]),
        "stats": data["stats"],
    }


def golden_dataset(ns: Namespaces | None = None) -> Dataset:
    """The golden article graph and its run graph, as the pipeline would build them."""
    ns = ns or Namespaces()
    data = golden_input()
    article = build_article_graph(data["raw"], data["clean"], data["mentions"], data["entities"], data["run"], ns)
    return merge(article, build_run_graph(data["run"], ns, data["stats"]))


def golden_copies(count: int) -> list[Dataset]:
    """``count`` copies of the golden article under new ids and URLs, then their run graph."""
    data = golden_input()
    ns = Namespaces()
    out = []
    for i in range(count):
        raw = dataclasses.replace(data["raw"], doc_id=f"bench{i:04d}", url=f"https://example.org/{i}")
        out.append(build_article_graph(raw, data["clean"], data["mentions"], data["entities"], data["run"], ns))
    out.append(build_run_graph(data["run"], ns, {"articles": count}))
    return out


def write_graph_file(path: Path, datasets: list[Dataset]) -> Path:
    """The datasets streamed into one graph file, as the graph stage writes a night."""
    with GraphFileWriter(path, PREFIXES) as out:
        for ds in datasets:
            out.add(ds)
    return path


def golden_run_days_ago(days: int) -> RunInfo:
    """The golden input's run, moved to a night ``days`` before now (for queries about "this week")."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)
    day = start.date().isoformat()
    return dataclasses.replace(
        golden_input()["run"], run_id=day, partition=day, started_at=start.isoformat(), ended_at=None
    )


def sample_run(partition: str = "2026-11-20", started_at: str | None = None) -> RunInfo:
    return RunInfo(
        run_id=partition,
        partition=partition,
        started_at=started_at or f"{partition}T23:30:00+00:00",
        ended_at=None,
        code_version="0.1.0",
        ner_model="de_newsgraph_ner",
        ner_model_version="0.1.0",
        kb_version="kb-test",
    )


def _kb_entities(shared_dir: Path, qids: set[str]) -> dict[str, EntityInfo]:
    found: dict[str, EntityInfo] = {}
    with (shared_dir / "kb" / "entities.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if not any(f'"qid": "{qid}"' in line for qid in qids):
                continue
            item = json.loads(line)
            if item["qid"] in qids:
                found[item["qid"]] = EntityInfo(
                    qid=item["qid"],
                    label_de=item.get("label_de"),
                    label_en=item.get("label_en"),
                    type=item.get("type"),
                )
    return found


def _captured_dates() -> dict[str, str]:
    """The capture date of each seed file, as the sample corpus' manifest gives it (the seeds are those files)."""
    manifest = yaml.safe_load((DATA_DIR / "samples" / "manifest.yaml").read_text(encoding="utf-8"))
    return {name: str(entry["captured"]) for name, entry in manifest["files"].items() if entry.get("captured")}


def seed_records(
    shared_dir: Path, outlet: str = "Seed Outlet"
) -> list[tuple[RawDocument, CleanDocument, list[LinkedMention], dict[str, EntityInfo]]]:
    """The five seed articles as the stages would hand them over, from the gold cleanup and gold entities."""
    records = []
    gold_entities = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((shared_dir / "gold" / "entities").glob("*.json"))
    }
    qids = {m["qid"] for g in gold_entities.values() for m in g["mentions"] if m["qid"]}
    kb = _kb_entities(shared_dir, qids)
    captured = _captured_dates()
    for path in sorted((shared_dir / "gold" / "cleanup").glob("*.json")):
        cleanup = json.loads(path.read_text(encoding="utf-8"))
        clean = CleanDocument(
            title=None,
            blocks=[Block(type=b["type"], text=b["text"], lines=b.get("lines", [])) for b in cleanup["blocks"]],
            removed=[
                Removal(text=r["text"], category=r["category"], reason="gold annotation", line=r.get("line"))
                for r in cleanup["removed"]
            ],
            metadata=dict(cleanup.get("metadata", {})),
            language="de",
        )
        seed = (shared_dir / "seeds" / cleanup["file"]).read_bytes()
        doc_id = path.stem.split("_", 1)[1]
        raw = RawDocument(
            doc_id=doc_id,
            url=f"https://example.org/seed/{doc_id}",
            source="seeds",
            content_type="text/plain",
            content_hash=hashlib.sha256(seed).hexdigest(),
            fetched_at="2026-11-20T22:00:00+00:00",
            outlet=outlet,
            language="de",
            captured=captured.get(cleanup["file"]),
        )
        mentions = [
            LinkedMention(
                start=m["start"],
                end=m["end"],
                text=m["text"],
                label=m["type"],
                qid=m["qid"],
                confidence=0.9 if m["qid"] else 0.3,
                entity_name=m["entity_name"],
            )
            for m in gold_entities[path.name]["mentions"]
        ]
        records.append((raw, clean, mentions, {q: kb[q] for q in {m.qid for m in mentions if m.qid}}))
    return records


def seed_dataset(shared_dir: Path, run: RunInfo | None = None, ns: Namespaces | None = None) -> Dataset:
    """The five seed article graphs plus the run graph."""
    ns = ns or Namespaces()
    run = run or sample_run()
    graphs = [
        build_article_graph(raw, clean, mentions, entities, run, ns)
        for raw, clean, mentions, entities in seed_records(shared_dir)
    ]
    return merge(*graphs, build_run_graph(run, ns, {"articles": len(graphs)}))
