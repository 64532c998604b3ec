"""One night's working folder: every stage's output as readable files, so any stage can be rerun.

``NEWSGRAPH_HOME/partitions/<YYYY-MM-DD>/`` holds the files named in :class:`pipelines.stages.NightFile`:
each stage's output and ``failures-<stage>.jsonl`` (documents a stage could not handle, with the reason).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any


class WorkspaceError(RuntimeError):
    """A stage's input is missing: the upstream stage has not run for this partition."""


def validate_partition(partition: str) -> str:
    """Return ``partition`` if it is a real calendar date in ISO form, else raise ValueError."""
    try:
        date.fromisoformat(partition)
    except ValueError:
        raise ValueError(f"partition {partition!r} is not a date in the form YYYY-MM-DD") from None
    return partition


class PartitionWorkspace:
    """Files of one partition under ``<home>/partitions/<partition>``."""

    def __init__(self, partitions_dir: Path, partition: str) -> None:
        self.partition = validate_partition(partition)
        self.dir = partitions_dir / partition

    def path(self, name: str) -> Path:
        return self.dir / name

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def write_text(self, name: str, text: str) -> Path:
        """Atomically replace a file, so a crashed stage never leaves half a file behind."""
        self.dir.mkdir(parents=True, exist_ok=True)
        target = self.path(name)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=f".{name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
        return target

    def write_json(self, name: str, data: Any) -> Path:
        return self.write_text(name, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def read_json(self, name: str) -> Any:
        return json.loads(self._require(name).read_text(encoding="utf-8"))

    def write_jsonl(self, name: str, rows: Iterable[dict[str, Any]]) -> Path:
        lines = [json.dumps(row, ensure_ascii=False) for row in rows]
        return self.write_text(name, "".join(line + "\n" for line in lines))

    def read_jsonl(self, name: str) -> Iterator[dict[str, Any]]:
        """The rows of a JSON-lines file; a broken line is a WorkspaceError naming file and line."""
        path = self._require(name)
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise WorkspaceError(f"{path}:{number}: not a JSON line ({exc.msg})") from None

    def rows(self, name: str) -> list[dict[str, Any]]:
        """The rows of a JSON-lines file, none where the stage that writes it has not run."""
        return list(self.read_jsonl(name)) if self.exists(name) else []

    def json_or(self, name: str, default: Any) -> Any:
        """A JSON file's content, ``default`` where it is not there yet."""
        if not self.exists(name):
            return default
        try:
            return self.read_json(name)
        except json.JSONDecodeError as exc:
            raise WorkspaceError(f"{self.path(name)}: not valid JSON ({exc.msg})") from None

    def _require(self, name: str) -> Path:
        path = self.path(name)
        if not path.exists():
            raise WorkspaceError(
                f"{path} is missing: run the stage that produces it for partition {self.partition} first"
            )
        return path
