"""Compare's Nordic average of the bars shown and its differences between bars, recomputed independently from the
stored estimates (statsmodels and scipy for the differences, the hand formula for averages) to 1e-9; the same
numbers in the panel, the API and the CSV; in every view the verdict is the interval's, and the family stated."""

from __future__ import annotations

import csv
import io
import itertools
import math

import numpy as np
import psycopg
import pytest
from statsmodels.stats.proportion import proportion_confint

from app.i18n import fmt_number
from app.models.differences import (
    Bar,
    BarDifference,
    average_groups,
    difference_sentence,
    offered_pairs,
)
from app.pages.compare.model import build_compare
from app.pages.compare.view import CompareView
from core.statistics import FamilyDifference, average_of_shares
from tests.app.drawing import as_text, by_id, draw, figure_of, find
from tests.independent import family_pair

Z = 1.959963984540054
# survey estimates: with only demo waves loaded, Compare would otherwise open on the published figures
LATEST = ("indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest&level=all&sector=all"
          "&source=survey")


def stored(url: str, keys: list[str], *, indicator: str = "innovative", option: str = "yes", level: str = "all",
           sector: str = "all") -> dict[str, tuple[float, float]]:
    """(share, n_eff) of each wave key's unsuppressed cell, read straight from the estimate table."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT w.country_code || '-' || w.wave_label, e.share, e.n_effective
            FROM estimate e JOIN survey_wave w ON w.id = e.wave_id
            WHERE e.indicator_code = %s AND e.option_code = %s AND e.government_level_code = %s
              AND e.sector_code = %s AND NOT e.suppressed
            """, (indicator, option, level, sector)).fetchall()
    found = {key: (share, n) for key, share, n in rows}
    return {key: found[key] for key in keys if key in found}


def family_keys(url: str, *, indicator: str = "innovative", option: str = "yes", level: str = "all",
                sector: str = "all") -> list[str]:
    """The keys of every loaded wave with an unsuppressed estimate of the measure: the family's waves."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT w.country_code || '-' || w.wave_label FROM estimate e JOIN survey_wave w ON w.id = e.wave_id
            WHERE e.indicator_code = %s AND e.option_code = %s AND e.government_level_code = %s
              AND e.sector_code = %s AND NOT e.suppressed AND e.n_effective > 0
            """, (indicator, option, level, sector)).fetchall()
    return sorted(key for (key,) in rows)


