"""Presentation mode: the view full-screen with large text, no chrome, and a QR code of its address."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from app.components.qr import is_loopback, qr_figure
from app.i18n import t
from app.site.page_context import PageContext
from app.site.request import public_base
from app.site.urls import view_url

PUBLIC_COMMAND = "barometer up --public"


def loopback_warning(lang: str) -> html.Div | None:
    """A warning when the QR code names this machine only: no one in the hall could open it."""
    if not is_loopback(public_base()):
        return None
    return html.Div([
        html.Strong(t(lang, "present_loopback_title")), " ",
        t(lang, "present_loopback_text"), " ", html.Code(PUBLIC_COMMAND),
    ], className="notice notice-warning present-warning", id="present-loopback-warning", role="alert")


def presentation(ctx: PageContext, content: Any) -> html.Div:
    """``content`` beside a QR code of the (interactive) view, with a way back."""
    lang, page, view = ctx.lang, ctx.page, ctx.view
    interactive = view_url(page, lang, view)
    return html.Div([
        html.Div(content, className="present-content"),
        html.Aside([
            loopback_warning(lang),
            qr_figure(ctx.qr_url or public_base() + interactive, t(lang, "qr_caption")),
            html.Button(t(lang, "fullscreen"), id="fullscreen-button", className="button", type="button"),
            html.A(t(lang, "exit_present"), href=interactive, className="button exit-present", id="exit-present",
                   **{"data-spa": "1", "aria-keyshortcuts": "Escape"}),
            html.P(t(lang, "exit_present_hint"), className="present-hint"),
        ], className="present-side"),
        dcc.Store(id={"type": "page-query", "page": page.name},
                  data={"url": view_url(page, lang, view, present=True), "initial": True}),
    ], className="present", id="presentation")
