"""Raw pages stored by content hash before anything else touches them.

Any later stage can be rerun from these bytes; identical pages are stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class RawPageStore:
    """A directory of raw page bytes, named by their SHA-256 (``ab/abcdef…``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, content_hash: str) -> Path:
        return self.root / content_hash[:2] / content_hash

    def put(self, content: bytes) -> str:
        """Store ``content`` (atomically, once) and return its hash."""
        digest = hashlib.sha256(content).hexdigest()
        target = self.path_for(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(tmp, target)
        return digest

    def get(self, content_hash: str) -> bytes:
        path = self.path_for(content_hash)
        if not path.exists():
            raise FileNotFoundError(f"raw page {content_hash} is not in the raw store at {self.root}")
        return path.read_bytes()

    def __contains__(self, content_hash: object) -> bool:
        return isinstance(content_hash, str) and self.path_for(content_hash).exists()
