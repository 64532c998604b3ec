"""CLI commands another distribution adds: newsgraph-tools brings ``bench``, ``eval`` and ``train-ner``.

The product does not ship the benchmark, training or evaluation code. Its CLI finds such commands
through the ``newsgraph.commands`` entry-point group; where they are not installed, the command is
still listed and says in one line how to get it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Protocol

from pipelines.settings import Settings

GROUP = "newsgraph.commands"
INSTALL_HINT = "pip install ./tools (in a newsgraph checkout) or pip install newsgraph-tools"
# what newsgraph-tools provides, named here so `newsgraph --help` lists them where it is absent
EXPECTED = {
    "bench": "throughput, scaling and memory of nights; writes bench/results.json and docs/benchmarks.md",
    "eval": "score a stage against the gold files in ../shared",
    "train-ner": "retrain the German NER models from ../shared/corpora",
}


class ToolCommand(Protocol):
    """One command: its help text, its options, and what it does (returns a cli.Outcome or an exit status)."""

    summary: str
    details: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, settings: Settings) -> Any: ...


def installed_commands() -> dict[str, ToolCommand]:
    """The commands registered under :data:`GROUP` by installed distributions (one that fails to import
    counts as absent: a broken developer tool must not break the product's CLI)."""
    found: dict[str, ToolCommand] = {}
    for entry in entry_points(group=GROUP):
        try:
            found[entry.name] = entry.load()
        except ImportError:
            continue
    return found


def missing_tool(name: str) -> Callable[[argparse.Namespace, Settings], int]:
    """The handler of a command whose distribution is not installed: one line on stderr, exit status 2."""

    def handler(args: argparse.Namespace, settings: Settings) -> int:
        import sys

        print(f"newsgraph {name}: needs newsgraph-tools, which is not installed; {INSTALL_HINT}", file=sys.stderr)
        return 2

    return handler
