"""URL -> page. Every view is a URL: the router draws the page a URL names, and a clientside callback
writes the canonical URL of what is on screen back into the address bar.

Flow: pages put their canonical URL (path with language + all parameters) into a ``page-query`` store.
``sync_url`` (clientside) pushes it onto the history (or replaces the entry right after a page is drawn)
and records it in ``view-search``; the router ignores a location it has drawn already, so changing a
filter never redraws the page (focus stays where it was), while back/forward and links do.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from app.components.shell import frame
from app.components.ui import error_notice
from app.i18n import t
from app.site.page_context import PageContext
from app.site.params import known, parse_lang, parse_present, parse_search
from app.site.registry import pages
from app.site.request import current_db, public_base, short_path
from app.site.urls import page_path, parse_path, view_url
from core.config import LANGUAGES, get_settings
from core.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

def not_found(lang: str, pathname: str) -> html.Div:
    links = [html.Li(html.A(p.label(lang), href=page_path(p, lang), **{"data-spa": "1"}))
             for p in pages()]
    return html.Div([
        html.H1(t(lang, "not_found_title")),
        html.P(t(lang, "not_found_text", path=pathname[:80])),
        html.Ul(links),
        html.P(t(lang, "not_found_languages", languages=", ".join(LANGUAGES))),
    ], className="page page-not-found", id="not-found")


def render(pathname: str | None, search: str | None) -> list[Any]:
    """The whole page for a location (never raises: bad input gives a friendly message)."""
    route = parse_path(pathname)
    args = parse_search(search)
    lang, lang_problems = parse_lang(args, route.path_lang, get_settings().default_language)
    present = parse_present(args) and not route.embed
    target = (pathname or "/") + (search or "")
    if route.page is None:
        return frame(lang, None, not_found(lang, pathname or "/"), target=target)
    try:
        db = current_db()
        facts = known(db)
    except DatabaseUnavailable:
        return frame(lang, route.page, error_notice(lang), target=target)
    page = route.page
    view, problems = page.parse(args, facts)
    presenting = present and page.present is not None
    # the QR code of presentation mode names the view's short link: written here, before drawing
    qr_url = public_base() + short_path(view_url(page, lang, view)) if presenting else None
    ctx = PageContext(db=db, known=facts, lang=lang, page=page, view=view,
                      problems=[*lang_problems, *problems], present=present, embed=route.embed, qr_url=qr_url)
    try:
        if route.embed:
            content = page.embed(ctx) if page.embed is not None else not_found(lang, pathname or "/")
        elif presenting:
            content = page.present(ctx)
        else:
            content = page.layout(ctx)
    except DatabaseUnavailable:
        content = error_notice(lang)
    except Exception:  # never a server error page: log it and say so kindly
        log.exception("could not draw %s", target)
        content = error_notice(lang, "unexpected_error")
    return frame(lang, route.page, content, target=target, present=present, embed=route.embed)


def register(app: Dash) -> None:
    """The router callback and the clientside callbacks that keep the address bar and links in step."""

    @app.callback(Output("shell", "children"), Input("url", "pathname"), Input("url", "search"),
                  State("view-search", "data"))
    def route(pathname: str | None, search: str | None, drawn: str | None):
        # the browser sends these; anything but text is treated as absent
        pathname = pathname if isinstance(pathname, str) else None
        search = search if isinstance(search, str) else None
        if drawn is not None and (pathname or "/") + (search or "") == drawn:
            raise PreventUpdate  # the address bar caught up with what is on screen: nothing to draw
        return render(pathname, search)

    app.clientside_callback(
        "function(targets, drawn) { return window.barometer.syncUrl(targets, drawn); }",
        Output("url", "pathname"), Output("url", "search"), Output("view-search", "data"),
        Input({"type": "page-query", "page": ALL}, "data"), State("view-search", "data"),
    )
    app.clientside_callback(
        "function(target, lang, title) { return window.barometer.afterNavigate(target, lang, title); }",
        Output({"type": "lang-link", "lang": ALL}, "href"), Output({"type": "share-url", "page": ALL}, "value"),
        Input("view-search", "data"), Input("page-lang", "data"), State("page-title", "data"),
    )
    app.clientside_callback(
        "function(clicks) { return window.barometer.exportImage(clicks); }",
        Output("export-done", "data"),
        Input({"type": "export-image", "format": ALL, "graph": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
