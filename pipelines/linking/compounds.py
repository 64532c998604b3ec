"""Span repair before linking: titles, trailing hyphens, and names inside German hyphen compounds.

German writes "Nato-Staaten", "US-Außenminister", "Ukraine-Konflikt": a name as the modifier of a
generic head. The name gets its own mention with exact offsets. Where the head names an institution
or format ("Nato-Russland-Rat", "EU-Kommission", "Normandie-Format", "US-Außenministerium"), the whole
compound is the name and stays one mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipelines.domain import EntityLabel, Mention
from pipelines.kb.names import name_key
from pipelines.linking.morphology import nil_base

# Heads that make a compound the proper name of an institution or format (matched as word endings).
INSTITUTION_HEADS = (
    "rat",
    "kommission",
    "format",
    "ministerium",
    "parlament",
    "gericht",
    "gerichtshof",
    "versammlung",
    "agentur",
    "behörde",
    "bank",
    "fonds",
    "vertrag",
    "abkommen",
    "akte",
)
# Generic heads (matched as word endings) after which an unknown modifier is still taken as a name
# ("Baltikum-Staaten" → "Baltikum"); an unknown modifier before any other head stays in the compound,
# so double names ("Kramp-Karrenbauer", "Elsass-Lothringen") are never cut.
GENERIC_HEADS = (
    "staaten",
    "staat",
    "länder",
    "regierung",
    "chef",
    "chefin",
    "minister",
    "ministerin",
    "präsident",
    "präsidentin",
    "sprecher",
    "sprecherin",
    "diplomat",
    "diplomaten",
    "truppen",
    "soldaten",
    "armee",
    "armeen",
    "streitkräfte",
    "mitglied",
    "mitglieder",
    "mitgliedschaft",
    "beitritt",
    "grenze",
    "grenzen",
    "konflikt",
    "krise",
    "krieg",
    "gipfel",
    "treffen",
    "gespräche",
    "verhandlungen",
    "politik",
    "sanktionen",
    "partner",
    "verbündeten",
    "allianz",
    "bündnis",
    "hauptquartier",
    "zentrale",
    "vertreter",
    "vertreterin",
    "botschafter",
    "botschafterin",
    "halbinsel",
    "region",
    "osten",
    "westen",
    "atomwaffen",
    "waffen",
    "raketen",
    "manöver",
    "einsatz",
    "mission",
    "kurs",
    "führung",
    "spitze",
    "anhänger",
    "anhängerin",
    "anhängern",
    "gegner",
    "gegnerin",
    "kritiker",
    "kritikerin",
    "lager",
    "fans",
    "team",
    "berater",
    "beraterin",
    "vertraute",
    "vertrauter",
    "besuch",
    "rede",
    "interview",
    "äußerungen",
    "ära",
    "wahl",
    "wahlkampf",
    "kampagne",
    "kandidat",
    "kandidatin",
    "konzern",
    "tochter",
    "aktie",
    "aktien",
    "chefs",
    "fraktion",
    "abgeordnete",
    "abgeordneter",
    "abgeordneten",
    "politiker",
    "politikerin",
    "spitzenkandidat",
    "spitzenkandidatin",
    "vorsitzende",
    "vorsitzender",
)
# Titles that are not part of a person's name ("Bundeskanzler Olaf Scholz" → "Olaf Scholz").
TITLES = frozenset(
    t.casefold()
    for t in (
        "Bundeskanzler",
        "Bundeskanzlerin",
        "Kanzler",
        "Kanzlerin",
        "Präsident",
        "Präsidentin",
        "Bundespräsident",
        "Bundespräsidentin",
        "Außenminister",
        "Außenministerin",
        "Generalsekretär",
        "Generalsekretärin",
        "Ministerpräsident",
        "Ministerpräsidentin",
        "Premierminister",
        "Premierministerin",
        "Regierungschef",
        "Regierungschefin",
        "Staatschef",
        "Staatschefin",
        "Kremlchef",
        "Minister",
        "Ministerin",
        "Außenbeauftragte",
        "Außenbeauftragter",
        "Vize-Außenminister",
        "Vize-Außenministerin",
        "Verteidigungsminister",
        "Verteidigungsministerin",
        "Botschafter",
        "Botschafterin",
        "Herr",
        "Frau",
        "Dr.",
        "Prof.",
    )
)
_TOKEN_CHARS = re.compile(r"[\w\-\u2010\u2011\u00ad]")
_HYPHEN = re.compile(r"[-\u2010\u2011]")
_HYPHENS = "-\u2010\u2011"
_EDGE_PUNCTUATION = "\"'„“”‚‘’»«›‹()[]{},;:!?/\u00ad \t\r\n\u00a0"


def is_institution_head(head: str) -> bool:
    base = nil_base(head, "ORG").casefold()
    return any(base.endswith(h) for h in INSTITUTION_HEADS)


def _full_token(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend [start, end) over letters and hyphens on both sides (the whole written compound)."""
    while start > 0 and _TOKEN_CHARS.match(text[start - 1]):
        start -= 1
    while end < len(text) and _TOKEN_CHARS.match(text[end]):
        end += 1
    while end > start and text[end - 1] in "-\u2010\u2011":
        end -= 1
    return start, end


