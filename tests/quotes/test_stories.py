"""Story grouping on invented articles: what counts as evidence of one event, and what never chains."""

from __future__ import annotations

from collections.abc import Sequence
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
    calls: list[list[str]] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.array([[1.0, 0.0] if t.endswith("Rio") else [0.8, 0.6] for t in texts])  # cosine 0.8

    assert groups(tennis, embed=embed) == []
    assert len(calls) == 1 and sorted(calls[0]) == sorted(a.text for a in tennis[:2])  # never the museum piece
    assert groups(tennis, embed=lambda texts: np.array([[1.0, 0.0]] * len(texts))) == [["baires", "rio"]]


def test_copies_are_one_report_and_a_copy_is_embedded_as_the_text_it_copies() -> None:
    """Copies that differ in their first lines (an update note) join without the encoder; an other
    outlet's report of the event is compared with the first copy only."""
    report = (
        "Nato-Generalsekretär Jens Stoltenberg hat Russland zu neuen Gesprächen eingeladen. "
        "Der Nato-Russland-Rat soll in Brüssel über Truppen an der Grenze sprechen. "
        "Moskau verlangt Sicherheitsgarantien und ein Ende der Osterweiterung. "
        "Die Allianz lehnt ein Veto Russlands gegen neue Mitglieder ab. "
        "Stoltenberg sprach von einer ernsten Lage für die Sicherheit Europas."
    )
    first = article("a1", f"Aktualisiert um acht Uhr am Morgen heute. {report}", "p:stoltenberg", "o:nato")
    update = article("a2", f"Aktualisiert um zehn Uhr am Vormittag heute. {report}", "p:stoltenberg", "o:nato")
    other = article(
        "b",
        "Stoltenberg lädt Russland in den Nato-Russland-Rat ein. Die Gespräche über Truppen und "
        "Sicherheitsgarantien sollen in Brüssel stattfinden, sagte der Generalsekretär.",
        "p:stoltenberg",
        "o:nato",
    )
    calls: list[list[str]] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.array([[1.0, 0.0]] * len(texts))

    assert groups([first, update, other], embed=embed) == [["a1", "a2", "b"]]
    assert calls == [[first.text, other.text]]
    assert groups([first, update], embed=embed) == [["a1", "a2"]] and len(calls) == 1  # copies alone: no encoder


def test_the_lead_encoder_knows_a_paraphrase_from_another_topic() -> None:
    from pipelines.ner.e5_encoder import E5TextEncoder
    from pipelines.quotes.stage import embed_leads

    nato, paraphrase, football, long = embed_leads(
        [
            "Die Nato lädt Russland zu weiteren Gesprächen über die Sicherheit in Europa ein.",
            "Das Militärbündnis will mit Moskau weiter über Europas Sicherheit verhandeln.",
            "Der FC Bayern gewann am Samstag gegen Borussia Dortmund mit 3:0.",
            "Wort " * 1000,  # only the lead is read
        ]
    )
    assert abs(float(np.linalg.norm(nato)) - 1.0) < 1e-5
    assert float(nato @ paraphrase) > float(nato @ football) + 0.05
    assert long.shape == nato.shape
    alone = E5TextEncoder().embed("Der FC Bayern gewann am Samstag gegen Borussia Dortmund mit 3:0.")
    assert np.allclose(alone, football, atol=1e-5)  # alone or padded in a batch of longer leads: the same meaning
