"""The frame shared by pages that draw one filtered view (Compare, Country profile, Types x values), chart
first: a title saying in words what is shown, one short line per notice (details on demand), the chart, and
the controls in a side panel (below the results on a phone, one link away); then the intro, the share box
and the URL store. Also the presentation-mode and embed renderings of the same results."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html, no_update

from app.components.charts import cached_figure, on_screen
from app.components.charts import graph as chart_graph
from app.components.cite import cite_and_code
from app.components.present import presentation
from app.components.toolbar import share_box, toolbar
from app.components.ui import demo_badge, error_notice, problems_notice
from app.data.db import Database
from app.i18n import safe_lang, t
from app.site.page_context import PageContext
from app.site.params import Known, View
from app.site.registry import Page
from app.site.request import current_db, current_known
from app.site.urls import view_url
from core.errors import DatabaseUnavailable


@dataclass(frozen=True)
class ViewResults:
    """What a page shows for one view; :func:`results_area` lays it out for the page, presentation and embeds."""

    element: str  # element ids: '<element>-graph', '<element>-table' and (below the chart) '<element>-table-alt'
    title: str  # the page's heading: what the chart shows, in words (also names the chart for screen readers)
    figure: Callable[[float], Any]  # the chart at a text scale
    present_scale: float  # text scale of presentation mode
    image_name: str  # file name of the exported PNG/SVG
    table: Callable[[str], Any]  # the data table, given its element id
    demo: str | None = None
    subtitle: str = ""  # under the heading: level, sector, base
    warnings: Sequence[Any] = ()  # above the results (not in presentation mode)
    notes: Sequence[Any] = ()  # below the chart or table, before the toolbar (page only)
    wide: bool = False  # a chart that needs a laptop's width: on a phone it scrolls sideways in its own region
    sections: Sequence[Any] = ()  # below the toolbar (page only)
    # the view's records for the Cite box, given the view's URL, from what was built above; None: the page's
    # dataset() builds them again
    dataset: Callable[[str], Any] | None = None


# (db, known, view, lang) -> the view's results, or the children of a notice when there is nothing to show
BuildResults = Callable[[Database, Known, Any, str], "ViewResults | list[Any]"]
Controls = Callable[[PageContext, Any], Any]


def results_area(page: Page, build: BuildResults, db: Database, known: Known, view: Any, lang: str, *,
                 present: bool = False, embed: bool = False) -> list[Any]:
    """The children of a page's results area: the chart or the table, then notes, toolbar and sections;
    in presentation mode the chart alone, and embedded the chart, its table and a link to the full view."""
    try:
        shown = build(db, known, view, lang)
    except DatabaseUnavailable:
        return [error_notice(lang)]
    if not isinstance(shown, ViewResults):
        return shown if present or embed else [html.H1(page.label(lang), className="view-title"), *shown]
    scale = shown.present_scale if present else 1.0
    fig = cached_figure(db, page.name, {**view.query(), "lang": lang, "scale": scale}, lambda: shown.figure(scale))
    if not (present or embed):
        fig = on_screen(fig)
    graph_id = f"{shown.element}-graph"
    graph = chart_graph(graph_id, fig, shown.image_name)
    if present:  # the chart carries its own title, warnings and demo label
        return [graph]
    body: list[Any] = [*shown.warnings, demo_badge(shown.demo, lang)]
    if not embed:
        body = [html.H1(shown.title, className="view-title"),
                html.P(shown.subtitle, className="view-subtitle") if shown.subtitle else None,
                *body]
    if embed or view.display == "chart":
        body += chart_with_table(graph, shown.title, shown.table(f"{shown.element}-table-alt"), lang,
                                 wide=shown.wide)
    else:
        body.append(shown.table(f"{shown.element}-table"))
    if embed:
        return [*body, embed_attribution(page, lang, view)]
    url = view_url(page, lang, view)
    dataset = shown.dataset(url) if shown.dataset is not None else page.dataset(db, view, lang, known, url)
    return [*body, *shown.notes, toolbar(page, lang, view, graph_id=graph_id if view.display == "chart" else None),
            cite_and_code(page, lang, dataset), *shown.sections]


def updated_results(page: Page, build: BuildResults, lang: Any,
                    view_of: Callable[[Known], View]) -> tuple[list[Any], Any]:
    """What a page's filter callback returns: the new results area and the view's URL for the address bar."""
    lang = safe_lang(lang)
    try:
        known = current_known()
    except DatabaseUnavailable:
        return [error_notice(lang)], no_update
    view = view_of(known)
    return (results_area(page, build, current_db(), known, view, lang),
            {"url": view_url(page, lang, view), "initial": False})


def text_args(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Control values from the browser as URL arguments: anything but non-empty text counts as absent."""
    return {k: [v] for k, v in values.items() if isinstance(v, str) and v}


