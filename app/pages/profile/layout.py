"""Country profile: one country across waves and sectors, with national wording and category names."""

from __future__ import annotations

import re
from typing import Any

from dash import Dash, Input, Output, State, dcc, html

from app.components.chart_model import ChartItem, wave_colour
from app.components.charts import ci_chart
from app.components.controls import (
    chart_and_display,
    code_options,
    indicator_options,
    option_options,
    register_option_follows_indicator,
)
from app.components.known_waves import known_waves_section
from app.components.official import official_section
from app.components.ui import data_table, dropdown, field, group, more_options
from app.components.view_page import ViewResults, embed_page, present_page, text_args, updated_results, view_page
from app.data.db import Database
from app.data.queries import Wave
from app.exports.datasets import Dataset
from app.i18n import LANGUAGE_NAMES, fmt_ci, fmt_number, fmt_pct, t
from app.i18n.texts import element, note_element, published_measure
from app.models.common import OK, export_footer, published_text, published_wave
from app.pages.profile.model import ProfileResult, build_profile, profile_records
from app.pages.profile.view import NAME, ProfileView, parse
from app.site.page_context import PageContext
from app.site.params import Known
from app.site.registry import Page
from app.site.urls import file_stem


def controls(ctx: PageContext, view: ProfileView) -> html.Form:
    known, lang = ctx.known, ctx.lang
    return html.Form([
        group(t(lang, "label_country"), dcc.RadioItems(
            id="pro-country", options=code_options(known, "country", known.ref.countries, lang), value=view.country,
            inline=True, className="checks", labelClassName="check-label"), "pro-country"),
        html.Div([
            field(t(lang, "label_indicator"), dropdown("pro-indicator", indicator_options(known, lang),
                                                       view.indicator, lang), "pro-indicator", wide=True),
            field(t(lang, "label_option"), dropdown("pro-option", option_options(known, view.indicator, lang),
                                                    view.option, lang), "pro-option", wide=True),
            field(t(lang, "label_level"), dropdown("pro-level", code_options(known, "government_level",
                                                                             known.ref.levels, lang),
                                                   view.level, lang, searchable=False), "pro-level"),
        ], className="controls-row"),
        more_options(lang, chart_and_display("pro", lang, view)),
    ], className="controls", role="search", **{"aria-label": t(lang, "filters_label")})


def wave_colours(result: ProfileResult) -> dict[int, str]:
    """The colour of each wave of the profile (by wave id), as its chart and slide draw them."""
    return {w.id: wave_colour(i) for i, w in enumerate(result.waves)}


def chart_items(result: ProfileResult) -> list[ChartItem]:
    """A bar per sector and wave, with its interval and n, or a note saying why it has none."""
    lang = result.lang
    colours = wave_colours(result)
    items = []
    for c in result.cells:
        ok = c.status == OK and c.cell is not None
        label = f"{c.sector_label} · {c.wave.wave_label}"
        hover = [f"<b>{label}</b>", c.wave.programme]
        if ok:
            hover += [f"{t(lang, 'col_share')}: {fmt_pct(c.cell['share'], lang)} ({t(lang, 'ci95')} "
                      f"{fmt_ci(c.cell['ci_low'], c.cell['ci_high'], lang)})",
                      f"n = {fmt_number(c.cell['n'], lang)}"]
        else:
            hover += [c.status_text] + ([c.n_text] if c.n_text else [])
        note = c.status_text + (f" ({c.n_text})" if c.n_text and not ok and c.n_text not in c.status_text else "")
        items.append(ChartItem(label=c.sector_label, detail=c.wave.wave_label,
                               group=f"{c.wave.wave_label} · {c.wave.programme}",
                               colour=colours[c.wave.id], share=c.cell["share"] if ok else None,
                               ci_low=c.cell["ci_low"] if ok else None, ci_high=c.cell["ci_high"] if ok else None,
                               hover="<br>".join(hover), note=note, n_text=c.n_text))
    return items


def _table(result: ProfileResult, table_id: str) -> html.Div:
    lang = result.lang
    rows = []
    for c in result.cells:
        ok = c.status == OK and c.cell is not None
        rows.append([c.sector_label, f"{c.wave.wave_label} · {c.wave.programme}",
                     fmt_pct(c.cell["share"], lang) if ok else "–",
                     fmt_ci(c.cell["ci_low"], c.cell["ci_high"], lang) if ok else "–",
                     c.n_text or "–", c.status_text or t(lang, "status_ok")])
    return data_table([t(lang, "col_sector"), t(lang, "col_wave"), t(lang, "col_share"), t(lang, "ci95"), "n",
                       t(lang, "col_status")], rows, caption=f"{result.title} – {result.subtitle}",
                      table_id=table_id, numeric=(2, 3, 4))


