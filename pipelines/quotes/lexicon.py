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
    beteuer bilanzier resümier unterstreich ruf zweifel
    """
)
# finite forms of verbs of saying: stem + a German verb ending (sagte, betonten, erklärt, bestritt ...)
SAY_VERB = re.compile(
    r"^(?:" + "|".join(_SAY_STEMS) + r")(?:e|en|t|te|ten|et|ete|eten|st|est)$",
)
SAY_STRONG = words(
    """
    bestritt bestritten unterstrich unterstrichen schrieb schrieben rief riefen versprach versprachen
    meint meinte meinten gestand gestanden bekannte
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
    "stell": ("klar",),
    "mach": ("deutlich", "klar"),
    "füg": ("hinzu",),
    "teil": ("mit",),
    "räum": ("ein",),
    "ruf": ("auf",),
    "rief": ("auf",),
}
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
    r"senator|kolleg|regent|monarch|staatschef|oberhaupt|vertreter|berater|admiral|kommandeur|ministerpräsident)"
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
    return lower in SAY_STRONG or bool(SAY_VERB.match(lower) or SAY_PARTICIPLE.match(lower))


def separable_particles(word: str) -> tuple[str, ...]:
    """The particle a cue verb needs to report speech (sicherte … zu), or () when it needs none."""
    lower = word.lower()
    for stem, particles in SEPARABLE.items():
        if lower.startswith(stem) and SAY_VERB.match(lower):
            return particles
    return ()


def is_konjunktiv(word: str) -> bool:
    return word.lower() in KONJUNKTIV


def is_role_noun(word: str) -> bool:
    head = word.split("-")[-1].lower()
    return word[:1].isupper() and bool(ROLE_HEAD.search(head)) and len(head) >= 4
