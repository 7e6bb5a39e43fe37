"""Compare's published source on screen: the bars of published figures and official-table values (no CI),
their table, the list of their sources, and the one-click switch between published figures and survey
estimates (a link that changes ``source`` in the URL, so the view it opens can be shared)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import html

from app.components.chart_model import NEUTRAL_COLOUR, ChartItem
from app.components.charts import ci_chart
from app.components.shell import spa_link
from app.components.ui import data_table, warning_box
from app.components.view_page import ViewResults
from app.i18n import t
from app.models.common import sources_footer
from app.models.published import OFFICIAL, PUBLISHED, SURVEY, PublishedBar
from app.pages.compare.model import CompareResult
from app.pages.compare.view import NAME
from app.site.registry import page_named
from app.site.urls import file_stem, view_url


def _kind(bar: PublishedBar, lang: str) -> str:
    return t(lang, "data_official" if bar.kind == OFFICIAL else "data_published")


def _hover(bar: PublishedBar, lang: str) -> str:
    lines = [f"<b>{bar.label}</b>", bar.programme, f"{_kind(bar, lang)}: {bar.value_text} ({bar.unit_label})"]
    if bar.wave_as_published and bar.wave_label is None:
        lines.append(bar.wave_as_published)
    lines += [f"{t(lang, 'col_source')}: {bar.citation}", bar.source_url]
    if bar.licence:
        lines.append(f"{t(lang, 'official_licence')}: {bar.licence}")
    return "<br>".join(lines)


def chart_items(result: CompareResult) -> list[ChartItem]:
    """One bar per country and figure: labelled with its country and wave as published, its programme as the
    label's detail; the value as printed ('about 75%') beside it; no whisker (published figures have no CI)."""
    lang = result.lang
    return [ChartItem(
        label=bar.label, detail=bar.programme, group=bar.country_label,
        colour=result.colours.get(bar.country, NEUTRAL_COLOUR), share=bar.share, ci_low=None, ci_high=None,
        hover=_hover(bar, lang), note=bar.value_text, value_text=bar.value_text,
    ) for bar in result.published]


def footer(result: CompareResult) -> str:
    """The source and licence lines an exported chart image carries."""
    return sources_footer([b.citation for b in result.published], [b.licence for b in result.published],
                          result.lang)


def warning_line(result: CompareResult) -> str | None:
    """The warnings of published figures in words (units, waves as published), for the chart and the slide."""
    return " ".join(w.text for w in result.warnings) or None


def figure(result: CompareResult, *, scale: float = 1.0):
    return ci_chart(chart_items(result), lang=result.lang, title=result.title, subtitle=result.subtitle,
                    kind=result.view.chart, axis=result.view.axis, warning=warning_line(result), scale=scale,
                    source=footer(result))


def _source_link(bar: PublishedBar) -> html.A:
    return html.A(bar.citation, href=bar.source_url, target="_blank", rel="noopener noreferrer")


def table(result: CompareResult, *, table_id: str = "compare-table") -> html.Div:
    lang = result.lang
    columns = [t(lang, "col_wave"), t(lang, "col_published"), t(lang, "col_published_unit"),
               t(lang, "col_programme"), t(lang, "col_data"), t(lang, "col_source")]
    rows = [[bar.label, bar.value_text, bar.unit_label, bar.programme, _kind(bar, lang), _source_link(bar)]
            for bar in result.published]
    return data_table(columns, rows, caption=f"{result.title} – {result.subtitle}", table_id=table_id,
                      numeric=(1,))


def sources_list(result: CompareResult) -> html.Div:
    """Every bar's source under the chart, each a link to its citation, with its note and licence."""
    lang = result.lang
    items = []
    for bar in result.published:
        extra = [f" {t(lang, 'official_licence')}: {bar.licence}."] if bar.licence else []
        items.append(html.Li([html.Strong(f"{bar.label}: "), f"{bar.value_text} ({bar.unit_label}), ",
                              f"{bar.programme}. ", _source_link(bar), *extra,
                              html.Br() if bar.note or bar.quote else None,
                              # notes are written in English (data, not UI); a quote is in the source's language
                              html.Small(bar.note, lang="en") if bar.note else None,
                              " " if bar.note and bar.quote else None,
                              html.Q(bar.quote, className="published-quote") if bar.quote else None],
                             id=f"published-source-{bar.kind}-{bar.ident}"))
    # the page's first heading after its title (h1): a second level, drawn as the small heading it is
    return html.Div([html.H2(t(lang, "published_sources_title")),
                     html.P(t(lang, "published_no_ci")), html.Ol(items)],
                    className="notes published-sources", id="published-sources")


def source_switch(result: CompareResult) -> html.Div:
    """Which source is on, and the link to the other one (its URL carries ``source``)."""
    lang, view = result.lang, result.view
    page = page_named(NAME)
    if result.source == PUBLISHED:
        badge = html.Span(t(lang, "source_badge_published"), className="badge badge-official")
        text = t(lang, "source_on_published")
        link: Any = spa_link(t(lang, "source_to_survey_demo" if result.survey_demo else "source_to_survey"),
                             view_url(page, lang, replace(view, source=SURVEY)), class_name="source-switch",
                             link_id="compare-source-switch")
    else:
        badge = html.Span(t(lang, "source_badge_survey"), className="badge badge-survey")
        text = t(lang, "source_on_survey")
        has_published = any(b.value_pct is not None for b in result.published)
        link = spa_link(t(lang, "source_to_published"), view_url(page, lang, replace(view, source=PUBLISHED)),
                        class_name="source-switch", link_id="compare-source-switch") if has_published \
            else t(lang, "source_no_published")
    # one line: the badge opens what the source is; the other source is one tap away beside it
    about = html.Details([html.Summary(badge), html.P(text)], className="source-about")
    return html.Div([about, link], className="notice-line source-line", id="compare-source",
                    **{"data-source": result.source})


def published_results(result: CompareResult, switch: html.Div, notes: Any, *, element: str) -> ViewResults:
    """The Compare results of the published source: the switch, the units note, chart or table, sources;
    ``element`` names the chart's and table's element ids (those of the survey view: one place on the page)."""
    view, lang = result.view, result.lang
    return ViewResults(
        element=element, title=result.title, subtitle=result.subtitle, present_scale=1.6,
        figure=lambda scale: figure(result, scale=scale),
        image_name=file_stem(NAME, view) + "-published",
        table=lambda table_id: table(result, table_id=table_id), demo=None,
        warnings=[switch, warning_box(t(lang, "warn_title"), result.warnings, lang, box_id=f"{element}-warning")],
        notes=[sources_list(result), notes])
