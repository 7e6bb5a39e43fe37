"""Pages as the router draws them for a URL: content, warnings, demo labels, suppression, modes, languages."""

from __future__ import annotations

import pytest

from app.i18n import fmt_pct, t
from app.models.common import comparability_warnings
from app.pages.compare.layout import view_from_controls
from app.site.params import Known
from app.web import router
from tests.app.drawing import as_text, by_id, draw, figure_of, find

PAGES = ["/en/", "/en/compare", "/en/profile", "/en/types-values", "/en/data"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "nb", "da", "sv", "fi", "is"])
def test_every_page_draws_in_every_language(dash_app, path: str, lang: str) -> None:
    path = path.replace("/en/", f"/{lang}/")
    page = draw(dash_app, path)
    text = as_text(page)
    assert "error_title" not in text and "not_found" not in text
    by_id(page, "main")
    assert find(page, lambda c: getattr(c, "className", "") == "skip-link")


def test_overview_has_cards_tiles_and_cited_published_figures(dash_app) -> None:
    page = draw(dash_app, "/en/")
    dk = as_text(by_id(page, "card-DK"))
    assert "Denmark" in dk and "Workplace" in dk and "2021-23" in dk and "DEMO DATA" in dk
    assert "Whole organisation" in as_text(by_id(page, "card-FI"))
    published = as_text(by_id(page, "published-table"))
    assert "co-pi.dk" in published and "about 80%" in published and "2,271" in published
    tiles = find(page, lambda c: getattr(c, "className", "") == "tile")
    assert len(tiles) == 5


def test_countries_keep_their_catalogue_colours_and_tile_positions(dash_app) -> None:
    tiles = find(draw(dash_app, "/en/"), lambda c: getattr(c, "className", "") == "tile")
    assert {tile.children[0].children: (tile.style["gridRow"], tile.style["gridColumn"]) for tile in tiles} == {
        "IS": (1, 1), "NO": (1, 3), "SE": (1, 4), "FI": (1, 5), "DK": (2, 3)}
    figure = figure_of(draw(dash_app, "/en/compare", "?countries=DK,NO,SE,FI,IS"), "compare-graph")
    bars = {trace.legendgroup or trace.name: trace.marker.color for trace in figure.data if trace.type == "bar"}
    assert set(bars.values()) == {"#D55E00", "#0072B2", "#E69F00", "#009E73", "#CC79A7"}  # Okabe-Ito


def test_compare_warns_when_units_differ_and_labels_demo_data(dash_app) -> None:
    page = draw(dash_app, "/en/compare", "?countries=DK,FI&waves=DK-2018-19,FI-2018&source=survey")
    warning = as_text(by_id(page, "compare-warning"))
    assert "Units of observation differ" in warning and "Whole organisation (FI 2018)" in warning
    assert "Share of public workplaces or organisations that introduced at least one innovation" in as_text(page)
    figure = figure_of(page, "compare-graph")
    # the page shows the chart's title and notes above it as HTML; the figure keeps them for image exports
    assert not figure.layout.title.text
    header = figure.layout.meta["header"]
    annotations = " ".join(a["text"] for a in header["annotations"])
    assert "Not fully comparable" in annotations and "DEMO DATA" in annotations
    assert header["title"]["text"].startswith("<b>Share of public workplaces or organisations")
    shapes = [s for s in figure.layout.shapes if s.type == "line"]
    assert shapes, "Nordic average line"
    assert "Simple mean of the shares of the bars shown" in as_text(page)


def test_compare_of_one_wave_has_no_warning(dash_app) -> None:
    page = draw(dash_app, "/en/compare", "?countries=SE")
    assert not find(page, lambda c: getattr(c, "id", None) == "compare-warning")


def test_bar_values_are_the_estimates(dash_app, db, facts: Known) -> None:
    from app.data import queries

    page = draw(dash_app, "/en/compare", "?indicator=partner&option=private_firms&countries=DK,SE&waves=all")
    figure = figure_of(page, "compare-graph")
    label = dict(zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext, strict=True))  # position -> name
    bars = {(label[y], x) for trace in figure.data if trace.type == "bar"
            for y, x in zip(trace.y, trace.x, strict=True)}
    ids = {w.id: w for w in facts.waves if w.country in ("DK", "SE")}
    rows = queries.estimates(db, wave_ids=ids, indicator="partner", options=["private_firms"], levels=["all"],
                             sectors=["all"])
    expected = {(f"{facts.ref.label('country', ids[r['wave_id']].country, 'en')} {ids[r['wave_id']].wave_label}",
                 r["share"] * 100) for r in rows}
    assert bars == expected and len(bars) == 4


