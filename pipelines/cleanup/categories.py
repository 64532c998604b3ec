"""What a removed piece of a page was: the removal categories and the ``Hit`` a rule returns (shared by
the rules, the outlet profiles and the evaluation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SHORT_LINE = 160  # UI strings, labels and credits are short; long lines only meet a few rules

CATEGORIES: frozenset[str] = frozenset(
    {
        "comments",  # reader comment sections: user names, "#1 — vor 6 Monaten", replies
        "footer_copyright",  # © … Alle Rechte vorbehalten, Nutzungsrechte erwerben
        "navigation",  # Zur Startseite, breadcrumbs, menus, footer links
        "progress",  # reading-progress runs like 0%1%2%…100%
        "share",  # Teilen per:, social buttons
        "subscribe",  # Abonnieren, newsletter and paywall boxes
        "registration",  # account creation and confirmation notices
        "login",  # Um an der Diskussion teilzunehmen, loggen Sie sich ein …
        "widget",  # live tickers, loaders, chat boxes, counters, galleries
        "widget_cyrillic",  # widget text in Cyrillic inside a Latin-script article
        "foreign_script",  # any other line in a script other than the article's
        "teaser",  # links to other articles (caption + headline, "Mehr zum Thema")
        "video",  # Video ansehen 01:07 …
        "caption",  # photo captions ("(Archiv)", "(li.)", "… Foto: X")
        "credit_caption",  # captions that start with the credit ("© AP Photo / …", "Foto: …")
        "agency_tag",  # trailing "(afp/dl)"
        "byline",  # "Von Max Mustermann" (moves into metadata author)
        "dateline",  # "Stand: 12.01.2022, 14:35 Uhr" (moves into metadata date)
        "advertisement",  # Anzeige, Werbung
        "duplicate",  # a line repeated word for word (the first occurrence stays)
        "boilerplate",  # text away from the article no rule names (left out by the extractor, or by context)
    }
)


@dataclass
class Hit:
    """A rule fired: the line is junk of ``category``; ``metadata`` is what it tells about the article."""

    category: str
    reason: str
    metadata: dict[str, Any] = field(default_factory=dict)
    opens_zone: str | None = None  # a category: the lines after it are that too (a box or section)
