"""'/s/<code>': a short link redirects to the view it names; an unknown code gets a friendly page (404)."""

from __future__ import annotations

from html import escape

from flask import Blueprint, Response, redirect, request

from app.data.links import is_code
from app.data.queries import short_link_target
from app.i18n import t
from app.site.request import current_db
from core.config import LANGUAGES, get_settings
from core.errors import DatabaseUnavailable

short_links = Blueprint("barometer_short_links", __name__)


def _visitor_language() -> str:
    """The language a visitor's browser asks for first among ours (a short link carries none itself)."""
    return request.accept_languages.best_match(LANGUAGES) or get_settings().default_language


def _not_found_page(lang: str) -> Response:
    title = escape(t(lang, "short_link_not_found_title"))
    body = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head><body style='font-family:sans-serif;max-width:40rem;margin:2rem auto;"
            f"padding:0 1rem'><h1>{title}</h1><p>{escape(t(lang, 'short_link_not_found_text'))} "
            f"<a href='/{lang}/'>{escape(t(lang, 'nav_overview'))}</a></p></body></html>")
    return Response(body, status=404, mimetype="text/html")


@short_links.get("/s/<code>")
def follow(code: str) -> Response:
    """Redirect to the view of ``code`` (302: the same code always names the same view, but a browser should
    not remember a redirect the site may one day answer differently)."""
    lang = _visitor_language()
    if not is_code(code):
        return _not_found_page(lang)
    try:
        target = short_link_target(current_db(), code)
    except DatabaseUnavailable:
        return Response(t(lang, "db_unavailable"), status=503, mimetype="text/plain", headers={"Retry-After": "5"})
    if target is None:
        return _not_found_page(lang)
    return redirect(target, code=302)