def test_suppressed_cells_are_shown_as_suppressed_not_zero(suppressed_client, suppression_min_n: int) -> None:
    app = suppressed_client.application
    with app.test_request_context("/en/compare"):
        page = router.render("/en/compare", "?countries=NO&waves=all&sector=culture_leisure&display=chart")
    figure = figure_of(page, "compare-graph")
    assert not [t for t in figure.data if t.type == "bar"]  # no bar at all, not a zero bar
    notes = [a.text for a in figure.layout.annotations]
    assert any(f"Suppressed (n &lt; {suppression_min_n})" in n or f"Suppressed (n < {suppression_min_n})" in n
               for n in notes)
    table = as_text(by_id(page, "compare-table-alt"))
    assert f"n < {suppression_min_n}" in table and "Not covered by this wave" in table  # NO 2018 has no culture


def test_table_display_and_locale_numbers(dash_app, db, facts: Known) -> None:
    from app.data import queries

    page = draw(dash_app, "/sv/compare", "?countries=DK&waves=DK-2018-19&display=table")
    table = as_text(by_id(page, "compare-table"))
    wave = facts.wave_by_key("DK-2018-19")
    share = queries.estimates(db, wave_ids=[wave.id], indicator="innovative", options=["yes"], levels=["all"],
                              sectors=["all"])[0]["share"]
    assert fmt_pct(share, "sv") == f"{round(share * 100)}\u00a0%" and fmt_pct(share, "sv") in table
    assert "2\u00a0271" in table  # n with the Swedish thousands separator
    assert not find(page, lambda c: getattr(c, "id", None) == "compare-graph")


def test_bad_parameters_show_a_friendly_notice(dash_app) -> None:
    page = draw(dash_app, "/en/compare", "?indicator=bogus&level=%3Cscript%3E&foo=1")
    notice = as_text(by_id(page, "param-problems"))
    assert "'bogus' is not a known value for 'indicator'" in notice and "'foo' is not a parameter" in notice
    by_id(page, "compare-graph")  # defaults are drawn instead


def test_unknown_page_is_a_friendly_not_found(dash_app) -> None:
    page = draw(dash_app, "/da/nothing-here")
    assert "Siden findes ikke" in as_text(by_id(page, "not-found"))


def test_presentation_mode_has_no_chrome_and_a_qr_code(dash_app) -> None:
    page = draw(dash_app, "/en/compare", "?countries=DK&present=1")
    assert not find(page, lambda c: getattr(c, "className", "") == "skip-link")
    assert not find(page, lambda c: getattr(c, "className", "") == "site-header")
    qr = by_id(page, "qr-code")
    assert qr.src.startswith("data:image/svg+xml;base64,")
    assert qr.to_plotly_json()["props"]["data-url"].startswith("https://barometer.example/s/")  # a short link
    assert by_id(page, "exit-present").href.startswith("/en/compare?") and "present" not in by_id(
        page, "exit-present").href
    assert figure_of(page, "compare-graph").layout.font.size > 13  # large text


@pytest.mark.parametrize("path", ["/en/", "/en/profile", "/en/types-values"])
def test_presentation_mode_of_other_pages(dash_app, path: str) -> None:
    by_id(draw(dash_app, path, "?present=1"), "qr-code")


def test_embed_has_chart_and_attribution_only(dash_app) -> None:
    page = draw(dash_app, "/embed/en/compare", "?countries=DK")
    by_id(page, "compare-graph")
    assert not find(page, lambda c: getattr(c, "className", "") == "site-header")
    assert "Open this view" in as_text(page)


def test_profile_shows_national_wording_and_sector_names(dash_app) -> None:
    page = draw(dash_app, "/en/profile", "?country=DK&indicator=innovation_type&option=service")
    wording = as_text(by_id(page, "profile-wording"))
    assert "serviceydelser" in wording and "Services" in wording
    sectors = as_text(by_id(page, "profile-sectors"))
    assert "Børnepasning" in sectors and "Education and childcare" in sectors
    derived = as_text(draw(dash_app, "/en/profile", "?country=DK&indicator=innovative"))
    assert "derived, not asked" in derived


