"""The quote rules on short German reporting sentences with hand-made mentions."""

from __future__ import annotations

from pipelines.domain import EntityLabel, LinkedMention
from pipelines.quotes import find_quotes, find_roles
from pipelines.quotes.stories import StoryArticle, group_stories


def _mentions(text: str, names: dict[str, tuple[EntityLabel, str | None]]) -> list[LinkedMention]:
    out = []
    for name, (label, qid) in names.items():
        start = text.index(name)
        out.append(LinkedMention(start, start + len(name), name, label, qid, 0.9, name))
    return out


def test_direct_reported_and_pronoun() -> None:
    text = (
        "Bundeskanzlerin Angela Merkel (CDU) besuchte Paris. „Wir stehen an der Seite Frankreichs“, sagte sie. "
        "Die Lage sei ernst, betonte die Kanzlerin. Man werde weiter verhandeln."
    )
    mentions = _mentions(text, {"Angela Merkel": ("PER", "Q567"), "Paris": ("LOC", "Q90")})
    quotes = find_quotes(text, mentions)
    kinds = [(q.kind, q.attribution, q.text) for q in quotes]
    assert ("direct", "explicit", "Wir stehen an der Seite Frankreichs") in kinds
    assert ("indirect", "explicit", "Die Lage sei ernst") in kinds
    assert ("indirect", "continuation", "Man werde weiter verhandeln") in kinds
    assert all(q.speaker is not None and q.speaker.qid == "Q567" for q in quotes)
    pronoun = next(q for q in quotes if q.kind == "direct")
    assert pronoun.speaker is not None and pronoun.speaker.ref_kind == "pronoun"
    roles = {(r.role_text.text, r.kind) for r in find_roles(text, mentions)}
    assert roles == {("Bundeskanzlerin", "position"), ("CDU", "party")}


def test_laut_and_unnamed_speaker() -> None:
    text = "Der Streik dauert laut Verdi-Chef Frank Werneke an. Das Angebot sei zu gering, berichten Gewerkschafter."
    mentions = _mentions(text, {"Frank Werneke": ("PER", None)})
    quotes = find_quotes(text, mentions)
    assert quotes[0].cue is not None and quotes[0].cue.text == "laut"
    assert quotes[0].speaker is not None and quotes[0].speaker.span.text == "Frank Werneke"
    assert quotes[1].speaker is not None and not quotes[1].speaker.named
    assert quotes[1].speaker.span.text == "Gewerkschafter"


def test_narrator_sentences_are_no_quotes() -> None:
    text = "Die Regierung hat am Montag ein Gesetz beschlossen. Es tritt im Mai in Kraft."
    assert find_quotes(text, []) == []


def test_stories_need_shared_actors() -> None:
    body = "Streik Bahn Lokführer Gewerkschaft Verhandlung Angebot Tarif "
    a = StoryArticle("a", body * 3 + "Weselsky", frozenset({"p:w", "o:gdl"}), frozenset({"p:w"}))
    b = StoryArticle("b", body * 2 + "Weselsky Warnstreik", frozenset({"p:w", "o:gdl"}), frozenset({"p:w"}))
    c = StoryArticle("c", "Museum Handschrift Ausstellung Bibliothek " * 3, frozenset({"o:db", "o:gdl"}))
    stories = group_stories([a, b, c])
    assert [s.articles for s in stories] == [["a", "b"]]


def _said(text: str, names: dict[str, tuple[EntityLabel, str | None]]) -> list[tuple[str, str | None, str | None]]:
    return [
        (q.text, q.cue.text if q.cue else None, q.speaker.span.text if q.speaker else None)
        for q in find_quotes(text, _mentions(text, names))
    ]


def test_trailing_attributions_of_german_reports() -> None:
    text = (
        "Hamburg – Der Hafen wird ausgebaut, wie die Behörde am Montag mitteilte. "
        "Die Kosten seien gestiegen, heißt es in dem Bericht des Senats. "
        "Er hoffe auf eine Einigung."
    )
    said = _said(text, {"Senats": ("ORG", None)})
    assert said[0] == ("Der Hafen wird ausgebaut", "mitteilte", "Behörde")
    assert said[1][:2] == ("Die Kosten seien gestiegen", "heißt es")
    assert said[2][0] == "Er hoffe auf eine Einigung"


def test_separable_cues_and_what_is_no_report() -> None:
    text = (
        "Das sei nicht geplant, stellte Anna Weber fest. Sie habe ihm Dinge gesagt, die ihm aufgefallen waren. "
        "Bleibt zu hoffen, dass alles gut geht. Direkt nach der Wahl hat der versprochen, dass man liefern würde."
    )
    said = _said(text, {"Anna Weber": ("PER", None)})
    assert said[0] == ("Das sei nicht geplant", "stellte", "Anna Weber")
    assert all(cue not in ("gesagt", "hoffen") for _, cue, _ in said)
    assert all(speaker != "Direkt" for _, _, speaker in said)


def test_laut_with_a_title_in_apposition_and_the_adjective() -> None:
    text = "Die Zahl steigt laut Generalinspekteur der Behörde, Karl Berg, weiter. Die Musik ist allzu laut gewesen."
    said = _said(text, {"Karl Berg": ("PER", None)})
    assert [s[2] for s in said] == ["Karl Berg"]
