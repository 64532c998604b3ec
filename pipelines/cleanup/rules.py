"""Generic junk-line rules for German (and some English) news pages, independent of any outlet.

Each rule looks at one line (a block of text) on its own and says which removal category it belongs
to and why; decisions that need the neighbouring lines live in ``lines.py``. Outlet-specific
patterns are not here but in the profiles (``data/profiles/*.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipelines.cleanup.bylines import byline_hit, publisher_from_copyright
from pipelines.cleanup.captions import CREDIT_PREFIX, caption_hit, credit_text
from pipelines.cleanup.categories import SHORT_LINE, Hit
from pipelines.cleanup.consent import CONSENT_RULES
from pipelines.cleanup.dates import parse_date
from pipelines.cleanup.meta_lines import meta_line_hit
from pipelines.cleanup.phrases import GENERIC_PHRASES, PhraseMatcher
from pipelines.cleanup.prompts import PROMPT_RULES
from pipelines.cleanup.rule import Rule
from pipelines.cleanup.rule import rule as _r

BARE_LINK = "bare link"


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
        r"^(?:Schreibe|Hinterlasse|Schreiben Sie|Hinterlassen Sie) (?:einen|Deinen|deinen|Ihren) Kommentar"
        r"(?: zu .{1,150})?(?: Antworten abbrechen)?(?<![.!?])$|"
        r"^(?:Antworten abbrechen|Kommentar verfassen|Kommentar abschicken)$|"
        r"^(?:Deine|Ihre) E-Mail-Adresse wird nicht veröffentlicht\b|^Erforderliche Felder sind\b|"
        r"^Benachrichtige mich über (?:nachfolgende|neue) (?:Kommentare|Beiträge)\b|"
        r"^Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser speichern\b",
        "comment form (blog software's own wording)",
        short_only=False,
    ),
    _r(
        "navigation",
        r"^(?:Kategorien|Archive|Schlagwörter|Schlagworte|Blogroll|Neueste Kommentare|Letzte Kommentare)"
        r"(?: zu[mr]? (?:Thema|Artikel|Beitrag))?\s*:?$",
        "sidebar list header",
        zone="navigation",
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
        r"^(?:Lesen Sie (?:auch|mehr|hier|dazu)|Mehr zum Thema|Auch (?:interessant|lesen|spannend)|Mehr dazu|"
        r"Zum Thema|Siehe auch)\s*(?::|\s[–-])\s*\S",
        "inline link to another article",
    ),
    _r(
        "teaser",
        r"^(?:Mehr zum Thema|Lesen Sie (?:auch|mehr|hier)|Auch interessant|Das könnte Sie (?:auch )?"
        r"interessieren|Weitere Artikel|Verwandte Artikel|Empfohlene Artikel|Empfehlungen|Meistgelesen(?:e)?|"
        r"Top-Themen|Mehr dazu|Weitere Nachrichten|Mehr Nachrichten|Ebenfalls interessant|Weitere Themen|"
        r"Zum Weiterlesen|Passend dazu|Mehr aus dem Ressort|Das ist auch interessant|"
        r"Empfehlungen der Redaktion|Unsere Empfehlungen?|Beliebte Artikel|Neueste Artikel|Aktuelle Artikel|"
        r"Das Neueste|Letzte Meldungen|Weitere Meldungen|Neu im Ressort|Top-Artikel|"
        r"(?:Ähnliche|Weitere|Verwandte|Neueste|Letzte|Beliebte|Empfohlene) Beiträge|"
        r"Das könnte (?:Dich|dich|Euch|euch) (?:auch )?interessieren)(?:\s+\S+){0,4}(?<![.!?])\s*[:…]?$",
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
    _r("credit_caption", r"^Rubriklistenbild\s*:", "listing-image credit"),
    _r("dateline", r"^Datum\s*:?\s*\d{1,2}\.\d{1,2}\.\d{4}$", "date field"),
    _r(
        "navigation",
        r"^(?:Schlagwörter|Schlagworte|Stichwörter|Permalink)\b|^(?:Themen|Tags|Mehr zu)\s*:\s*\S",
        "topic tags or permalink",
    ),
    _r("widget", r"^Feedback\s*:", "feedback prompt"),
    _r(
        "subscribe",
        r"^(?:[A-ZÄÖÜ][\wÄÖÜäöü.-]{0,19}(?:\+|plus|PLUS)|[A-ZÄÖÜ][\wÄÖÜäöü.-]{1,19}\s(?:Plus|PLUS|\+))"
        r"(?:\s+(?:Artikel|Inhalt|Abo|exklusiv))?$",
        "premium label",
    ),
    _r(
        "comments",
        r"\bKommentar(?:funktion|bereich)\b|\bnicht mehr kommentiert\b|\bKommentare (?:sind )?geschlossen\b",
        "comment section notice",
        needles="kommentar",
    ),
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
        r"^Ein Beitrag geteilt von\b|^A post shared by\b|"
        r"^(?:View this post on|Sieh dir diesen Beitrag auf) Instagram\b|"
        r"^—\s*.{2,60}\(@\w+\)\s+\w+\.? \d{1,2},? \d{4}$",
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
        # possessive: a crumb (spaces included) cannot be split two ways, so a long "A | B | …" line is linear
        r"^(?:[\wÄÖÜäöüß.&'’ -]{2,30}+\s*+[>›»|]){2,}+[\wÄÖÜäöüß.&'’ -]{2,60}+$",
        "breadcrumb trail",
    ),
    _r("widget", r"^(?:Bild|Foto|Fotos|Bilder)\s+\d+\s*(?:von|/|aus)\s*\d+$", "gallery counter"),
    _r("widget", r"^\d{1,5}$", "bare counter"),
    _r("widget", r"^\d{1,3}\s*(?:/|von|of)\s*\d{1,3}$", "gallery counter"),
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
        r"\b(?:Externer|Empfohlener externer|Empfohlener redaktioneller|Eingebetteter) Inhalt\b|"
        r"\bexterne[rn]? Inhalte?\b.{0,80}"
        r"\b(?:anzeigen|angezeigt|laden|zustimmen|einverstanden|aktivieren|freigeben)\b|\bDrittplattformen\b|"
        r"\beinverstanden, dass (?:mir )?externe\b|"
        r"\b(?:Inhalte?|Daten) (?:von |an )?Drittanbieter|"
        r"\b(?:Klicken Sie|Klicke|Klickt|Klick)\b.{0,60}\b(?:Inhalte?|Video|Karte|Beitrag)\b.{0,60}"
        r"\b(?:laden|anzeigen|aktivieren|entsperren)\b|^(?:Inhalte?|Video|Karte|Externe Inhalte) (?:laden|anzeigen)$|"
        r"^An dieser Stelle (?:finden Sie|ist|befindet sich|sehen Sie)\b.{0,80}"
        r"\b(?:Inhalt|Video|Tweet|Beitrag|Post|Grafik|Karte|Umfrage)\b",
        "embedded third-party content notice",
        short_only=False,
        needles="inhalt;drittplattform;drittanbieter;an dieser stelle;video;karte;beitrag",
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
        r"\bNewsletter\b.{0,80}\b(?:abonnieren|bestellen|anmelden|melden|erhalten|registrieren|anfordern)\b|"
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
        "navigation",
        r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:de|com|net|org|at|ch|eu|info|news)$",
        "site name",
    ),
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
    *PROMPT_RULES,
    *CONSENT_RULES,
)


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


_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000]")


def line_hit(line: str, *, extra_rules: Iterable[Rule] = (), phrases: PhraseMatcher | None = None) -> Hit | None:
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
                elif credit := credit_text(CREDIT_PREFIX.sub("", stripped)):
                    found.metadata["credits"] = [credit]
            return found
    if short and (
        hit := (phrases or GENERIC_PHRASES).match(stripped) or byline_hit(stripped) or meta_line_hit(stripped)
    ):
        return hit
    return caption_hit(stripped)
