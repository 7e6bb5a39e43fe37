"""Compare's published source: published figures and official-table values as bars of their own, the `source`
switch in the URL, and `auto` opening on the real figures when only demo waves are selected.

Expected values are the figures as the research notes print them (tests/fixtures/research/), not read back
from the view: each test pins country, programme, wave as published, value, relation and unit."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from app.models.published import PUBLISHED, SURVEY, resolve_source
from app.pages.compare.model import build_compare, compare_records
from app.pages.compare.view import CompareView
from app.pages.compare.view import parse as parse_compare
from app.site.params import Known
from tests.app.drawing import as_text, draw

RESEARCH = Path(__file__).resolve().parents[3] / "fixtures" / "research"
ALL = ("DK", "NO", "SE", "FI", "IS")


def _view(facts: Known, query: str) -> CompareView:
    view, problems = parse_compare({k: [v] for k, v in (p.split("=", 1) for p in query.split("&"))}, facts)
    assert not problems, problems
    return view


def _bars(result) -> set[tuple[str, str, str, float | None, str, str]]:
    return {(b.country, b.programme, b.wave_text, b.value_pct, b.relation, b.unit) for b in result.published}


def _in_research(quote: str) -> bool:
    text = "".join(p.read_text(encoding="utf-8") for p in RESEARCH.glob("*.md"))
    return quote in text


def test_innovative_opens_on_the_published_figures_of_the_latest_waves_and_the_nordic_report(db, facts) -> None:
    result = build_compare(db, _view(facts, "indicator=innovative&option=yes"), "en", facts)
    assert result.source == PUBLISHED and result.rows == [] and result.nordic == [] and result.demo is None
    nordic = "Measuring New Nordic Solutions (2019)"
    assert _bars(result) == {
        ("DK", "Innovationsbarometeret", "2021-23", 83, "equal", "workplaces"),
        ("DK", nordic, "wave not stated", 80, "equal", "workplaces"),
        ("NO", "KS Innovasjonsbarometer", "2020", 75, "approx", "units"),
        # the same wave's share as Forskningsrådet printed it exactly (KS's own pages: "tre av fire")
        ("NO", "KS Innovasjonsbarometer", "2020", 74, "equal", "units"),
        ("NO", nordic, "wave not stated", 77, "equal", "units"),
        ("SE", "Innovationsbarometern", "2018", 80, "approx", "workplaces"),
        ("SE", nordic, "wave not stated", 81, "equal", "workplaces"),
        ("FI", "Kuntaliitto Innovaatiobarometri", "2022", 96, "equal", "organisations"),
        ("IS", "Nýsköpunarvogin", "2021", 73, "equal", "workplaces"),
        ("IS", nordic, "wave not stated", 78, "equal", "workplaces"),
    }
    assert _in_research("78% Island, 77% Norge, 80% Danmark, 81% Sverige, 95% Finland (kun kommunal sektor)")
    # the order of the chart: country by country, a wave before "not stated"
    assert [b.country for b in result.published] == ["DK", "DK", "NO", "NO", "NO", "SE", "SE", "FI", "IS", "IS"]
    assert result.published[2].value_text == "about 75%"
    # three units on one axis: the visible note names them, country by country
    assert [w.aspect for w in result.warnings] == ["unit"]
    assert result.warnings[0].text == ("Units differ, so these bars are not directly comparable: % of workplaces "
                                       "(DK, SE, IS); % of units (NO); % of organisations (FI).")
    assert result.title == "Share of public workplaces or organisations that introduced at least one innovation"


def test_the_switch_shows_the_demo_estimates_of_the_same_waves(db, facts) -> None:
    view = _view(facts, "indicator=innovative&option=yes&source=survey")
    result = build_compare(db, view, "en", facts)
    assert result.source == SURVEY and len(result.rows) == 5 and result.demo
    assert [r.wave.key for r in result.rows] == ["DK-2021-23", "NO-2020", "SE-2018", "FI-2022", "IS-2021"]
    # the survey view keeps its published markers on the bars of the same programme and wave
    assert [r.published for r in result.rows] == ["83%", "about 75%", "about 80%", "96%", "73%"]


def test_one_innovation_type_with_two_countries_of_figures(db, facts) -> None:
    # process innovation: KS 2018 and 2020 (% of municipal units), Kuntaliitto 2018 (% of organisations)
    view = _view(facts, "indicator=innovation_type&option=process&countries=NO,FI&waves=all")
    result = build_compare(db, view, "en", facts)
    assert result.source == PUBLISHED
    assert _bars(result) == {("NO", "KS Innovasjonsbarometer", "2018", 63, "equal", "units"),
                             ("NO", "KS Innovasjonsbarometer", "2020", 60, "under", "units"),
                             ("FI", "Kuntaliitto Innovaatiobarometri", "2018", 75, "approx", "organisations")}
    assert [b.value_text for b in result.published] == ["63%", "almost 60%", "about 75%"]
    assert result.warnings[0].text.endswith("% of units (NO); % of organisations (FI).")
    # the latest waves alone: only Norway's 2020 figure, one country -> the survey estimates
    latest = build_compare(db, replace(view, waves=("NO-2020", "FI-2022")), "en", facts)
    assert latest.source == SURVEY and len(latest.published) == 1
    assert build_compare(db, replace(view, waves=("NO-2020", "FI-2022"), source="published"), "en",
                         facts).source == PUBLISHED


def test_one_value_achieved_with_figures_of_three_countries(db, facts) -> None:
    result = build_compare(db, _view(facts, "indicator=value&option=quality"), "en", facts)
    assert result.source == PUBLISHED
    assert _bars(result) == {
        ("DK", "Innovationsbarometeret", "wave not stated", 70, "equal", "innovations"),
        ("SE", "Innovationsbarometern", "2018", None, "top", "innovations"),
        ("SE", "Innovation i offentlig sektor (SCB for Vinnova)", "2021-22", 72, "approx", "workplaces"),
        ("FI", "Kuntaliitto Innovaatiobarometri", "2022", 50, "over", "organisations"),
    }
    top = next(b for b in result.published if b.relation == "top")
    assert top.value_text == "among the top 2" and top.share is None  # printed without a number: no bar
    records = compare_records(result)
    assert {r["row_type"] for r in records} == {"published"}
    fi = next(r for r in records if r["country_code"] == "FI")
    assert (fi["share_pct"], fi["ci_low_pct"], fi["ci_high_pct"], fi["relation"], fi["unit"], fi["n_note"]) == \
        (50, None, None, "over", "% of organisations", "over 50%")
    assert fi["data"] == "Published figure" and fi["source_url"].startswith("https://www.kuntaliitto.fi")


def test_official_table_values_join_as_official_statistics(db, facts) -> None:
    view = _view(facts, "indicator=innovative&option=yes&level=municipal&waves=all")
    result = build_compare(db, view, "en", facts)
    assert result.source == PUBLISHED
    official = [b for b in result.published if b.kind == "official"]
    # Statistics Denmark's level split as transcribed (OIN01DK): municipal 80% in 2015-16 and 2018-19
    assert [(b.wave_text, b.value_pct, b.licence, b.unit_label) for b in official] == \
        [("2015-16", 80.0, "CC BY 4.0", "% of workplaces"), ("2018-19", 80.0, "CC BY 4.0", "% of workplaces")]
    assert ("FI", "Measuring New Nordic Solutions (2019)", "wave not stated", 95, "equal", "organisations") \
        in _bars(result)
    rows = [r for r in compare_records(result) if r["row_type"] == "official"]
    assert {(r["data"], r["licence"], r["share_pct"], r["source"].split(",")[0]) for r in rows} == \
        {("Official statistics", "CC BY 4.0", 80.0, "Danmarks Statistik")}


def test_auto_rule(db, facts) -> None:
    view = _view(facts, "indicator=innovative&option=yes")
    # demo waves and figures of five countries: published; one country: survey
    assert build_compare(db, view, "en", facts).source == PUBLISHED
    assert build_compare(db, replace(view, countries=("DK",), waves=("DK-2021-23",)), "en", facts).source == SURVEY
    # a real wave among the selected: survey (what the loaded data say comes first)
    real = Known(facts.ref, tuple(replace(w, is_demo=False) if w.key == "SE-2018" else w for w in facts.waves),
                 facts.coverage)
    assert build_compare(db, view, "en", real).source == SURVEY
    # the rule itself, on waves and bars alone
    bars = build_compare(db, view, "en", facts).published
    waves = [w for w in facts.waves if w.key in view.waves]
    assert resolve_source("auto", waves, bars) == PUBLISHED
    assert resolve_source("auto", waves, [b for b in bars if b.country == "DK"]) == SURVEY
    assert resolve_source("survey", waves, bars) == SURVEY
    assert resolve_source("published", [replace(w, is_demo=False) for w in waves], []) == PUBLISHED


def test_source_in_the_url_left_out_at_auto(dash_app, facts) -> None:
    from app.site.registry import page_named
    COMPARE = page_named("compare")
    from app.site.urls import canonical_query

    view = _view(facts, "indicator=innovative&option=yes")
    assert "source" not in canonical_query(COMPARE, view, facts)
    assert canonical_query(COMPARE, replace(view, source="survey"), facts)["source"] == "survey"
    _, problems = parse_compare({"source": ["demo"]}, facts)
    assert [(p.param, p.reason) for p in problems] == [("source", "problem_unknown_value")]


def test_page_shows_the_source_and_a_switch_link(dash_app) -> None:
    html = as_text(draw(dash_app, "/en/compare", "?indicator=innovative&option=yes"))
    assert 'published' in html and "PUBLISHED FIGURES" in html
    assert "source=survey" in html and "Show the survey estimates (demo data)" in html
    # every bar's citation is a link under the chart
    assert "https://www.difi.no/nyhet/2019/09/hoy-innovasjonstakt-i-alle-de-nordiske-landene" in html
    assert "DEMO DATA" not in html and "SURVEY ESTIMATES" not in html
    survey = as_text(draw(dash_app, "/en/compare", "?indicator=innovative&option=yes&source=survey"))
    assert "SURVEY ESTIMATES" in survey and "source=published" in survey and "DEMO DATA" in survey


def test_api_and_csv_carry_the_published_rows(client) -> None:
    query = "indicator=value&option=quality&source=published"
    body = client.get(f"/api/v1/estimates?{query}").get_json()
    api = {(r["country_code"], r["programme"], r["wave"]): r for r in body["data"]}
    text = client.get(f"/download/compare.csv?{query}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(api) == 4
    for row in rows:
        other = api[(row["country_code"], row["programme"], row["wave"])]
        assert row["row_type"] == other["row_type"] == "published"
        assert (float(row["share_pct"]) if row["share_pct"] else None) == other["share_pct"]
        assert row["unit"] == other["unit"] and row["relation"] == other["relation"]
        assert row["source_url"] == other["source_url"] and row["ci_low_pct"] == ""
    assert body["demo"] is None


def test_openapi_documents_the_source_parameter(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/estimates"]["get"]["parameters"]}
    assert params["source"]["schema"]["enum"] == ["auto", "published", "survey"]
    assert params["source"]["schema"]["default"] == "auto"


@pytest.mark.parametrize("lang", ["nb", "da", "sv", "fi", "is"])
def test_the_switch_is_translated(dash_app, lang: str) -> None:
    from app.i18n import t

    html = as_text(draw(dash_app, f"/{lang}/compare", "?indicator=innovative&option=yes"))
    assert t(lang, "source_badge_published") in html and t(lang, "source_to_survey_demo") in html
    assert t(lang, "source_badge_published") != t("en", "source_badge_published")


def test_overview_leads_with_the_joint_nordic_report_and_links_the_published_view(dash_app) -> None:
    from tests.app.drawing import by_id

    page = draw(dash_app, "/en/", "")
    text = as_text(page)
    # the joint report's own shares, as the research notes quote them (Finland: municipalities only)
    assert _in_research("78% Island, 77% Norge, 80% Danmark, 81% Sverige, 95% Finland (kun kommunal sektor)")
    cards = {code: as_text(by_id(page, f"joint-{code}")) for code in ALL}
    for code, name, value, unit in (("DK", "Denmark", "80%", "% of workplaces"), ("NO", "Norway", "77%", "% of units"),
                                    ("SE", "Sweden", "81%", "% of workplaces"),
                                    ("FI", "Finland", "95%", "% of organisations · Municipal"),
                                    ("IS", "Iceland", "78%", "% of workplaces")):
        assert name in cards[code] and f'"{value}"' in cards[code] and unit in cards[code], code
    assert text.index("joint-DK") < text.index("published-table")  # first on the page
    link = as_text(by_id(page, "joint-compare"))
    assert "/en/compare?source=published" in link


def test_published_source_without_figures_says_so_and_links_the_survey(dash_app) -> None:
    page = draw(dash_app, "/en/compare", "?indicator=barrier&option=lack_of_time&countries=IS&source=published")
    text = as_text(page)
    assert "No published figures for this selection." in text and "source=survey" in text
    assert "compare-graph" not in text
