"""Data & methods: sources and citations, codebooks, comparability notes, methods, demo vs published, API."""

from __future__ import annotations

from typing import Any

from dash import html

from app.components.cite import cite_and_code
from app.components.coverage import coverage_section
from app.components.known_waves import known_waves_section
from app.components.official import official_badge
from app.components.toolbar import toolbar
from app.components.ui import data_table, problems_notice
from app.components.view_page import shared_address
from app.data import queries
from app.data.db import Database
from app.exports.api_doc import api_doc
from app.exports.datasets import Dataset
from app.i18n import fmt_date, fmt_number, t
from app.i18n.texts import element, note_element, published_measure
from app.models.common import published_n_text, published_text, published_wave
from app.models.coverage import build_coverage
from app.models.method import method_text
from app.pages.data_methods.model import Sources, build_sources, relative_path, sources_records
from app.pages.data_methods.view import NAME
from app.site.page_context import PageContext
from app.site.params import EmptyView, Known, View
from app.site.urls import view_url


def demo_section(sources: Sources, lang: str) -> html.Section:
    rows = [[f"{w.country} {w.wave_label}", w.programme,
             html.Span(t(lang, "data_demo"), className="badge badge-demo") if w.is_demo
             else html.Span(t(lang, "data_real"), className="badge badge-real"),
             element(w.texts_of("licence"), lang)] for w in sources.waves]
    return html.Section([
        html.H2(t(lang, "demo_title"), id="demo"),
        html.P(t(lang, "demo_text")),
        html.P(t(lang, "published_text")),
        data_table([t(lang, "col_wave"), t(lang, "col_programme"), t(lang, "col_data"), t(lang, "col_licence")], rows,
                   caption=t(lang, "demo_caption"), table_id="demo-table"),
    ])


def sources_section(sources: Sources, lang: str) -> html.Section:
    rows = []
    for w in sources.waves:
        fieldwork = " – ".join(fmt_date(d, lang) for d in (w.fieldwork_start, w.fieldwork_end) if d) or "–"
        rows.append([
            f"{w.country} {w.wave_label}",
            html.Span([html.Strong(w.programme), html.Br(), w.publisher]),
            # a citation is quoted as written (in English), marked so for screen readers
            html.A(w.citation, href=w.source_url, target="_blank", rel="noopener noreferrer", lang="en"),
            html.Span([element(w.texts_of("reference_period"), lang), html.Br(),
                       html.Small(f"{t(lang, 'col_fieldwork')}: {fieldwork}")]),
            element(w.texts_of("population"), lang),
            " / ".join(fmt_number(v, lang) if v else "–" for v in (w.invited, w.responded)),
            html.Span([html.Code(relative_path(w.codebook_path)), html.Br(),
                       html.Small(f"sha256 {(w.codebook_sha256 or '')[:12]}…")]),
            html.Span([html.Code(w.source_path or ""), html.Br(),
                       html.Small(f"{(w.file_format or '').upper()}, {fmt_number(w.source_rows, lang)} "
                                  f"{t(lang, 'rows')}, sha256 {(w.source_sha256 or '')[:12]}…")]),
            str(w.min_cell_n or "–"),
        ])
    return html.Section([
        html.H2(t(lang, "sources_title"), id="sources"),
        html.P(t(lang, "sources_intro")),
        data_table([t(lang, "col_wave"), t(lang, "col_programme"), t(lang, "col_citation"), t(lang, "col_period"),
                    t(lang, "col_population"), t(lang, "col_invited_responded"), t(lang, "col_codebook"),
                    t(lang, "col_file"), t(lang, "col_min_n")], rows, caption=t(lang, "sources_caption"),
                   table_id="sources-table"),
    ])


