"""German surface forms → the base forms a knowledge base lists, and the NIL key.

News German inflects names: genitive -s/-es (Russlands, Moskaus, NATO-Russland-Rates), adjective
endings in multi-word names (Europäischen Union, Schwarzen Meer). Lookups try the surface form first
and then these variants; a variant match counts a little less than an exact one.
"""

from __future__ import annotations

import itertools
import re

from pipelines.kb.names import name_key

VARIANT_FACTOR = 0.95  # name-match factor of a morphological variant (exact match: 1.0)
_ADJ_ENDINGS = ("en", "em", "er", "es", "e")
_ADJ_FORMS = ("e", "es", "er", "en")
_WORD = re.compile(r"[^\s]+")
_MAX_VARIANTS = 16


def _genitive_bases(token: str) -> list[str]:
    """Bases of a possibly genitive final token: Russlands → Russland, Rates → Rat, Moskaus → Moskau."""
    bases: list[str] = []
    lower = token.lower()
    if len(token) < 4 or not lower.endswith("s") or lower.endswith(("ss", "ß")):
        return bases
    if lower.endswith("es") and len(token) >= 5 and lower[-3] not in "aeiouäöüsxz":
        bases.append(token[:-2])
    if lower[-2] not in "sxz":
        bases.append(token[:-1])
    return bases


def _dative_plural_base(token: str) -> list[str]:
    """Names that are plurals take -n in the dative: "in den Niederlanden" → Niederlande."""
    lower = token.lower()
    if len(token) >= 7 and lower.endswith("den"):
        return [token[:-1]]
    return []


def _adjective_forms(token: str) -> list[str]:
    """Schwarzen → Schwarze, Schwarzes, Schwarzer; only for capitalised words with an adjective ending."""
    lower = token.lower()
    for ending in _ADJ_ENDINGS:
        if lower.endswith(ending) and len(token) - len(ending) >= 3:
            stem = token[: -len(ending)]
            return [stem + form for form in _ADJ_FORMS if stem + form != token]
    return []


def name_variants(surface: str) -> list[str]:
    """Candidate base forms of ``surface`` (not including it), most plausible first."""
    tokens = surface.split()
    if not tokens:
        return []
    last = tokens[-1]
    # A hyphenated final token inflects at its end: NATO-Russland-Rates → NATO-Russland-Rat.
    head_prefix, _, head = last.rpartition("-")
    bases = _genitive_bases(head) + _dative_plural_base(head)
    last_options = [last] + [(head_prefix + "-" if head_prefix else "") + b for b in bases]
    options: list[list[str]] = []
    for token in tokens[:-1]:
        options.append([token, *_adjective_forms(token)] if token[:1].isupper() else [token])
    options.append(last_options)
    variants: list[str] = []
    for combo in itertools.product(*options):
        candidate = " ".join(combo)
        if candidate != surface and candidate not in variants:
            variants.append(candidate)
        if len(variants) >= _MAX_VARIANTS:
            break
    return variants


def nil_base(surface: str, label: str) -> str:
    """A readable base form for an unlinked name: the genitive stripped from the last word.

    Person names are kept as written (a surname like Michaelis is not a genitive).
    """
    surface = " ".join(surface.split())
    if label == "PER":
        return surface
    tokens = surface.split(" ")
    prefix, _, head = tokens[-1].rpartition("-")
    lower = head.lower()
    base = head
    if len(head) >= 5 and lower.endswith("es") and lower[-3] not in "aeiouäöüsxz":
        base = head[:-2]
    elif (len(head) >= 5 and lower.endswith(("aus", "as"))) or (
        len(head) >= 4 and lower.endswith("s") and lower[-2] not in "aeiouäöüsxzß"
    ):
        base = head[:-1]
    tokens[-1] = (prefix + "-" if prefix else "") + base
    return " ".join(tokens)


def nil_key(name: str, label: str) -> str:
    """Key shared by all mentions of one unlinked thing: type + case-, hyphen- and inflection-free name.

    "Nato-Russland-Rat", "NATO-Russland-Rates" and "Nato-Russland-Rats" → "ORG:natorusslandrat";
    "Normandieformat" and "Normandie-Format" → "MISC:normandieformat"; "Schwarzen Meer" and
    "Schwarzes Meer" → "LOC:schwarzmeer".
    """
    tokens = [name_key(token).replace(" ", "") for token in nil_base(name, label).split()]
    if label != "PER" and len(tokens) > 1:
        stemmed = []
        for token in tokens[:-1]:
            for ending in _ADJ_ENDINGS:
                if token.endswith(ending) and len(token) - len(ending) >= 3:
                    token = token[: -len(ending)]
                    break
            stemmed.append(token)
        tokens = [*stemmed, tokens[-1]]
    return f"{label}:{''.join(tokens)}"
