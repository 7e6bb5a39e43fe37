"""Overview page: headline cards per country, a Nordic tile grid and key published figures."""

from __future__ import annotations

from typing import Any

from dash import html

from app.components.cite import cite_and_code
from app.components.coverage import coverage_sentence
from app.components.present import presentation
from app.components.shell import spa_link
from app.components.toolbar import toolbar
from app.components.ui import data_table, demo_badge, problems_notice, warning_box
from app.components.view_page import shared_address
from app.data.db import Database
from app.exports.datasets import Dataset
from app.i18n import fmt_ci, fmt_number, fmt_pct, t
from app.models.common import published_n_text, published_text, published_wave
from app.models.coverage import build_coverage
from app.models.published import unit_label
from app.pages.overview.model import HEADLINE, CountryCard, Overview, build_overview, overview_records
from app.pages.overview.view import NAME
from app.site.page_context import PageContext
from app.site.params import EmptyView, Known, View
from app.site.registry import methods_page
from app.site.urls import link_to, view_url

# Sequential single-hue scale (readable with colour-vision deficiencies), with the share ranges it encodes.
TILE_SCALE = ((0.70, "#deebf7", "#0b1f33"), (0.775, "#9ecae1", "#0b1f33"), (0.85, "#4f9bd0", "#0b1f33"),
              (0.925, "#2166ac", "#ffffff"), (1.01, "#053061", "#ffffff"))


def tile_colours(share: float | None) -> tuple[str, str]:
    if share is None:
        return "#f3f4f6", "#57606a"
    for upper, background, text in TILE_SCALE:
        if share < upper:
            return background, text
    return TILE_SCALE[-1][1], TILE_SCALE[-1][2]


def card(c: CountryCard, lang: str) -> html.Article:
    profile = link_to("profile", lang, {"country": c.country, "indicator": HEADLINE[0], "option": HEADLINE[1]})
    body: list[Any] = [html.H3(c.label, className="card-title")]
    if c.wave is None:
        body += [html.P(t(lang, "no_data"), className="card-empty")]
    else:
        if c.share is not None:
            body += [html.P(fmt_pct(c.share, lang, 0), className="card-value"),
                     html.P(t(lang, "card_share_innovative"), className="card-caption"),
                     html.P(f"{t(lang, 'ci95')} {fmt_ci(c.cell['ci_low'], c.cell['ci_high'], lang, 0)}",
                            className="card-ci")]
        else:
            body += [html.P("–", className="card-value"),
                     html.P(t(lang, "status_suppressed") if c.cell else t(lang, "status_not_asked"),
                            className="card-caption")]
        facts = [(t(lang, "card_latest_wave"), f"{c.wave.wave_label} · {c.wave.programme}"),
                 (t(lang, "card_n"), c.n_text or (fmt_number(c.wave.responded, lang) if c.wave.responded else "–")),
                 (t(lang, "card_unit"), c.unit_label)]
        if c.published:
            facts.append((t(lang, "card_published"), published_text(c.published, lang)))
        body.append(html.Dl([item for k, v in facts for item in (html.Dt(k), html.Dd(v))], className="card-facts"))
        if c.wave.is_demo:
            body.append(html.P(html.Span(t(lang, "demo_badge"), className="badge badge-demo"), className="card-badge"))
        body.append(spa_link(t(lang, "card_profile_link", country=c.label), profile, class_name="card-link"))
    return html.Article(body, className="card", id=f"card-{c.country}")


def tile_grid(overview: Overview, lang: str) -> html.Div:
    tiles = []
    for c in overview.cards:
        row, col = c.tile or (3, len(tiles) + 1)
        background, colour = tile_colours(c.share)
        value = fmt_pct(c.share, lang, 0) if c.share is not None else "–"
        label = f"{c.label}: {value}" + (f" ({c.wave.wave_label})" if c.wave else f" ({t(lang, 'no_data')})")
        compare = link_to("compare", lang, {"indicator": HEADLINE[0], "option": HEADLINE[1], "countries": c.country,
                                            **({"waves": c.wave.key} if c.wave else {})})
        # named by what it shows, then the country's name (for screen readers only)
        tiles.append(html.A([
            html.Span(c.country, className="tile-code"), " ",
            html.Span(value, className="tile-value"), " ",
            html.Span(c.wave.wave_label if c.wave else t(lang, "no_data"), className="tile-wave"),
            html.Span(f" – {c.label}", className="visually-hidden"),
        ], href=compare, className="tile", title=label,
            style={"gridRow": row, "gridColumn": col, "backgroundColor": background, "color": colour},
            **{"data-spa": "1"}))
    legend = html.Ul([
        html.Li([html.Span(className="legend-swatch", style={"backgroundColor": bg}), text])
        for (bg, text) in zip([s[1] for s in TILE_SCALE],
                              ["< 70%", "70–77%", "78–84%", "85–92%", "≥ 93%"], strict=True)
    ], className="tile-legend", **{"aria-label": t(lang, "tile_legend")})
    return html.Div([html.Div(tiles, className="tile-grid"), legend], className="tile-wrap")


