"""The night's heap settling: objects alive when it settles leave the collector's sight, and only for the block."""

from __future__ import annotations

import gc

from pipelines import heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector can free it


def test_objects_alive_at_settling_are_frozen_for_the_block_and_garbage_is_still_collected() -> None:
    kept = [_Node() for _ in range(100)]
    gc.collect()
    before = gc.get_freeze_count()
    with heap.settled() as frozen:
        assert frozen >= before + 100
        assert all(not any(node is obj for obj in gc.get_objects()) for node in kept[:3])
        _Node()  # garbage made while settled is collected as before
        assert gc.collect() >= 1
    assert gc.get_freeze_count() == 0
    assert any(kept[0] is obj for obj in gc.get_objects(generation=2))
