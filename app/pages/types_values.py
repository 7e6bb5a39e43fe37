"""Types x values page: a heatmap (with n in every cell) of which innovation types bring which values."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update

from app.components.charts import cached_figure, heatmap
from app.components.charts import graph as chart_graph
from app.components.cite import cite_and_code
from app.components.controls import code_options
from app.components.toolbar import toolbar
from app.components.ui import data_table, demo_badge, dropdown, error_notice, field, group
from app.components.view_page import chart_with_table, embed_attribution, embed_page, present_page, view_page
from app.context import PageContext
from app.i18n import fmt_ci, fmt_pct, safe_lang, t
from app.params import Known, TypesValuesView, parse_types_values, view_url
from app.queries import Database
from app.state import current_db, current_known
from app.viewmodels.types_values import TypesValuesResult, build_types_values, types_values_records
from core.errors import DatabaseUnavailable

PAGE = "types-values"
GRAPH_ID = "tv-graph"


def wave_choices(known: Known, lang: str) -> list[dict[str, str]]:
    return [{"label": f"{known.ref.label('country', w.country, lang)} {w.wave_label} · {w.programme}",
             "value": w.key} for w in known.waves]


def controls(ctx: PageContext, view: TypesValuesView) -> html.Form:
    known, lang = ctx.known, ctx.lang
    return html.Form([
        html.Div([
            field(t(lang, "label_wave"), dropdown("tv-wave", wave_choices(known, lang), view.wave, lang), "tv-wave",
                  wide=True),
            field(t(lang, "label_level"), dropdown("tv-level", code_options(known, "government_level",
                                                                            known.ref.levels, lang),
                                                   view.level, lang, searchable=False), "tv-level"),
            field(t(lang, "label_sector"), dropdown("tv-sector", code_options(known, "sector", known.ref.sectors, lang),
                                                    view.sector, lang, searchable=False), "tv-sector"),
        ], className="controls-row"),
        group(t(lang, "label_display"), dcc.RadioItems(
            id="tv-display", options=[{"label": t(lang, "display_chart"), "value": "chart"},
                                      {"label": t(lang, "display_table"), "value": "table"}],
            value=view.display, inline=True, className="checks", labelClassName="check-label"), "tv-display"),
    ], className="controls", role="search", **{"aria-label": t(lang, "filters_label")})


def _cell_text(result: TypesValuesResult, row: str, column: str) -> tuple[float | None, str, str]:
    lang = result.lang
    cell = result.cells.get((row, column))
    if cell is None or cell.data is None:
        return None, t(lang, "tv_no_cell"), t(lang, "tv_no_cell")
    if cell.share is None:
        return None, f"{t(lang, 'suppressed_short')}<br>{cell.n_text}", f"{t(lang, 'suppressed_short')} ({cell.n_text})"
    data = cell.data
    return (cell.share, f"{fmt_pct(cell.share, lang, 0)}<br>n={cell.n_text}",
            f"{fmt_pct(cell.share, lang)} ({t(lang, 'ci95')} {fmt_ci(data['ci_low'], data['ci_high'], lang)}), "
            f"n = {cell.n_text}")


def figure(result: TypesValuesResult, *, scale: float = 1.0):
    shares, texts, hovers = [], [], []
    for row_code, row_label in result.rows:
        row_shares, row_texts, row_hovers = [], [], []
        for col_code, col_label in result.columns:
            share, text, hover = _cell_text(result, row_code, col_code)
            row_shares.append(share)
            row_texts.append(text)
            row_hovers.append(f"<b>{row_label}</b><br>{col_label}<br>{hover}")
        shares.append(row_shares)
        texts.append(row_texts)
        hovers.append(row_hovers)
    return heatmap(rows=[label for _, label in result.rows], columns=[label for _, label in result.columns],
                   shares=shares, texts=texts, hovers=hovers, lang=result.lang, title=result.title,
                   subtitle=result.subtitle,
                   demo=t(result.lang, "demo_chart") if result.demo else None, scale=scale)


def table(result: TypesValuesResult, table_id: str) -> html.Div:
    lang = result.lang
    rows = []
    for row_code, row_label in result.rows:
        cells: list[Any] = [row_label]
        for col_code, _ in result.columns:
            cells.append(_cell_text(result, row_code, col_code)[2])
        rows.append(cells)
    return data_table([t(lang, "tv_type_column")] + [label for _, label in result.columns], rows,
                      caption=f"{result.title} – {result.subtitle}", table_id=table_id,
                      numeric=tuple(range(1, len(result.columns) + 1)))


def explanation(lang: str) -> html.Details:
    return html.Details([html.Summary(t(lang, "tv_how_title")),
                         html.P(t(lang, "tv_how_text")), html.P(t(lang, "tv_how_overlap")),
                         html.P(t(lang, "tv_how_suppression"))], className="explain", open=True)


def results(db: Database, known: Known, view: TypesValuesView, lang: str, *, present: bool = False,
            embed: bool = False) -> list[Any]:
    try:
        result = build_types_values(db, view, lang, known)
    except DatabaseUnavailable:
        return [error_notice(lang)]
    if not result.available:
        return [html.P(t(lang, "tv_not_available"), className="notice notice-info", id="tv-not-available")]
    scale = 1.5 if present else 1.0
    fig = cached_figure(db, PAGE, {**view.query(), "lang": lang, "scale": scale},
                        lambda: figure(result, scale=scale))
    graph = chart_graph(GRAPH_ID, fig, f"nordic-barometer-types-values-{view.wave}")
    if present:
        return [graph]
    body: list[Any] = [demo_badge(result.demo, lang)]
    if embed or view.display == "chart":
        body += chart_with_table(graph, result.title, table(result, "tv-table-alt"), lang)
    else:
        body.append(table(result, "tv-table"))
    if embed:
        return [*body, embed_attribution(PAGE, lang, view)]
    return [*body, toolbar(PAGE, lang, view, graph_id=GRAPH_ID if view.display == "chart" else None),
            cite_and_code(PAGE, lang, view, f"{result.title} ({result.subtitle})", types_values_records(result))]


def layout(ctx: PageContext) -> html.Div:
    return view_page(ctx, PAGE, id_prefix="tv", title_key="tv_title", intro_key="tv_intro",
                     controls=controls, results=results, before_controls=[explanation(ctx.lang)])


def present(ctx: PageContext) -> html.Div:
    return present_page(ctx, PAGE, results)


def embed(ctx: PageContext) -> html.Div:
    return embed_page(ctx, results)


def register_callbacks(app: Dash) -> None:
    @app.callback(Output("tv-results", "children"), Output({"type": "page-query", "page": PAGE}, "data"),
                  Input("tv-wave", "value"), Input("tv-level", "value"), Input("tv-sector", "value"),
                  Input("tv-display", "value"), State("page-lang", "data"), prevent_initial_call=True)
    def update_results(wave, level, sector, display, lang):
        lang = safe_lang(lang)
        try:
            known = current_known()
        except DatabaseUnavailable:
            return [error_notice(lang)], no_update
        args = {"wave": wave, "level": level, "sector": sector, "display": display}
        view, _ = parse_types_values({k: [v] for k, v in args.items() if isinstance(v, str) and v}, known)
        return results(current_db(), known, view, lang), {"url": view_url(PAGE, lang, view), "initial": False}