def notes_section(sources: Sources, known: Known, lang: str) -> html.Section:
    names = {w.id: f"{w.country} {w.wave_label} · {w.programme}" for w in sources.waves}
    rows = [[names.get(n["wave_id"], ""), t(lang, f"aspect_{n['aspect']}"),
             known.ref.label("indicator", n["indicator"], lang) if n["indicator"] else t(lang, "all_items"),
             note_element(n, lang)] for n in sources.notes]
    return html.Section([
        html.H2(t(lang, "notes_section_title"), id="comparability"),
        html.P(t(lang, "notes_section_intro")),
        html.Ul([html.Li(t(lang, key)) for key in ("cmp_unit", "cmp_wording", "cmp_period", "cmp_population")]),
        data_table([t(lang, "col_wave"), t(lang, "col_aspect"), t(lang, "col_indicator"), t(lang, "col_note")], rows,
                   caption=t(lang, "notes_caption"), table_id="notes-table"),
    ])


def methods_section(lang: str, min_n: str) -> html.Section:
    return html.Section([
        html.H2(t(lang, "methods_title"), id="methods"),
        html.Dl([
            html.Dt(t(lang, "method_share_title")), html.Dd(t(lang, "method_share")),
            html.Dt(t(lang, "method_ci_title")), html.Dd(method_text(lang, "method_ci")),
            html.Dt(t(lang, "method_suppression_title")), html.Dd(t(lang, "method_suppression", min=min_n)),
            html.Dt(t(lang, "method_precision_title")), html.Dd(t(lang, "method_precision")),
            html.Dt(t(lang, "nordic_method_title")), html.Dd(method_text(lang, "nordic_method")),
            html.Dt(t(lang, "method_differences_title")), html.Dd(method_text(lang, "method_differences")),
            html.Dt(t(lang, "method_crosstab_title")), html.Dd(t(lang, "tv_how_text")),
            html.Dt(t(lang, "method_harmonisation_title")), html.Dd(t(lang, "method_harmonisation")),
            html.Dt(t(lang, "method_derived_title")), html.Dd(t(lang, "method_derived")),
        ], className="methods"),
    ])


def published_section(sources: Sources, known: Known, lang: str) -> html.Section:
    """Every published figure, named by the harmonised measure it maps to (else as transcribed, in English)."""
    label = known.ref.label
    rows = [[f"{f['country']} {published_wave(f, lang)}", published_measure(f, known.ref, lang),
             published_text(f, lang),
             f"{label('government_level', f['level'], lang)} / {label('sector', f['sector'], lang)}",
             published_n_text(f, lang),
             html.A(f["citation"], href=f["source_url"], target="_blank", rel="noopener noreferrer")]
            for f in sources.published]
    return html.Section([
        html.H2(t(lang, "published_all_title"), id="published"),
        html.P(t(lang, "published_text")),
        data_table([t(lang, "col_wave"), t(lang, "col_measure"), t(lang, "col_published"), t(lang, "col_breakdown"),
                    "n", t(lang, "col_source")], rows, caption=t(lang, "published_caption_all"),
                   table_id="published-all-table", numeric=(2, 4)),
    ])


def official_sources_section(db: Database, lang: str) -> html.Section:
    """Every loaded official table with its provenance: how it was obtained, when, its file and licence."""
    tables: dict[str, dict[str, Any]] = {}
    for row in queries.official_values(db):
        tables.setdefault(row["table_id"], {**row, "cells": 0})["cells"] += 1
    rows = []
    for table in tables.values():
        licence: Any = (html.A(table["licence"], href=table["licence_url"], target="_blank",
                               rel="noopener noreferrer") if table["licence_url"] else table["licence"])
        rows.append([
            html.Span([html.Strong(table["table_id"]), html.Br(), table["publisher"]]),
            # the table's title and citation as the office publishes them (in English): marked as such
            html.Span([table["title_en"], html.Br(), html.A(table["citation"], href=table["source_url"],
                                                            target="_blank", rel="noopener noreferrer")],
                      lang="en"),
            html.Span([official_badge(lang), html.Br(), t(lang, f"official_obtained_{table['obtained_by']}")]),
            table["retrieved_at"][:10], licence,
            html.Span([html.Code(table["snapshot_path"]), html.Br(), html.Small(f"sha256 {table['sha256'][:12]}…")]),
            fmt_number(table["cells"], lang),
        ])
    return html.Section([
        html.H2(t(lang, "official_title"), id="official"),
        html.P(t(lang, "official_intro")),
        data_table([t(lang, "official_table"), t(lang, "col_citation"), t(lang, "col_data"),
                    t(lang, "official_retrieved_on"), t(lang, "official_licence"), t(lang, "col_file"),
                    t(lang, "official_cells")], rows, caption=t(lang, "official_sources_caption"),
                   table_id="official-sources-table", numeric=(6,))
        if rows else html.P(t(lang, "official_none")),
    ])


