"""Lines that speak to the reader about the page rather than about the news: prompts to share, rate,
comment or subscribe, the headers of the boxes around an article (related articles, the author box,
the comment thread) and the labels of blog software. Their words give them away on any site.

Every pattern is for a whole short line (``rule`` defaults to short lines only) and most are anchored
at its start, so an article sentence that happens to use the same words runs on past them and stays.
Where the reader is addressed, ``Sie``/``Ihr`` are matched case-sensitively (``(?-i:...)``): in a
news sentence a lower-case ``sie`` is a third person.
"""

from __future__ import annotations

from pipelines.cleanup.rule import Rule, rule

_ARTICLE = r"(?:Artikel|Beitrag|Post|Rezept|Geschichte|Story|Seite|Inhalte?|Text|Video|Blog|Link|article|post|page)"
_THIS = r"(?:dies(?:e[nrs]?)?|den|das|die|this)"
_YOU = r"(?-i:Sie|Ihnen|Ihr|dich|dir|du|Du|Dich|Dir|euch|Euch|ihr)"
# a label may end in a colon, an exclamation mark or an ellipsis, no more
_TAIL = r"\s*[:!.…]*\s*$"
# "zu „Titel des Beitrags“": a quoted title, or words without a sentence's end
_ABOUT = r"(?:\s+(?:zu|auf|für|on|to|for)\s(?:[„“\"»«‚‘].{1,118}[“”\"«»‘’]|[^.!?]{1,120}))"

SHARE = (
    rule(
        "share",
        rf"^(?:(?:Jetzt|Gerne?|Bitte|Einfach)\s+)?(?:(?:mit (?:Freunden|anderen|deinen Freunden)|{_THIS}\s+{_ARTICLE}|"
        rf"{_ARTICLE})\s+)?(?:(?:per|via|auf|bei|über) \S+\s+)?"
        rf"(?:teilen|sharen|weiterempfehlen|weitersagen|pinnen|drucken)"
        rf"(?:\s+(?:mit|auf|via|per|bei|über)(?:\s+\S+){{0,2}})?{_TAIL}",
        "share prompt",
    ),
    rule(
        "share",
        rf"^(?:Teile|Teilt|Teilen Sie|Share|Sharen Sie|Empfiehl|Empfehlen Sie)\s+{_THIS}(?:\s+{_ARTICLE})?"
        rf"(?:\s+(?:mit|auf|via|per|bei|on|with)(?:\s+\S+){{0,3}})?{_TAIL}",
        "share prompt",
    ),
    rule(
        "share",
        rf"^(?:Sharing is caring|Be sociable,? share|Spread the word|Pin it|Auf Pinterest merken|"
        rf"(?:Folge|Folgt|Folgen Sie) (?:uns|mir)|Follow (?:us|me)){_TAIL}",
        "share prompt",
    ),
    rule(
        "share",
        rf"\b{_ARTICLE}\s+gefallen\s*\?.{{0,60}}$",
        "share prompt (did you like the article?)",
        needles="gefallen",
    ),
)

RATING = (
    rule(
        "widget",
        rf"^(?:Wie (?:bewerten|bewertest|findest|finden|fandest|fanden) {_YOU} {_THIS}\s+{_ARTICLE}|"
        rf"(?:Bewerten Sie|Bewerte|Bewertet)\s+{_THIS}\s+(?:{_ARTICLE}|Produkt|Beitrag)|"
        rf"(?:War|Ist) {_THIS}\s+(?:{_ARTICLE}|Information|Antwort|Seite) (?:hilfreich|nützlich)|"
        rf"Wie hilfreich (?:war|ist|fanden Sie|fandest du)\b|Rate this|Was this (?:article|page) helpful)\b.{{0,40}}$|"
        rf"^Als (?:hilfreich|nützlich) (?:bewerten|markieren){_TAIL}",
        "rating prompt",
    ),
)