def waves_table(result: ProfileResult, known: Known) -> html.Div:
    lang = result.lang
    rows = []
    for w in result.waves:
        rows.append([f"{w.wave_label}", w.programme, element(w.texts_of("reference_period"), lang),
                     fmt_number(w.responded, lang) if w.responded else "–", response_rate(w, lang),
                     known.ref.label("unit_of_observation", w.unit_of_observation, lang),
                     element(w.texts_of("population"), lang),
                     t(lang, "data_demo") if w.is_demo else t(lang, "data_real"),
                     html.A(t(lang, "source_link"), href=w.source_url, target="_blank", rel="noopener noreferrer")])
    return data_table([t(lang, "col_wave"), t(lang, "col_programme"), t(lang, "col_period"), t(lang, "col_responded"),
                       t(lang, "col_response_rate"), t(lang, "col_unit"), t(lang, "col_population"),
                       t(lang, "col_data"), t(lang, "col_source")], rows,
                      caption=t(lang, "profile_waves_caption", country=result.country_label),
                      table_id="profile-waves", numeric=(3,))


def response_rate(wave: Wave, lang: str) -> html.Span:
    """The response rate as its source states it (what it counts, linked to that source), or 'not stated'."""
    if wave.response_rate_pct is None:
        return html.Span(t(lang, "response_rate_not_stated"), className="muted")
    return html.Span([html.Strong(fmt_pct(wave.response_rate_pct / 100, lang, 0)), " ",
                      element(wave.texts_of("response_rate_of"), lang), " (",
                      html.A(t(lang, "source_link"), href=wave.response_rate_url, title=wave.response_rate_citation,
                             target="_blank", rel="noopener noreferrer"), ")"])


def wording_table(result: ProfileResult, language: str | None) -> html.Div:
    lang = result.lang
    # national wordings are quoted as published, in the questionnaire's ``language`` (marked for screen
    # readers); the harmonised question beside them is our rendering, in the page's language
    columns: list[Any] = [t(lang, "col_harmonised")] + [
        html.Span([f"{w.wave_label} · {w.programme}", html.Br(), html.Small(t(
            lang, "wording_original", language=LANGUAGE_NAMES[language or "en"]))])
        for w in result.waves]
    rows = []
    for row in result.wording:
        cells: list[Any] = [html.Span([row.harmonised] + ([html.Br(), html.Small(element(result.question, lang))]
                                                           if row.option == "" else []))]
        for w in result.waves:
            variable, wording = row.national.get(w.id, ("", ""))
            quoted = html.Q(wording, lang=language) if wording else "–"
            cells.append(html.Span([quoted] + ([html.Br(), html.Code(variable)] if variable else [])))
        rows.append(cells)
    return data_table(columns, rows, caption=t(lang, "wording_caption"), table_id="profile-wording")


def mapping_table(result: ProfileResult, language: str | None, rows_in: list, caption: str,
                  table_id: str) -> html.Div | None:
    if not rows_in:  # e.g. a wave that covers one government level only has no national level names
        return None
    columns = [t(result.lang, "col_harmonised")] + [f"{w.wave_label} · {w.programme}" for w in result.waves]
    # national category names are quoted as the wave spells them, in its own language
    rows = [[r.harmonised] + [html.Span("; ".join(r.national[w.id]), lang=language)
                              if r.national.get(w.id) else "–" for w in result.waves] for r in rows_in]
    return data_table(columns, rows, caption=caption, table_id=table_id)


def results(db: Database, known: Known, view: ProfileView, lang: str) -> ViewResults | list[Any]:
    """The country's chart and table, then its waves, wording, category names, notes and published figures."""
    result = build_profile(db, view, lang, known)
    if not result.waves:
        return [html.P(t(lang, "profile_no_waves", country=result.country_label), className="notice notice-info")]
    return ViewResults(
        element="profile", title=result.title, subtitle=result.subtitle, present_scale=1.5,
        figure=lambda scale: ci_chart(chart_items(result), lang=lang, title=result.title, subtitle=result.subtitle,
                                      kind=view.chart, axis=view.axis,
                                      demo=t(lang, "demo_chart") if result.demo else None, scale=scale,
                                      source=export_footer(result.waves, lang)),
        image_name=file_stem(NAME, view),
        table=lambda table_id: _table(result, table_id), demo=result.demo,
        sections=[official_section(db, known, result.official, country=view.country, indicator=view.indicator,
                                   option=view.option, lang=lang, page=NAME), *sections(result, known)])


