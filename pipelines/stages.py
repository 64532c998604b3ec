"""The night's stages and the files each leaves in the partition folder, named once for every reader.

The Dagster assets, ``newsgraph run``/``status``, the benchmark and the tests all speak of a stage by
these names and find its output by these file names.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Stage = Literal["scrape", "cleanup", "ner", "linking", "quotes", "graph", "validate", "publish"]
STAGES: Final[tuple[Stage, ...]] = get_args(Stage)

DocumentStage = Literal["scrape", "cleanup", "ner", "linking", "quotes", "graph"]
DOCUMENT_STAGES: Final[tuple[DocumentStage, ...]] = get_args(DocumentStage)
"""The stages that handle documents one by one: each records the ones it could not handle."""


class NightFile:
    """File names in ``<home>/partitions/<YYYY-MM-DD>/``."""

    RUN: Final = "run.json"  # when the night started
    RAW: Final = "raw.jsonl"  # documents collected
    FETCHES: Final = "fetches.jsonl"  # every fetch and its outcome
    CLEAN: Final = "clean.jsonl"
    MENTIONS: Final = "mentions.jsonl"
    LINKED: Final = "linked.jsonl"
    ENTITIES: Final = "entities.json"  # what the linked entities are (labels, types)
    QUOTES: Final = "quotes.jsonl"
    STORIES: Final = "stories.json"
    GRAPH: Final = "graph.trig"
    GRAPHS: Final = "graphs.json"  # the graph file's named graphs: what publishing replaces
    PUBLISH: Final = "publish.trig"  # the graph file without the articles other nights keep
    VALIDATION: Final = "validation.json"

    @staticmethod
    def failures(stage: DocumentStage) -> str:
        """The documents ``stage`` could not handle, each with its reason."""
        return f"failures-{stage}.jsonl"


STAGE_OUTPUT: Final[dict[Stage, str]] = {
    "scrape": NightFile.RAW,
    "cleanup": NightFile.CLEAN,
    "ner": NightFile.MENTIONS,
    "linking": NightFile.LINKED,
    "quotes": NightFile.QUOTES,
    "graph": NightFile.GRAPH,
    "validate": NightFile.VALIDATION,
}
"""The file that says a stage has run (publication leaves its mark in the store, not in the folder)."""
