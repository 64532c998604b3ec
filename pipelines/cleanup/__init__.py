"""The cleanup stage: boilerplate removal for German news, from HTML pages or from extracted text."""

from __future__ import annotations

from pipelines.cleanup.document import clean_document
from pipelines.cleanup.errors import CleanupError
from pipelines.cleanup.html_mode import clean_html
from pipelines.cleanup.profiles import Profile, ProfileRegistry, load_profiles
from pipelines.cleanup.text_mode import clean_text

__all__ = [
    "CleanupError",
    "Profile",
    "ProfileRegistry",
    "clean_document",
    "clean_html",
    "clean_text",
    "load_profiles",
]
