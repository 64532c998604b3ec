"""newsgraph: German news articles to a Wikidata-linked RDF knowledge graph.

The subpackages hold plain domain logic (no Dagster); ``pipelines.defs`` holds the thin
Dagster layer that calls it.
"""

__version__ = "0.1.0"
