"""What a page needs to draw itself: language, validated view, problems, and how it is shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.data.db import Database
from app.site.params import Known, Problem, View
from app.site.registry import Page


@dataclass(frozen=True)
class PageContext:
    db: Database
    known: Known
    lang: str
    page: Page
    view: View
    problems: list[Problem] = field(default_factory=list)
    present: bool = False  # presentation mode: large text, no chrome, QR code
    embed: bool = False  # embedded in another site: chart and attribution only
    # presentation mode: the public address its QR code encodes (the view's short link, written by the web
    # layer before the page is drawn; drawing never writes)
    qr_url: str | None = None
