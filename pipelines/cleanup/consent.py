"""The fine print of forms and disclosures: consent to data processing, newsletter opt-ins, comment-form
fields, affiliate and advertising notices. Recognised by their vocabulary on any site: a consent is given
in the first person ("ich willige ein", "ich bin einverstanden") or asked of the reader ("akzeptierst
du", "erklären Sie sich einverstanden") about data, e-mail or a newsletter; a news sentence reports a
consent in the third person and stays.

These texts are long (a paragraph of legalese), so most rules are not limited to short lines.
"""

from __future__ import annotations

from pipelines.cleanup.rule import Rule, rule

# what a form's consent is about: the reader's data, not the subject of an article
_DATA = (
    r"(?:Daten|personenbezogene\w*|\w*[Dd]atenschutz\w*|E-?Mail\w*|Newsletter\w*|Einwilligung|Nutzungsbedingungen|"
    r"AGB|IP-Adresse)"
)
_I_CONSENT = (
    r"(?:\bich (?:akzeptiere|willige|stimme|erkläre mich|bin (?:damit |hiermit )?(?:einverstanden|mit\b))|"
    r"\b(?:willige|stimme|erkläre) ich\b|\bbin ich (?:damit )?einverstanden)"
)
_YOU_CONSENT = (
    r"(?:\b(?:akzeptierst|bestätigst) du\b|\bdu (?:akzeptierst|bestätigst|stimmst)\b|\berklärst du dich\b|"
    r"\bstimmst du\b|\b(?:akzeptieren|bestätigen|stimmen) (?-i:Sie)\b|\berklären (?-i:Sie) sich\b)"
)

_THIS_SITE = (
    r"\b(?:diese[rs]?|unsere[rn]?)\s+(?:Web-?)?(?:[Ss]ite|[Ss]eite|Internetseite|Internetpräsenz|Homepage|Webseite|"
    r"Blogs?)\b"
)

CONSENT_RULES: tuple[Rule, ...] = (
    rule(
        "widget",
        rf"{_THIS_SITE}.{{0,100}}\bCookies?\b|\bCookies?\b.{{0,100}}{_THIS_SITE}|^Hinweis(?:e)? zu[rm]? "
        rf"(?:Verwendung von |Einsatz von )?Cookies\b",
        "cookie notice (the site about its own cookies)",
        short_only=False,
        needles="cookie",
    ),
    rule(
        "widget",
        rf"(?:{_I_CONSENT}|{_YOU_CONSENT}).{{0,200}}\b{_DATA}|\b{_DATA}\b.{{0,200}}(?:{_I_CONSENT}|{_YOU_CONSENT})|"
        rf"\b(?:ich willige|willige ich)\b.{{0,60}}\bein\b",  # "ich willige ein": a form's wording, never a report
        "consent to data processing (form fine print)",
        short_only=False,
        needles="ich;du;sie",
    ),
    rule(
        "subscribe",
        r"\b(?:Einwilligung|Zustimmung|Abmeldung|abmelden|Newsletter)\b.{0,80}\bjederzeit\b.{0,80}"
        r"\b(?:widerruf\w*|abmelden|abbestellen|kündig\w*)|\bjederzeit\b.{0,60}\b(?:vom|aus dem) Newsletter\b",
        "newsletter terms (unsubscribe at any time)",
        short_only=False,
        needles="jederzeit",
    ),
    rule(
        "subscribe",
        r"^(?:Vielen Dank|Danke)?[!,.]?\s*(?:Bitte )?(?:prüfen Sie|prüfe|überprüfen Sie|checke|schau in) "
        r".{0,20}\b(?:E-?Mail|Posteingang|Postfach)|^(?:Sie haben sich|Du hast dich) erfolgreich (?:angemeldet|"
        r"registriert|eingetragen)",
        "sign-up confirmation",
    ),
    rule(
        "comments",
        r"^(?:Name|E-?Mail(?:-Adresse)?|Website|Webseite|Kommentar|Mail)\s*(?:\*|\([^)]{0,60}\))\s*\*?\s*$|"
        r"\bin diesem Browser\b.{0,40}\bspeichern\b|^(?:Spam-?Schutz|Captcha)\s*:|^Leave this field empty\b",
        "comment form field",
    ),
    rule(
        "advertisement",
        r"\b(?:handelt es sich um|sind|enthält)\s+(?:sogenannte\s+|sog\.\s+)?(?:Affiliate|Werbe|Provisions|Partner)"
        r"-?\s?Links?\b|\bProduct Advertising API\b|\b(?:Dieser|Der) (?:Beitrag|Artikel|Post|Text) enthält "
        r"(?:unbezahlte |bezahlte )?(?:Werbung|Affiliate|Werbelinks|Produktplatzierung)",
        "advertising disclosure (affiliate links, paid content)",
        short_only=False,
        needles="links;link;api;enthält",
    ),
    rule(
        "navigation",
        r"^(?:Zur|Zu (?:meiner|meinen|unserer|den))\s+Datenschutz\w*\s*\.?$|"
        r"\b(?:Bitte beachte|beachte|Bitte beachten Sie|beachten Sie|lies|lesen Sie|Es gilt)\b.{0,30}"
        r"\bDatenschutz(?:erklärung|bestimmungen|hinweise|richtlinie)",
        "pointer to the privacy policy",
        needles="datenschutz",
    ),
)
