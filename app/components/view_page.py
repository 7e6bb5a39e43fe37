"""The frame shared by pages that draw one filtered view (Compare, Country profile, Types x values):
title and intro, parameter notices, controls, the results area, the share box and the URL store, plus the
presentation-mode and embed renderings of the same results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from dash import dcc, html

from app.components.present import presentation
from app.components.toolbar import share_box
from app.components.ui import problems_notice
from app.context import PageContext
from app.i18n import t
from app.params import view_url

# results(db, known, view, lang, *, present=False, embed=False) -> the children of the results area
Results = Callable[..., Any]
Controls = Callable[[PageContext, Any], Any]


def view_page(ctx: PageContext, page: str, *, id_prefix: str, title_key: str, intro_key: str,
              controls: Controls, results: Results, before_controls: Sequence[Any] = ()) -> html.Div:
    """The full page: its results area has id '<id_prefix>-results', which the page's callbacks update."""
    view, lang = ctx.view, ctx.lang
    return html.Div([
        html.H1(t(lang, title_key)),
        html.P(t(lang, intro_key), className="lead"),
        problems_notice(ctx.problems, lang),
        *before_controls,
        controls(ctx, view),
        dcc.Loading(html.Div(results(ctx.db, ctx.known, view, lang), id=f"{id_prefix}-results",
                             **{"aria-live": "polite"}), type="dot", delay_show=400),
        share_box(lang, page),
        dcc.Store(id={"type": "page-query", "page": page}, data={"url": view_url(page, lang, view), "initial": True}),
    ], className=f"page page-{page.replace('_', '-')}")


def present_page(ctx: PageContext, page: str, results: Results) -> html.Div:
    """Presentation mode: the results alone, large, with the QR code of the view."""
    content = html.Div(results(ctx.db, ctx.known, ctx.view, ctx.lang, present=True), className="present-chart")
    return presentation(ctx.lang, page, ctx.view, content)


def embed_page(ctx: PageContext, results: Results) -> html.Div:
    """The frameable rendering of the results."""
    return html.Div(results(ctx.db, ctx.known, ctx.view, ctx.lang, embed=True), className="embed")


def chart_with_table(graph: Any, title: str, table: Any, lang: str) -> list[Any]:
    """The chart, named for screen readers, followed by its data table one click away."""
    # 'figure', not 'img': the chart holds controls (its toolbar), which an image may not
    return [html.Div(graph, role="figure", **{"aria-label": t(lang, "chart_aria", title=title)}),
            html.Details([html.Summary(t(lang, "show_table")), table], className="table-details")]


def embed_attribution(page: str, lang: str, view: Any) -> html.P:
    """The link from an embedded view back to the full page of the same view."""
    return html.P(html.A(t(lang, "embed_open"), href=view_url(page, lang, view), target="_blank", rel="noopener"),
                  className="embed-attribution")
