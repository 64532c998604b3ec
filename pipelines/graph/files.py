"""Reading, writing and combining RDF datasets."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

# file suffix -> rdflib parser; triples-only formats land in the default graph
FORMATS: dict[str, str] = {
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
}


class DatasetFileError(ValueError):
    """A file or directory that holds no readable RDF."""


def merge_datasets(*datasets: Dataset) -> Dataset:
    """One dataset with every named graph of the inputs (e.g. a night's articles and its run)."""
    out = Dataset()
    for ds in datasets:
        for prefix, namespace in ds.namespaces():
            out.bind(prefix, namespace, override=True, replace=True)
        for graph in ds.graphs():
            is_default = graph.identifier == ds.default_graph.identifier
            target = out.default_graph if is_default else out.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    return out


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in FORMATS and p.is_file())
        if not files:
            raise DatasetFileError(f"{path} holds no RDF files ({', '.join(sorted(FORMATS))})")
        return files
    if not path.exists():
        raise DatasetFileError(f"{path} does not exist")
    if path.suffix not in FORMATS:
        raise DatasetFileError(f"{path}: unknown RDF format {path.suffix!r}; use one of {', '.join(sorted(FORMATS))}")
    return [path]


def load_dataset(path: Path) -> Dataset:
    """A file (TriG, N-Quads, Turtle, N-Triples, JSON-LD) or every such file under a directory."""
    ds = Dataset()
    for file in _files(path):
        try:
            ds.parse(file, format=FORMATS[file.suffix])
        except Exception as exc:  # rdflib raises parser-specific types
            raise DatasetFileError(f"cannot parse {file}: {exc}") from exc
    return ds


def write_dataset(ds: Dataset, path: Path) -> None:
    """Write a dataset as TriG or N-Quads (by suffix)."""
    formats = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads"}
    if path.suffix not in formats:
        raise DatasetFileError(f"{path}: write datasets as .trig or .nq")
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.serialize(path, format=formats[path.suffix])
