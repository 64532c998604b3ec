"""Lines made only of interface words ("Teilen Facebook WhatsApp", "Neueste obenÄlteste oben"):
the word lists per category and the matcher that decides which category such a line belongs to."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pipelines.cleanup.categories import Hit


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


# A line made only of these interface words (any mix, any order) is that category.
PHRASES: dict[str, tuple[str, ...]] = {
    "share": _phrases(
        "teilen per; teilen; share; artikel teilen; beitrag teilen; seite teilen; facebook; "
        "twitter; x; whatsapp; e-mail; email; mail; per mail; per e-mail; drucken; link kopieren; "
        "link kopiert; kopieren; messenger; linkedin; xing; pinterest; telegram; flipboard; pocket; "
        "reddit; threads; bluesky; mastodon; versenden; merken; artikel merken; teilen auf; auf "
        "facebook teilen; bei whatsapp teilen; tweet; twittern; empfehlen; feedback; instagram; "
        "tiktok; youtube; merkliste; zur merkliste; zur merkliste hinzufügen; artikel verschenken; "
        "verschenken; geschenkt; artikel versenden; senden; diese seite drucken; seite drucken"
    ),
    "widget": _phrases(
        "loader; loading; lädt; wird geladen; laden; mehr laden; weitere laden; mehr anzeigen; "
        "live; liveticker; live-ticker; newsticker; ticker; chat; chats; neueste oben; älteste "
        "oben; neueste zuerst; älteste zuerst; aktualisieren; jetzt live; schließen; schliessen; "
        "vorherige; nächste; vorlesen; artikel vorlesen; artikel anhören; anhören; pause; galerie; "
        "bildergalerie; zoom; vergrößern; vollbild; minimieren; mehr; weniger; alle anzeigen; "
        "ausklappen; einklappen; bild vergrößern; foto vergrößern; hören; audio; artikel hören; "
        "zur bildergalerie; zur galerie; zur fotostrecke; alle bilder; player; player wird geladen; "
        "bild anzeigen; bild schließen; bilder anzeigen; toggle; quick view; vorschau; menu; close; menü öffnen; "
        "menü schließen; open menu; close menu"
    ),
    "navigation": _phrases(
        "zur startseite; startseite; home; zurück; weiter; nach oben; zum seitenanfang; "
        "seitenanfang; zum inhalt; hauptmenü; menü; navigation; suche; suchen; übersicht; "
        "impressum; datenschutz; datenschutzerklärung; agb; kontakt; cookie-einstellungen; cookies; "
        "privatsphäre; barrierefreiheit; mediadaten; jobs; karriere; hilfe; faq; rss; sitemap; "
        "nutzungsbedingungen; ressorts; alle ressorts; politik; ausland; inland; wirtschaft; sport; "
        "kultur; panorama; wissen; meinung; regional; videos; podcasts; mehr zum thema; themen; mehr erfahren; "
        "erfahre mehr; erfahren sie mehr; weiter lesen"
    ),
    "subscribe": _phrases(
        "abonnieren; jetzt abonnieren; abo; abos; zum abo; abo abschließen; abonnement; newsletter; "
        "newsletter abonnieren; jetzt testen; gratis testen; kostenlos testen; probeabo; "
        "weiterlesen; folgen; jetzt folgen; abo-angebote; angebote"
    ),
    "login": _phrases(
        "anmelden; einloggen; login; log in; abmelden; logout; mein konto; konto; profil; jetzt anmelden"
    ),
    "registration": _phrases(
        "registrieren; jetzt registrieren; kostenlos registrieren; registrierung; konto erstellen; passwort vergessen"
    ),
    "comments": _phrases(
        "kommentieren; antworten; melden; zitieren; gefällt mir; kommentar schreiben; kommentare anzeigen; "
        "zu den kommentaren; alle kommentare; kommentare lesen; kommentare öffnen"
    ),
    "advertisement": _phrases("anzeige; werbung; advertisement; sponsored; gesponsert"),
    "video": _phrases("video; video abspielen; video ansehen; zum video; jetzt ansehen; abspielen; untertitel; play"),
}


GLUE = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ][a-zäöüß])")  # "SecoNato", not "GmbH"
_SEPARATORS = re.compile(r"[\s•·|/,;:!?.()\[\]\-–—+*>›»«\"'„“”]+")


class PhraseMatcher:
    """Decides whether a short line consists only of interface words, and of which category."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        self._category_of: dict[str, str] = {}
        for category, words in phrases.items():
            for word in words:
                self._category_of.setdefault(word.lower(), category)
        ordered = sorted(self._category_of, key=len, reverse=True)
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)")

    def match(self, line: str) -> Hit | None:
        if len(line) > 100:
            return None
        lowered = line.lower()
        hit = self._match(lowered)
        if hit is None and GLUE.search(line):  # "Neueste obenÄlteste oben": UI words glued together
            hit = self._match(GLUE.sub(" ", line).lower())
        return hit

    def _match(self, text: str) -> Hit | None:
        weights: dict[str, int] = {}
        rest = self._pattern.sub(lambda m: self._count(m, weights), text)
        if not weights or _SEPARATORS.sub("", rest).strip("0123456789"):
            return None
        category = max(weights.items(), key=lambda item: item[1])[0]
        return Hit(category, f"only interface words ({category})")

    def _count(self, match: re.Match[str], weights: dict[str, int]) -> str:
        category = self._category_of[match.group(0)]
        weights[category] = weights.get(category, 0) + len(match.group(0))
        return " "


GENERIC_PHRASES = PhraseMatcher(PHRASES)
