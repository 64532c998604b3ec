"""The nightly assets, one per stage. Each is thin: it runs its stage through :func:`pipelines.night.run_stage`
with the parts its resources give, and reports metadata."""

import warnings

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

GROUP = "nightly"


def _report(stage: Stage, partition: str, parts: ResourceParts) -> StageReport:
    result = run_stage(stage, parts.workspace(partition), parts)
    assert isinstance(result, StageReport)
    return result


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, kinds={"python"})
def raw_articles(
    context: dg.AssetExecutionContext, state: StateResource, sources: SourcesResource
) -> dg.MaterializeResult:
    """Pages from every configured source, stored content-addressed before anything touches them."""
    report = _report("scrape", context.partition_key, ResourceParts(state, sources_resource=sources))
    for failure in report.failures:
        context.log.warning(f"fetch failed: {failure.url}: {failure.reason} {failure.detail or ''}")
    return dg.MaterializeResult(metadata=report_metadata(report))


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[raw_articles], kinds={"python"})
def clean_articles(
    context: dg.AssetExecutionContext, state: StateResource, cleanup: CleanupResource
) -> dg.MaterializeResult:
    """Article text without boilerplate, typed blocks in order, with the removal report kept as data."""
    report = _report("cleanup", context.partition_key, ResourceParts(state, cleanup=cleanup))
    return dg.MaterializeResult(metadata=report_metadata(report))


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[clean_articles], kinds={"spacy"})
def entity_mentions(context: dg.AssetExecutionContext, state: StateResource, ner: NerResource) -> dg.MaterializeResult:
    """Named-entity mentions (PER, LOC, ORG, MISC) with character offsets into the clean text."""
    report = _report("ner", context.partition_key, ResourceParts(state, ner=ner))
    metadata = report_metadata(report)
    metadata["ner_model"] = dg.MetadataValue.text(" ".join(ner.model_meta()))
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[entity_mentions], kinds={"python"})
def linked_entities(
    context: dg.AssetExecutionContext, state: StateResource, wikidata: WikidataResource
) -> dg.MaterializeResult:
    """Each mention linked to a Wikidata item or an explicit NIL, with its confidence."""
    report = _report("linking", context.partition_key, ResourceParts(state, wikidata=wikidata))
    metadata = report_metadata(report)
    metadata["wikidata_mode"] = dg.MetadataValue.text(wikidata.mode)
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[linked_entities], kinds={"python"})
def quoted_speech(
    context: dg.AssetExecutionContext, state: StateResource, triple_store: TripleStoreResource
) -> dg.MaterializeResult:
    """Who said what (direct, partial and reported speech, with speaker entity), roles, and the night's stories."""
    report = _report("quotes", context.partition_key, ResourceParts(state, triple_store=triple_store))
    return dg.MaterializeResult(metadata=report_metadata(report))


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[quoted_speech], kinds={"rdflib"})
def article_graph(
    context: dg.AssetExecutionContext,
    state: StateResource,
    ner: NerResource,
    wikidata: WikidataResource,
    triple_store: TripleStoreResource,
) -> dg.MaterializeResult:
    """One named RDF graph per article (schema.org, NIF, PROV), plus the run's provenance graph."""
    parts = ResourceParts(state, ner=ner, wikidata=wikidata, triple_store=triple_store)
    report = _report("graph", context.partition_key, parts)
    return dg.MaterializeResult(metadata=report_metadata(report))


# A partitioned asset check is a Dagster preview feature (pinned dagster keeps it stable for us).
warnings.filterwarnings("ignore", category=dg.PreviewWarning, message=".*partitions_def on an AssetCheckSpec.*")


@dg.asset_check(
    asset=article_graph,
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


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[article_graph], kinds={"oxigraph"})
def published_graph(
    context: dg.AssetExecutionContext, state: StateResource, triple_store: TripleStoreResource
) -> dg.MaterializeResult:
    """The validated night upserted into the SPARQL store, and the night tallies of the runs it changed."""
    report = _report("publish", context.partition_key, ResourceParts(state, triple_store=triple_store))
    metadata = report_metadata(report)
    metadata["store"] = dg.MetadataValue.text(triple_store.location())
    return dg.MaterializeResult(metadata=metadata)


ASSETS = [
    raw_articles,
    clean_articles,
    entity_mentions,
    linked_entities,
    quoted_speech,
    article_graph,
    published_graph,
]
CHECKS = [article_graph_conforms]
