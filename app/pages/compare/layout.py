"""Compare page: one indicator option across countries and waves, with 95% CIs and comparability warnings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Dash, Input, Output, State, dcc, html

from app.components.chart_model import NEUTRAL_COLOUR, ChartItem, ReferenceLine
from app.components.charts import ci_chart
from app.components.controls import (
    chart_and_display,
    code_options,
    indicator_options,
    option_options,
    register_option_follows_indicator,
)
from app.components.shell import spa_link
from app.components.ui import data_table, dropdown, field, group, more_options, warning_box
from app.components.view_page import ViewResults, embed_page, present_page, updated_results, view_page
from app.data.db import Database
from app.exports.datasets import Dataset
from app.i18n import fmt_ci, fmt_number, fmt_pct, safe_lang, t
from app.models.common import OK, export_footer
from app.models.differences import family_record
from app.models.published import PUBLISHED
from app.pages.compare import published
from app.pages.compare.differences import add_differences_marker, differences_panel
from app.pages.compare.model import CompareResult, CompareRow, build_compare, compare_records
from app.pages.compare.view import NAME, SOURCES, CompareView, parse
from app.site.page_context import PageContext
from app.site.params import Known
from app.site.registry import Page, page_named
from app.site.request import current_known
from app.site.urls import file_stem, view_url

# ---------------------------------------------------------------------------------------------------------
# Controls
# ---------------------------------------------------------------------------------------------------------


def wave_options(known: Known, countries: list[str], lang: str) -> list[dict[str, str]]:
    return [{"label": f"{known.ref.label('country', w.country, lang)} {w.wave_label} · {w.programme}",
             "value": w.key} for w in known.waves if w.country in countries]


def controls(ctx: PageContext, view: CompareView) -> html.Form:
    known, lang = ctx.known, ctx.lang
    return html.Form([
        html.Div([
            field(t(lang, "label_indicator"), dropdown("cmp-indicator", indicator_options(known, lang),
                                                       view.indicator, lang), "cmp-indicator", wide=True),
            field(t(lang, "label_option"), dropdown("cmp-option", option_options(known, view.indicator, lang),
                                                    view.option, lang), "cmp-option", wide=True),
        ], className="controls-row"),
        group(t(lang, "label_source"), dcc.RadioItems(
            id="cmp-source", options=[{"label": t(lang, f"source_option_{code}"), "value": code}
                                      for code in SOURCES],
            value=view.source, inline=True, className="checks", labelClassName="check-label"), "cmp-source"),
        group(t(lang, "label_countries"), dcc.Checklist(
            id="cmp-countries", options=code_options(known, "country", known.ref.countries, lang),
            value=list(view.countries), inline=True, className="checks", inputClassName="check-input",
            labelClassName="check-label"), "cmp-countries"),
        html.Div([
            field(t(lang, "label_waves"), dropdown("cmp-waves", wave_options(known, list(view.countries), lang),
                                                   list(view.waves), lang, multi=True), "cmp-waves", wide=True),
            field(t(lang, "label_level"), dropdown("cmp-level", code_options(known, "government_level",
                                                                             known.ref.levels, lang),
                                                   view.level, lang, searchable=False), "cmp-level"),
            field(t(lang, "label_sector"), dropdown("cmp-sector", code_options(known, "sector", known.ref.sectors,
                                                                               lang),
                                                    view.sector, lang, searchable=False), "cmp-sector"),
        ], className="controls-row"),
        more_options(lang, [
            *chart_and_display("cmp", lang, view),
            group(t(lang, "label_nordic"), dcc.Checklist(
                id="cmp-nordic", options=[{"label": t(lang, "show_nordic"), "value": "1"}],
                value=["1"] if view.nordic else [], inline=True, className="checks",
                labelClassName="check-label"), "cmp-nordic"),
        ]),
    ], className="controls", role="search", **{"aria-label": t(lang, "filters_label")})


# ---------------------------------------------------------------------------------------------------------
# Results: chart or table, warnings, notes, downloads
# ---------------------------------------------------------------------------------------------------------


def _hover(row: CompareRow, lang: str) -> str:
    lines = [f"<b>{row.label}</b>"]
    if row.wave is not None:
        lines.append(row.wave.programme)
    if row.status == OK and row.cell:
        cell = row.cell
        lines.append(f"{t(lang, 'col_share')}: {fmt_pct(cell['share'], lang)} "
                     f"({t(lang, 'ci95')} {fmt_ci(cell['ci_low'], cell['ci_high'], lang)})")
        lines.append(f"n = {fmt_number(cell['n'], lang)} ({t(lang, 'n_effective')} "
                     f"{fmt_number(cell['n_effective'], lang)})")
    else:
        lines.append(row.status_text)
        if row.n_text:
            lines.append(row.n_text)
    if row.published:
        lines.append(f"{t(lang, 'published_hover')}: {row.published}")
    return "<br>".join(lines)


def chart_items(result: CompareResult) -> list[ChartItem]:
    lang = result.lang
    items = []
    for row in result.rows:
        cell = row.cell if row.status == OK else None
        note = row.status_text + (f" ({row.n_text})" if row.n_text and row.status != OK
                                  and row.n_text not in row.status_text else "")
        items.append(ChartItem(
            label=row.label, group=row.country_label, colour=result.colours.get(row.country, NEUTRAL_COLOUR),
            share=cell["share"] if cell else None, ci_low=cell["ci_low"] if cell else None,
            ci_high=cell["ci_high"] if cell else None, hover=_hover(row, lang), note=note,
            published_pct=row.published_pct,
        ))
    return items


def nordic_reference(result: CompareResult, *, short: bool = False) -> ReferenceLine | None:
    """The one Nordic average line of the chart, named by the waves it averages. Drawn only when the view has
    one average (each country shows one wave, or one round is shown); the table lists one per round."""
    if len(result.nordic) != 1:
        return None
    line = result.nordic[0]
    # a slide's large text leaves the legend one line: its average is of the bars the slide shows
    label = t(result.lang, "nordic_method_title") if short else line.chart_label
    return ReferenceLine(label, line.share, line.ci_low, line.ci_high)


def short_warning(result: CompareResult) -> str | None:
    """The comparability warning in one line naming what differs (the chart's header and the slide's)."""
    lang = result.lang
    return t(lang, "warn_short", aspects=", ".join(t(lang, f"aspect_{w.aspect}") for w in result.warnings)
             ) if result.warnings else None


def figure(result: CompareResult, *, scale: float = 1.0):
    fig = ci_chart(chart_items(result), lang=result.lang, title=result.title, subtitle=result.subtitle,
                   kind=result.view.chart, line=nordic_reference(result, short=scale > 1), axis=result.view.axis,
                   warning=short_warning(result),
                   demo=t(result.lang, "demo_chart") if result.demo else None, scale=scale,
                   min_height=640 if scale > 1 else 0, source=export_footer(result.waves, result.lang))
    # a slide keeps its height for the plot: the talk's audience reads differences from the page's panel
    return add_differences_marker(fig, result.statistics, result.lang) if scale == 1.0 else fig


def table(result: CompareResult, *, table_id: str = "compare-table") -> html.Div:
    lang = result.lang
    columns = [t(lang, "col_wave"), t(lang, "col_share"), t(lang, "ci95"), t(lang, f"col_n_{result.n_counts}"),
               t(lang, "col_status"),
               t(lang, "col_published"), t(lang, "col_unit"), t(lang, "col_data"), t(lang, "col_source")]
    rows: list[list[Any]] = []
    for row in result.rows:
        ok = row.status == OK and row.cell
        wave = row.wave
        rows.append([
            row.label,
            fmt_pct(row.cell["share"], lang) if ok else "–",
            fmt_ci(row.cell["ci_low"], row.cell["ci_high"], lang) if ok else "–",
            row.n_text or "–",
            row.status_text or t(lang, "status_ok"),
            row.published or "",
            row.unit_label,
            (t(lang, "data_demo") if wave.is_demo else t(lang, "data_real")) if wave else "",
            html.A(wave.programme, href=wave.source_url, target="_blank", rel="noopener noreferrer") if wave else "",
        ])
    for line in result.nordic:
        rows.append([line.label, fmt_pct(line.share, lang), fmt_ci(line.ci_low, line.ci_high, lang), "–",
                     t(lang, "nordic_countries", countries=", ".join(line.countries)), "", "", "", ""])
    return data_table(columns, rows, caption=f"{result.title} – {result.subtitle}", table_id=table_id,
                      numeric=(1, 2, 3))


def same_round_link(result: CompareResult) -> html.P | None:
    """Beside an average that mixes comparison rounds: the link to the same view in one round."""
    if result.same_round is None:
        return None
    rnd, waves = result.same_round
    lang = result.lang
    url = view_url(page_named(NAME), lang, replace(result.view, waves=tuple(w.key for w in waves)))
    text = t(lang, "nordic_same_round", round=rnd, waves=", ".join(w.name for w in waves))
    return html.P(spa_link(text, url, class_name="same-round-link", link_id="compare-same-round"),
                  className="notice-line", id="compare-same-round-line")


def notes(result: CompareResult) -> html.Div:
    lang = result.lang
    items = [html.Li([html.Strong(t(lang, "question_en") + ": "), result.question])]
    for row in result.rows:
        for note in row.notes:
            items.append(html.Li([html.Strong(f"{row.label}: "), note]))
    if result.view.nordic and result.source != PUBLISHED:
        items.append(html.Li([html.Strong(t(lang, "nordic_method_title") + ": "), result.method]))
        for rnd in result.missing_rounds:
            items.append(html.Li(t(lang, "nordic_missing", round=rnd) if rnd is not None
                                 else t(lang, "nordic_missing_selection")))
    if result.source != PUBLISHED:
        items.append(html.Li(t(lang, "stats_note")))
    return html.Div([html.H3(t(lang, "notes_title")), html.Ul(items)], className="notes")


def results(db: Database, known: Known, view: CompareView, lang: str) -> ViewResults | list[Any]:
    """The comparison's chart and table, with the source switch and comparability warnings above and its notes
    below; of published figures (app/pages/compare/published.py) or survey estimates as ``view.source`` says."""
    result = build_compare(db, view, lang, known)
    switch = published.source_switch(result)
    if result.source == PUBLISHED and not result.published:  # asked for published figures where there are none
        return [switch, html.P(t(lang, "source_no_published"), className="notice notice-info",
                               id="compare-no-published")]
    if result.source == PUBLISHED:
        return published.published_results(result, switch, notes(result), element="compare")
    return ViewResults(
        element="compare", title=result.title, subtitle=result.subtitle, present_scale=1.6,
        figure=lambda scale: figure(result, scale=scale),
        image_name=file_stem(NAME, view),
        table=lambda table_id: table(result, table_id=table_id), demo=result.demo,
        warnings=[switch, warning_box(t(lang, "warn_title"), result.warnings, lang, box_id="compare-warning"),
                  same_round_link(result)],
        notes=[differences_panel(result.statistics, known.ref, lang), notes(result)],
        dataset=lambda url: dataset_of(result, view, lang, url))


def dataset(db: Database, view: CompareView, lang: str, known: Known, url: str) -> Dataset:
    """The comparison as records (JSON API and downloads), with its warnings and the question asked."""
    return dataset_of(build_compare(db, view, lang, known), view, lang, url)


def dataset_of(result: CompareResult, view: CompareView, lang: str, url: str) -> Dataset:
    records = compare_records(result)
    return Dataset(NAME, view, lang, f"{result.title} ({result.subtitle})", records, url,
                   warnings=[{"aspect": w.aspect, "text": w.text, "details": list(w.details)} for w in result.warnings],
                   demo=result.demo, notes=[result.question],
                   extra={"differences": [r for r in records if r["row_type"] == "difference"],
                          "family": family_record(result.statistics.family)
                          if result.statistics and result.statistics.family else None})


def present(ctx: PageContext) -> html.Div:
    return present_page(ctx, results)


def embed(ctx: PageContext) -> html.Div:
    return embed_page(ctx, results)


def layout(ctx: PageContext) -> html.Div:
    return view_page(ctx, ctx.page, id_prefix="cmp", title_key="compare_title", intro_key="compare_intro",
                     controls=controls, results=results)


# ---------------------------------------------------------------------------------------------------------
# Callbacks
# ---------------------------------------------------------------------------------------------------------


def view_from_controls(known: Known, indicator: Any, option: Any, countries: Any, waves: Any, level: Any,
                       sector: Any, chart: Any, display: Any, nordic: Any, source: Any = None) -> CompareView:
    """Controls -> validated view (values from the browser are checked like URL parameters)."""
    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    def items(value: Any) -> str:
        return ",".join(v for v in value if isinstance(v, str)) if isinstance(value, list) else ""

    args = {"indicator": [text(indicator)], "option": [text(option)], "countries": [items(countries) or ","],
            "waves": [items(waves) or "latest"], "level": [text(level)], "sector": [text(sector)],
            "chart": [text(chart)], "display": [text(display)], "nordic": ["1" if nordic else "0"],
            "source": [text(source)]}
    view, _ = parse({k: v for k, v in args.items() if v != [""]}, known)
    return view


def register_callbacks(app: Dash, page: Page) -> None:
    register_option_follows_indicator(app, "cmp-indicator", "cmp-option")

    @app.callback(Output("cmp-waves", "options"), Output("cmp-waves", "value"),
                  Input("cmp-countries", "value"), State("cmp-waves", "value"), State("page-lang", "data"),
                  prevent_initial_call=True)
    def update_waves(countries: list[str], waves: list[str], lang: str):
        known, lang = current_known(), safe_lang(lang)
        # values from the browser: keep known codes only, and spell waves by their canonical key
        countries = [c for c in countries if c in known.ref.countries] if isinstance(countries, list) else []
        chosen = [known.wave_by_key(w) for w in waves if isinstance(w, str)] if isinstance(waves, list) else []
        kept = list(dict.fromkeys(w.key for w in chosen if w is not None and w.country in countries))
        for country in countries:
            if not any(known.wave_by_key(w).country == country for w in kept) and known.latest(country):
                kept.append(known.latest(country).key)
        order = [w.key for w in known.waves]
        return wave_options(known, countries, lang), sorted(kept, key=order.index)

    @app.callback(Output("cmp-results", "children"), Output({"type": "page-query", "page": NAME}, "data"),
                  Input("cmp-indicator", "value"), Input("cmp-option", "value"), Input("cmp-countries", "value"),
                  Input("cmp-waves", "value"), Input("cmp-level", "value"), Input("cmp-sector", "value"),
                  Input("cmp-chart", "value"), Input("cmp-display", "value"), Input("cmp-nordic", "value"),
                  Input("cmp-source", "value"), State("page-lang", "data"), prevent_initial_call=True)
    def update_results(indicator, option, countries, waves, level, sector, chart, display, nordic, source, lang):
        return updated_results(page, results, lang, lambda known: view_from_controls(
            known, indicator, option, countries, waves, level, sector, chart, display, bool(nordic), source))
