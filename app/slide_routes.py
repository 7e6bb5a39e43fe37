"""'/svg/<lang>/<page>?<query>': the slide of a view as a server-drawn SVG (app/slide_render.py), for the phones
following a talk (an <img>, or inline). The address is the view's own with '/svg' in front.

Cached like the data answers (app/http_cache.py: '/svg/' is a data prefix): an ETag from the loaded data
version, the app's code and the address, so If-None-Match is answered 304 before anything is drawn; a drawn
slide is also kept in the app's cache (shared by the workers) until the data change.
"""

from __future__ import annotations

from functools import cache

from flask import Blueprint, Response, request

from app.app_database import current_db
from app.http_cache import code_version
from app.i18n import t
from app.slide_content import SlidePathError
from app.slide_render import slide_svg
from core.config import LANGUAGES, get_settings
from core.errors import DatabaseUnavailable

SVG_PREFIX = "/svg"
slide_images = Blueprint("barometer_slide_images", __name__)


@cache
def _code() -> str:
    return code_version()


def slide_address(view_path: str) -> str:
    """The address of a view's slide image: '/en/compare?x=1' -> '/svg/en/compare?x=1'."""
    return SVG_PREFIX + view_path


@slide_images.get(f"{SVG_PREFIX}/<path:view>")
def slide_image(view: str) -> Response:
    query = request.query_string.decode("utf-8", "replace")
    path = "/" + view + (f"?{query}" if query else "")
    lang = view.split("/", 1)[0]
    lang = lang if lang in LANGUAGES else get_settings().default_language
    db = current_db()
    try:
        svg = db.cached("slide:svg", {"path": path, "code": _code()}, lambda: slide_svg(db, path))
    except SlidePathError:
        return Response(t(lang, "slide_not_found"), status=404, mimetype="text/plain")
    except DatabaseUnavailable:
        return Response(t(lang, "db_unavailable"), status=503, mimetype="text/plain", headers={"Retry-After": "5"})
    return Response(svg, mimetype="image/svg+xml")