COMMENTS = (
    rule(
        "comments",
        rf"^(?:Hinterlasse|Hinterlassen Sie|Hinterlasst|Schreibe|Schreib|Schreiben Sie|Schreibt|Verfasse|"
        rf"Verfassen Sie)\s+(?:jetzt\s+|gerne\s+|hier\s+)?(?:einen|eine|deinen|Deinen|Ihren|den ersten)\s+"
        rf"(?:Kommentar|Antwort){_ABOUT}?(?:\s*Antworten abbrechen)?\s*[!:]?$|"
        rf"^(?:Leave|Post|Add|Write) (?:a|your) (?:Comment|Reply|Response)\b.{{0,40}}$|"
        rf"^(?:Kommentar|Antwort|Kommentare) (?:verfassen|hinzufügen|schreiben|abgeben|abschicken|absenden)\b"
        rf".{{0,40}}$",
        "comment form header",
        zone="comments",
    ),
    rule(
        "comments",
        rf"^(?:\d+|Keine|Bisher keine|Noch keine|No)\s+(?:Kommentare?|Antworten|Antwort|Gedanken|Reaktionen|"
        rf"Comments?|Responses?|Thoughts|Replies)(?:{_ABOUT}\s*:?|\s*[:.]?)$|"
        rf"^(?:Eine?|One)\s+(?:Kommentar|Antwort|Gedanke|Reaktion|Comment|Response|Thought|Reply){_ABOUT}\s*:?$|"
        rf"^(?:Comments|Kommentare)\s*\(\d+\)$|^Bisherige Kommentare\b.{{0,60}}$|"
        rf"^(?:Alle|Zeige alle|Zu den)\s+(?:\d+\s+)?Kommentaren?\b.{{0,40}}$",
        "comment section header",
        zone="comments",
    ),
    rule(
        "comments",
        r"^(?-i:Verraten Sie|Schreiben Sie|Erzählen Sie|Sagen Sie|Verratet|Verrate|Schreibt|Schreib|Erzählt|Erzähl|"
        r"Lasst|Lass)\b.{0,80}\b(?:in den Kommentaren|in die Kommentare|in einem Kommentar|per Kommentar|"
        r"im Kommentarfeld|unten in den Kommentaren)\b.{0,80}$|^Kommentieren Sie\b.{0,40}$|"
        r"^(?:Comments are closed|Kommentare sind (?:deaktiviert|geschlossen))\b",
        "invitation to comment",
    ),
    rule(
        "login",
        r"\b(?:musst|müssen|must)\s+(?:du\s+|Sie\s+|be\s+)?(?:dich\s+|sich\s+)?(?:angemeldet sein|eingeloggt sein|"
        r"anmelden|einloggen|registriert sein|logged in)\b.{0,40}\b(?:Kommentar|kommentieren|antworten|comment)",
        "log-in prompt of a comment form",
        needles="angemeldet;eingeloggt;anmelden;einloggen;registriert;logged in",
    ),
    rule(
        "login",
        r"^(?:Sie sind|Du bist)\s+(?:aktuell\s+|derzeit\s+|momentan\s+|noch\s+)?nicht\s+(?:eingeloggt|angemeldet)"
        r"\s*[.!]?$|"
        r"\b(?:loggen|melden) (?-i:Sie) sich (?:bitte |hier |zuerst )?(?:ein|an)\b.{0,20}$|"
        r"^Um (?:einen |Ihren |deinen )?Kommentare? (?:zu )?(?:hinterlassen|schreiben|verfassen|abgeben)",
        "log-in prompt of a comment form",
        needles="nicht;loggen;melden;um ",
    ),
    rule(
        "comments",
        r"\b(?:Antwort(?:en)?|Kommentar) abbrechen\s*$|^(?:Pingback|Trackback) (?:von|from|on)\b|"
        r"^Du kommentierst mit\b|^Benachrichtigung bei weiteren Kommentaren\b|"
        r"^(?:Gib|Geben Sie|Gebt)\b.{0,20}\bKommentar\b.{0,20}\bein\b|"
        r"\b(?:um dich|um sich|to log) (?:einzuloggen|anzumelden|in)\b.{0,10}$",
        "comment form (cancel reply, comment box, log-in icons)",
    ),
    rule(
        "comments",
        r"\bAkismet\b|\bKommentardaten\b|\bKommentarformular\b",
        "comment form notice (spam filter, comment data)",
        short_only=False,
        needles="akismet;kommentardaten;kommentarformular",
    ),
)

