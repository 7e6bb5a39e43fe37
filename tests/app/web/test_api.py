"""JSON API, downloads and HTTP behaviour of the app (Flask test client on the real test database)."""

from __future__ import annotations

import csv
import gzip
import io
import json

import openpyxl
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def one(url: str, query: str, params: tuple = ()) -> tuple:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchone()


def test_index_documents_every_endpoint(client) -> None:
    doc = client.get("/api/v1").get_json()
    paths = {e["path"] for e in doc["endpoints"]}
    assert {"/api/v1/estimates", "/api/v1/profile", "/api/v1/types-values", "/api/v1/overview",
            "/api/v1/sources", "/api/v1/reference", "/api/v1/waves", "/api/v1/published", "/api/v1/official"} <= paths
    estimates = next(e for e in doc["endpoints"] if e["path"] == "/api/v1/estimates")
    assert set(estimates["parameters"]) == {"lang", "indicator", "option", "countries", "waves", "level", "sector",
                                            "chart", "display", "nordic", "axis", "source"}


def test_estimates_are_the_stored_values(client, loaded_db: str) -> None:
    response = client.get("/api/v1/estimates?indicator=innovative&option=yes&countries=DK&waves=DK-2018-19"
                          "&level=municipal&sector=all")
    assert response.status_code == 200
    body = response.get_json()
    row = next(r for r in body["data"] if r["row_type"] == "estimate")
    share, low, high, n = one(loaded_db, "SELECT e.share, e.ci_low, e.ci_high, e.n_unweighted FROM estimate e "
                                         "JOIN survey_wave w ON w.id = e.wave_id WHERE w.country_code = 'DK' AND "
                                         "w.wave_label = '2018-19' AND e.indicator_code = 'innovative' AND "
                                         "e.option_code = 'yes' AND e.government_level_code = 'municipal' AND "
                                         "e.sector_code = 'all'")
    # unrounded: the API and downloads carry full precision (only shown text is rounded)
    assert row["share_pct"] == share * 100 and row["n"] == n
    assert (row["ci_low_pct"], row["ci_high_pct"]) == (low * 100, high * 100)
    assert row["data"].startswith("DEMO") and row["source"].startswith("CO-PI") and row["published_figure"] == "80%"
    assert body["parameters"]["waves"] == "DK-2018-19" and body["url"].startswith("/en/compare?")
    assert "Kish" in body["method"]["statistics"] and "Simple mean" in body["method"]["nordic_average"]


def test_nordic_average_and_comparability_warning_in_the_json(client) -> None:
    body = client.get("/api/v1/estimates?countries=DK,FI&waves=DK-2018-19,FI-2018&source=survey").get_json()
    nordic = [r for r in body["data"] if r["row_type"] == "nordic_average"]
    assert nordic and nordic[0]["nordic_round"] == 2018
    aspects = {w["aspect"] for w in body["comparability_warnings"]}
    assert "unit" in aspects  # workplace (DK) vs whole organisation (FI)


def test_bad_parameters_give_400_with_problems(client) -> None:
    response = client.get("/api/v1/estimates?indicator=nope&countries=DK,ZZ&colour=red&lang=de")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_parameters"
    assert {(p["param"], p["reason"]) for p in body["problems"]} == {
        ("indicator", "problem_unknown_value"), ("countries", "problem_unknown_value"),
        ("colour", "problem_unknown_param"), ("lang", "problem_unknown_value")}
    assert all(p["message"] for p in body["problems"])


@pytest.mark.parametrize("path", ["/api/v1/profile?country=SE&indicator=barrier&option=lack_of_time",
                                  "/api/v1/types-values?wave=SE-2018", "/api/v1/overview", "/api/v1/sources",
                                  "/api/v1/reference?lang=is", "/api/v1/waves", "/api/v1/published?countries=FI",
                                  "/api/v1/official?countries=DK&tables=OIN01DK"])