@pytest.mark.parametrize("lang", ["en", "nb", "da", "sv", "fi", "is"])
def test_profile_of_denmark_shows_official_statistics_by_government_level(dash_app, facts: Known,
                                                                         lang: str) -> None:
    page = draw(dash_app, f"/{lang}/profile", "?country=DK&indicator=innovative&option=yes")
    section = by_id(page, "official-statistics")
    text = as_text(section)
    # its own label, never the demo one; citation, licence and that the figures are a transcription
    assert t(lang, "official_badge") in text and t(lang, "demo_badge") not in text
    assert "Nyt fra Danmarks Statistik: Innovation i den offentlige sektor 2018-19 (cid=40871)" in text
    assert "https://www.dst.dk/da/Statistik/nyt/NytHtml?cid=40871" in text
    assert "CC BY 4.0" in text and "https://creativecommons.org/licenses/by/4.0/" in text
    assert "barometer fetch statbank OIN01DK" in text
    figure = figure_of(section, "official-graph-OIN01DK")
    label = dict(zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext, strict=True))  # position -> name
    bars = {label[y]: x for trace in figure.data if trace.type == "bar"
            for y, x in zip(trace.y, trace.x, strict=True)}
    level = {code: facts.ref.label("government_level", code, lang) for code in ("municipal", "regional", "state")}
    # Danmarks Statistik, Nyt cid=40871: 2018-19 municipal 80 %, state 84 %, regional 85 % (80 % in 2015-16)
    assert bars == pytest.approx({
        f"{level['municipal']} · 2015-16": 80, f"{level['regional']} · 2015-16": 80, f"{level['state']} · 2015-16": 84,
        f"{level['municipal']} · 2018-19": 80, f"{level['regional']} · 2018-19": 85, f"{level['state']} · 2018-19": 84})
    assert [trace.name for trace in figure.data if trace.type == "bar"] == ["2015-16", "2018-19"]
    assert all(not trace.error_x.visible for trace in figure.data)  # the table publishes no CI


def test_data_page_lists_the_official_table_with_its_provenance(dash_app) -> None:
    text = as_text(by_id(draw(dash_app, "/en/data"), "official-sources-table"))
    assert "OIN01DK" in text and "Transcribed by hand from the publication (not a download)" in text
    assert "official/snapshots/OIN01DK/20261130T000000Z" in text and "CC BY 4.0" in text


def test_profile_without_official_tables_has_no_official_section(dash_app) -> None:
    page = draw(dash_app, "/en/profile", "?country=NO&indicator=innovative&option=yes")
    assert not find(page, lambda c: getattr(c, "id", None) == "official-statistics")


def test_types_values_heatmap_has_n_in_every_cell(dash_app) -> None:
    page = draw(dash_app, "/en/types-values", "?wave=DK-2021-23")
    figure = figure_of(page, "tv-graph")
    heat = figure.data[0]
    # long type names wrap onto two lines rather than being cut off on a phone, whole
    names = list(figure.layout.yaxis.ticktext)
    assert [name.replace("<br>", " ") for name in names] == [
        "All innovative units", "Services", "Products", "Processes or ways of organising work",
        "Ways of communicating with the outside world"]
    assert [name.count("<br>") for name in names] == [0, 0, 0, 1, 1]
    assert list(figure.layout.xaxis.tickvals) == list(heat.x) and list(figure.layout.yaxis.tickvals) == list(heat.y)
    # a suppressed cell says so once, by its annotation; every other cell shows its value and n
    suppressed = {(a.x, a.y) for a in figure.layout.annotations if a.text and "uppressed" in a.text}
    for y, row in zip(heat.y, heat.text, strict=True):
        for x, text in zip(heat.x, row, strict=True):
            assert (text == "") if (x, y) in suppressed else ("n=" in text)


def test_types_values_for_a_wave_without_values(dash_app, facts: Known) -> None:
    # a selection without any cell says so, naming it, instead of drawing a grid of dashes
    page = draw(dash_app, "/en/types-values", "?wave=FI-2018&sector=health_care")
    assert not find(page, lambda c: getattr(c, "id", None) == "tv-graph")
    assert by_id(page, "tv-no-data").children.startswith("No data for Finland 2018, All levels, Health and care")


def test_controls_values_from_the_browser_are_validated(facts: Known) -> None:
    view = view_from_controls(facts, {"x": 1}, None, [None, 3, "DK", "ZZ"], "not-a-list", "state", ["all"],
                              "pie", "table", True)
    assert view.indicator == "innovative" and view.countries == ("DK",) and view.level == "state"
    assert view.sector == "all" and view.chart == "bar" and view.display == "table"


def test_warnings_only_for_real_differences(facts: Known) -> None:
    dk = [facts.wave_by_key("DK-2018-19")]
    assert comparability_warnings(dk, [], "innovative", facts.ref.label, "en") == []
    mixed = [facts.wave_by_key("DK-2018-19"), facts.wave_by_key("NO-2018")]
    aspects = {w.aspect for w in comparability_warnings(mixed, [], "innovative", facts.ref.label, "en")}
    assert aspects == {"unit", "period"}  # workplace vs municipal unit, and different reference periods