def view_page(ctx: PageContext, page: Page, *, id_prefix: str, title_key: str, intro_key: str,
              controls: Controls, results: BuildResults, after_results: Sequence[Any] = ()) -> html.Div:
    """The full page: its results area has id '<id_prefix>-results', which the page's callbacks update; its
    heading is in the results area, since it names what is shown."""
    view, lang = ctx.view, ctx.lang
    panel_title = f"{page.name}-controls-title"
    return html.Div([
        # where the controls are, on the page's first line: on narrow screens they come after the results
        html.Div([html.P(t(lang, title_key), className="eyebrow"),
                  html.A(t(lang, "controls_title"), href=f"#{page.name}-controls", className="jump-controls")],
                 className="page-top"),
        problems_notice(ctx.problems, lang),
        html.Div([
            html.Div([
                dcc.Loading(html.Div(results_area(page, results, ctx.db, ctx.known, view, lang),
                                     id=f"{id_prefix}-results", **{"aria-live": "polite"}),
                            type="dot", delay_show=400),
                *after_results,
                html.Details([html.Summary(t(lang, "about_page")), html.P(t(lang, intro_key), className="lead")],
                             className="explain about-page"),
                *shared_address(page, lang, view),
            ], className="view-main"),
            html.Aside([html.H2(t(lang, "controls_title"), id=panel_title, className="panel-title"),
                        controls(ctx, view)],
                       className="side-panel", id=f"{page.name}-controls", **{"aria-labelledby": panel_title}),
        ], className="view-layout"),
    ], className=f"page page-{page.name}")


def shared_address(page: Page, lang: str, view: View) -> list[Any]:
    """The share box, and the store of the view's canonical URL that the router puts into the address bar."""
    return [share_box(lang, page),
            dcc.Store(id={"type": "page-query", "page": page.name}, data={"url": view_url(page, lang, view),
                                                                          "initial": True})]


def present_page(ctx: PageContext, results: BuildResults) -> html.Div:
    """Presentation mode: the results alone, large, with the QR code of the view."""
    content = html.Div(results_area(ctx.page, results, ctx.db, ctx.known, ctx.view, ctx.lang, present=True),
                       className="present-chart fit-box")
    return presentation(ctx, content)


def embed_page(ctx: PageContext, results: BuildResults) -> html.Div:
    """The frameable rendering of the results."""
    return html.Div(results_area(ctx.page, results, ctx.db, ctx.known, ctx.view, ctx.lang, embed=True),
                    className="embed")


def chart_with_table(graph: Any, title: str, table: Any, lang: str, *, wide: bool = False) -> list[Any]:
    """The chart, named for screen readers, followed by its data table one click away. A wide chart's region
    can be focused, so that keyboard users can scroll it where it is wider than the screen."""
    scroll = {"tabIndex": 0, "className": "chart-wide"} if wide else {}
    # 'figure', not 'img': the chart holds controls (its toolbar), which an image may not
    return [html.Div(graph, role="figure", **{"aria-label": t(lang, "chart_aria", title=title)}, **scroll),
            html.Details([html.Summary(t(lang, "show_table")), table], className="table-details")]


def embed_attribution(page: Page, lang: str, view: View) -> html.P:
    """The link from an embedded view back to the full page of the same view."""
    return html.P(html.A(t(lang, "embed_open"), href=view_url(page, lang, view), target="_blank", rel="noopener"),
                  className="embed-attribution")
