"""Generic junk-line rules for German (and some English) news pages, independent of any outlet.

Each rule looks at one line (a block of text) on its own and says which removal category it belongs
to and why; rules that need the neighbouring lines live in ``context.py``. Outlet-specific patterns
are not here but in the profiles (``data/profiles/*.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

BARE_LINK = "bare link"
SHORT_LINE = 160  # UI strings, labels and credits are short; long lines only meet the caption rules

_DATE_DMY = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "januar",
            "februar",
            "märz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ]
    )
}
_DATE_LONG = re.compile(r"\b(\d{1,2})\.\s(" + "|".join(_MONTHS) + r")\s(\d{4})\b", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO (YYYY-MM-DD, or YYYY-MM when only that is given)."""
    if m := _DATE_ISO.search(text):
        return m.group(0)
    if m := _DATE_DMY.search(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return f"{year:04d}-{month:02d}-{day:02d}"
    if m := _DATE_LONG.search(text):
        return f"{int(m.group(3)):04d}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    return None


@dataclass
class Hit:
    """A rule fired: the line is junk of ``category``; ``metadata`` is what it tells about the article."""

    category: str
    reason: str
    metadata: dict[str, Any] = field(default_factory=dict)
    opens_zone: str | None = None  # a category: the lines after it are that too (a box or section)


@dataclass(frozen=True)
class Rule:
    category: str
    pattern: re.Pattern[str]
    reason: str
    short_only: bool = True
    opens_zone: str | None = None
    needles: tuple[str, ...] = ()  # lower-case substrings one of which the line must contain (speed)

    def applies(self, line: str, lowered: str, short: bool) -> bool:
        if self.short_only and not short:
            return False
        if self.needles and not any(needle in lowered for needle in self.needles):
            return False
        return self.pattern.search(line) is not None


def _r(
    category: str,
    pattern: str,
    reason: str,
    *,
    short_only: bool = True,
    zone: str | None = None,
    needles: str = "",
) -> Rule:
    words = tuple(n for n in needles.split(";") if n)
    return Rule(category, re.compile(pattern, re.IGNORECASE), reason, short_only, zone, words)


_CREDIT_WORDS = (
    r"(?:Fotos?|Bild(?:er|quelle|rechte|nachweis)?|Fotonachweis|Quelle|Photo|Credits?|Copyright|"
    r"Fotograf(?:in)?)"
)

RULES: tuple[Rule, ...] = (
    _r(
        "progress",
        r"^[-–\s]*(?:\d{1,3}\s?%\s*){5,}$",
        "run of percentages (reading-progress bar)",
        short_only=False,
    ),
    _r(
        "footer_copyright",
        r"Alle Rechte vorbehalten|All rights reserved|Nutzungsrechte erwerben|Rechte vorbehalten",
        "copyright notice",
        short_only=False,
        needles="rechte;rights",
    ),
    _r("footer_copyright", r"^\s*(?:©|\(c\)|Copyright)\s*\d{4}\b", "copyright line with year"),
    _r(
        "footer_copyright",
        r"^\s*(?:©|\(c\)|Copyright)\s*[^/|]{0,60}\b(?:GmbH|AG|KG|Verlag|Verlagsgesellschaft|Medien|Mediengruppe|"
        r"Media|Zeitung|Zeitungsverlag|Rundfunk)\b[^/|]{0,40}$",
        "copyright line naming a publisher",
    ),
    _r(
        "footer_copyright",
        r"^(?:Nachdruck|Vervielfältigung|Weiterverbreitung|Weiterverwendung)\b.*"
        r"\b(?:nur mit|untersagt|verboten|Genehmigung)",
        "reprint notice",
    ),
    _r(
        "comments",
        r"^#\d+(?:\.\d+)*\s*[—–-]+\s*vor\s+\d+\s+(?:Sekunde|Minute|Stunde|Tag|Woche|Monat|Jahr)",
        "numbered reader comment with relative time",
        short_only=False,
        zone="comments",
    ),
    _r(
        "comments",
        r"^(?:(?:\d+\s+)?(?:Leser)?kommentare|(?:Leser)?kommentare?\s*\(\d+\)|\d+\s+(?:Leser)?kommentar)\s*:?$",
        "comment section header",
        zone="comments",
    ),
    _r(
        "comments",
        r"^(?:Leserdebatte|Diskutieren Sie mit|Diskussion|Debatte|Ihre Meinung)(?:\s*\(\d+\))?\s*[:!]?$",
        "comment section header",
        zone="comments",
    ),
    _r(
        "comments",
        r"^(?:Antworten|Melden|Kommentar melden|Empfehlen|Zitieren|Antwort anzeigen|Antworten anzeigen)"
        r"(?:\s*\(?\d+\)?)?$",
        "comment action button",
    ),
    _r(
        "comments",
        r"^vor\s+\d+\s+(?:Sekunden|Minuten|Stunden|Tagen|Wochen|Monaten|Jahren)$",
        "comment timestamp",
    ),
    _r(
        "login",
        r"\bUm (?:an der Diskussion|an Diskussionen) teilzunehmen\b|\bUm (?:zu )?kommentieren\b",
        "invitation to log in for the discussion",
        needles="um ",
    ),
    _r(
        "login",
        r"\b(?:loggen Sie sich ein|melden Sie sich an|bitte (?:einloggen|anmelden))\b",
        "log-in prompt",
        needles="loggen;melden sie;bitte ",
    ),
    _r("login", r"^Bereits (?:registriert|Abonnent(?:in)?|ein Konto)\b", "log-in prompt"),
    _r(
        "registration",
        r"^Registrierung\b.*\b(?:erfolgreich|abgeschlossen|bestätigt)",
        "registration confirmation notice",
    ),
    _r(
        "registration",
        r"\bKlicken Sie (?:bitte )?(?:auf )?den (?:Bestätigungs)?link\b",
        "e-mail confirmation instruction",
        needles="klicken",
    ),
    _r(
        "registration",
        r"\b(?:Bestätigungs-?E-?Mail|Bestätigungslink)\b",
        "e-mail confirmation notice",
        needles="bestätigungs",
    ),
    _r("registration", r"^(?:Jetzt )?(?:kostenlos )?registrieren\b", "registration prompt"),
    _r(
        "subscribe",
        r"\b(?:Jetzt|Gleich) (?:abonnieren|testen|weiterlesen|freischalten|Abo abschließen)\b",
        "subscription call to action",
        needles="jetzt ;gleich ",
    ),
    _r(
        "subscribe",
        r"\b(?:nur für|exklusiv für|für) Abonnent(?:en|innen)\b|\bAbonnent(?:en)? lesen\b",
        "paywall notice",
        needles="abonnent",
    ),
    _r("subscribe", r"^(?:Weiterlesen|Weiter lesen|Jetzt lesen) mit\b", "paywall notice"),
    _r(
        "subscribe",
        r"\bSie haben (?:bereits|schon) ein(?:e)? (?:Digital-?|Online-?)?(?:Abo|Abonnement|Zugang)\w*",
        "paywall notice",
        needles="sie haben",
    ),
    _r(
        "subscribe",
        r"\b\d+(?:,\d{2})?\s?€\s*(?:im|pro|/|für \d+)\s*(?:Monat|Woche|Jahr|Wochen)\b",
        "subscription price",
        needles="€",
    ),
    _r(
        "subscribe",
        r"\bNewsletter\b.*\b(?:abonnieren|bestellen|anmelden)\b",
        "newsletter sign-up",
        needles="newsletter",
    ),
    _r("subscribe", r"\b(?:jederzeit|monatlich) kündbar\b", "subscription terms", needles="kündbar"),
    _r(
        "teaser",
        r"^(?:Lesen Sie (?:auch|mehr|hier|dazu)|Mehr zum Thema|Auch interessant|Mehr dazu|Zum Thema|"
        r"Siehe auch)\s*:\s*\S",
        "inline link to another article",
    ),
    _r(
        "teaser",
        r"^(?:Mehr zum Thema|Lesen Sie (?:auch|mehr|hier)|Auch interessant|Das könnte Sie (?:auch )?"
        r"interessieren|Weitere Artikel|Verwandte Artikel|Empfohlene Artikel|Empfehlungen|Meistgelesen(?:e)?|"
        r"Top-Themen|Mehr dazu|Weitere Nachrichten|Mehr Nachrichten|Ebenfalls interessant|Weitere Themen|"
        r"Zum Weiterlesen|Passend dazu|Mehr aus dem Ressort|Das ist auch interessant|"
        r"Empfehlungen der Redaktion|Unsere Empfehlungen?|Beliebte Artikel|Neueste Artikel|Aktuelle Artikel|"
        r"Das Neueste|Letzte Meldungen|Weitere Meldungen|Neu im Ressort|Top-Artikel)(?:\s+\S+){0,4}\s*:?$",
        "related-articles box header",
        zone="teaser",
    ),
    _r(
        "agency_tag",
        r"^(?:Verwendete Quellen|Quellen|Quellenangaben?|Mit Material von)\s*:?$",
        "source list header",
        zone="agency_tag",
    ),
    _r("widget", r"^[^\w]+$", "no words (symbols only)"),
    _r("widget", r"^\d{1,2}\s*Min\.?$", "duration label"),
    _r(
        "widget",
        r"^(?:Über dieses Thema berichtete|Dieses Thema im Programm|Sendung:|"
        r"Mehr zu diesem Thema im Programm)",
        "broadcast note",
    ),
    _r(
        "subscribe",
        r"\bweiterlesen mit\b|\b(?:für|ab) \d+(?:,\d{2})? ?€",
        "paywall notice",
        needles="weiterlesen;€",
    ),
    _r(
        "share",
        r"\bWhatsApp-Kanal\b|\b(?:bei|auf) Google News folgen\b|"
        r"\bauf (?:Instagram|Facebook|X|Twitter|TikTok|Threads) folgen\b",
        "social follow prompt",
        needles="whatsapp-kanal;google news;folgen",
    ),
    _r(
        "widget",
        r"^Ein Beitrag geteilt von\b|^—\s*.{2,60}\(@\w+\)\s+\w+\.? \d{1,2},? \d{4}$",
        "social media embed",
    ),
    _r("widget", r"\bpic\.twitter\.com/\S+", "social media embed", short_only=False, needles="pic.twitter"),
    _r("widget", r"^(?:Bildergalerie|Galerie|Fotostrecke)\s*:?\s*\d+\s*(?:Bilder|Fotos)$", "gallery label"),
    _r(
        "video",
        r"^(?:Videos?|Audio)\s*(?:ansehen|abspielen|starten|anhören)?\s*[:|]?\s*\d{1,2}:\d{2}\b",
        "video/audio player with duration",
    ),
    _r("video", r"^Video (?:ansehen|abspielen|starten)\b", "video player label"),
    _r("video", r"^(?:Video|Audio|Podcast)\s*:\s*\S", "embedded media title"),
    _r("video", r"^\d{1,2}:\d{2}\s*(?:min\.?|Minuten)\b", "media duration"),
    _r(
        "navigation",
        r"^(?:Zur Startseite|Zurück zu[rm]?\b|Zum Seitenanfang|Nach oben|Zum Inhalt springen|"
        r"Zum Hauptinhalt|Alle Artikel|Alle Nachrichten|Mehr aus\s)",
        "navigation link",
    ),
    _r(
        "navigation",
        r"^(?:[\wÄÖÜäöüß.&'’ -]{2,30}\s*[>›»|]\s*){2,}[\wÄÖÜäöüß.&'’ -]{2,60}$",
        "breadcrumb trail",
    ),
    _r("widget", r"^(?:Bild|Foto|Fotos|Bilder)\s+\d+\s*(?:von|/|aus)\s*\d+$", "gallery counter"),
    _r("widget", r"^\d{1,5}$", "bare counter"),
    _r("widget", r"^\d{1,3}\s*/\s*\d{1,3}$", "gallery counter"),
    _r("widget", r"^\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}$", "media player time"),
    _r(
        "widget",
        r"^(?:Lesezeit|Lesedauer)\s*:?\s*(?:ca\.\s*)?\d+\s*(?:Min\.?|Minuten)$|^\d+\s*(?:Min\.?|Minuten)\s*"
        r"(?:Lesezeit|Lesedauer)$",
        "reading time",
        needles="lese",
    ),
    _r(
        "widget",
        r"\b[Ww]ir (?:und unsere Partner )?(?:verwenden|nutzen|setzen|speichern)\b.{0,60}\bCookies\b|"
        r"\b(?:verwenden|nutzen|setzen) wir\b.{0,40}\bCookies\b|\bDatenschutzeinstellungen\b|"
        r"\bCookie-(?:Einstellungen|Richtlinie|Hinweis|Banner)\b|\bZustimmung (?:widerrufen|erteilen)\b",
        "cookie/consent notice",
        short_only=False,
        needles="cookie;datenschutzeinstellungen;zustimmung",
    ),
    _r(
        "widget",
        r"\b(?:Externer|Empfohlener externer|Eingebetteter) Inhalt\b|\bexterne[rn]? Inhalte?\b.{0,80}"
        r"\b(?:anzeigen|angezeigt|laden|zustimmen|einverstanden|aktivieren|freigeben)\b|\bDrittplattformen\b|"
        r"\beinverstanden, dass (?:mir )?externe\b|"
        r"\b(?:Inhalte?|Daten) (?:von |an )?Drittanbieter|"
        r"^An dieser Stelle (?:finden Sie|ist|befindet sich|sehen Sie)\b.{0,80}"
        r"\b(?:Inhalt|Video|Tweet|Beitrag|Post|Grafik|Karte|Umfrage)\b",
        "embedded third-party content notice",
        short_only=False,
        needles="inhalt;drittplattform;drittanbieter;an dieser stelle",
    ),
    _r(
        "subscribe",
        r"\b(?:kostenlose|freie|gratis) Artikel\b|\bZugang zu allen (?:Artikeln|Inhalten)\b|"
        r"\b(?:Plus|Premium|Abo)-(?:Artikel|Inhalt)\b|^(?:Jetzt )?(?:Abo|Abonnement|Probeabo) "
        r"(?:abschließen|sichern|wählen|testen)\b|\bDigital-?[Aa]bo\b|"
        r"\b(?:Monate?|Wochen) (?:gratis|kostenlos)\b|"
        r"\bTesten Sie\b.{0,40}\b(?:gratis|kostenlos|\d+ ?€)|^Dieser (?:Artikel|Beitrag|Inhalt) ist (?:nur )?"
        r"(?:für|exklusiv)\b",
        "paywall notice",
        needles="artikel;zugang;-inhalt;abo;gratis;kostenlos;testen sie;dieser",
    ),
    _r(
        "subscribe",
        r"\bNewsletter\b.{0,80}\b(?:abonnieren|bestellen|anmelden|melden|erhalten|registrieren)\b|"
        r"\b(?:melden|tragen) Sie sich\b.{0,60}\bNewsletter\b",
        "newsletter sign-up",
        needles="newsletter",
    ),
    _r("share", r"^Folgen Sie (?:uns|\w+) (?:auf|bei|über|in)\b", "social follow prompt"),
    _r(
        "navigation",
        r"^Seite \d+ (?:von|/) \d+$|^(?:\d{1,3}\s+){2,}(?:Weiter|Nächste Seite|›|»|>)?$",
        "pagination",
        needles="seite;1;2;3;4;5;6;7;8;9",
    ),
    _r("navigation", r"^(?:https?://|www\.)\S+$", BARE_LINK),
    _r(
        "credit_caption",
        r"^(?:(?:Fotos?|Bild)\s*:?\s*)?(?=[^.!?]*\b(?:dpa|picture[ -]?alliance|IMAGO|Getty(?: Images)?|AFP|"
        r"Reuters|AP Photo|Keystone|EPA|Shutterstock|iStock|Xinhua|Sputnik|Anadolu|photothek|ddp|Ullstein|"
        r"SZ Photo|action press|Sven Simon)\b)(?=.*[/|©])[^.!?:]{2,80}$",
        "photo credit line",
        needles="/;|;©",
    ),
    _r("widget", r"^(?:Liveblog|Live-?Ticker|Newsticker|Live-Blog)\b.{0,40}$", "live ticker label"),
    _r(
        "advertisement",
        r"^(?:Anzeige|Werbung|Advertisement|Sponsored|Gesponsert)\b.{0,30}$",
        "advertisement label",
    ),
    _r(
        "dateline",
        r"^(?:Stand|Veröffentlicht|Aktualisiert|Erstellt|Zuletzt aktualisiert|Publiziert)(?: am)?\s*:?\s*"
        r"(?:\w+,\s*)?\d{1,2}\.\s?(?:\d{1,2}\.|[A-Za-zäÄ]+)\s?\d{2,4}.{0,20}$",
        "publication date line",
    ),
    _r(
        "dateline",
        r"^(?:\w+,\s*)?\d{1,2}\.\s?\d{1,2}\.\s?\d{4}(?:\s*[,|–-]?\s*(?:um\s)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?$",
        "bare date line",
    ),
    _r(
        "dateline",
        r"^(?:\w+,\s*)?\d{1,2}\.\s(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
        r"November|Dezember)\s\d{4}(?:\s*[,|–-]?\s*(?:um\s)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?$",
        "bare date line",
    ),
)


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
        "verschenken; geschenkt; artikel versenden"
    ),
    "widget": _phrases(
        "loader; loading; lädt; wird geladen; laden; mehr laden; weitere laden; mehr anzeigen; "
        "live; liveticker; live-ticker; newsticker; ticker; chat; chats; neueste oben; älteste "
        "oben; neueste zuerst; älteste zuerst; aktualisieren; jetzt live; schließen; schliessen; "
        "vorherige; nächste; vorlesen; artikel vorlesen; artikel anhören; anhören; pause; galerie; "
        "bildergalerie; zoom; vergrößern; vollbild; minimieren; mehr; weniger; alle anzeigen; "
        "ausklappen; einklappen; bild vergrößern; foto vergrößern; hören; audio; artikel hören; "
        "zur bildergalerie; zur galerie; zur fotostrecke; alle bilder; player; player wird geladen"
    ),
    "navigation": _phrases(
        "zur startseite; startseite; home; zurück; weiter; nach oben; zum seitenanfang; "
        "seitenanfang; zum inhalt; hauptmenü; menü; navigation; suche; suchen; übersicht; "
        "impressum; datenschutz; datenschutzerklärung; agb; kontakt; cookie-einstellungen; cookies; "
        "privatsphäre; barrierefreiheit; mediadaten; jobs; karriere; hilfe; faq; rss; sitemap; "
        "nutzungsbedingungen; ressorts; alle ressorts; politik; ausland; inland; wirtschaft; sport; "
        "kultur; panorama; wissen; meinung; regional; videos; podcasts; mehr zum thema; themen"
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
        "registrieren; jetzt registrieren; kostenlos registrieren; registrierung; konto erstellen; "
        "passwort vergessen"
    ),
    "comments": _phrases(
        "kommentieren; antworten; melden; zitieren; gefällt mir; kommentar schreiben; kommentare anzeigen; "
        "zu den kommentaren; alle kommentare; kommentare lesen; kommentare öffnen"
    ),
    "advertisement": _phrases("anzeige; werbung; advertisement; sponsored; gesponsert"),
    "video": _phrases(
        "video; video abspielen; video ansehen; zum video; jetzt ansehen; abspielen; untertitel; play"
    ),
}


