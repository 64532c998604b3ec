"""The class list that decides which dump items the KB keeps (data/kb/dump_classes.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from pipelines.kb.entry import normalise_type
from pipelines.kb.errors import KBSourceError
from pipelines.shipped import data_dir

DEFAULT_CLASSES = data_dir() / "kb" / "dump_classes.yaml"
GROUPS = ("person", "organisation", "place", "event", "work", "product")


@dataclass(frozen=True)
class DumpClass:
    qid: str
    type: str
    group: str
    meaning: str
    source: str


@dataclass(frozen=True)
class ClassList:
    """P31 class → (KB type, group); the file order decides between several matching classes."""

    classes: tuple[DumpClass, ...]

    def mapping(self) -> dict[str, tuple[str, str]]:
        return {c.qid: (c.type, c.group) for c in self.classes}


def load_classes(path: Path = DEFAULT_CLASSES) -> ClassList:
    """Read and check the class file; every entry needs a QID, a known type and group, a meaning and a source."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KBSourceError(f"{path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise KBSourceError(f"{path}: not YAML ({exc})") from exc
    rows = data.get("classes") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise KBSourceError(f"{path}: needs a non-empty 'classes' list")
    seen: set[str] = set()
    classes = []
    for number, row in enumerate(rows, start=1):
        where = f"{path}: class {number}"
        if not isinstance(row, dict):
            raise KBSourceError(f"{where}: expected a mapping")
        qid = str(row.get("qid", ""))
        if not (qid.startswith("Q") and qid[1:].isdigit()):
            raise KBSourceError(f"{where}: qid {qid!r} is not like 'Q5'")
        if qid in seen:
            raise KBSourceError(f"{where}: {qid} listed twice")
        seen.add(qid)
        kb_type = str(row.get("type", ""))
        if normalise_type(kb_type) is None:
            raise KBSourceError(f"{where} ({qid}): type {kb_type!r} is not PER, ORG, LOC, GPE or MISC")
        group = str(row.get("group", ""))
        if group not in GROUPS:
            raise KBSourceError(f"{where} ({qid}): group {group!r} is not one of {', '.join(GROUPS)}")
        meaning, source = str(row.get("meaning") or ""), str(row.get("source") or "")
        if not meaning or not source:
            raise KBSourceError(f"{where} ({qid}): every class needs a meaning and the source it was read from")
        classes.append(DumpClass(qid, kb_type, group, meaning, source))
    return ClassList(tuple(classes))