def test_every_endpoint_answers(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    assert response.get_json()


def test_official_json_is_labelled_official_statistics_with_citation_and_licence(client) -> None:
    body = client.get("/api/v1/official?countries=DK&lang=da").get_json()
    assert body["kind"] == "official statistics"
    regional = next(r for r in body["official"] if r["wave_label"] == "2018-19" and r["level"] == "regional")
    assert regional["value"] == pytest.approx(0.85) and regional["level_label"] == "Regional"
    assert regional["licence"] == "CC BY 4.0" and regional["obtained_by"] == "transcription"
    assert regional["ci_low"] is None and "is_demo" not in regional
    bad = client.get("/api/v1/official?countries=XX&colour=red")
    assert bad.status_code == 400
    assert {p["param"] for p in bad.get_json()["problems"]} == {"countries", "colour"}


def test_profile_json_carries_the_official_rows_of_the_page(client) -> None:
    body = client.get("/api/v1/profile?country=DK&indicator=innovative&option=yes").get_json()
    official = {(r["wave"], r["government_level_code"]): r for r in body["data"] if r["row_type"] == "official"}
    assert {k: r["share_pct"] for k, r in official.items()} == {
        ("2015-16", "municipal"): 80, ("2015-16", "regional"): 80, ("2015-16", "state"): 84,
        ("2018-19", "municipal"): 80, ("2018-19", "regional"): 85, ("2018-19", "state"): 84}
    row = official[("2018-19", "regional")]
    assert row["data"] == "Official statistics (Transcribed)" and row["licence"] == "CC BY 4.0"
    assert row["ci_low_pct"] is None and "cid=40871" in row["source"]


def test_types_values_json_is_the_cross_tab(client, loaded_db: str) -> None:
    body = client.get("/api/v1/types-values?wave=SE-2018").get_json()
    cell = next(r for r in body["data"] if r["type_code"] == "service" and r["value_code"] == "quality")
    share, n = one(loaded_db, "SELECT t.share, t.n_unweighted FROM cross_tab_estimate t JOIN survey_wave w "
                              "ON w.id = t.wave_id WHERE w.country_code = 'SE' AND t.cross_tab_code = 'type_value' "
                              "AND t.row_option = 'service' AND t.column_option = 'quality' "
                              "AND t.government_level_code = 'all' AND t.sector_code = 'all'")
    assert cell["share_pct"] == share * 100 and cell["n"] == n
    margin = next(r for r in body["data"] if r["type_code"] == "all_innovative" and r["value_code"] == "quality")
    assert margin["n"] > cell["n"]


def test_suppressed_cells_never_leak_share_ci_or_n(suppressed_client, suppressed_db: str,
                                                   suppression_min_n: int) -> None:
    response = suppressed_client.get("/api/v1/estimates?countries=NO&waves=NO-2020&sector=culture_leisure")
    row = next(r for r in response.get_json()["data"] if r["row_type"] == "estimate")
    assert row["status"] == "suppressed" and row["suppression"] == "primary"
    assert row["share_pct"] is None and row["ci_low_pct"] is None and row["ci_high_pct"] is None
    assert row["n"] is None and row["n_effective"] is None and row["n_note"] == f"n < {suppression_min_n}"
    true_n = one(suppressed_db, "SELECT e.n_unweighted FROM estimate e JOIN survey_wave w ON w.id = e.wave_id "
                                "WHERE w.wave_label = '2020' AND e.indicator_code = 'innovative' AND "
                                "e.option_code = 'yes' AND e.government_level_code = 'all' AND "
                                "e.sector_code = 'culture_leisure'")[0]
    for path in ("/api/v1/estimates?countries=NO&waves=NO-2020&sector=culture_leisure",
                 "/api/v1/profile?country=NO",
                 "/download/compare.csv?countries=NO&waves=NO-2020&sector=culture_leisure",
                 "/api/v1/types-values?wave=NO-2020&sector=culture_leisure"):
        text = suppressed_client.get(path).get_data(as_text=True)
        assert f'"n": {true_n}' not in text and f'"n":{true_n}' not in text and f",{true_n}," not in text


def test_complementary_suppression_shows_no_n_at_all(suppressed_client) -> None:
    body = suppressed_client.get("/api/v1/profile?country=NO").get_json()
    complementary = [r for r in body["data"] if r.get("suppression") == "complementary"]
    assert complementary
    assert all(r["n"] is None and r["share_pct"] is None and "<" not in r["n_note"] for r in complementary)


def test_csv_download_has_n_ci_flags_source_and_demo_label(client) -> None:
    response = client.get("/download/compare.csv?countries=DK,NO&waves=DK-2018-19,NO-2018&lang=nb&source=survey")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    # the view's parameters not at their default name the file
    assert 'filename="nordic-barometer-compare-DK-NO-DK-2018-19-NO-2018-survey-demo.csv"' in disposition
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {"share_pct", "ci_low_pct", "ci_high_pct", "n", "suppression", "data", "source", "source_url",
            "comparability_warnings"} <= set(rows[0])
    estimates = [r for r in rows if r["row_type"] == "estimate"]
    assert [r["country_code"] for r in estimates] == ["DK", "NO"]
    assert all(r["data"].startswith("DEMO") and r["n"] for r in estimates)
    assert estimates[0]["country"] == "Danmark"  # labels in the requested language
    # warnings in words of the requested language, not codes
    assert estimates[0]["comparability_warnings"].startswith("Observasjonsenhetene er forskjellige:")
    nordic = [r for r in rows if r["row_type"] == "nordic_average"]
    assert len(nordic) == 1 and all(r["source"] and r["source_url"] for r in rows)
    # the average's sources: one citation per country it averages, those of the shown waves among them
    averaged = nordic[0]["n_note"].split(": ")[1].split(", ")
    assert len(nordic[0]["source"].split(" | ")) == len(averaged) >= 2
    assert all(r["source"] in nordic[0]["source"] for r in estimates)


def test_xlsx_download_has_data_and_about_sheets(client) -> None:
    response = client.get("/download/profile.xlsx?country=IS")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["data", "about"]
    header = [c.value for c in book["data"][1]]
    assert {"share_pct", "n", "data", "source"} <= set(header)
    about = {row[0].value: row[1].value for row in book["about"].iter_rows()}
    assert about["View"].startswith("https://barometer.example/en/profile?country=IS")
    assert "DEMO" in about["Demo data"].upper()


@pytest.mark.parametrize("path", ["/download/compare.pdf", "/download/..%2Fetc.csv", "/api/v1/nothing",
                                  "/en/no-such-page", "/xx/compare"])
def test_unknown_downloads_and_endpoints_are_404(client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_bad_download_parameters_are_400(client) -> None:
    response = client.get("/download/compare.csv?level=galactic")
    assert response.status_code == 400 and response.get_json()["problems"][0]["param"] == "level"


def test_security_headers(client) -> None:
    page = client.get("/en/compare")
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert page.headers["X-Frame-Options"] == "DENY"
    embed = client.get("/embed/en/compare?countries=DK")
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert client.get("/api/v1").headers["X-Content-Type-Options"] == "nosniff"


def test_responses_are_compressed(client) -> None:
    response = client.get("/api/v1/profile?country=DK", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.data))["data"]


def test_the_html_names_its_language(client) -> None:
    assert '<html lang="nb">' in client.get("/nb/compare").get_data(as_text=True)
    assert '<html lang="fi">' in client.get("/compare?lang=fi").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/xx/garbage").get_data(as_text=True)
    assert client.get("/sv/").status_code == 200


def test_health(client) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["indicator", "option", "countries", "waves", "level", "sector", "nordic", "wave",
                             "country", "lang", "chart", "x"]),
       value=st.text(max_size=80))
def test_no_parameter_value_causes_a_server_error(client, name: str, value: str) -> None:
    for path in ("/api/v1/estimates", "/api/v1/profile", "/api/v1/types-values", "/download/compare.csv"):
        response = client.get(path, query_string={name: value})
        assert response.status_code in (200, 400), (path, name, value)


def test_sources_name_file_and_codebook_relative_to_the_data_folder(client) -> None:
    record = next(r for r in client.get("/api/v1/sources").get_json()["data"] if r["wave_key"] == "DK-2018-19")
    assert (record["source_file"], record["codebook"]) == ("raw/demo/dk/innovationsbarometer_2018-19.sav",
                                                         "codebooks/dk/2018-19.yaml")
