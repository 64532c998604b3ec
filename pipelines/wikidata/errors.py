"""Errors of the live Wikidata client."""

from __future__ import annotations


class WikidataError(ValueError):
    """A Wikidata request failed or answered in an unexpected shape (says which request)."""


class WikidataUnavailable(WikidataError):
    """Wikidata did not answer usefully within the retries (429/5xx/timeouts/maxlag)."""


class WikidataAPIError(WikidataError):
    """The API answered with an error envelope ({"error": {"code": ...}})."""

    def __init__(self, code: str, info: str, request: str) -> None:
        super().__init__(f"Wikidata API error {code!r} for {request}: {info}")
        self.code = code
        self.info = info