def hand_average(bars: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Mean, CI low and high: se_i = Wilson half-width / z at n_eff (statsmodels' Wilson interval)."""
    halves = [np.diff(proportion_confint(p * n, n, alpha=0.05, method="wilson"))[0] / 2 for p, n in bars]
    mean = float(np.mean([p for p, _ in bars]))
    se = math.sqrt(sum(h * h for h in halves)) / len(bars) / Z
    return mean, max(0.0, mean - Z * se), min(1.0, mean + Z * se)


def records(client, query: str) -> tuple[dict, list[dict]]:
    query += "" if "source=" in query else "&source=survey"  # the estimates, not the published figures
    body = client.get(f"/api/v1/estimates?{query}").get_json()
    text = client.get(f"/download/compare.csv?{query}").get_data(as_text=True).lstrip("\ufeff")
    return body, list(csv.DictReader(io.StringIO(text)))


def test_differences_of_the_latest_waves_equal_statsmodels(client, loaded_db: str) -> None:
    body, _ = records(client, LATEST)
    differences = body["differences"]
    keys = [r["wave_key"] for r in body["data"] if r["row_type"] == "estimate"]
    bars = stored(loaded_db, keys)
    assert len(bars) == 5
    # every pair of the five countries, the later country in the catalogue against the earlier
    assert [(d["subject_wave_key"], d["reference_wave_key"]) for d in differences] == \
        [(b, a) for a, b in itertools.combinations(keys, 2)]
    # the family: every pair of the ten loaded waves with an estimate, not the ten pairs on screen
    family = family_keys(loaded_db)
    m = len(family) * (len(family) - 1) // 2
    assert len(family) == 10 and m == 45
    assert body["family"]["size"] == m and sorted(body["family"]["wave_keys"]) == family
    assert body["family"]["method"] == "bonferroni" and "all 45 pairs of the 10 loaded waves" in \
        body["family"]["description"]
    for d in differences:
        (p1, n1), (p2, n2) = bars[d["subject_wave_key"]], bars[d["reference_wave_key"]]
        expected = family_pair(p1, n1, p2, n2, m)
        assert d["difference_pct"] == pytest.approx(expected["difference"] * 100, abs=1e-9)
        assert d["difference_ci_low_pct"] == pytest.approx(expected["ci_low"] * 100, abs=1e-9)
        assert d["difference_ci_high_pct"] == pytest.approx(expected["ci_high"] * 100, abs=1e-9)
        assert d["p_value"] == pytest.approx(expected["p_value"], rel=1e-6, abs=1e-12)
        assert d["p_adjusted"] == pytest.approx(expected["p_adjusted"], rel=1e-6, abs=1e-12)
        assert d["differs"] == expected["differs"] and d["family_size"] == m
    assert any(d["differs"] for d in differences) and not all(d["differs"] for d in differences)


def _views(facts) -> list[str]:
    """Compare views the API serves: every measure at all levels and sectors, with all waves and with the latest,
    and with two countries only."""
    queries = []
    for code, indicator in facts.ref.indicators.items():
        for option in indicator.options:
            for countries, waves in (("DK,NO,SE,FI,IS", "all"), ("DK,NO,SE,FI,IS", "latest"), ("DK,IS", "latest")):
                queries.append(f"indicator={code}&option={option}&countries={countries}&waves={waves}")
    return queries


def test_in_every_view_the_verdict_is_the_intervals_and_the_family_is_stated(client, facts) -> None:
    """No pair whose interval excludes 0 is called 'no clear difference', and no pair whose interval covers 0 is
    called a difference; each answer states its family; a pair reads the same in every view of its measure."""
    seen: dict[tuple[str, str, str, str], dict] = {}
    checked = 0
    for query in _views(facts):
        body, rows = records(client, query)
        csv_rows = [r for r in rows if r["row_type"] == "difference"]
        assert len(csv_rows) == len(body["differences"])
        if body["differences"]:
            assert body["family"]["size"] >= len(body["differences"]) and body["family"]["description"]
        for d, c in zip(body["differences"], csv_rows, strict=True):
            excludes = d["difference_ci_low_pct"] > 0 or d["difference_ci_high_pct"] < 0
            assert d["differs"] == excludes == (d["p_adjusted"] < 0.05), (query, d)
            assert ("no clear difference" in d["country"]) == (not excludes), (query, d["country"])
            assert d["status"] == ("differs" if excludes else "no_clear_difference")
            assert c["family"] == d["family"] == body["family"]["description"]
            pair = (query.split("&")[0], query.split("&")[1], d["subject_wave_key"], d["reference_wave_key"])
            numbers = {k: d[k] for k in ("difference_ci_low_pct", "difference_ci_high_pct", "differs", "family_size")}
            assert seen.setdefault(pair, numbers) == numbers, (query, pair)  # stable across views
            checked += 1
    assert checked > 500


def test_the_denmark_iceland_pair_reads_the_same_with_two_or_five_countries(client) -> None:
    query = "indicator=innovative&option=yes&level=all&sector=health_care&waves=all"
    answers = []
    for countries in ("DK,IS", "DK,NO,SE,FI,IS"):
        body, _ = records(client, f"{query}&countries={countries}")
        (pair,) = [d for d in body["differences"]
                   if (d["subject_wave_key"], d["reference_wave_key"]) == ("IS-2021", "DK-2021-23")]
        answers.append((pair["country"], pair["differs"], pair["difference_ci_low_pct"], body["family"]["size"]))
    assert answers[0] == answers[1]
    excludes = answers[0][2] > 0 or pair["difference_ci_high_pct"] < 0
    assert ("no clear difference" in answers[0][0]) == (not excludes)


def test_a_countrys_two_waves_are_one_pair_and_get_no_average(client, loaded_db: str) -> None:
    body, _ = records(client, "indicator=innovative&option=yes&countries=NO&waves=NO-2018,NO-2020")
    (d,) = body["differences"]
    assert (d["subject_wave_key"], d["reference_wave_key"], d["comparison"]) == ("NO-2020", "NO-2018", "waves")
    bars = stored(loaded_db, ["NO-2020", "NO-2018"])
    (p1, n1), (p2, n2) = bars["NO-2020"], bars["NO-2018"]
    expected = family_pair(p1, n1, p2, n2, 45)  # one pair on screen, but the family of the measure
    assert (d["difference_ci_low_pct"], d["difference_ci_high_pct"]) == pytest.approx(
        (expected["ci_low"] * 100, expected["ci_high"] * 100), abs=1e-9)
    assert d["p_adjusted"] == pytest.approx(expected["p_adjusted"], rel=1e-6, abs=1e-12)
    assert not [r for r in body["data"] if r["row_type"] == "nordic_average"]


@pytest.mark.parametrize("waves, label", [
    (("DK-2021-23", "NO-2020", "SE-2018"), "Nordic average of DK 2021-23, NO 2020, SE 2018 (mixes units: "
                                           "workplace, municipal unit; mixes rounds: 2021, 2018)"),
    (("DK-2018-19", "SE-2018"), "Nordic average of DK 2018-19, SE 2018"),
    (("DK-2015-16", "IS-2021", "FI-2022"), "Nordic average of DK 2015-16, FI 2022, IS 2021 (mixes units: "
                                           "workplace, whole organisation; mixes rounds: no round, 2021)"),
])
def test_nordic_average_of_an_arbitrary_selection_by_hand(client, loaded_db: str, waves, label) -> None:
    countries = ",".join(w.split("-")[0] for w in waves)
    body, rows = records(client, f"indicator=innovative&option=yes&countries={countries}&waves={','.join(waves)}")
    (nordic,) = [r for r in body["data"] if r["row_type"] == "nordic_average"]
    mean, low, high = hand_average(list(stored(loaded_db, list(waves)).values()))
    assert nordic["share_pct"] == pytest.approx(mean * 100, abs=1e-9)
    assert (nordic["ci_low_pct"], nordic["ci_high_pct"]) == pytest.approx((low * 100, high * 100), abs=1e-9)
    assert nordic["country"] == label
    (csv_row,) = [r for r in rows if r["row_type"] == "nordic_average"]
    assert float(csv_row["share_pct"]) == pytest.approx(nordic["share_pct"], abs=1e-9)
    assert csv_row["country"] == label


def test_several_waves_per_country_average_per_round_of_the_waves_shown(client, loaded_db: str) -> None:
    waves = ["DK-2018-19", "DK-2021-23", "IS-2018", "IS-2021", "SE-2018"]
    body, _ = records(client, f"indicator=innovative&option=yes&countries=DK,SE,IS&waves={','.join(waves)}")
    nordic = {r["nordic_round"]: r for r in body["data"] if r["row_type"] == "nordic_average"}
    bars = stored(loaded_db, waves)
    assert nordic[2018]["country"] == "Nordic average of DK 2018-19, SE 2018, IS 2018"
    assert nordic[2021]["country"] == "Nordic average of DK 2021-23, IS 2021"
    for rnd, keys in ((2018, ["DK-2018-19", "SE-2018", "IS-2018"]), (2021, ["DK-2021-23", "IS-2021"])):
        mean, low, high = hand_average([bars[k] for k in keys])
        assert nordic[rnd]["share_pct"] == pytest.approx(mean * 100, abs=1e-9)
        assert nordic[rnd]["ci_low_pct"] == pytest.approx(low * 100, abs=1e-9)
    # pairs: the countries of each round, then each country's consecutive waves
    assert [(d["subject_wave_key"], d["reference_wave_key"]) for d in body["differences"]] == [
        ("SE-2018", "DK-2018-19"), ("IS-2018", "DK-2018-19"), ("IS-2018", "SE-2018"), ("IS-2021", "DK-2021-23"),
        ("DK-2021-23", "DK-2018-19"), ("IS-2021", "IS-2018")]


def test_an_average_mixing_rounds_offers_the_same_round_view(dash_app) -> None:
    page = draw(dash_app, "/en/compare", "?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest"
                                         "&source=survey")
    line = by_id(page, "compare-same-round")
    # the latest waves span three rounds; the round with most of the five countries is 2018 (all five)
    assert line.children == "Same-round view: the 2018 round (DK 2018-19, NO 2018, SE 2018, FI 2018, IS 2018)"
    assert "waves=DK-2018-19,NO-2018,SE-2018,FI-2018,IS-2018" in line.href and "2021" not in line.href
    one_round = draw(dash_app, "/en/compare", "?indicator=innovative&option=yes&countries=DK,IS"
                                              "&waves=DK-2021-23,IS-2021&source=survey")
    assert not find(one_round, lambda c: getattr(c, "id", None) == "compare-same-round")


def test_the_average_standard_error_is_never_zero() -> None:
    # a 0% cell with n_eff = 31 adds variance (a Wald SE would add none)
    average = average_of_shares([0.0, 0.5], [31.0, 100.0], Z)
    halves = [np.diff(proportion_confint(0, 31, method="wilson"))[0] / 2,
              np.diff(proportion_confint(50, 100, method="wilson"))[0] / 2]
    assert halves[0] > 0.05
    assert average.se == pytest.approx(math.sqrt(halves[0] ** 2 + halves[1] ** 2) / 2 / Z, abs=1e-12)
    assert average.se > math.sqrt(0.25 / 100) / 2  # more than the Wald SE, which ignores the 0% cell


def test_suppressed_bars_take_no_part(client, loaded_db: str) -> None:
    query = ("indicator=innovative&option=yes&countries=DK,SE,IS&waves=DK-2021-23,SE-2018,IS-2021&level=all"
             "&sector=culture_leisure")
    body, _ = records(client, query)
    assert [(d["subject_wave_key"], d["reference_wave_key"]) for d in body["differences"]] == \
        [("SE-2018", "DK-2021-23")]
    (nordic,) = [r for r in body["data"] if r["row_type"] == "nordic_average"]
    assert nordic["country"] == "Nordic average of DK 2021-23, SE 2018 (mixes rounds: 2021, 2018)"
    mean, _, _ = hand_average(list(stored(loaded_db, ["DK-2021-23", "SE-2018"], sector="culture_leisure").values()))
    assert nordic["share_pct"] == pytest.approx(mean * 100, abs=1e-9)


def test_panel_api_and_csv_show_the_same_differences(client, dash_app) -> None:
    body, rows = records(client, LATEST)
    csv_rows = [r for r in rows if r["row_type"] == "difference"]
    api_rows = [r for r in body["data"] if r["row_type"] == "difference"]
    assert api_rows == body["differences"] and len(csv_rows) == len(api_rows) == 10
    for a, c in zip(api_rows, csv_rows, strict=True):
        for column in ("difference_pct", "difference_ci_low_pct", "difference_ci_high_pct", "p_value", "p_adjusted"):
            assert float(c[column]) == pytest.approx(a[column], abs=1e-12)
        assert c["country"] == a["country"] and c["differs"] == str(a["differs"])
    page = draw(dash_app, "/en/compare", f"?{LATEST}")
    panel = as_text(by_id(page, "compare-differences"))
    for a in api_rows:
        assert a["country"] in panel  # the panel's sentence carries the API's numbers, rounded
    # Iceland 2021 against Denmark 2021-23: the known pair, in words
    pair = next(a for a in api_rows if (a["subject_wave_key"], a["reference_wave_key"]) == ("IS-2021", "DK-2021-23"))
    assert pair["differs"] and pair["difference_pct"] < 0
    expected = (f"Iceland 2021 lower than Denmark 2021-23 by {round(-pair['difference_pct'])} points (adjusted 95% CI "
                f"{round(-pair['difference_ci_high_pct'])} to {round(-pair['difference_ci_low_pct'])})")
    assert pair["country"] == expected and expected in panel
    assert "No clear difference" in panel and "Clear differences" in panel
    # a pair of workplaces against municipal units carries the caveat
    no_dk = next(a for a in api_rows if (a["subject_wave_key"], a["reference_wave_key"]) == ("NO-2020", "DK-2021-23"))
    assert no_dk["comparability_caveat"].startswith("not fully comparable: unit of observation")
    # the chart's legend names the pairs that differ
    legend = [t.name for t in figure_of(page, "compare-graph").data if t.name and "differences" in t.name.lower()]
    assert legend and legend[0].startswith("Clear differences: ")


def test_the_sentence_follows_the_sign_and_the_language(facts) -> None:
    dk, is_ = facts.wave_by_key("DK-2021-23"), facts.wave_by_key("IS-2021")
    diff = BarDifference(is_, dk, "countries", FamilyDifference(-0.1, -0.15, -0.05, 0.0001, 0.001, 10), ())
    assert difference_sentence(diff, facts.ref, "en") == \
        "Iceland 2021 lower than Denmark 2021-23 by 10 points (adjusted 95% CI 5 to 15)"
    up = BarDifference(dk, is_, "countries", FamilyDifference(0.1234, 0.051, 0.19, 0.0001, 0.001, 10), ())
    assert difference_sentence(up, facts.ref, "sv").endswith("med 12 procentenheter (justerat 95 % KI 5 till 19)")
    unclear = BarDifference(is_, dk, "countries", FamilyDifference(-0.021, -0.08, 0.035, 0.4, 1.0, 10), ())
    assert difference_sentence(unclear, facts.ref, "fi").endswith(
        f"ei selvää eroa ({fmt_number(-2, 'fi')} prosenttiyksikköä, korjattu 95 %:n lv. {fmt_number(-8, 'fi')}–4)")


def test_compare_view_model_uses_the_selection(db, facts) -> None:
    view = CompareView("innovative", "yes", ("DK", "SE"), ("DK-2018-19", "SE-2018"), "all", "all",
                       source="survey")
    result = build_compare(db, view, "da", facts)
    (line,) = result.nordic
    assert line.countries == ("DK", "SE") and line.label == "Nordisk gennemsnit af DK 2018-19, SE 2018"
    assert result.statistics is not None and len(result.statistics.differences) == 1


def test_groups_and_pairs_rules(facts) -> None:
    def bar(key: str) -> Bar:
        return Bar(facts.wave_by_key(key), 0.5, 100.0)

    one_each = [bar("DK-2021-23"), bar("NO-2020"), bar("SE-2018")]
    assert [(r, [b.wave.key for b in g]) for r, g in average_groups(one_each)] == \
        [(None, ["DK-2021-23", "NO-2020", "SE-2018"])]
    same_round = [bar("DK-2021-23"), bar("IS-2021")]
    assert average_groups(same_round)[0][0] == 2021
    assert [(s.wave.key, r.wave.key, k) for s, r, k in offered_pairs(same_round)] == \
        [("IS-2021", "DK-2021-23", "countries")]


def test_the_openapi_document_describes_the_differences(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert schemas["View"]["properties"]["differences"]["items"] == {"$ref": "#/components/schemas/Difference"}
    assert {"difference_pct", "p_adjusted", "family_size", "differs"} <= set(schemas["Difference"]["required"])
    assert "family" in schemas["View"]["properties"]


def test_data_and_methods_states_both_methods(dash_app) -> None:
    text = as_text(draw(dash_app, "/en/data"))
    assert "Simple mean of the shares of the bars shown" in text and "never zero" in text
    assert "Differences between bars" in text and "Newcombe's hybrid score" in text and "Bonferroni" in text
    assert "Holm" not in text and "z = 1.96" in text and "± 1.96·" in text
    assert "simultana 95 %-intervall (Bonferroni)" in as_text(draw(dash_app, "/sv/data"))