def _anchored(pattern: str) -> bool:
    """True for a pattern that can only match at the start of the line (``^`` and no top-level ``|``)."""
    if not pattern.startswith("^"):
        return False
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
        i += 1
    return True


# Speed: the start-anchored rules are tried together in one match (most lines fail at once); only
# when that matches are they tried one by one, in order, so the first rule still wins.
_ANCHORED_RULES = re.compile(
    "|".join(f"(?:{rule.pattern.pattern})" for rule in RULES if _anchored(rule.pattern.pattern)),
    re.IGNORECASE,
)
_FLOATING_RULES = tuple(rule for rule in RULES if not _anchored(rule.pattern.pattern))
_GLUE = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ][a-zäöüß])")  # "SecoNato", not "GmbH"
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
        if hit is None and _GLUE.search(line):  # "Neueste obenÄlteste oben": UI words glued together
            hit = self._match(_GLUE.sub(" ", line).lower())
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

# Credits and captions.
_CREDIT_LINE = re.compile(
    r"^\s*(?:©|\(c\)\s|" + _CREDIT_WORDS + r"\s*:)\s*(?P<credit>\S.{1,150})$", re.IGNORECASE
)
_TRAILING_CREDIT = re.compile(
    r"(?:^|(?<=[\s.!?)“\"]))\(?" + _CREDIT_WORDS + r"\s*:\s*(?P<credit>[^:()]{2,80}?)\)?\s*$", re.IGNORECASE
)
_TRAILING_COPYRIGHT = re.compile(r"\s©\s*(?P<credit>[^©]{2,80})$")
_CAPTION_END = re.compile(
    r"\((?:Archiv|Archivbild|Archivfoto|Symbolbild|Symbolfoto|Montage|Illustration|Grafik|Foto|Screenshot|"
    r"Bildmontage|Collage)\)\s*$",
    re.IGNORECASE,
)
_POSITION = re.compile(
    r"\((?:li\.|re\.|l\.|r\.|M\.|L|R|Mitte|links|rechts|v\.\s?l\.(?:\s?n\.\s?r\.)?|vorne|hinten|oben|unten)\)"
)
# Image alt texts that carry outlet, image width and date: "Caption - SNA, 1920, 12.01.2022".
IMAGE_ALT = re.compile(
    r"\s[-–]\s(?P<outlet>[A-ZÄÖÜ][\w.&'’ -]{0,40}?),\s*(?P<width>\d{3,4}),"
    r"\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*$"
)
_DATE_LABEL = re.compile(r"^\s*(?:date|datum)\s*:?\s*(?P<date>\d{4}-\d{2}(?:-\d{2})?)\b\s*", re.IGNORECASE)
_NAME = r"[A-ZÄÖÜ][\w.'’-]+(?:\s+(?:von\s+|van\s+|de\s+|zu\s+)?[A-ZÄÖÜ][\w.'’-]+){1,3}"
_BYLINE = re.compile(
    r"^(?:Von|Ein (?:Kommentar|Gastbeitrag|Gastkommentar|Essay|Interview|Artikel|Bericht|Beitrag|Text|"
    r"Leitartikel) von|"
    r"Eine (?:Analyse|Reportage|Glosse|Kolumne) von|"
    r"Autor(?:in)?:|By)\s+(?P<author>" + _NAME + r"(?:(?:,\s*|\s+und\s+|\s*&\s*)" + _NAME + r")*)"
    r"(?:\s*[,|·•]\s*(?:[A-ZÄÖÜ][\w.-]+(?:\s(?:in|für|aus|im|bei)?\s?[A-ZÄÖÜ][\w.-]+)?|"
    r"\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|"
    r"\d{1,2}\.\s[A-Za-zä]+\s\d{4})(?:,?\s*(?:um\s)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?){0,2}$"
)
_CREDIT_PREFIX = re.compile(r"^(?:(?:Fotos?|Bild)\s*:?\s*|©\s*)", re.IGNORECASE)
_LEGAL_FORM = re.compile(r"\s+(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|SE|mbH|e\.\s?V\.|Ltd\.?|Inc\.?)\b.*$")
_COPYRIGHT_OWNER = re.compile(r"©\s*(?:\d{4}\s*)?(?P<owner>[^–—.,|]{2,60}?)\s*(?:\s[–—-]\s|[–—.,|]|$)")


