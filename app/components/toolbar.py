"""Download and share menu of a view: CSV, XLSX, PNG, SVG, PowerPoint, JSON, copy link, presentation mode, embed."""

from __future__ import annotations

from html import escape as html_escape

from dash import dcc, html

from app.components.deck_button import add_to_deck
from app.components.ui import copy_button
from app.i18n import t
from app.site.params import View
from app.site.registry import Page
from app.site.request import public_base
from app.site.urls import api_url, download_url, pptx_url, view_url


def toolbar(page: Page, lang: str, view: View, *, graph_id: str | None = None) -> html.Nav:
    """Links (plain hrefs, so they work without script and are easy to test) and image export buttons."""
    items: list = [
        html.A(t(lang, "download_csv"), href=download_url(page, "csv", view, lang), className="button",
               id=f"{page.name}-download-csv", download=""),
        html.A(t(lang, "download_xlsx"), href=download_url(page, "xlsx", view, lang), className="button",
               id=f"{page.name}-download-xlsx", download=""),
    ]
    if graph_id:
        for fmt in ("png", "svg"):
            items.append(html.Button(t(lang, f"download_{fmt}"), className="button", type="button",
                                     id={"type": "export-image", "format": fmt, "graph": graph_id}))
    if page.slideable:
        items.append(html.A(t(lang, "download_pptx"), href=pptx_url(page, view, lang), className="button",
                            id=f"{page.name}-download-pptx", download=""))
    items.append(html.A(t(lang, "api_json"), href=api_url(page, view, lang), className="button",
                        id=f"{page.name}-api-link", target="_blank", rel="noopener"))
    if page.presentable:
        items.append(html.A(t(lang, "present"), href=view_url(page, lang, view, present=True),
                            className="button", id=f"{page.name}-present-link"))
        items.append(add_to_deck(page, lang))
    embed = None
    if page.embeddable:
        items.append(html.A(t(lang, "embed"), href=view_url(page, lang, view, embed=True),
                            className="button button-quiet", id=f"{page.name}-embed-link", target="_blank",
                            rel="noopener"))
        embed = embed_snippet(page, lang, view)
    return html.Nav([html.Ul([html.Li(i) for i in items], className="toolbar-list"), embed], className="toolbar",
                    **{"aria-label": t(lang, "toolbar_label")})


def iframe_snippet(page: Page, lang: str, view: View) -> str:
    """The ``<iframe>`` that shows the /embed rendering of a view on another site."""
    src = public_base() + view_url(page, lang, view, embed=True)
    return (f'<iframe src="{html_escape(src)}" title="{html_escape(t(lang, "app_title"))}" width="100%" '
            'height="640" style="border:0" loading="lazy"></iframe>')


def embed_snippet(page: Page, lang: str, view: View) -> html.Details:
    """The embed code, ready to copy: a button opens it."""
    field_id = f"{page.name}-embed-code"
    return html.Details([
        html.Summary(t(lang, "embed_snippet"), className="button button-quiet", id=f"{page.name}-embed-button"),
        html.Label(t(lang, "embed_snippet_help"), htmlFor=field_id, className="field-hint"),
        dcc.Textarea(id=field_id, value=iframe_snippet(page, lang, view), readOnly=True, rows=3,
                     className="embed-code"),
        copy_button(lang, "copy_link"),
    ], className="embed-snippet")


def share_box(lang: str, page: Page) -> html.Div:
    """The address of the current view, with a copy button (kept in sync by a clientside callback)."""
    input_id = {"type": "share-url", "page": page.name}
    # the input sits inside its label, which names it without needing a string id
    return html.Div([
        html.Label([html.Span(t(lang, "share_label"), className="field-label"),
                    dcc.Input(id=input_id, type="text", readOnly=True, value="", className="share-input")],
                   className="share-field"),
        copy_button(lang, "copy_link", button_id=f"share-copy-{page.name}"),
    ], className="share-box")
