"""Which night an article belongs to once published, so running nights in any order moves nothing.

An article belongs to the night that first published its current version. Publishing another night
leaves it with that night when

- that night is newer than the one publishing (running an older partition after a newer one), or
- the version is the same page (same content hash): a replayed or re-listed page adds nothing new.

A newer night with a changed page publishes the new version, which then belongs to it; a rerun of
the same night replaces its own articles. So per-night dumps keep their articles, and an article's
history is never rewritten by backfilling the past.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipelines.store.protocol import GraphStore
from pipelines.store.queries import rows_for_graphs, store_query


@dataclass(frozen=True)
class Holder:
    """The night whose run published an article graph the store holds, and the page version in it."""

    night: str | None
    content_hash: str


def article_holders(store: GraphStore, graph_iris: Iterable[str]) -> dict[str, Holder]:
    """The store's current holder of each of these article graphs (absent ones are left out)."""
    out: dict[str, Holder] = {}
    for row in rows_for_graphs(store, store_query("article-holders"), graph_iris):
        night = row.get("night")
        out[str(row["g"])] = Holder(str(night)[:10] if night is not None else None, str(row["hash"]))
    return out


def stays_with_holder(held: Holder | None, night: str, content_hash: str) -> bool:
    """True when publishing ``night``'s version (``content_hash``) must leave the store's article alone."""
    if held is None or held.night is None or held.night == night:
        return False
    if held.night > night:
        return True
    return held.content_hash == content_hash


def articles_kept_elsewhere(store: GraphStore, night: str, versions: Mapping[str, str]) -> dict[str, str]:
    """Article graphs (of ``versions``: graph IRI -> content hash of tonight's page) that stay with the
    night holding them, mapped to that night."""
    held = article_holders(store, versions)
    return {
        graph: holder.night or "" for graph, holder in held.items() if stays_with_holder(holder, night, versions[graph])
    }
