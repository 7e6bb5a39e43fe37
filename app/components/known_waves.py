"""Waves known from publications, as a table: published-only and announced waves with what their sources state
(population, period, responses, response rate), and facts sources add to loaded waves (Profile, Data & methods)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from app.components.ui import data_table
from app.data.queries import Reference
from app.i18n import fmt_number, fmt_pct, t


def fact_text(fact: Mapping[str, Any], lang: str) -> str:
    """'Responses: 1,611' / 'Response rate: about 36%' in the page's language."""
    if fact["kind"] == "response_rate":
        value = fmt_pct(fact["value"] / 100, lang, 0)
    else:
        value = fmt_number(fact["value"], lang)
    if fact["relation"] == "approx":
        value = t(lang, "published_approx", value=value)
    return t(lang, f"known_fact_{fact['kind']}", value=value)


def _facts(wave: Mapping[str, Any], lang: str) -> html.Ul | str:
    items = [html.Li([fact_text(f, lang), " (", html.A(t(lang, "source_link"), href=f["source_url"],
                                                        title=f["citation"], target="_blank",
                                                        rel="noopener noreferrer"), ")",
                      # a fact's note is written once, in English (data, not UI)
                      *([" ", html.Small(f["note"], lang="en")] if f["note"] else [])])
             for f in wave["facts"]]
    return html.Ul(items, className="plain-list") if items else "–"


def _about(wave: Mapping[str, Any], lang: str) -> html.Span:
    parts: list[Any] = []
    if wave["note"]:
        parts.append(html.Span(wave["note"], lang="en"))
    if wave["conflicts"]:
        parts += [html.Br() if parts else None, html.Strong(t(lang, "known_conflicts") + " "),
                  html.Span(wave["conflicts"], lang="en")]
    if wave["source_url"]:
        parts += [" (", html.A(t(lang, "source_link"), href=wave["source_url"], title=wave["citation"],
                               target="_blank", rel="noopener noreferrer"), ")"]
    return html.Span(parts or "–")


def known_waves_table(waves: Sequence[Mapping[str, Any]], ref: Reference, lang: str, *, table_id: str,
                      with_country: bool = True) -> html.Div:
    """One row per known wave: wave, status, level and unit, period and fieldwork, stated facts, what else."""
    rows = []
    for w in waves:
        scope = " · ".join(x for x in (ref.label("government_level", w["level"], lang) if w["level"] else "",
                                       ref.label("unit_of_observation", w["unit"], lang) if w["unit"] else "") if x)
        period = [w["reference_period"] or "–"]
        if w["fieldwork"]:
            period += [html.Br(), html.Small(f"{t(lang, 'col_fieldwork')}: {w['fieldwork']}")]
        if w["results"]:
            period += [html.Br(), html.Small(f"{t(lang, 'known_results')}: {w['results']}")]
        name = f"{w['country']} {w['wave_label']}" if with_country else w["wave_label"]
        rows.append([html.Span([html.Strong(name), html.Br(), w["programme"]]),
                     html.Span(t(lang, f"known_status_{w['status']}"), className=f"badge badge-known-{w['status']}"),
                     scope or "–", html.Span(period), _facts(w, lang), _about(w, lang)])
    return data_table([t(lang, "col_wave"), t(lang, "col_status"), t(lang, "col_population"), t(lang, "col_period"),
                       t(lang, "known_col_facts"), t(lang, "col_note")], rows,
                      caption=t(lang, "known_waves_caption"), table_id=table_id)


def known_waves_section(waves: Sequence[Mapping[str, Any]], ref: Reference, lang: str, *, table_id: str,
                        heading_id: str | None = None, with_country: bool = True) -> html.Section:
    """The table under its heading and a line on what it lists."""
    return html.Section([
        html.H2(t(lang, "known_waves_title"), id=heading_id) if heading_id else html.H2(t(lang, "known_waves_title")),
        html.P(t(lang, "known_waves_intro"), className="section-intro"),
        known_waves_table(waves, ref, lang, table_id=table_id, with_country=with_country) if waves
        else html.P(t(lang, "known_waves_none")),
    ])
