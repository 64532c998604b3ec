"""Where the files newsgraph ships with live: the ontology (vocabulary, shapes, queries) and data/.

Both stay at the top of the repository; ``ontology`` and ``data`` here are links to them that the wheel
build copies into the package, so a checkout, an editable install and an installed wheel all find
them through :mod:`importlib.resources`. An operator who keeps sources, profiles, models or the KB
extract elsewhere sets ``NEWSGRAPH_DATA_DIR`` (read in :mod:`pipelines.settings`).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _packaged(name: str) -> Path:
    """A shipped folder as a directory on disk (the stages read it with plain file APIs, so no zipped install)."""
    folder = files(__name__) / name
    if not isinstance(folder, Path) or not folder.is_dir():
        raise FileNotFoundError(f"{folder}: the {name} folder newsgraph ships with is missing from the package")
    return folder.resolve()


def ontology_dir() -> Path:
    """The vocabulary (newsgraph.ttl), JSON-LD context, SHACL shapes and named SPARQL queries."""
    return _packaged("ontology")


def data_dir() -> Path:
    """The shipped data: sources.yaml, outlet profiles, NER models, the KB extract and the sample night."""
    return _packaged("data")