SUBSCRIBE = (
    rule(
        "subscribe",
        r"^(?:Abonniere|Abonnieren Sie|Abonniert|Bestelle|Bestellen Sie|Hol dir|Holt euch|Holen Sie sich|"
        r"Melde dich|Meldet euch|Melden Sie sich|Trag dich|Tragt euch|Tragen Sie sich|Subscribe to)\b"
        r".{0,60}\b(?:Newsletter|Blog|Updates|Posteingang|Inbox)\b",
        "newsletter sign-up",
    ),
    rule(
        "subscribe",
        rf"^(?:[\w-]+\s+){{0,2}}[\w-]*Newsletter(?:\s*:[^.?]{{0,60}})?{_TAIL}|"
        rf"^(?:Mit|In|Über) (?:unserem|meinem|dem) (?:[\w-]+\s+)?Newsletter\b",
        "newsletter box header",
    ),
    rule(
        "subscribe",
        r"^(?:Bitte\s+)?(?:Gib|Gebt|Geben Sie|Trage|Tragt|Tragen Sie)\b.{0,30}\bE-?Mail(?:-Adresse)?\b.{0,30}"
        r"\b(?:ein|an)\b|\bneue (?:Beiträge|Artikel|Posts)\b.{0,40}\bper E-?Mail\b|"
        r"^Ja,? ich möchte\b.{0,80}\b(?:Newsletter|E-?Mails?|informiert)\b|"
        r"\bin (?:deinen|deinem|euren|eurem|(?-i:Ihren|Ihrem)) (?:Posteingang|Postfach)\b",
        "e-mail sign-up prompt",
    ),
)

