"""The records the night's files hold: written by hand where asdict is too slow, so checked against it."""

from dataclasses import asdict, fields

from pipelines.domain import Candidate, LinkedMention


def test_a_linked_mention_serializes_as_asdict_would() -> None:
    mention = LinkedMention(
        0, 4, "Wien", "LOC", "Q1741", 0.9, "Wien", [Candidate("Q1741", "Wien", 0.9), Candidate("Q2", "Erde", 0.1)]
    )
    data = mention.to_dict()
    assert data == asdict(mention)
    assert list(data) == [f.name for f in fields(LinkedMention)]  # key order too: the files' bytes
    assert list(data["candidates"][0]) == [f.name for f in fields(Candidate)]
    assert LinkedMention.from_dict(data) == mention


def test_a_nil_mention_without_candidates_round_trips() -> None:
    mention = LinkedMention(3, 9, "Müller", "PER", None, 0.0, "müller")
    assert mention.to_dict() == asdict(mention)
    assert LinkedMention.from_dict(mention.to_dict()) == mention
