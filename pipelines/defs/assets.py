"""The nightly assets, one per stage. Each is thin: it calls ``pipelines.nightly`` and reports metadata."""

import warnings

import dagster as dg

from pipelines import __version__, nightly
from pipelines.days import utc_now
from pipelines.defs.metadata import report_metadata
from pipelines.defs.partitions import daily_partitions
from pipelines.defs.resources import (
    CleanupResource,
    NerResource,
    SourcesResource,
    StateResource,
    TripleStoreResource,
    WikidataResource,
)

GROUP = "nightly"


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, kinds={"python"})
def raw_articles(
    context: dg.AssetExecutionContext, state: StateResource, sources: SourcesResource
) -> dg.MaterializeResult:
    """Pages from every configured source, stored content-addressed before anything touches them."""
    ws = state.workspace(context.partition_key)
    source_list = sources.load()
    fetcher = sources.fetcher() if any(s.kind != "directory" for s in source_list) else None
    try:
        report = nightly.scrape(ws, source_list, state.raw_store(), fetcher, utc_now(), state_dir=state.state_path)
    finally:
        if fetcher is not None:
            fetcher.close()
    for failure in report.failures:
        context.log.warning(f"fetch failed: {failure.url}: {failure.reason} {failure.detail or ''}")
    return dg.MaterializeResult(metadata=report_metadata(report))


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[raw_articles], kinds={"python"})
def clean_articles(
    context: dg.AssetExecutionContext, state: StateResource, cleanup: CleanupResource
) -> dg.MaterializeResult:
    """Article text without boilerplate, typed blocks in order, with the removal report kept as data."""
    ws = state.workspace(context.partition_key)
    report = nightly.cleanup(
        ws, state.raw_store(), cleanup.profiles(), budget_s=cleanup.budget_s, state_dir=state.state_path
    )
    return dg.MaterializeResult(metadata=report_metadata(report))


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[clean_articles], kinds={"spacy"})
def entity_mentions(context: dg.AssetExecutionContext, state: StateResource, ner: NerResource) -> dg.MaterializeResult:
    """Named-entity mentions (PER, LOC, ORG, MISC) with character offsets into the clean text."""
    ws = state.workspace(context.partition_key)
    report = nightly.recognize(ws, ner.find_mentions)
    metadata = report_metadata(report)
    metadata["ner_model"] = dg.MetadataValue.text(" ".join(ner.model_meta()))
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[entity_mentions], kinds={"python"})
def linked_entities(
    context: dg.AssetExecutionContext, state: StateResource, wikidata: WikidataResource
) -> dg.MaterializeResult:
    """Each mention linked to a Wikidata item or an explicit NIL, with its confidence."""
    ws = state.workspace(context.partition_key)
    linker = wikidata.linker()
    report = nightly.link(ws, wikidata.link, linker.entity_info)
    metadata = report_metadata(report)
    metadata["wikidata_mode"] = dg.MetadataValue.text(wikidata.mode)
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(partitions_def=daily_partitions, group_name=GROUP, deps=[linked_entities], kinds={"python"})
def quoted_speech(
    context: dg.AssetExecutionContext, state: StateResource, triple_store: TripleStoreResource
) -> dg.MaterializeResult:
    """Who said what (direct, partial and reported speech, with speaker entity), roles, and the night's stories."""
    ws = state.workspace(context.partition_key)
    report = nightly.find_quotes(ws, triple_store.namespaces())
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
    ws = state.workspace(context.partition_key)
    model_name, model_version = ner.model_meta()
    run = nightly.run_info(
        ws,
        ended_at=utc_now(),
        code_version=__version__,
        ner_model=model_name,
        ner_model_version=model_version,
        kb_version=wikidata.kb_version(),
    )
    report = nightly.build_graph(ws, run, triple_store.namespaces())
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
    ws = state.workspace(context.partition_key)
    result = nightly.validate(ws)
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
    ws = state.workspace(context.partition_key)
    with triple_store.open() as store:
        report = nightly.publish(ws, store, triple_store.namespaces())
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