def _strip_titles(text: str, mention: Mention) -> Mention:
    if mention.label != "PER":
        return mention
    start, words = mention.start, mention.text.split(" ")
    while len(words) > 1 and (words[0].casefold() in TITLES or words[0].rpartition("-")[2].casefold() in TITLES):
        start += len(words[0]) + 1
        words = words[1:]
    if start == mention.start:
        return mention
    return Mention(start=start, end=mention.end, text=text[start : mention.end], label=mention.label)


def repair_span(
    text: str,
    mention: Mention,
    is_name: Callable[[str], bool],
    kb_label: Callable[[str], EntityLabel | None],
    is_label: Callable[[str], bool] | None = None,
) -> Mention:
    """The span to link for one NER mention (see module docstring). ``is_name(s)``: the KB knows s;
    ``is_label(s)``: as a label or alias in German or English (not only as a weak or foreign name)."""
    mention = _strip_titles(text, mention)
    start, end = mention.start, mention.end
    # Quotes, brackets and punctuation the NER took along („Nato“, "(OSZE)"); a final "." only where
    # the name is not known with it (keeps "Washington, D.C.").
    while start < end and text[start] in _EDGE_PUNCTUATION:
        start += 1
    while (
        end > start
        and (
            text[end - 1] in _EDGE_PUNCTUATION + _HYPHENS  # "Nato-" of "Nato- und EU-Staaten"
            or (text[end - 1] == "." and not is_name(text[start:end]))
        )
    ):
        end -= 1
    if start == end:
        return Mention(mention.start, mention.start, "", mention.label)
    full_start, full_end = _full_token(text, start, end)
    if (full_start, full_end) != (start, end) and _HYPHEN.search(text[full_start:full_end]):
        whole = text[full_start:full_end]
        head = _HYPHEN.split(whole)[-1]
        if " " not in whole and is_institution_head(head):
            # "Nato" handed alone out of "Nato-Russland-Rat": the whole compound is the name.
            return Mention(full_start, full_end, whole, mention.label)
    surface = text[start:end]
    if _HYPHEN.search(surface) and " " not in surface and not is_name(surface):
        parts = _HYPHEN.split(surface)
        head = nil_base(parts[-1], "ORG").casefold()
        generic = any(head.endswith(h) for h in GENERIC_HEADS) and not is_name(parts[-1])
        strong = is_label or is_name
        double_name = len(parts) == 2 and all(is_name(p) for p in parts)  # "Baden-Württemberg"
        if len(parts) >= 2 and not is_institution_head(parts[-1]) and not double_name:
            for k in range(len(parts) - 1, 0, -1):
                prefix = surface[: sum(len(p) + 1 for p in parts[:k]) - 1]
                # A name known only weakly ("Elsass" of "Elsass-Lothringen") is cut off only before
                # a generic head.
                if is_name(prefix) and (generic or strong(prefix)):
                    return Mention(start, start + len(prefix), prefix, kb_label(prefix) or mention.label)
            if generic and parts[0][:1].isupper() and len(parts) == 2:
                return Mention(start, start + len(parts[0]), parts[0], mention.label)
    if (start, end) != (mention.start, mention.end):
        return Mention(start, end, text[start:end], mention.label)
    return mention


# Words before a place name that describe it ("Halbinsel Krim", "Hauptstadt Kiew").
DESCRIPTORS = frozenset(
    (
        "halbinsel",
        "insel",
        "stadt",
        "hauptstadt",
        "hafenstadt",
        "grenzstadt",
        "metropole",
        "region",
        "provinz",
        "bundesland",
        "landkreis",
        "kreis",
        "gemeinde",
        "dorf",
        "republik",
    )
)
_NON_SPACE = re.compile(r"\S+")


def _is_filler(word: str) -> bool:
    """A word that may stand next to a name inside an NER span without being part of it."""
    key = word.casefold().rstrip(".,;:")
    if not word[:1].isupper() or key in TITLES or key in DESCRIPTORS:
        return True
    head = _HYPHEN.split(key)[-1]
    return head in TITLES or any(head.endswith(h) for h in GENERIC_HEADS)