def test_figures_are_memoised_per_view_and_redrawn_after_a_reload(dash_app, monkeypatch) -> None:
    from app.pages.compare import layout as compare

    drawn: list[str] = []
    build = compare.figure
    monkeypatch.setattr(compare, "figure", lambda result, **kw: drawn.append(result.view.chart) or build(result, **kw))
    db = dash_app.server.extensions["barometer_db"]
    monkeypatch.setattr(db, "data_version", lambda: "before-reload")
    first = figure_of(draw(dash_app, "/en/compare", "?countries=DK,NO&chart=dot&source=survey"), "compare-graph")
    again = figure_of(draw(dash_app, "/en/compare", "?countries=DK,NO&chart=dot&source=survey"), "compare-graph")
    assert drawn == ["dot"] and first == again  # the second visit reads the stored figure
    figure_of(draw(dash_app, "/en/compare", "?countries=DK,NO&chart=bar&source=survey"), "compare-graph")
    assert drawn == ["dot", "bar"]  # another view is another figure
    monkeypatch.setattr(db, "data_version", lambda: "after-reload")
    figure_of(draw(dash_app, "/en/compare", "?countries=DK,NO&chart=dot&source=survey"), "compare-graph")
    assert drawn == ["dot", "bar", "dot"]  # new data: drawn again, never the old figure


@pytest.mark.parametrize(("search", "heading"), [
    ("?countries=SE&waves=SE-2018", "Share of public workplaces that introduced at least one innovation"),
    ("?indicator=innovation_type&option=service&countries=SE&waves=SE-2018",
     "Share of public workplaces answering “Services”: Type of innovation"),
    ("?indicator=partner&option=private_firms&countries=FI&waves=FI-2018",
     "Share of innovative public organisations answering “Private companies” about their latest innovation: "
     "Collaboration partners"),
])
def test_the_heading_says_what_is_shown_with_the_waves_unit(dash_app, search: str, heading: str) -> None:
    page = draw(dash_app, "/en/compare", search)
    headings = find(page, lambda c: type(c).__name__ == "H1")
    assert [h.children for h in headings] == [heading]


def test_profile_waves_have_their_own_colours_not_the_countries(dash_app, facts: Known) -> None:
    figure = figure_of(draw(dash_app, "/en/profile", "?country=DK"), "profile-graph")
    wave_colours = {trace.marker.color for trace in figure.data if trace.type == "bar"}
    assert len(wave_colours) >= 2
    assert not wave_colours & set(facts.ref.colours.values())


def test_overview_leads_with_published_figures_and_warns_that_units_differ(dash_app) -> None:
    page = draw(dash_app, "/en/")
    sections = [s.children[0].children for s in find(page, lambda c: type(c).__name__ == "Section")]
    # published figures first: the one comparison published together, then each country's own
    assert sections[:2] == ["The one comparison the countries published together", "Key published figures"]
    warning = as_text(by_id(page, "overview-warning"))
    assert "Units of observation differ" in warning and "Whole organisation" in warning


def test_profile_says_derivations_in_words_and_groups_the_indicators_notes_by_kind(dash_app, facts: Known) -> None:
    from app.pages.profile.layout import derivation_text

    rule = derivation_text(facts.ref.indicators["innovative"].derivation, facts, "en")
    assert rule == ("yes when the answer to “Type of innovation” includes any of: Services, Products, "
                    "Processes or ways of organising work, Ways of communicating with the outside world")
    page = draw(dash_app, "/en/profile", "?country=DK")
    derived = find(page, lambda c: type(c).__name__ == "P" and "derived, not asked" in str(c.children))
    assert derived and "innovation_type" not in derived[0].children
    by_kind = find(page, lambda c: getattr(c, "className", "") == "notes-by-kind")[0]
    assert [kind.children[0].children for kind in by_kind.children] == [
        "Unit of observation", "Wording", "Reference period", "Coverage", "Method"]


def test_overview_lists_the_joint_nordic_reports_shares_with_unit_and_level(dash_app) -> None:
    table = by_id(draw(dash_app, "/en/"), "published-table")
    rows = [[c.children if isinstance(c.children, str) else as_text(c) for c in tr.children]
            for tr in find(table, lambda c: type(c).__name__ == "Tr")[1:]]
    joint = {r[0]: r[1:4] for r in rows if "Measuring New Nordic Solutions" in r[4]}
    assert joint == {"DK wave not stated": ["80%", "% of workplaces", "All levels"],
                     "NO wave not stated": ["77%", "% of units", "All levels"],
                     "SE wave not stated": ["81%", "% of workplaces", "All levels"],
                     "FI wave not stated": ["95%", "% of organisations", "Municipal"],
                     "IS wave not stated": ["78%", "% of workplaces", "All levels"]}
