"""Outlet profiles: the outlet-specific junk patterns, kept as data (one YAML file per outlet).

A profile is matched by the page's host or, for text without a URL, by the text's own signals, so
adding an outlet is a data change. Profiles only add to the generic rules in ``rules.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from pipelines.cleanup.categories import CATEGORIES
from pipelines.cleanup.errors import CleanupError

_ALLOWED_KEYS = {"name", "publisher", "hosts", "signals", "rules", "phrases", "notes"}


@dataclass(frozen=True)
class ProfileRule:
    """An outlet-specific line pattern: a line it matches (re.search) is removed with ``category``."""

    category: str
    pattern: re.Pattern[str]
    reason: str


@dataclass(frozen=True)
class Profile:
    """One outlet: how to recognise it and which extra patterns its pages need."""

    name: str
    publisher: str | None = None
    hosts: tuple[str, ...] = ()
    signals: tuple[re.Pattern[str], ...] = ()
    rules: tuple[ProfileRule, ...] = ()
    phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (category, UI words) pairs
    source: str = ""

    def matches_host(self, host: str) -> bool:
        host = host.lower().removeprefix("www.")
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def matches_text(self, text: str) -> bool:
        return any(signal.search(text) for signal in self.signals)


@dataclass(frozen=True)
class ProfileRegistry:
    """All known outlet profiles; ``match`` picks the ones that apply to a document."""

    profiles: tuple[Profile, ...] = ()

    def match_host(self, url: str | None) -> list[Profile]:
        """Profiles whose hosts include the URL's host (or a parent domain of it)."""
        if not url:
            return []
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        return [p for p in self.profiles if host and p.matches_host(host)]

    def match(self, url: str | None, text: str) -> list[Profile]:
        """Profiles for the URL's host, else those whose signals occur in the text."""
        return self.match_host(url) or [p for p in self.profiles if p.matches_text(text)]

    def __len__(self) -> int:
        return len(self.profiles)


class ProfileError(CleanupError):
    """A profile file that is not valid; the message names the file and the field."""


def _compile(pattern: Any, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise ProfileError(f"{where}: pattern must be a non-empty string, got {pattern!r}")
    try:
        return re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise ProfileError(f"{where}: invalid regular expression {pattern!r}: {exc}") from None


def _string_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ProfileError(f"{where}: expected a list of non-empty strings")
    return list(value)


def parse_profile(data: Any, source: str) -> Profile:
    """Validate one profile mapping (as read from YAML) and compile its patterns."""
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: a profile must be a mapping, got {type(data).__name__}")
    unknown = set(data) - _ALLOWED_KEYS
    if unknown:
        raise ProfileError(f"{source}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_ALLOWED_KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ProfileError(f"{source}: 'name' is required and must be a non-empty string")
    publisher = data.get("publisher")
    if publisher is not None and not isinstance(publisher, str):
        raise ProfileError(f"{source}: 'publisher' must be a string")
    hosts = tuple(h.lower().removeprefix("www.") for h in _string_list(data.get("hosts"), f"{source}: hosts"))
    signals = tuple(
        _compile(s, f"{source}: signals[{i}]")
        for i, s in enumerate(_string_list(data.get("signals"), f"{source}: signals"))
    )
    if not hosts and not signals:
        raise ProfileError(f"{source}: a profile needs 'hosts' or 'signals' to be matched by")
    rules: list[ProfileRule] = []
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        raise ProfileError(f"{source}: 'rules' must be a list")
    for i, rule in enumerate(raw_rules):
        where = f"{source}: rules[{i}]"
        if not isinstance(rule, dict) or set(rule) - {"category", "pattern", "reason"}:
            raise ProfileError(f"{where}: a rule is a mapping with category, pattern and reason")
        category = rule.get("category")
        if category not in CATEGORIES:
            raise ProfileError(f"{where}: unknown category {category!r}; known: {sorted(CATEGORIES)}")
        reason = rule.get("reason") or f"{name} profile pattern"
        rules.append(ProfileRule(category, _compile(rule.get("pattern"), where), f"{name}: {reason}"))
    phrases: dict[str, tuple[str, ...]] = {}
    raw_phrases = data.get("phrases") or {}
    if not isinstance(raw_phrases, dict):
        raise ProfileError(f"{source}: 'phrases' must map a category to a list of UI words")
    for category, words in raw_phrases.items():
        if category not in CATEGORIES:
            raise ProfileError(f"{source}: phrases: unknown category {category!r}")
        phrases[category] = tuple(w.lower() for w in _string_list(words, f"{source}: phrases.{category}"))
    return Profile(name.strip(), publisher, hosts, signals, tuple(rules), tuple(phrases.items()), source)


def load_profiles(directory: Path | str) -> ProfileRegistry:
    """Read and validate every ``*.yaml`` profile in ``directory`` (sorted by file name)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ProfileError(f"profile directory {directory} does not exist")
    profiles: list[Profile] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            first = str(exc).splitlines()[0] if str(exc) else "syntax error"
            raise ProfileError(f"{path.name}: not valid YAML ({first})") from None
        profiles.append(parse_profile(data, path.name))
    names = [p.name for p in profiles]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ProfileError(f"{directory}: duplicate profile name(s) {duplicates}")
    return ProfileRegistry(tuple(profiles))
