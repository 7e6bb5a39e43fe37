"""'/decks/<id>/deck.pptx[?lang=xx]': a deck as a PowerPoint file; '/pptx/<lang>/<page>?<query>': one view as a
PowerPoint file (the view's own address with '/pptx' in front, app/site/urls.py). Both are downloads drawn
from the database of this request; `barometer deck pptx` writes the same file."""

from __future__ import annotations

from flask import Blueprint, Response

from app.data.db import Database
from app.decks.api import requested_deck
from app.decks.pages import follow_path
from app.decks.pptx.document import Closing, presentation_bytes
from app.decks.slides.content import SlidePathError, read_slide
from app.decks.slides.routes import offline_slides, requested_view
from app.decks.store import Deck
from app.i18n import t
from app.site.request import current_db, public_base
from app.site.urls import PPTX_PREFIX, file_stem
from core.errors import DatabaseUnavailable

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
pptx_files = Blueprint("barometer_pptx", __name__)


def deck_pptx(db: Database, deck: Deck, lang: str, base_url: str) -> tuple[bytes, int]:
    """The deck in ``lang`` as a PPTX file, and how many of its slides it holds (views a slide can show);
    its links and follow QR code start with ``base_url``."""
    slides = [(read_slide(db, path, lang=lang), caption) for path, caption in offline_slides(db, deck, lang)]
    closing = Closing(deck.title or t(lang, "deck_untitled"), t(lang, "deck_qr_caption"),
                      base_url.rstrip("/") + follow_path(deck, lang))
    return presentation_bytes(slides, base_url=base_url, closing=closing), len(slides)


def view_pptx(db: Database, path: str, base_url: str) -> tuple[bytes, str]:
    """The view at ``path`` as a PPTX file and its file name (SlidePathError when it names no view a slide
    shows)."""
    slide = read_slide(db, path)
    address = base_url.rstrip("/") + slide.path
    body = presentation_bytes([(slide, "")], base_url=base_url,
                              closing=Closing(slide.title, t(slide.lang, "qr_caption"), address))
    return body, f"{file_stem(slide.page.name, slide.view)}-{slide.lang}.pptx"


def _download(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype=PPTX_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-cache"
    return response


@pptx_files.get("/decks/<public_id>/deck.pptx")
def deck_file(public_id: str) -> Response:
    """The deck as a PowerPoint file, in ?lang= or the deck's language."""
    deck, lang = requested_deck(public_id)
    body, _ = deck_pptx(current_db(), deck, lang, public_base())
    return _download(body, f"deck-{public_id}-{lang}.pptx")


@pptx_files.get(f"{PPTX_PREFIX}/<path:view>")
def view_file(view: str) -> Response:
    """One view as a PowerPoint file: its slide and the closing QR code of its address."""
    path, lang = requested_view(view)
    try:
        body, filename = view_pptx(current_db(), path, public_base())
    except SlidePathError:
        return Response(t(lang, "slide_not_found"), status=404, mimetype="text/plain")
    except DatabaseUnavailable:
        return Response(t(lang, "db_unavailable"), status=503, mimetype="text/plain", headers={"Retry-After": "5"})
    return _download(body, filename)