def credit_text(raw: str) -> str:
    """A credit as written, cut where a caption was glued on without a space ("SecoNato-…")."""
    credit = raw.strip().rstrip(".;,")
    glued = _GLUE.search(credit)
    if glued and glued.start() > 2:
        credit = credit[: glued.start()]
    return credit.strip()


def publisher_from_copyright(line: str) -> str | None:
    """ "© Handelsblatt GmbH – Alle Rechte vorbehalten" → "Handelsblatt"."""
    m = _COPYRIGHT_OWNER.search(line)
    if not m:
        return None
    owner = _LEGAL_FORM.sub("", m.group("owner")).strip()
    return owner or None


def caption_hit(line: str) -> Hit | None:
    """Photo captions and credits, recognised by their credit, position markers or archive notes."""
    stripped = line.strip()
    if len(stripped) <= SHORT_LINE + 60 and (m := _CREDIT_LINE.match(stripped)):
        credit = credit_text(m.group("credit"))
        return Hit(
            "credit_caption", "line starts with a photo credit", {"credits": [credit]} if credit else {}
        )
    if len(stripped) > 450:
        return None
    if m := _TRAILING_CREDIT.search(stripped):
        return Hit(
            "caption", "caption ending in a photo credit", {"credits": [credit_text(m.group("credit"))]}
        )
    if m := _TRAILING_COPYRIGHT.search(stripped):
        return Hit("caption", "caption ending in © credit", {"credits": [credit_text(m.group("credit"))]})
    if _CAPTION_END.search(stripped):
        return Hit("caption", "caption ending in a picture note like (Archiv)")
    if _POSITION.search(stripped):
        return Hit("caption", "caption with a position marker like (li.)")
    return None