def split_joined_names(
    text: str, mention: Mention, is_name: Callable[[str], bool], kb_label: Callable[[str], EntityLabel | None]
) -> list[Mention]:
    """Cut an NER span that ran several names or a name and its context together.

    "Jens Stoltenberg Russland" → "Jens Stoltenberg", "Russland"; "Estlands Ministerpräsidentin" →
    "Estlands"; "Halbinsel Krim" → "Krim"; "Nato-Mitglied Estland" → "Nato", "Estland". Only where
    every word is either part of a known name or a filler (title, descriptor, generic noun, lowercase
    word); an unknown name ("Andreas Michaelis", "Universität Wien") stays whole.
    """
    tokens = [(mention.start + m.start(), mention.start + m.end()) for m in _NON_SPACE.finditer(mention.text)]
    if len(tokens) < 2 or is_name(mention.text):
        return [mention]
    pieces: list[Mention] = []
    i = 0
    while i < len(tokens):
        found = None
        for j in range(len(tokens), i, -1):
            start, end = tokens[i][0], tokens[j - 1][1]
            if (i, j) != (0, len(tokens)) and is_name(text[start:end]):
                found = (j, start, end)
                break
        if found is not None:
            j, start, end = found
            pieces.append(Mention(start, end, text[start:end], kb_label(text[start:end]) or mention.label))
            i = j
            continue
        start, end = tokens[i]
        word = text[start:end]
        if not _is_filler(word):
            return [mention]
        part = repair_span(text, Mention(start, end, word, mention.label), is_name, kb_label)
        if part.text and part.text != word and is_name(part.text):
            pieces.append(part)  # the name inside a filler compound: "Nato" of "Nato-Mitglied"
        i += 1
    return pieces or [mention]


_WORD_SPAN = re.compile(r"\S+")


def extend_to_known_name(text: str, mention: Mention, names_around: Callable[[str, str], list[str]]) -> Mention:
    """Widen a span the NER cut short to the whole known name around it.

    "Europa" inside "Organisation für Sicherheit und Zusammenarbeit in Europa", "Leyen" of "Von der
    Leyen": where the words before (or after) the span complete a multi-word name of the index.
    """
    words = [(m.start(), m.end()) for m in _WORD_SPAN.finditer(text, max(0, mention.start - 120), mention.start)]
    after = [(m.start(), m.end()) for m in _WORD_SPAN.finditer(text, mention.end, mention.end + 120)]
    inner = mention.text.split()
    if not inner:
        return mention
    best = mention
    for side, word in (("last", inner[-1]), ("first", inner[0])):
        for key in names_around(word.strip(_EDGE_PUNCTUATION), side):
            size = key.count(" ") + 1 - len(inner)
            if size <= 0:
                continue
            if side == "last" and len(words) >= size and (size == 0 or words[-size][1] <= mention.start):
                start = words[-size][0]
                end = mention.end
            elif side == "first" and len(after) >= size:
                start, end = mention.start, after[size - 1][1]
            else:
                continue
            candidate = text[start:end].strip(_EDGE_PUNCTUATION)
            offset = text.find(candidate, start, end)
            if offset >= 0 and name_key(candidate) == key and len(candidate) > len(best.text):
                best = Mention(offset, offset + len(candidate), candidate, mention.label)
    return best


# Words the NER hands over alone that are never a name by themselves: currencies and units, and the
# club or article prefixes of a name it cut ("FC" of "FC Liefering", "Al" of "Al-Kaida").
NOT_NAMES = frozenset(
    w.casefold()
    for w in (
        "Euro",
        "Euros",
        "Dollar",
        "Franken",
        "Pfund",
        "Rubel",
        "Yen",
        "Yuan",
        "Lira",
        "Kronen",
        "Cent",
        "Prozent",
        "FC",
        "SC",
        "SV",
        "AC",
        "Al",
        "El",
    )
)


def never_a_name(mention: Mention) -> bool:
    """A span that is one word of NOT_NAMES, whatever the index knows by that name."""
    return mention.text.strip().casefold() in NOT_NAMES


def is_droppable(mention: Mention) -> bool:
    """A span that cannot be a name: no capitalised word ("französischen"), or only a title or a
    descriptor ("Generalsekretär", "Halbinsel")."""
    words = mention.text.split()
    if not any(w[:1].isupper() for w in words):
        return True
    return len(words) == 1 and (words[0].casefold() in TITLES or words[0].casefold() in DESCRIPTORS)