def sections(result: ProfileResult, known: Known) -> list[html.Section]:
    """What the profile shows below its chart: waves, wording, category names, notes, published figures."""
    lang = result.lang
    language = known.ref.country_languages.get(result.view.country)  # of the country's questionnaires
    # the notes that bear on the indicator shown, by kind (unit, wording, period, ...), in the catalogue's order
    relevant = [n for n in result.notes if n["indicator"] in (None, result.view.indicator)]
    notes = [html.Li([html.H3(t(lang, f"aspect_{aspect}").capitalize()),
                      html.Ul([html.Li([html.Strong(f"{_wave_name(result, n['wave_id'])}: "), note_element(n, lang)])
                               for n in relevant if n["aspect"] == aspect])])
             for aspect in NOTE_ASPECTS if any(n["aspect"] == aspect for n in relevant)]
    # named by the harmonised measure each maps to, in the page's language (else as transcribed, marked English)
    published = [html.Li([f"{published_wave(f, lang)}: ", published_measure(f, known.ref, lang), " – ",
                          html.Strong(published_text(f, lang)), " (",
                          html.A(f["citation"], href=f["source_url"], target="_blank", rel="noopener noreferrer"),
                          ")"]) for f in result.published]
    return [
        html.Section([html.H2(t(lang, "profile_waves_title")), waves_table(result, known)]),
        known_waves_section(result.known_waves, known.ref, lang, table_id="profile-known-waves", with_country=False),
        html.Section([html.H2(t(lang, "wording_title")), html.P(t(lang, "wording_intro"), className="section-intro"),
                      html.P(t(lang, "wording_derived", rule=derivation_text(result.derivation, known, lang)),
                             className="notice notice-info")
                      if result.derivation else None,
                      wording_table(result, language)]),
        html.Section([html.H2(t(lang, "categories_title")), html.P(t(lang, "categories_intro"),
                                                                   className="section-intro"),
                      mapping_table(result, language, result.sectors, t(lang, "sectors_caption"),
                                    "profile-sectors"),
                      mapping_table(result, language, result.levels, t(lang, "levels_caption"), "profile-levels")]),
        html.Section([html.H2(t(lang, "notes_title")),
                      html.Ul(notes or [html.Li(t(lang, "no_notes"))], className="notes-by-kind")]),
        html.Section([html.H2(t(lang, "published_title")),
                      html.Details([html.Summary(t(lang, "published_count", count=len(published))),
                                    html.Ul(published)], className="table-details")
                      if published else html.P(t(lang, "no_published"))]),
    ]


NOTE_ASPECTS = ("unit", "wording", "period", "population", "coverage", "method")


def derivation_text(derivation: str | None, known: Known, lang: str) -> str:
    """A derivation rule ('yes when innovation_type is any of service, product') in words, without codes."""
    match = re.match(r"yes when (\w+) is any of (.+)$", derivation or "")
    if not match or match.group(1) not in known.ref.indicators:
        return ""
    source = match.group(1)
    options = [known.ref.option_label(source, code.strip(), lang) for code in match.group(2).split(",")]
    return t(lang, "derived_rule", indicator=known.ref.label("indicator", source, lang), options=", ".join(options))


def _wave_name(result: ProfileResult, wave_id: int) -> str:
    return next((f"{w.wave_label} · {w.programme}" for w in result.waves if w.id == wave_id), str(wave_id))


def dataset(db: Database, view: ProfileView, lang: str, known: Known, url: str) -> Dataset:
    """The country's cells as records (JSON API and downloads), with the comparability notes."""
    profile = build_profile(db, view, lang, known)
    return Dataset(NAME, view, lang, f"{profile.title} ({profile.subtitle})", profile_records(profile), url,
                   demo=profile.demo, notes=[n["note"] for n in profile.notes])


def layout(ctx: PageContext) -> html.Div:
    return view_page(ctx, ctx.page, id_prefix="pro", title_key="profile_title", intro_key="profile_intro",
                     controls=controls, results=results)


def present(ctx: PageContext) -> html.Div:
    return present_page(ctx, results)


def embed(ctx: PageContext) -> html.Div:
    return embed_page(ctx, results)


def register_callbacks(app: Dash, page: Page) -> None:
    register_option_follows_indicator(app, "pro-indicator", "pro-option")

    @app.callback(Output("pro-results", "children"), Output({"type": "page-query", "page": NAME}, "data"),
                  Input("pro-country", "value"), Input("pro-indicator", "value"), Input("pro-option", "value"),
                  Input("pro-level", "value"), Input("pro-chart", "value"), Input("pro-display", "value"),
                  State("page-lang", "data"), prevent_initial_call=True)
    def update_results(country, indicator, option, level, chart, display, lang):
        args = text_args({"country": country, "indicator": indicator, "option": option, "level": level,
                          "chart": chart, "display": display})
        return updated_results(page, results, lang, lambda known: parse(args, known)[0])
