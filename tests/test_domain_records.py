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


def test_quotes_and_roles_serialize_as_asdict_would() -> None:
    from pipelines.quotes.records import ArticleQuotes, Quote, Role, Span, Speaker

    speaker = Speaker(Span(0, 5, "Merkel"), "PER", "Q567", "Angela Merkel", Span(0, 5, "Merkel"), "name")
    quote = Quote(10, 30, "Wir schaffen das", "direct", "explicit", Span(6, 9, "sagte"), speaker)
    unattributed = Quote(40, 50, "Nie wieder", "direct", "headline", None, None, None)
    role = Role(Span(0, 5, "Merkel"), "Q567", "Angela Merkel", Span(6, 16, "Kanzlerin"), "position", "apposition")
    for record in (quote, unattributed, role):
        assert record.to_dict() == asdict(record)
        assert list(record.to_dict()) == list(asdict(record))
    found = ArticleQuotes("d1", [quote, unattributed], [role])
    assert ArticleQuotes.from_dict(found.to_dict()) == found


def test_a_clean_document_and_a_mention_serialize_as_asdict_would() -> None:
    from pipelines.domain import Block, CleanDocument, Mention, Removal

    clean = CleanDocument(
        "Titel",
        [Block("title", "Titel", [1]), Block("body", "Der Text.", [3, 4])],
        [Removal("Anzeige", "ad", "ad label", 2), Removal("Teilen", "share", "share buttons")],
        {"date": "2026-11-20", "author": ["A. Autor"]},
        "de",
    )
    data = clean.to_dict()
    expected = asdict(clean)
    assert data == expected and list(data) == list(expected)
    assert [list(b) for b in data["blocks"]] == [list(b) for b in expected["blocks"]]
    assert [list(r) for r in data["removed"]] == [list(r) for r in expected["removed"]]
    data["blocks"][1]["lines"].append(5)  # a copy, as asdict's
    assert clean.blocks[1].lines == [3, 4]
    assert CleanDocument.from_dict(clean.to_dict()) == clean
    mention = Mention(4, 8, "Wien", "LOC")
    assert mention.to_dict() == asdict(mention) and list(mention.to_dict()) == list(asdict(mention))
