"""RDF building and SHACL validation of the knowledge graph."""

from pipelines.graph.article import build_article_graph
from pipelines.graph.files import (
    DatasetFileError,
    load_dataset,
    merge_datasets,
    write_dataset,
)
from pipelines.graph.run import build_run_graph
from pipelines.graph.terms import GraphBuildError
from pipelines.graph.validation import (
    ShapesError,
    ValidationResult,
    load_shapes,
    validate_command,
    validate_dataset,
    validate_graph,
    validate_path,
)

__all__ = [
    "DatasetFileError",
    "GraphBuildError",
    "ShapesError",
    "ValidationResult",
    "build_article_graph",
    "build_run_graph",
    "load_dataset",
    "load_shapes",
    "merge_datasets",
    "validate_command",
    "validate_dataset",
    "validate_graph",
    "validate_path",
    "write_dataset",
]
