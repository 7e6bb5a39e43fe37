"""The official-statistics block: one country's official tables by government level, labelled as official
statistics (never demo), with the table's citation, licence, source and retrieval time."""

from __future__ import annotations

from typing import Any

from dash import html

from app.components.chart_model import ChartItem, wave_colour
from app.components.charts import cached_figure, ci_chart, graph
from app.components.ui import data_table
from app.components.view_page import chart_with_table
from app.data.db import Database
from app.i18n import fmt_ci, fmt_number, fmt_pct, t
from app.models.official import OfficialCell, OfficialTable
from app.site.params import Known


def official_badge(lang: str) -> html.Span:
    return html.Span(t(lang, "official_badge"), className="badge badge-official")


def _value_text(cell: OfficialCell, table: OfficialTable, lang: str) -> str:
    if cell.value is None:
        return t(lang, "official_no_figure", symbol=cell.status or "..")
    return fmt_pct(cell.value, lang, 0) if table.measure == "share" else fmt_number(cell.value, lang)


def _items(table: OfficialTable, lang: str) -> list[ChartItem]:
    colours = {wave: wave_colour(i) for i, wave in enumerate(table.waves)}
    items = []
    for c in table.cells:
        label = f"{c.level_label} · {c.wave_label}"
        hover = [f"<b>{label}</b>", f"{t(lang, 'official_badge')}: {table.table_id}", _value_text(c, table, lang)]
        if c.ci_low is not None:
            hover.append(f"{t(lang, 'ci95')} {fmt_ci(c.ci_low, c.ci_high, lang)}")
        items.append(ChartItem(label=label, group=c.wave_label, colour=colours[c.wave_label], share=c.value,
                               ci_low=c.ci_low, ci_high=c.ci_high, hover="<br>".join(hover),
                               note="" if c.value is not None else _value_text(c, table, lang)))
    return items


def _table(table: OfficialTable, lang: str, caption: str) -> html.Div:
    with_ci = any(c.ci_low is not None for c in table.cells)
    columns = [t(lang, "label_level"), t(lang, "label_wave"), t(lang, "official_col_value", unit=table.unit)]
    columns += [t(lang, "ci95")] if with_ci else []
    rows = []
    for c in table.cells:
        row = [c.level_label, c.wave_label, _value_text(c, table, lang)]
        if with_ci:
            row.append(fmt_ci(c.ci_low, c.ci_high, lang) if c.ci_low is not None else "–")
        rows.append(row)
    return data_table(columns, rows, caption=caption, table_id=f"official-{table.table_id}",
                      numeric=(2, 3) if with_ci else (2,))


def _provenance(table: OfficialTable, lang: str) -> html.Dl:
    licence: Any = (html.A(table.licence, href=table.licence_url, target="_blank", rel="noopener noreferrer")
                    if table.licence_url else table.licence)
    when = t(lang, "official_transcribed_on" if table.transcribed else "official_retrieved_on")
    return html.Dl([
        html.Dt(t(lang, "official_table")), html.Dd(f"{table.table_id} – {table.publisher}"),
        html.Dt(t(lang, "col_source")),
        html.Dd(html.A(table.citation, href=table.source_url, target="_blank", rel="noopener noreferrer")),
        html.Dt(t(lang, "official_licence")), html.Dd(licence),
        html.Dt(when), html.Dd(table.retrieved_at[:10]),
    ], className="official-provenance")


def official_section(db: Database, known: Known, tables: list[OfficialTable], *, country: str, indicator: str,
                     option: str, lang: str, page: str) -> html.Section | None:
    """The block of ``tables`` (a country's official tables of one indicator option), or None if there are none.

    ``db`` only memoises the charts."""
    if not tables:
        return None
    ref = known.ref
    country_label = ref.label("country", country, lang)
    title = t(lang, "official_chart_title", country=country_label, option=ref.option_label(indicator, option, lang))
    body: list[Any] = [
        html.H2(t(lang, "official_title")),
        html.Div([official_badge(lang), " ", t(lang, "official_intro")], className="official-label", role="note"),
    ]
    for table in tables:
        subtitle = f"{table.table_id} · {table.unit}"
        if table.transcribed:
            body.append(html.P([t(lang, "official_transcribed", table=table.table_id), " ",
                                html.Code(f"barometer fetch statbank {table.table_id}")],
                               className="notice notice-info"))
        if table.measure == "share":
            fig = cached_figure(db, f"{page}-official", {"country": country, "indicator": indicator,
                                                         "option": option, "table": table.table_id, "lang": lang},
                                lambda table=table, subtitle=subtitle: ci_chart(
                                    _items(table, lang), lang=lang, title=title, subtitle=subtitle, kind="bar"))
            body += chart_with_table(graph(f"official-graph-{table.table_id}", fig,
                                           f"nordic-barometer-{country}-{table.table_id}"),
                                     title, _table(table, lang, f"{title} – {subtitle}"), lang)
        else:
            body.append(_table(table, lang, f"{title} – {subtitle}"))
        body.append(_provenance(table, lang))
    return html.Section(body, id="official-statistics", className="official-statistics")
