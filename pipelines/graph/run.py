"""A night's run as a PROV-O activity, in its own named graph.

The run IRI comes from ``RunInfo.run_id`` (derived from the partition date), so a rerun of a night
replaces its record rather than adding a second one. The software, NER model and knowledge base
are PROV entities/agents with their versions, which is what "which model produced this" asks for.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Dataset, Literal
from rdflib.namespace import PROV, RDF, RDFS

from pipelines.domain import RunInfo
from pipelines.graph.article import new_dataset
from pipelines.graph.terms import GraphBuildError, count_literal, date_literal, datetime_literal
from pipelines.namespaces import NG, SCHEMA, InvalidIdentifierError, Namespaces


def build_run_graph(run: RunInfo, ns: Namespaces, stats: Mapping[str, int] | None = None) -> Dataset:
    """The run's named graph: times, partition, code version, NER model, KB version and counts."""
    try:
        return _build(run, ns, stats or {})
    except InvalidIdentifierError as exc:
        raise GraphBuildError(f"run {run.run_id!r}: {exc}") from exc


def _build(run: RunInfo, ns: Namespaces, stats: Mapping[str, int]) -> Dataset:
    ds = new_dataset(ns)
    g = ds.graph(ns.run_graph_iri(run.run_id))
    node = ns.run_iri(run.run_id)
    where = f"run {run.run_id!r}"

    g.add((node, RDF.type, NG.NightlyRun))
    g.add((node, RDF.type, PROV.Activity))
    g.add((node, RDFS.label, Literal(f"newsgraph run {run.partition}", lang="en")))
    g.add((node, NG.partition, date_literal(run.partition, f"{where}: partition")))
    g.add((node, PROV.startedAtTime, datetime_literal(run.started_at, f"{where}: started_at")))
    if run.ended_at:
        g.add((node, PROV.endedAtTime, datetime_literal(run.ended_at, f"{where}: ended_at")))

    for text, field in (
        (run.code_version, "code_version"),
        (run.ner_model, "ner_model"),
        (run.ner_model_version, "ner_model_version"),
        (run.kb_version, "kb_version"),
    ):
        if not text.strip():
            raise GraphBuildError(f"{where}: {field} is empty")

    software = ns.software_iri(run.code_version)
    g.add((node, PROV.wasAssociatedWith, software))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, SCHEMA.name, Literal("newsgraph")))
    g.add((software, SCHEMA.softwareVersion, Literal(run.code_version)))

    model = ns.ner_model_iri(run.ner_model, run.ner_model_version)
    g.add((node, NG.nerModel, model))
    g.add((node, PROV.used, model))
    g.add((model, RDF.type, NG.NerModel))
    g.add((model, RDF.type, PROV.Entity))
    g.add((model, SCHEMA.name, Literal(run.ner_model)))
    g.add((model, SCHEMA.version, Literal(run.ner_model_version)))

    kb = ns.knowledge_base_iri(run.kb_version)
    g.add((node, NG.knowledgeBase, kb))
    g.add((node, PROV.used, kb))
    g.add((kb, RDF.type, NG.KnowledgeBase))
    g.add((kb, RDF.type, PROV.Entity))
    g.add((kb, SCHEMA.version, Literal(run.kb_version)))

    for key, value in sorted(stats.items()):
        stat = ns.run_stat_iri(run.run_id, key)
        g.add((node, SCHEMA.additionalProperty, stat))
        g.add((stat, RDF.type, SCHEMA.PropertyValue))
        g.add((stat, SCHEMA.name, Literal(key)))
        g.add((stat, SCHEMA.value, count_literal(value, f"{where}: stat {key!r}")))
    return ds