def split_date_label(line: str) -> tuple[str, str | None]:
    """A leaked "date 2022-01 " field label at the start: (rest of the line, the date)."""
    m = _DATE_LABEL.match(line)
    if not m:
        return line, None
    return line[m.end() :], m.group("date")


def byline_hit(line: str) -> Hit | None:
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    metadata = {"author": m.group("author")}
    if date := parse_date(line[m.end("author") :]):
        metadata["date"] = date
    return Hit("byline", "author line", metadata)


_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000]")


def line_hit(
    line: str, *, extra_rules: Iterable[Rule] = (), phrases: PhraseMatcher | None = None
) -> Hit | None:
    """The first generic (or given extra) rule that fires on ``line``, or None if it looks like content.
    Rules see the line with its white space normalised (no-break and thin spaces become spaces)."""
    stripped = _ODD_SPACE.sub(" ", line).strip()
    if not stripped:
        return None
    short = len(stripped) <= SHORT_LINE
    lowered = stripped.lower()
    generic = RULES if _ANCHORED_RULES.match(stripped) else _FLOATING_RULES
    rules = (*extra_rules, *generic)
    for rule in rules:
        if rule.applies(stripped, lowered, short):
            found = Hit(rule.category, rule.reason, opens_zone=rule.opens_zone)
            if rule.category == "footer_copyright" and (publisher := publisher_from_copyright(stripped)):
                found.metadata["publisher"] = publisher
            if rule.category == "dateline" and (date := parse_date(stripped)):
                found.metadata["date"] = date
            if rule.category == "credit_caption":
                credited = caption_hit(stripped)
                if credited is not None and credited.metadata.get("credits"):
                    found.metadata = credited.metadata
                elif credit := credit_text(_CREDIT_PREFIX.sub("", stripped)):
                    found.metadata["credits"] = [credit]
            return found
    if short and (hit := (phrases or GENERIC_PHRASES).match(stripped) or byline_hit(stripped)):
        return hit
    return caption_hit(stripped)
