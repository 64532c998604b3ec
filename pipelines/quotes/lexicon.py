"""German reporting conventions as word lists: verbs of saying, attribution phrases, Konjunktiv forms.

The lists describe how German news attributes speech in general (GUIDELINES.md of the quote gold,
Duden's "indirekte Rede"); they are not tuned to particular articles.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SAY_STEMS = words(
    """
    sag erklär beton warn ergänz füg bericht versicher sicher stell mach hoff bekräftig kritisier
    erläuter teil verkünd bestreit behaupt argumentier mahn droh antwort schreib twitter räum verlaut
    beklag beschwer gesteh kommentier zitier glaub befürcht vermut erwider wiederhol präzisier insistier
    beteuer bilanzier resümier unterstreich ruf zweifel bestätig meld verweis wehr
    """
)
# finite forms of verbs of saying: stem + a German verb ending (sagte, betonten, erklärt, bestritt ...)
SAY_VERB = re.compile(
    r"^(?:" + "|".join(_SAY_STEMS) + r")(?:e|en|t|te|ten|et|ete|eten|st|est)$",
)
SAY_STRONG = words(
    """
    bestritt bestritten unterstrich unterstrichen schrieb schrieben rief riefen versprach versprachen
    meint meinte meinten gestand gestanden gab gaben gibt verwies verwiesen
    """
)
SAY_PARTICIPLE = re.compile(
    r"^(?:gesagt|erklärt|betont|gewarnt|bestritten|beschwert|versichert|berichtet|mitgeteilt|eingeräumt|"
    r"hinzugefügt|unterstrichen|bekräftigt|kritisiert|gedroht|behauptet|geäußert|versprochen|zugesichert|"
    r"klargestellt|erläutert|angedeutet|bekannt|dementiert)$"
)
# verbs that report content only with a complement of their own (sicherte … zu, stellte … klar)
SEPARABLE = {
    "sicher": ("zu",),
    "stell": ("klar", "fest"),
    "mach": ("deutlich", "klar"),
    "füg": ("hinzu",),
    "teil": ("mit",),
    "räum": ("ein",),
    "ruf": ("auf",),
    "rief": ("auf",),
    "wehr": ("sich",),
    "gab": ("an",),
    "gibt": ("an",),
}
# separable verbs of saying written as one word in subordinate clauses (", wie ihr Sprecher mitteilte")
JOINED_SAY = re.compile(
    r"^(?:(?:mitteil|hinzufüg|klarstell|feststell|einräum|zusicher|klarmach|deutlichmach)(?:e|en|t|te|ten)|"
    r"angab|angaben|angibt|bekanntgab|bekanntgaben)$"
)
# '…, heißt es (in dem Bericht)': the impersonal report of a document or of unnamed sources
IMPERSONAL_CUES = frozenset({"heißt", "hieß"})
RELATIVE_PRONOUNS = frozenset({"der", "die", "das", "dem", "den", "denen", "deren", "dessen", "welche", "welcher"})
# speech acts with a noun phrase or an infinitive only: quoted words inside them are partial quotes of the
# subject, but the verb introduces no reported clause (GUIDELINES §1: warnte vor …, forderte … auf, … zu)
SPEECH_ACT = re.compile(
    r"^(?:warnt|forder|sprach|sprich|kündig|erhob|wies|lob|begrüß|verurteil|bezeichn|nann|nenn|ford|zeig|"
    r"pocht|verlang|appellier|dement|bekräftig|kritisier|droh|beton|sag|erklär|bericht)\w*$"
)
ATTRIBUTION_BEFORE = (
    "laut",
    "nach den worten von",
    "nach worten von",
    "nach angaben",
    "nach einschätzung",
    "nach ansicht",
    "nach darstellung",
    "nach auffassung",
    "nach meinung",
    "nach aussage",
    "nach aussagen",
    "nach informationen",
)
ATTRIBUTION_AFTER = ("zufolge",)
# "laut" after these is the adjective (loud): "all zu laut", "sehr laut"
LOUD_BEFORE = words("zu so sehr nicht ganz besonders recht ziemlich zu allzu extrem relativ")
CONTINUATION_CUES = frozenset({"demnach"})

PRONOUNS = frozenset({"er", "sie", "ihm", "ihr", "ihnen"})
PLURAL_PRONOUNS = frozenset({"sie", "ihnen"})
ARTICLES = words(
    """
    der die das des dem den ein eine einer eines einem einen sein seine seiner seinem seinen ihr ihre
    ihrem ihren ihres
    """
)
INDEFINITE = frozenset(
    ["ein", "eine", "einer", "eines", "einem", "einen", "mehrere", "einige", "viele", "zwei", "drei"]
)
# tokens that end a subject noun phrase after the verb ("sagte Stoltenberg am Mittwoch in Brüssel")
NP_STOP = words(
    """
    am an auf aus bei beim durch für gegenüber im in mit nach seit über um unter vor vom von während
    wegen zu zum zur und oder aber noch auch weiter erneut zudem jedoch bereits schon nun dann dazu
    dabei gestern heute morgen demnach so
    """
)

# Konjunktiv I (and the Konjunktiv II that replaces it) of the verbs indirect speech uses most
KONJUNKTIV = words(
    """
    sei seien seiest habe hätte hätten werde würde würden wäre wären könne könnte könnten müsse müsste
    müssten solle wolle dürfe dürfte dürften gebe gäbe gehe bleibe komme stehe liege gelte brauche fehle
    wisse trage zeige sende setze lasse handle plane befinde vorsehe weitergehe aufnehme habest
    """
)

# heads of role nouns: "-minister", "-sekretär", "Präsident", "-chef", "Amtskollege" ...
ROLE_HEAD = re.compile(
    r"(?:minister|sekretär|kanzler|präsident|chef|beauftragt|sprecher|direktor|vorsitzend|botschafter|"
    r"diplomat|bürgermeister|gouverneur|könig|premier|abgeordnet|kommissar|leiter|trainer|richter|general|"
    r"senator|kolleg|regent|monarch|staatschef|oberhaupt|vertreter|berater|admiral|kommandeur|ministerpräsident|"
    r"geschäftsführer|kandidat)"
    r"(?:in|innen|en|n|e|er|es|s)?$"
)
OTHER_ROLE = re.compile(r"kolleg(?:e|en|in|innen)?$")
ROLE_MODIFIERS = frozenset(
    {
        "stellvertretende",
        "stellvertretender",
        "stellvertretenden",
        "amtierende",
        "amtierender",
        "amtierenden",
        "designierte",
        "designierter",
        "designierten",
        "geschäftsführende",
        "geschäftsführender",
        "geschäftsführenden",
    }
)
PARTY = re.compile(r"^(?:[A-ZÄÖÜ]{2,5}|CSU|Grüne|Grünen|Linke|Linken|Union|Freie Wähler|NEOS|ÖVP|FPÖ|SPÖ)$")


def is_say_verb(word: str) -> bool:
    lower = word.lower()
    return lower in SAY_STRONG or bool(SAY_VERB.match(lower) or SAY_PARTICIPLE.match(lower) or JOINED_SAY.match(lower))


def separable_particles(word: str) -> tuple[str, ...]:
    """The particle a cue verb needs to report speech (sicherte … zu), or () when it needs none."""
    lower = word.lower()
    for stem, particles in SEPARABLE.items():
        if lower.startswith(stem) and (SAY_VERB.match(lower) or lower in SAY_STRONG):
            return particles
    return ()


def is_konjunktiv(word: str) -> bool:
    return word.lower() in KONJUNKTIV


_THIRD_PERSON = frozenset({"er", "es", "man"})
# words ending in -e that are no verb form after "er"/"es"/"man"
_NOT_VERBS_IN_E = words(
    """
    alle keine eine diese jene seine ihre meine unsere welche solche manche gerne gern lange heute ohne
    gerade beide viele wenige einige andere ganze große erste letzte neue alte halbe beinahe nahe
    sowie bitte etwa daher dabei jede jeder selbe ebenfalls
    """
)


def _verb_in_e(word: str) -> bool:
    # "-te" is the weak preterite ("sagte er", "er kämpfte"), not the subjunctive
    return (
        len(word) >= 4
        and word.islower()
        and word.endswith("e")
        and not word.endswith("te")
        and word not in _NOT_VERBS_IN_E
    )


def konjunktiv_in(texts: list[str]) -> bool:
    """Konjunktiv I in a clause: a listed form, or a third-person subject with a verb in -e ("er hoffe", "gebe es").

    The third person singular of the indicative ends in -t, so "-e" next to "er", "es" or "man" is the
    subjunctive of reported speech.
    """
    if any(is_konjunktiv(t) for t in texts):
        return True
    for a, b, c in zip(texts, texts[1:], [*texts[2:], ""], strict=False):
        if a.lower() in _THIRD_PERSON and _verb_in_e(b) and not c[:1].isupper():  # not "es bilaterale Gespräche"
            return True
        if _verb_in_e(a) and b in _THIRD_PERSON:
            return True
    return False


def is_role_noun(word: str) -> bool:
    head = word.split("-")[-1].lower()
    return word[:1].isupper() and bool(ROLE_HEAD.search(head)) and len(head) >= 4
