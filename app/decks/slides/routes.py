"""'/svg/<lang>/<page>?<query>': the slide of a view as a server-drawn SVG (app/decks/slides/svg.py), for the phones
following a talk (an <img>, or inline). The address is the view's own with '/svg' in front.

'/decks/<id>/offline.html[?lang=xx]': the deck as one self-contained HTML file (app/decks/slides/offline.py).

Cached like the data answers (app/web/caching/http_cache.py: '/svg/' is a data prefix): an ETag from the loaded data
version, the app's code and the address, so If-None-Match is answered 304 before anything is drawn; a drawn
slide is also kept in the app's cache (shared by the workers) until the data change.
"""

from __future__ import annotations

from functools import cache

from flask import Blueprint, Response, request

from app.data.db import Database
from app.decks.api import requested_deck
from app.decks.slides.content import SlidePathError, slide_view
from app.decks.slides.offline import offline_deck_html
from app.decks.slides.svg import slide_svg
from app.decks.store import Deck
from app.decks.views import in_language
from app.i18n import t
from app.site.request import current_db, public_base
from app.web.caching.http_cache import code_version
from core.config import LANGUAGES, get_settings
from core.errors import DatabaseUnavailable

SVG_PREFIX = "/svg"
slide_images = Blueprint("barometer_slide_images", __name__)


@cache
def slide_code_version() -> str:
    """The app's code version (app/web/caching/http_cache.py), read once: part of the cache key of every drawn slide."""
    return code_version()


def cached_slide_svg(db: Database, path: str) -> str:
    """The slide of the view at ``path`` (app.decks.slides.svg.slide_svg), drawn once per data version and code and
    then read from the app's cache by every worker; SlidePathError when ``path`` names no view a slide shows."""
    return db.cached("slide:svg", {"path": path, "code": slide_code_version()}, lambda: slide_svg(db, path))


def requested_view(view: str) -> tuple[str, str]:
    """The site path of the view a file route names (``<lang>/<page>`` and this request's query) and its
    language (the site's default when the first segment is none)."""
    query = request.query_string.decode("utf-8", "replace")
    lang = view.split("/", 1)[0]
    return "/" + view + (f"?{query}" if query else ""), lang if lang in LANGUAGES else get_settings().default_language


@slide_images.get(f"{SVG_PREFIX}/<path:view>")
def slide_image(view: str) -> Response:
    path, lang = requested_view(view)
    db = current_db()
    try:
        svg = cached_slide_svg(db, path)
    except SlidePathError:
        return Response(t(lang, "slide_not_found"), status=404, mimetype="text/plain")
    except DatabaseUnavailable:
        return Response(t(lang, "db_unavailable"), status=503, mimetype="text/plain", headers={"Retry-After": "5"})
    return Response(svg, mimetype="image/svg+xml")


def offline_slides(db: Database, deck: Deck, lang: str) -> list[tuple[str, str]]:
    """The deck's slides in ``lang`` whose views a slide can show (pages with a slide), in order, with their
    captions."""
    slides = []
    for slide in deck.slides:
        path = in_language(slide.path, lang)
        try:
            slide_view(db, path)
        except SlidePathError:
            continue
        slides.append((path, slide.caption))
    return slides


@slide_images.get("/decks/<public_id>/offline.html")
def offline_deck(public_id: str) -> Response:
    """The deck as one HTML file that works with no network (a download: a talk's safety net)."""
    deck, lang = requested_deck(public_id)
    db = current_db()
    html = offline_deck_html(db, offline_slides(db, deck, lang), title=deck.title or t(lang, "deck_untitled"),
                             lang=lang, base_url=public_base())
    response = Response(html, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="deck-{public_id}-{lang}.html"'
    response.headers["Cache-Control"] = "no-cache"
    return response
