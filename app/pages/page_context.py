"""What a page needs to draw itself: language, validated view, problems, and how it is shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.db import Database
from app.pages.registry import Page
from app.params import Known, Problem, View


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
