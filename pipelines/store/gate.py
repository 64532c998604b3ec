"""Publishing behind the SHACL gate: nothing reaches the store unless every graph conforms."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from pipelines.graph.validation import ValidationResult, validate_dataset
from pipelines.store.embedded import EmbeddedStore


class ValidationFailedError(ValueError):
    """The dataset violates the shapes; the store was not touched."""

    def __init__(self, result: ValidationResult) -> None:
        self.result = result
        first = result.violations[0] if result.violations else "?"
        super().__init__(f"{result.violation_count} SHACL violation(s), nothing published; first: {first}")


def publish_validated(store: EmbeddedStore, ds: Dataset, shapes_dir: Path | None = None) -> dict[str, int]:
    """Validate ``ds`` graph by graph, then publish it in one transaction, or raise and publish nothing."""
    result = validate_dataset(ds, shapes_dir)
    if not result.conforms:
        raise ValidationFailedError(result)
    return store.publish(ds)
