"""Fixtures of the NER tests: the shipped models, loaded once per session."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipelines.ner import load_ner


@pytest.fixture(scope="session")
def default_nlp() -> Language:
    return load_ner("default")


@pytest.fixture(scope="session")
def fast_nlp() -> Language:
    return load_ner("fast")