def joint_section(overview: Overview, known: Known, lang: str) -> html.Section | None:
    """The headline as the countries published it together, one card per country, with its source, and the
    link to Compare's published-figure view of the headline."""
    if not overview.joint:
        return None
    first = overview.joint[0]
    cards = []
    for f in overview.joint:
        level = f["level"] != "all" and known.ref.label("government_level", f["level"], lang)
        cards.append(html.Li([
            html.Span(known.ref.label("country", f["country"], lang), className="joint-country"),
            html.Span(published_text(f, lang), className="joint-value"),
            html.Span(unit_label(f["unit"], lang) + (f" · {level}" if level else ""), className="joint-unit"),
        ], className="joint-card", id=f"joint-{f['country']}"))
    compare = link_to("compare", lang, {"indicator": HEADLINE[0], "option": HEADLINE[1], "source": "published"})
    return html.Section([
        html.H2(t(lang, "joint_title"), id="joint-title"),
        html.P([t(lang, "joint_intro", programme=first["programme"], wave=published_wave(first, lang)), " ",
                html.A(first["citation"], href=first["source_url"], target="_blank", rel="noopener noreferrer")],
               className="section-intro"),
        html.Ul(cards, className="joint-cards"),
        html.P(spa_link(t(lang, "joint_compare_link"), compare, link_id="joint-compare")),
    ], className="joint", **{"aria-labelledby": "joint-title"})


def published_table(overview: Overview, known: Known, lang: str) -> html.Div:
    rows = []
    for f in overview.published:
        rows.append([
            f"{f['country']} {published_wave(f, lang)}", published_text(f, lang), unit_label(f["unit"], lang),
            known.ref.label("government_level", f["level"], lang), f["programme"],
            published_n_text(f, lang),
            html.A(f["citation"], href=f["source_url"], target="_blank", rel="noopener noreferrer"),
        ])
    return data_table([t(lang, "col_wave"), t(lang, "col_published"), t(lang, "col_published_unit"),
                       t(lang, "label_level"), t(lang, "col_programme"), "n", t(lang, "col_source")], rows,
                      caption=t(lang, "published_caption"), table_id="published-table", numeric=(1, 5))


def layout(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    overview = build_overview(ctx.db, ctx.known, lang)
    demo = demo_badge(t(lang, "overview_demo_all" if overview.all_demo else "overview_demo"), lang) \
        if overview.any_demo else None
    return html.Div([
        html.H1(t(lang, "overview_title")),
        html.P(t(lang, "overview_intro"), className="lead"),
        problems_notice(ctx.problems, lang),
        # the real figures first: what the national publications printed, with their citations
        joint_section(overview, ctx.known, lang),
        html.Section([html.H2(t(lang, "published_title"), id="published-title"),
                      html.P(t(lang, "published_intro"), className="section-intro"),
                      published_table(overview, ctx.known, lang),
                      html.P(spa_link(t(lang, "published_all_link"), view_url(methods_page(), lang, EmptyView())
                                      + "#published")),
                      # how far the real figures reach: views that open on them, and where the rest are
                      html.P([coverage_sentence(build_coverage(ctx.db, ctx.known), lang), " ",
                              spa_link(t(lang, "coverage_link"), view_url(methods_page(), lang, EmptyView())
                                       + "#coverage", link_id="overview-coverage-link")],
                             id="overview-coverage")],
                     **{"aria-labelledby": "published-title"}),
        html.Section([html.H2(t(lang, "headline_title"), id="headline-title"),
                      html.P(t(lang, "headline_intro"), className="section-intro"),
                      demo,
                      warning_box(t(lang, "warn_title"), overview.warnings, lang, box_id="overview-warning"),
                      html.Div([card(c, lang) for c in overview.cards], className="cards")],
                     **{"aria-labelledby": "headline-title"}),
        html.Section([html.H2(t(lang, "tiles_title"), id="tiles-title"),
                      html.P(t(lang, "tiles_intro"), className="section-intro"),
                      tile_grid(overview, lang)],
                     **{"aria-labelledby": "tiles-title"}),
        toolbar(ctx.page, lang, EmptyView()),
        cite_and_code(ctx.page, lang, dataset(ctx.db, EmptyView(), lang, ctx.known,
                                              view_url(ctx.page, lang, EmptyView()))),
        *shared_address(ctx.page, lang, EmptyView()),
    ], className="page page-overview")


def present(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    overview = build_overview(ctx.db, ctx.known, lang)
    content = html.Div([html.H1(t(lang, "overview_title")), tile_grid(overview, lang),
                        html.Div([card(c, lang) for c in overview.cards], className="cards")])
    return presentation(ctx, content)


def dataset(db: Database, view: View, lang: str, known: Known, url: str) -> Dataset:
    """The headline cards and published figures as records (JSON API and downloads)."""
    overview = build_overview(db, known, lang)
    demo = t(lang, "overview_demo_all" if overview.all_demo else "overview_demo") if overview.any_demo else None
    return Dataset(NAME, view, lang, t(lang, "overview_title"), overview_records(overview, lang), url, demo=demo)
