"""What one slide of a deck shows: a view named by its canonical address (path and query), read through the
same parsers and view models as its page, so a slide and its page can never show different numbers.

Both renderings of a slide start here: the light server-side SVG of a phone following a talk
(app/decks/slides/svg.py) and the self-contained offline deck (app/decks/slides/offline.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from app.components.slide import Slide, SlideRequest
from app.data.db import Database
from app.i18n import safe_lang
from app.site.params import Known, View, known, parse_lang, parse_search
from app.site.registry import Page, slide_pages
from app.site.urls import canonical_query, page_path, parse_path, to_search

__all__ = ["Slide", "SlidePathError", "canonical_path", "read_slide", "slide_view"]


class SlidePathError(ValueError):
    """A slide address that names no view a slide can show (another page, or parameters that do not parse)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"slide {path!r}: {reason}")
        self.path = path
        self.reason = reason


def slide_view(db: Database, path: str, *, lang: str | None = None) -> tuple[Page, View, str, Known]:
    """The page, view and language a slide address names; SlidePathError when it names none a slide shows."""
    parts = urlsplit(path)
    route = parse_path(parts.path)
    if route.page not in slide_pages() or route.embed:
        names = ", ".join(p.label("en") for p in slide_pages())
        raise SlidePathError(path, f"not the address of a view a slide can show ({names})")
    args = parse_search(parts.query)
    path_lang, lang_problems = parse_lang(args, route.path_lang)
    facts = known(db)
    args = {k: v for k, v in args.items() if k not in ("lang", "present")}
    view, problems = route.page.parse(args, facts)
    if lang_problems or problems:
        wrong = ", ".join(f"{p.param}={p.value}" for p in [*lang_problems, *problems])
        raise SlidePathError(path, f"parameters that name no view: {wrong}")
    return route.page, view, safe_lang(lang or path_lang), facts


def canonical_path(page: Page, view: View, lang: str, facts: Known) -> str:
    return page_path(page, lang) + to_search(canonical_query(page, view, facts))


def read_slide(db: Database, path: str, *, lang: str | None = None) -> Slide:
    """Everything a slide of ``path`` shows, from the page's own view model."""
    page, view, lang, facts = slide_view(db, path, lang=lang)
    here = canonical_path(page, view, lang, facts)
    return page.slide(SlideRequest(db, page, view, lang, facts, here))