def api_section(lang: str) -> html.Section:
    doc = api_doc()
    items: list[Any] = []
    for endpoint in doc["endpoints"]:
        params = [html.Li([html.Code(name), " – ", text]) for name, text in endpoint["parameters"].items()]
        items.append(html.Li([html.Code(endpoint["path"]), " – ", endpoint["description"], html.Ul(params)]))
    return html.Section([
        html.H2(t(lang, "api_title"), id="api"),
        html.P(t(lang, "api_intro")),
        html.P([t(lang, "api_example"), " ", html.A(html.Code(doc["example"]), href=doc["example"])]),
        html.Ul([
            html.Li(html.A(t(lang, "api_openapi"), href="/api/v1/openapi.json", id="openapi-link")),
            html.Li(html.A(t(lang, "bulk_download"), href="/download/all.zip", id="bulk-download-link", download="")),
        ], className="api-links"),
        # the API's reference is written once, in English (like its field names): marked as such
        html.Ul(items, className="api-list", lang="en"),
        html.P(doc["errors"]),
    ])


def layout(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    sources = build_sources(ctx.db, ctx.known, lang)
    min_values = sorted({w.min_cell_n for w in sources.waves if w.min_cell_n})
    min_n = ", ".join(str(v) for v in min_values) or "–"
    return html.Div([
        html.H1(t(lang, "data_title")),
        html.P(t(lang, "data_intro"), className="lead"),
        problems_notice(ctx.problems, lang),
        html.Nav(html.Ul([html.Li(html.A(t(lang, key), href=f"#{anchor}")) for key, anchor in (
            ("demo_title", "demo"), ("sources_title", "sources"), ("notes_section_title", "comparability"),
            ("methods_title", "methods"), ("published_all_title", "published"), ("known_waves_title", "known-waves"),
            ("coverage_title", "coverage"), ("official_title", "official"), ("api_title", "api"))]),
            className="toc", **{"aria-label": t(lang, "toc_label")}),
        demo_section(sources, lang),
        sources_section(sources, lang),
        notes_section(sources, ctx.known, lang),
        methods_section(lang, min_n),
        published_section(sources, ctx.known, lang),
        known_waves_section(queries.known_waves(ctx.db), ctx.known.ref, lang, table_id="known-waves-table",
                            heading_id="known-waves"),
        coverage_section(build_coverage(ctx.db, ctx.known), ctx.known, lang),
        official_sources_section(ctx.db, lang),
        api_section(lang),
        toolbar(ctx.page, lang, EmptyView()),
        cite_and_code(ctx.page, lang, dataset(ctx.db, EmptyView(), lang, ctx.known,
                                              view_url(ctx.page, lang, EmptyView()))),
        *shared_address(ctx.page, lang, EmptyView()),
    ], className="page page-data")


def dataset(db: Database, view: View, lang: str, known: Known, url: str) -> Dataset:
    """Provenance of every wave as records (JSON API and downloads)."""
    return Dataset(NAME, view, lang, t(lang, "data_title"), sources_records(build_sources(db, known, lang)), url)
