"""Presentation mode: the view full-screen with large text, no chrome, and a QR code of its address."""

from __future__ import annotations

from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

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


def fit_to_slide(content: Any) -> Any:
    """Charts of ``content`` take the height of their box rather than one of their own (a figure built for a
    scrolling page is taller than a projector's 720 or 768 px): on a slide that box is the screen's height."""
    if isinstance(content, (list, tuple)):
        return [fit_to_slide(child) for child in content]
    if isinstance(content, dcc.Graph):
        figure = content.figure
        if isinstance(figure, dict):
            layout = {k: v for k, v in figure.get("layout", {}).items() if k != "height"}
            content.figure = {**figure, "layout": {**layout, "autosize": True}}
        else:
            figure.update_layout(height=None, autosize=True)
        # the graph's own height stays on phones, where the page scrolls; assets/style.css fits wider screens
    elif isinstance(content, Component):
        children = getattr(content, "children", None)
        if children is not None:
            content.children = fit_to_slide(children)
    return content


def presentation(ctx: PageContext, content: Any) -> html.Div:
    """``content`` beside a QR code of the (interactive) view, with a way back."""
    lang, page, view = ctx.lang, ctx.page, ctx.view
    interactive = view_url(page, lang, view)
    return html.Div([
        html.Div(fit_to_slide(content), className="present-content"),
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