RELATED = (
    rule(
        "teaser",
        rf"^(?:(?:Das|Dies|Folgendes|Diese[rs]?|Auch das)(?:\s+\w+)?\s+(?:könnte|könnten|dürfte)\s+{_YOU}\s+"
        rf"(?:auch\s+|ebenfalls\s+|vielleicht\s+(?:auch\s+)?)?interessieren|"
        rf"Das interessiert {_YOU} (?:vielleicht|bestimmt) auch|Schon gelesen\?|Auch lesenswert|Lesenswert|"
        rf"Ebenfalls lesenswert|Auch (?:lesen|spannend)|Dazu passend|(?:Passend )?[Zz]um Thema|Siehe auch|"
        rf"Mehr (?:lesen|erfahren) (?:über|zu)|"
        rf"Entdecke(?:n Sie)? (?:weitere|mehr) [^.!?]{{2,30}}|(?:Derzeit|Gerade|Aktuell) (?:beliebt|gefragt|im Trend)|"
        rf"Beliebt|Trending|"
        rf"Noch mehr (?:Infos|Tipps|Lesestoff)(?: für {_YOU})?|"
        rf"Empfohlen für {_YOU}|Empfehlungen für {_YOU}|Hier weiterlesen|Mehr (?:von|zu|aus) [^.!?]{{2,40}}|"
        rf"Auch (?:auf|bei) \S+\.\w{{2,3}}|Vorschau auf den nächsten {_ARTICLE}|"
        rf"Zu allen (?:Beiträgen|Artikeln|News|Meldungen)|More from\s.{{2,40}}|"
        rf"You (?:may|might) also like|Related (?:posts|articles|stories)|(?:Popular|Recent) posts|"
        rf"(?:Verwandte|Weitere|Nützliche|Externe|Hilfreiche|Interessante) Links|Meist ?gesucht|Beliebte Suchen|"
        rf"(?:Weitere|Mehr|Ähnliche|Verwandte|Andere|Alle) (?:Artikel|Beiträge|Nachrichten|News|Meldungen|Posts|Themen|"
        rf"Pressemitteilungen|Berichte|Texte|Videos|Rezepte|Inhalte) (?:dieses|dieser|des|der|aus|zu|zum|zur|von|vom|"
        rf"im|in)"
        rf"(?:\s+[^\s.!?]+){{1,3}})\s*[:!…]*\s*$",
        "related-articles box header",
        zone="teaser",
    ),
    rule(
        "teaser",
        r"^(?:(?:Die|Unsere|Noch)\s+)?(?:Ähnliche|Verwandte|Weitere|Mehr|Neueste|Neue|Aktuelle|Letzte|Beliebte|"
        r"(?:Weitere|Mehr) (?:interessante|spannende|aktuelle|passende|lesenswerte)|"
        r"Weiterführende|Themenrelevante|Thematisch passende|Interessante|"
        r"Beliebteste|Meistgelesene|Meist gelesene|Meistgeklickte|Meist geklickte|Empfohlene|Passende|Populäre|"
        r"Top|Top-)n?\s*(?:Artikel|Beiträge|Nachrichten|News|Themen|Themenbereiche|Meldungen|Posts|Stories|Geschichten|"
        r"Rezepte|Berichte|Texte|Einträge|Blogbeiträge|Pressemitteilungen|Links|Empfehlungen)"
        r"(?:\s+(?:entdecken|zum Thema|zu diesem Thema|im Überblick|"
        r"aus dem Ressort|aus der Region))?\s*[:.…!]*$|"
        r"^(?:Weitere|Weiterführende|Zusätzliche) (?:Informationen|Infos)(?: zu (?:diesem|dem) Thema)?\s*[:.…!]*$|"
        r"^(?:Am (?:häufigsten|meisten) gelesen|Meist gelesen|Meistgelesen|Most read|Meistgeklickt)\s*[:.…!]*$",
        "related-articles box header",
        zone="teaser",
    ),
    rule(
        "teaser",
        r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*[»›→]?\s*(?:Weiterlesen|Mehr|Read more|Mehr lesen|Mehr erfahren|"
        r"Zum Artikel|Weiter)\s*[»›→]?\s*$|^Weiterlesen\s*[»›→:]\s*\S",
        "cut-off teaser text with a read-more link",
        short_only=False,
        needles="weiter;mehr;read more;zum artikel",
    ),
    rule(
        "navigation",
        rf"^(?:(?:Vorheriger|Nächster|Voriger|Älterer|Neuerer) (?:{_ARTICLE}|Eintrag|Beitrag)|"
        rf"(?:Next|Previous|Older|Newer|More) (?:posts?|articles?|story|stories|entry|entries)|Vorherige[rs]?|"
        rf"Nächste[rs]?|(?:Nächste|Vorherige) Seite)\s*[:»«›‹→←]*\s*$|"
        rf"^(?:Vorheriger|Nächster|Voriger|Älterer|Neuerer) (?:Beitrag|Artikel|Post|Eintrag)"
        rf"(?:[A-ZÄÖÜ„\"«»]|\s*[:»«›‹|–]\s*\S).{{0,150}}$",
        "link to the previous or next post",
    ),
)

AUTHOR_BOX = (
    rule(
        "byline",
        r"^(?:Über (?:den|die) (?:Autor|Autorin|Autoren|Autor\*in|Verfasser|Verfasserin)|Über mich|"
        r"Zum Autor|Zur Autorin|Zu den Autoren|Zur Person|About the author|About me)\s*:?$",
        "author box header",
        zone="byline",
    ),
)

BLOG_LABELS = (
    rule(
        "navigation",
        r"^(?:Schlagw(?:orte|örter)|Stichw(?:orte|örter)|Tags|Themen|Kategorien)(?: zu[mr]? (?:Thema|Artikel|Beitrag))?"
        r"\s*:$|^(?:Markiert mit|Getaggt mit|Tagged with|Verschlagwortet mit)\s*:?$",
        "tag list header",
        zone="navigation",
    ),
    rule(
        "navigation",
        r"^(?:Kategorien?|Rubriken?|Tags|Schlagwort|Stichworte?|Categories|Category|Posted in|Filed under|"
        r"Abgelegt unter|Veröffentlicht (?:in|unter)|Kategorisiert in|Getaggt mit|Verschlagwortet mit|"
        r"Aktuelle Seite|Direkt zu)\s*:(?:\s.{0,120})?$|"
        r"^(?:Aktuelle Seite|Direkt zu|Springe (?:direkt )?zu|Skip to content)\s*:?$",
        "category or tag label",
    ),
    rule(
        "navigation",
        r"^(?-i:Tags|TAGS|Kategorien|Themen)\s+(?-i:[A-ZÄÖÜ#])[^.!?]{0,150},[^.!?]{0,150}$",
        "tag list",
    ),
    rule(
        "navigation",
        r"\bLesezeichen (?:auf den|für den) Permalink\b|^Dieser (?:Eintrag|Beitrag) wurde\b.{0,120}"
        r"\b(?:veröffentlicht|verschlagwortet|abgelegt)\b|^(?:Dieser|Der) (?:Eintrag|Beitrag) wurde am\b|"
        r"\bveröffentlicht und (?:wurde )?unter\b|^(?:Erstellt|Veröffentlicht|Geschrieben)\b.{0,60}\bund "
        r"(?:abgelegt|gespeichert|veröffentlicht) unter\b|\bRSS(?: 2\.0)?[- ]Feed\b|\bKommentare und Pings\b|"
        r"\b(?:Trackbacks?|Pingbacks?) (?:und|&) (?:Trackbacks?|Pingbacks?|Kommentare)\b",
        "blog post filing note (category, tags, permalink)",
        short_only=False,
        needles="permalink;eintrag;beitrag;unter;rss;pings;back",
    ),
    rule(
        "byline",
        r"^(?:Eingestellt|Gepostet|Verfasst|Veröffentlicht|Posted|Written|Published) (?:von|by):? [\w.\- ]{2,40}"
        r"(?:\s+(?:um|am|at|on)\s+.{1,30}|\s*[|–-]\s*.{1,30})?$",
        "blog post author line",
    ),
    rule(
        "dateline",
        r"\bwas last modified\s*:|\bzuletzt (?:geändert|bearbeitet|aktualisiert)(?: am)?\s*:",
        "last-modified note",
        needles="last modified;zuletzt",
    ),
    rule(
        "navigation",
        r"^(?:Bloggen auf|Powered by|Erstellt mit|Betrieben mit|Proudly powered by|Theme:)\s.{0,60}$|"
        r"^(?:Erstelle|Erstellen Sie) (?:eine|deine|Ihre) kostenlose (?:Website|Webseite)\b|^Create a free website\b",
        "blog software credit",
    ),
    rule(
        "navigation",
        r"^(?:Zeige alle Beiträge von|Alle Beiträge von|Alle Artikel von|Mehr Beiträge von|Weitere Beiträge von|"
        r"View all posts by)\s.{2,60}$|^Beitrags-?[Nn]avigation$|^Alle \w+ (?:ansehen|anzeigen)$|"
        r"^(?:Haupt-?|Primäre |Rechte |Linke )?Sidebar$",
        "blog navigation (the author's posts, post navigation, sidebar)",
    ),
    rule(
        "widget",
        r"^(?:Liken|Gefällt mir)\s*(?:Lade|Wird geladen)\s*(?:…|\.\.\.)?$",
        "like button",
    ),
)

CALLS_TO_ACTION = (
    rule(
        "registration",
        r"^(?:(?:Hier|Jetzt) (?:kostenlos |gratis )?|(?:kostenlos|gratis) )(?:anmelden|registrieren)\s*[!.:»›→]*$",
        "sign-up prompt",
    ),
    rule(
        "navigation",
        r"^(?:[\w-]+\s){0,2}als PDF(?: herunterladen| speichern| öffnen)?\s*(?:\(.{1,20}\))?$",
        "download link",
    ),
    rule(
        "advertisement",
        r"^\*?\s*(?:Affiliate-?[Ll]inks?|Werbelinks?|Provisionslinks?)\s*[:*]?$",
        "advertising disclosure label",
    ),
    rule(
        "advertisement",
        r"^[^\w„]*(?:Jetzt |Hier |Gleich )?(?:[\w-]+\s)?(?:bestellen|kaufen|buchen|herunterladen|downloaden|sichern|"
        r"anfordern|entdecken|vorbestellen|shoppen)[^\w]*$|"
        r"^(?:Zum|Zur|Hier zum|Direkt zum) (?:Shop|Produkt|Angebot|Deal)\b.{0,30}$",
        "call to action (order, buy, download)",
    ),
    rule(
        "advertisement",
        r"^(?:Jetzt |Hier |Bitte )?(?:Mitglied werden|spenden|Pate werden)\s*[!.:»›→]*$|"
        r"^(?:Jetzt |Bitte )?(?-i:Werden Sie (?:Mitglied|Partner|Fördermitglied|Pate)|Werde (?:Mitglied|Partner|Pate)|"
        r"Unterstützen Sie (?:uns|unsere Arbeit|das Projekt|diesen Blog)|Unterstütze (?:uns|das Projekt|diesen Blog)|"
        r"Unterstützt uns|Spenden Sie|Kontaktieren Sie uns|"
        r"Kontaktiere uns|Schreiben Sie uns|Schreib uns|Rufen Sie uns an)\b[^,]{0,40}$",
        "call to action (join, donate, contact us)",
    ),
    rule(
        "subscribe",
        r"^(?:Gefällt|Gefallen) (?:dir|Ihnen|euch) (?:unser|unsere|unseren) [^?]{0,25}?(?:magazin|blog|podcast|"
        r"newsletter|journalismus|arbeit|artikel|beitrag|seite|website|webseite|inhalte?|kanal|portal|zeitung|"
        r"projekt|angebot|community)\?|"
        r"^(?:Unterstütze|Unterstützen Sie) (?:uns|\S+) (?:bereits |schon )?(?:mit|ab) (?:nur )?\d+(?:[,.]\d+)?\s*"
        r"(?:€|Euro)?\s*[!.]?\s*$|"
        r"^If you (?:enjoyed|liked|like|enjoy|found) (?:reading )?(?:this|our) (?:post|article|piece|work|blog)\b|"
        r"^(?:Kennt ihr|Kennst du|Kennen Sie) (?:schon|bereits) (?:unser|unsere|unseren) [^?]{2,40}\?",
        "appeal for readers' support or for the site's own offers",
        short_only=False,
        needles="gefällt;gefallen;unterstütz;if you;kennt ihr;kennst du;kennen sie",
    ),
    rule(
        "navigation",
        r"^(?:Haben Sie|Hast du)\b.{0,30}\bnicht gefunden\b|^Nicht (?:gefunden|fündig geworden),? was (?:Sie|du)\b",
        "search prompt",
    ),
    rule(
        "navigation",
        r"^(?:Inhaltsverzeichnis|Inhaltsübersicht|Inhalt|Table of contents|Contents)\s*:?\s*"
        r"(?:\[?(?:anzeigen|ausblenden|einblenden|verbergen|show|hide)\]?)?$",
        "table of contents header",
    ),
)

PROMPT_RULES: tuple[Rule, ...] = (
    *SHARE,
    *RATING,
    *COMMENTS,
    *SUBSCRIBE,
    *RELATED,
    *AUTHOR_BOX,
    *BLOG_LABELS,
    *CALLS_TO_ACTION,
)
