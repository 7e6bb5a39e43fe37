"""Types x values page: a heatmap (with n in every cell) of one of the catalogue's cross-tabs, chosen in its
controls: which innovation types bring which values unless another is chosen."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update

from app.components.charts import heatmap
from app.components.controls import code_options
from app.components.ui import data_table, dropdown, field, group, more_options
from app.components.view_page import ViewResults, embed_page, present_page, text_args, updated_results, view_page
from app.data.db import Database
from app.exports.datasets import Dataset
from app.i18n import fmt_ci, fmt_pct, safe_lang, t
from app.models.common import export_footer
from app.pages.types_values.model import (
    TypesValuesResult,
    build_types_values,
    crosstab_name,
    empty_notice,
    how_to_read,
    types_values_records,
)
from app.pages.types_values.view import NAME, TypesValuesView, parse
from app.site.page_context import PageContext
from app.site.params import Known
from app.site.registry import Page
from app.site.request import current_known
from app.site.urls import file_stem
from core.errors import DatabaseUnavailable


def wave_choices(known: Known, lang: str) -> list[dict[str, str]]:
    return [{"label": f"{known.ref.label('country', w.country, lang)} {w.wave_label} · {w.programme}",
             "value": w.key} for w in known.waves]


def crosstab_choices(known: Known, lang: str) -> list[dict[str, str]]:
    """Every cross-tab the catalogue declares, named by its two indicators in ``lang``."""
    return [{"label": crosstab_name(known.ref, tab, lang), "value": code} for code, tab in known.ref.cross_tabs.items()]


def controls(ctx: PageContext, view: TypesValuesView) -> html.Form:
    known, lang = ctx.known, ctx.lang
    return html.Form([
        html.Div([
            field(t(lang, "label_crosstab"), dropdown("tv-crosstab", crosstab_choices(known, lang), view.crosstab, lang,
                                                      searchable=False), "tv-crosstab", wide=True),
            field(t(lang, "label_wave"), dropdown("tv-wave", wave_choices(known, lang), view.wave, lang), "tv-wave",
                  wide=True),
            field(t(lang, "label_level"), dropdown("tv-level", code_options(known, "government_level",
                                                                            known.ref.levels, lang),
                                                   view.level, lang, searchable=False), "tv-level"),
            field(t(lang, "label_sector"), dropdown("tv-sector", code_options(known, "sector", known.ref.sectors, lang),
                                                    view.sector, lang, searchable=False), "tv-sector"),
        ], className="controls-row"),
        more_options(lang, [group(t(lang, "label_display"), dcc.RadioItems(
            id="tv-display", options=[{"label": t(lang, "display_chart"), "value": "chart"},
                                      {"label": t(lang, "display_table"), "value": "table"}],
            value=view.display, inline=True, className="checks", labelClassName="check-label"), "tv-display")]),
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
                   demo=t(result.lang, "demo_chart") if result.demo else None, scale=scale,
                   source=export_footer([result.wave] if result.wave else [], result.lang))


def table(result: TypesValuesResult, table_id: str) -> html.Div:
    rows = []
    for row_code, row_label in result.rows:
        cells: list[Any] = [row_label]
        for col_code, _ in result.columns:
            cells.append(_cell_text(result, row_code, col_code)[2])
        rows.append(cells)
    return data_table([result.wording.row_heading] + [label for _, label in result.columns], rows,
                      caption=f"{result.title} – {result.subtitle}", table_id=table_id,
                      numeric=tuple(range(1, len(result.columns) + 1)))


def explanation_parts(known: Known, view: TypesValuesView, lang: str) -> list[Any]:
    """How to read the view's cross-tab: its summary line and paragraphs."""
    return [html.Summary(t(lang, "tv_how_title")),
            *(html.P(text) for text in how_to_read(known.ref, view.crosstab, lang)),
            html.P(t(lang, "tv_how_suppression"))]


def results(db: Database, known: Known, view: TypesValuesView, lang: str) -> ViewResults | list[Any]:
    """The heatmap and its table, or a notice when the wave did not ask both questions."""
    result = build_types_values(db, view, lang, known)
    notice = empty_notice(result, known.ref)
    if notice is not None:
        return [html.P(notice, className="notice notice-info",
                       id="tv-not-available" if not result.available else "tv-no-data")]
    return ViewResults(element="tv", title=result.title, subtitle=result.subtitle, present_scale=1.5,
                       figure=lambda scale: figure(result, scale=scale),
                       image_name=file_stem(NAME, view),
                       table=lambda table_id: table(result, table_id), demo=result.demo, wide=True)


def dataset(db: Database, view: TypesValuesView, lang: str, known: Known, url: str) -> Dataset:
    """The cross-tab as records (JSON API and downloads), with how to read it."""
    tv = build_types_values(db, view, lang, known)
    return Dataset(NAME, view, lang, f"{tv.title} ({tv.subtitle})", types_values_records(tv), url,
                   demo=tv.demo, notes=list(tv.wording.how))


def layout(ctx: PageContext) -> html.Div:
    explanation = html.Details(explanation_parts(ctx.known, ctx.view, ctx.lang), className="explain", id="tv-how")
    return view_page(ctx, ctx.page, id_prefix="tv", title_key="tv_title", intro_key="tv_intro",
                     controls=controls, results=results, after_results=[explanation])


def present(ctx: PageContext) -> html.Div:
    return present_page(ctx, results)


def embed(ctx: PageContext) -> html.Div:
    return embed_page(ctx, results)


def register_callbacks(app: Dash, page: Page) -> None:
    @app.callback(Output("tv-results", "children"), Output({"type": "page-query", "page": NAME}, "data"),
                  Output("tv-how", "children"),
                  Input("tv-wave", "value"), Input("tv-level", "value"), Input("tv-sector", "value"),
                  Input("tv-display", "value"), Input("tv-crosstab", "value"), State("page-lang", "data"),
                  prevent_initial_call=True)
    def update_results(wave, level, sector, display, crosstab, lang):
        args = text_args({"wave": wave, "level": level, "sector": sector, "display": display, "crosstab": crosstab})
        area, address = updated_results(page, results, lang, lambda known: parse(args, known)[0])
        try:
            known = current_known()
        except DatabaseUnavailable:  # the results area says so
            return area, address, no_update
        return area, address, explanation_parts(known, parse(args, known)[0], safe_lang(lang))
