"""The nightly assets, one per stage, and the step that computes the document stages together. Each is
thin: it runs its stages through :mod:`pipelines.streamed` or :func:`pipelines.night.run_stage` with the
parts its resources give, and reports metadata."""

import warnings
from collections.abc import Iterator
from typing import Any

import dagster as dg

from pipelines.defs.metadata import report_metadata
from pipelines.defs.partitions import daily_partitions
from pipelines.defs.parts import ResourceParts
from pipelines.defs.resources import (
    CleanupResource,
    NerResource,
    SourcesResource,
    StateResource,
    TripleStoreResource,
    WikidataResource,
)
from pipelines.graph import ValidationResult
from pipelines.night import run_stage
from pipelines.nightly import StageReport
from pipelines.stages import Stage
from pipelines.streamed import run_streamed, streamed_workers

GROUP = "nightly"


def _report(stage: Stage, partition: str, parts: ResourceParts) -> StageReport:
    result = run_stage(stage, parts.workspace(partition), parts)
    assert isinstance(result, StageReport)
    return result


NIGHT_ASSETS: dict[Stage, dg.AssetSpec] = {
    "scrape": dg.AssetSpec(
        "raw_articles",
        description="Pages from every configured source, stored content-addressed before anything touches them.",
        kinds={"python"},
    ),
    "cleanup": dg.AssetSpec(
        "clean_articles",
        deps=["raw_articles"],
        description="Article text without boilerplate, typed blocks in order, with the removal report kept as data.",
        kinds={"python"},
    ),
    "ner": dg.AssetSpec(
        "entity_mentions",
        deps=["clean_articles"],
        description="Named-entity mentions (PER, LOC, ORG, MISC) with character offsets into the clean text.",
        kinds={"spacy"},
    ),
    "linking": dg.AssetSpec(
        "linked_entities",
        deps=["entity_mentions"],
        description="Each mention linked to a Wikidata item or an explicit NIL, with its confidence.",
        kinds={"python"},
    ),
    "quotes": dg.AssetSpec(
        "quoted_speech",
        deps=["linked_entities"],
        description="Who said what (direct, partial and reported speech, with speaker entity), roles, "
        "and the night's stories.",
        kinds={"python"},
    ),
    "graph": dg.AssetSpec(
        "article_graph",
        deps=["quoted_speech"],
        description="One named RDF graph per article (schema.org, NIF, PROV), plus the run's provenance graph.",
        kinds={"rdflib"},
    ),
}
"""The night's document stages, one asset each, computed by one step (:func:`scrape_to_graph`)."""


@dg.multi_asset(
    specs=[spec.replace_attributes(group_name=GROUP) for spec in NIGHT_ASSETS.values()],
    partitions_def=daily_partitions,
    can_subset=True,
    name="scrape_to_graph",
)
def scrape_to_graph(
    context: dg.AssetExecutionContext,
    state: StateResource,
    sources: SourcesResource,
    cleanup: CleanupResource,
    ner: NerResource,
    wikidata: WikidataResource,
    triple_store: TripleStoreResource,
) -> Iterator[dg.MaterializeResult]:
    """The night from scrape to validated graph. All of it selected, the stages overlap
    (:mod:`pipelines.streamed`: pages are cleaned and tagged while later ones are fetched, graphs
    built and validated while NER reads on); a subset (one stage again after a KB update) runs its
    stages one after the other from the files of the stages before. The files are the same either way."""
    parts = ResourceParts(state, sources, cleanup, ner, wikidata, triple_store)
    partition = context.partition_key
    selected = [stage for stage, spec in NIGHT_ASSETS.items() if spec.key in context.selected_asset_keys]
    if len(selected) == len(NIGHT_ASSETS):
        night = run_streamed(
            parts.workspace(partition),
            parts,
            workers=streamed_workers(),
            progress=lambda done: context.log.info(f"streamed night: {done}"),
        )
        context.log.info(f"streamed night, seconds in the main thread: {night.seconds}")
        reports = {stage: night.results[stage] for stage in selected}
    else:
        reports = {stage: _report(stage, partition, parts) for stage in selected}
    for stage, report in reports.items():
        assert isinstance(report, StageReport)
        yield dg.MaterializeResult(asset_key=NIGHT_ASSETS[stage].key, metadata=_metadata(stage, report, parts, context))


def _metadata(
    stage: Stage, report: StageReport, parts: ResourceParts, context: dg.AssetExecutionContext
) -> dict[str, Any]:
    metadata = report_metadata(report)
    if stage == "scrape":
        for failure in report.failures:
            context.log.warning(f"fetch failed: {failure.url}: {failure.reason} {failure.detail or ''}")
    if stage == "ner":
        metadata["ner_model"] = dg.MetadataValue.text(" ".join(parts.ner_model()))
    if stage == "linking" and parts.wikidata is not None:
        metadata["wikidata_mode"] = dg.MetadataValue.text(parts.wikidata.mode)
    return metadata


# A partitioned asset check is a Dagster preview feature (pinned dagster keeps it stable for us).
warnings.filterwarnings("ignore", category=dg.PreviewWarning, message=".*partitions_def on an AssetCheckSpec.*")


@dg.asset_check(
    asset=NIGHT_ASSETS["graph"].key,
    blocking=True,
    partitions_def=daily_partitions,
    description="SHACL validation of the night's graph: a graph that fails is never published",
)
def article_graph_conforms(context: dg.AssetCheckExecutionContext, state: StateResource) -> dg.AssetCheckResult:
    partition = context.partition_key
    result = run_stage("validate", state.workspace(partition), ResourceParts(state))
    assert isinstance(result, ValidationResult)
    return dg.AssetCheckResult(
        passed=result.conforms,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "conforms": dg.MetadataValue.bool(result.conforms),
            "violation_count": dg.MetadataValue.int(result.violation_count),
            "first_violations": dg.MetadataValue.md("\n".join(f"- {v}" for v in result.violations[:10]) or "_(none)_"),
        },
    )


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[NIGHT_ASSETS["graph"].key], kinds={"oxigraph"})
def published_graph(
    context: dg.AssetExecutionContext, state: StateResource, triple_store: TripleStoreResource
) -> dg.MaterializeResult:
    """The validated night upserted into the SPARQL store, and the night tallies of the runs it changed."""
    report = _report("publish", context.partition_key, ResourceParts(state, triple_store=triple_store))
    metadata = report_metadata(report)
    metadata["store"] = dg.MetadataValue.text(triple_store.location())
    return dg.MaterializeResult(metadata=metadata)


ASSETS = [scrape_to_graph, published_graph]
CHECKS = [article_graph_conforms]
