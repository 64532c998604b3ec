"""Story grouping on invented articles: what counts as evidence of one event, and what never chains."""

from __future__ import annotations

from datetime import date

import numpy as np

from pipelines.quotes.stories import StoryArticle, boilerplate, group_stories

NOTICE = "Der Volltext dieses Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung."


def article(doc_id: str, text: str, *entities: str, day: date | None = None) -> StoryArticle:
    """Entities named ``p:…`` are persons."""
    people = frozenset(e for e in entities if e.startswith("p:"))
    return StoryArticle(doc_id, text, frozenset(entities), people, day=day)


def groups(articles: list[StoryArticle], **kwargs: object) -> list[list[str]]:
    return [s.articles for s in group_stories(articles, **kwargs)]  # type: ignore[arg-type]


def test_a_notice_shared_by_unrelated_articles_is_no_evidence() -> None:
    stubs = [
        article("a", f"Das Gefangenenlager soll schließen. {NOTICE}", "p:obama", "o:pentagon"),
        article("b", f"Der Präsident besucht Havanna. {NOTICE}", "p:obama", "o:pentagon"),
        article("c", f"Netflix gewinnt Kunden im Ausland. {NOTICE}", "o:netflix"),
    ]
    assert boilerplate(stubs) == {NOTICE.casefold()}
    assert groups(stubs) == []
    assert groups(stubs[:2]) == [["a", "b"]]  # two alone: nothing says the notice is furniture


def test_wire_copies_share_sentences_and_actors() -> None:
    wire = "Nato-Generalsekretär Jens Stoltenberg hat Russland zu neuen Gesprächen im Nato-Russland-Rat eingeladen."
    copies = [
        article("a", f"{wire} Das sagte er in Brüssel.", "p:stoltenberg", "o:nato"),
        article("b", f"{wire} Moskau reagierte zunächst nicht.", "p:stoltenberg", "o:nato"),
        article("c", "Der Bahnstreik geht weiter. Die Lokführer fordern mehr Geld von der Bahn.", "o:gdl"),
    ]
    assert boilerplate(copies) == frozenset()
    assert groups(copies) == [["a", "b"]]


def test_actors_alone_or_words_alone_are_no_event() -> None:
    body = "Streik Lokführer Gewerkschaft Tarifrunde Angebot Warnstreik Schlichtung "
    same_words = [
        article("a", body * 2, "o:gdl", "o:bahn"),  # no person in common: a topic, not an event
        article("b", body * 2 + "Fahrgastverband", "o:gdl", "o:bahn"),
    ]
    assert groups(same_words) == []
    same_actors = [
        article("a", body * 2, "p:weselsky", "o:gdl"),
        article("b", "Museum Handschrift Ausstellung Bibliothek Restaurierung " * 2, "p:weselsky", "o:gdl"),
    ]
    assert groups(same_actors) == []
    both = [
        article("a", body * 2 + "Weselsky", "p:weselsky", "o:gdl"),
        article("b", body + "Weselsky Fahrgastverband", "p:weselsky", "o:gdl"),
    ]
    assert groups(both) == [["a", "b"]]


def test_look_alikes_do_not_chain_into_one_story() -> None:
    """b reports a's event and c's; a's and c's are different events: c is no member of a's story."""
    a = article("a", "Rapid Sturm Elfmeter Hütteldorf Ausgleich Gludovatz Nachspielzeit", "p:barisic", "o:rapid")
    b = article(
        "b",
        "Rapid Sturm Elfmeter Hütteldorf Ausgleich Gludovatz Nachspielzeit Tabellenführung Mattersburg Bürgerl",
        "p:barisic",
        "o:rapid",
        "o:mattersburg",
    )
    c = article("c", "Tabellenführung Mattersburg Bürgerl Rapid Pappelstadion", "p:barisic", "o:rapid", "o:mattersburg")
    assert groups([a, b, c]) == [["a", "b"]]


def test_days_far_apart_are_different_events() -> None:
    text = "Stoltenberg Nato Gespräche Russland Sicherheitsgarantien Truppen"
    far = [
        article("a", text, "p:stoltenberg", "o:nato", day=date(2022, 1, 10)),
        article("b", text + " Brüssel", "p:stoltenberg", "o:nato", day=date(2022, 1, 13)),
    ]
    assert groups(far) == []
    near = [far[0], article("b", text + " Brüssel", "p:stoltenberg", "o:nato", day=date(2022, 1, 12))]
    assert groups(near) == [["a", "b"]]


def test_the_encoder_has_the_last_word_and_sees_only_candidates() -> None:
    body = "Thiem Achtelfinale Zweisatzsieg Sandplatz Weltrangliste Aufschlag "
    tennis = [
        article("rio", body + "Rio", "p:thiem", "o:atp"),
        article("baires", body + "Buenos", "p:thiem", "o:atp"),
        article("museum", "Museum Handschrift Ausstellung", "o:museum"),
    ]
    asked: list[str] = []

    def embed(text: str) -> np.ndarray:
        asked.append(text)
        return np.array([1.0, 0.0]) if text.endswith("Rio") else np.array([0.8, 0.6])  # cosine 0.8

    assert groups(tennis, embed=embed) == []
    assert sorted(asked) == sorted(a.text for a in tennis[:2])  # the museum piece is never embedded
    assert groups(tennis, embed=lambda text: np.array([1.0, 0.0])) == [["baires", "rio"]]


def test_the_lead_encoder_knows_a_paraphrase_from_another_topic() -> None:
    from pipelines.quotes.stage import embed_lead

    nato = embed_lead("Die Nato lädt Russland zu weiteren Gesprächen über die Sicherheit in Europa ein.")
    paraphrase = embed_lead("Das Militärbündnis will mit Moskau weiter über Europas Sicherheit verhandeln.")
    football = embed_lead("Der FC Bayern gewann am Samstag gegen Borussia Dortmund mit 3:0.")
    assert abs(float(np.linalg.norm(nato)) - 1.0) < 1e-5
    assert float(nato @ paraphrase) > float(nato @ football) + 0.05
    long = embed_lead("Wort " * 1000)  # only the lead is read
    assert long.shape == nato.shape
