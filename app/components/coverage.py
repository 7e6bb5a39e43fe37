"""The coverage view: for every measure and country, the waves with real figures, official values or only demo
estimates, each a link to the view that shows it (Data & methods), and the one-line count (Overview)."""

from __future__ import annotations

from typing import Any

from dash import html

from app.components.ui import data_table
from app.i18n import fmt_number, t
from app.models.coverage import BREAKDOWN, NONE, Coverage, CoverageCell, cell_url
from app.site.params import Known

LEGEND_KINDS = ("published", "official", "breakdown", "survey", "demo")


def coverage_sentence(coverage: Coverage, lang: str) -> str:
    """'17 of 46 views have real figures for two or more countries (27 for at least one).'"""
    summary = coverage.summary()
    return t(lang, "coverage_summary", views=fmt_number(summary["views"], lang),
             two=fmt_number(summary["views_with_real_figures_two_or_more_countries"], lang),
             real=fmt_number(summary["views_with_real_figures"], lang),
             figures=fmt_number(summary["published_figures"], lang),
             official=fmt_number(summary["official_values"], lang))


def _tag(cell: CoverageCell, known: Known, lang: str) -> html.A:
    wave = cell.wave_label or t(lang, "wave_not_stated")
    if cell.kind == BREAKDOWN:
        levels = sorted({known.ref.label("government_level", level, lang) for _, level, _ in cell.breakdown_figures})
        wave = f"{wave} ({', '.join(levels)})"
    kind = t(lang, f"coverage_kind_{cell.kind}")
    return html.A([wave, html.Span(f": {kind}", className="visually-hidden")], href=cell_url(cell, lang, known),
                  className=f"cov-tag cov-{cell.kind}", title=f"{cell.programme or ''} {wave}: {kind}".strip(),
                  **{"data-spa": "1"})


def coverage_table(coverage: Coverage, known: Known, lang: str) -> html.Div:
    """One row per measure, one column per country (its waves as tags), and how many countries have real figures."""
    ref = known.ref
    by_measure: dict[tuple[str, str], dict[str, list[CoverageCell]]] = {}
    for cell in coverage.cells:
        if cell.kind != NONE:
            by_measure.setdefault((cell.indicator, cell.option), {}).setdefault(cell.country, []).append(cell)
    rows = []
    for view in coverage.views:
        cells = by_measure.get((view.indicator, view.option), {})
        measure = html.Span([ref.label("indicator", view.indicator, lang), html.Br(),
                             html.Small(ref.option_label(view.indicator, view.option, lang))])
        row: list[Any] = [measure]
        for country in ref.countries:
            tags = [_tag(c, known, lang) for c in cells.get(country, [])]
            row.append(html.Span(tags, className="cov-tags") if tags else "–")
        row.append(fmt_number(len(view.real_countries), lang))
        rows.append(row)
    columns = [t(lang, "col_measure"), *(ref.label("country", c, lang) for c in ref.countries),
               t(lang, "coverage_col_real")]
    return data_table(columns, rows, caption=t(lang, "coverage_caption"), table_id="coverage-table",
                      numeric=(len(columns) - 1,))


def coverage_section(coverage: Coverage, known: Known, lang: str) -> html.Section:
    legend = html.Ul([html.Li([html.Span("2021", className=f"cov-tag cov-{kind}", **{"aria-hidden": "true"}), " ",
                               t(lang, f"coverage_kind_{kind}")]) for kind in LEGEND_KINDS],
                     className="cov-legend", **{"aria-label": t(lang, "coverage_legend")})
    return html.Section([
        html.H2(t(lang, "coverage_title"), id="coverage"),
        html.P(coverage_sentence(coverage, lang), className="lead", id="coverage-summary"),
        html.P(t(lang, "coverage_intro")),
        legend,
        coverage_table(coverage, known, lang),
    ])
