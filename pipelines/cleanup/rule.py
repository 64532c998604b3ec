"""One junk-line rule: a pattern, the removal category it names and the reason recorded with it."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    category: str
    pattern: re.Pattern[str]
    reason: str
    short_only: bool = True
    opens_zone: str | None = None
    needles: tuple[str, ...] = ()  # lower-case substrings one of which the line must contain (speed)

    def applies(self, line: str, lowered: str, short: bool) -> bool:
        if self.short_only and not short:
            return False
        if self.needles and not any(needle in lowered for needle in self.needles):
            return False
        return self.pattern.search(line) is not None


def rule(
    category: str,
    pattern: str,
    reason: str,
    *,
    short_only: bool = True,
    zone: str | None = None,
    needles: str = "",
) -> Rule:
    words = tuple(n for n in needles.split(";") if n)
    return Rule(category, re.compile(pattern, re.IGNORECASE), reason, short_only, zone, words)
