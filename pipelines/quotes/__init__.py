"""Quotes, roles and stories: who said what, in which role, in which story (plain Python, no Dagster)."""

from pipelines.quotes.extract import find_quotes
from pipelines.quotes.records import ArticleQuotes, Quote, Role, Span, Speaker
from pipelines.quotes.roles import find_roles

__all__ = ["ArticleQuotes", "Quote", "Role", "Span", "Speaker", "find_quotes", "find_roles"]
