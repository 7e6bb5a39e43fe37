"""The whole dataset as a Frictionless Data Package (`barometer export aggregates DIR`, /download/all.zip):
valid by the frictionless library, numbers equal to the API's and to the stored aggregates, suppressed cells
as rows without values."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest
from frictionless import Package, validate
from typer.testing import CliRunner

from barometer.cli import app as cli

EXPECTED_RESOURCES = {"waves", "estimates", "cross_tabs", "nordic_averages", "published_figures", "official_values",
                      "comparability_notes", "question_wordings", "national_labels", "indicators", "options", "labels"}


def export(url: str, folder: Path) -> Path:
    result = CliRunner().invoke(cli, ["export", "aggregates", str(folder)], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return folder / "datapackage.json"


def sql_rows(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


@pytest.fixture(scope="module")
def package_dir(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(loaded_db, tmp_path_factory.mktemp("aggregates") / "out").parent


@pytest.fixture(scope="module")
def tables(package_dir: Path) -> dict[str, pd.DataFrame]:
    """Each resource read through frictionless (typed by the package's own schemas)."""
    package = Package(str(package_dir / "datapackage.json"))
    return {r.name: r.to_pandas().reset_index() if r.schema.primary_key else r.to_pandas()
            for r in package.resources}


def test_the_package_is_valid_and_describes_every_field(package_dir: Path) -> None:
    report = validate(str(package_dir / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    meta = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in meta["resources"]} == EXPECTED_RESOURCES
    for resource in meta["resources"]:
        assert all(f["description"] and f["type"] for f in resource["schema"]["fields"])
        assert (package_dir / resource["path"]).exists() and (package_dir / resource["parquet"]).exists()
    assert meta["demo"] is True and "DK-2018-19" in meta["demo_waves"] and "synthetic" in meta["demo_note"]
    assert meta["licenses"][0]["name"] == "CC0-1.0"
    assert len(meta["sources"]) == 10 and all(s["title"] and s["path"].startswith("http") for s in meta["sources"])
    assert meta["citation"]["bibtex"].startswith("@misc{") and "Retrieved" in meta["citation"]["apa"]


def test_parquet_holds_the_same_rows_as_csv(package_dir: Path) -> None:
    for name in ("estimates", "cross_tabs", "nordic_averages", "waves"):
        csv = pd.read_csv(package_dir / f"{name}.csv", keep_default_na=False, na_values=[""])
        parquet = pd.read_parquet(package_dir / f"{name}.parquet")
        assert list(parquet.columns) == list(csv.columns) and len(parquet) == len(csv)
    csv = pd.read_csv(package_dir / "estimates.csv")
    parquet = pd.read_parquet(package_dir / "estimates.parquet")
    # suppressed cells (the bundled Icelandic demo data have some) are empty in both
    for column in ("share", "n"):
        assert np.array_equal(parquet[column].astype(float).to_numpy(), csv[column].astype(float).to_numpy(),
                              equal_nan=True), column


def test_estimates_equal_the_stored_aggregates_exactly(tables: dict[str, pd.DataFrame], loaded_db: str) -> None:
    stored = sql_rows(loaded_db, "SELECT w.country_code, w.wave_label, e.government_level_code, e.sector_code, "
                                 "e.indicator_code, e.option_code, e.share, e.ci_low, e.ci_high, e.n_unweighted, "
                                 "e.n_effective, e.suppressed FROM estimate e JOIN survey_wave w ON w.id = e.wave_id")
    exported = tables["estimates"]
    assert len(exported) == len(stored)
    by_key = {(r.country, r.wave_key.split("-", 1)[1], r.government_level, r.sector, r.indicator, r.option): r
              for r in exported.itertuples()}
    suppressed_rows = 0
    for country, wave, level, sector, indicator, option, share, low, high, n, n_eff, suppressed in stored:
        row = by_key[(country.strip(), wave, level, sector, indicator, option)]
        values = (row.share, row.ci_low, row.ci_high, row.n, row.n_eff)
        if suppressed:  # a row with its flags but no share, CI or n
            suppressed_rows += 1
            assert all(pd.isna(v) for v in values)
            continue
        # CSV keeps the shortest representation that reads back as the same double
        assert values == (share, low, high, n, n_eff)
    assert suppressed_rows > 0  # the bundled demo data have suppressed cells


@pytest.mark.parametrize("query", [
    "indicator=innovative&option=yes&level=all&sector=all",
    "indicator=partner&option=private_firms&level=municipal&sector=all",
    "indicator=barrier&option=lack_of_time&level=all&sector=health_care",
    "indicator=novelty&option=adapted&level=state&sector=administration",
])
def test_estimates_and_nordic_averages_equal_the_api(client, tables: dict[str, pd.DataFrame], query: str) -> None:
    body = client.get(f"/api/v1/estimates?waves=all&source=survey&{query}").get_json()
    params = dict(p.split("=") for p in query.split("&"))
    estimates, nordic = tables["estimates"], tables["nordic_averages"]
    compared = 0
    for record in body["data"]:
        if record["row_type"] == "estimate" and record["status"] == "ok":
            row = estimates[(estimates.wave_key == record["wave_key"]) & (estimates.indicator == params["indicator"])
                            & (estimates.option == params["option"]) & (estimates.government_level == params["level"])
                            & (estimates.sector == params["sector"])].iloc[0]
            assert record["share_pct"] == pytest.approx(row.share * 100, abs=1e-9)
            assert (record["ci_low_pct"], record["ci_high_pct"]) == (pytest.approx(row.ci_low * 100, abs=1e-9),
                                                                     pytest.approx(row.ci_high * 100, abs=1e-9))
            assert record["n"] == row.n and record["n_effective"] == pytest.approx(row.n_eff, abs=1e-9)
            compared += 1
        elif record["row_type"] == "nordic_average":
            row = nordic[(nordic.nordic_round == record["nordic_round"]) & (nordic.indicator == params["indicator"])
                         & (nordic.option == params["option"]) & (nordic.government_level == params["level"])
                         & (nordic.sector == params["sector"])].iloc[0]
            assert record["share_pct"] == pytest.approx(row.share * 100, abs=1e-9)
            assert record["ci_high_pct"] == pytest.approx(row.ci_high * 100, abs=1e-9)
            compared += 1
    assert compared >= 5


def test_cross_tabs_equal_the_api(client, tables: dict[str, pd.DataFrame]) -> None:
    cross = tables["cross_tabs"]
    for wave in ("SE-2018", "DK-2021-23"):
        body = client.get(f"/api/v1/types-values?wave={wave}&level=municipal").get_json()
        compared = 0
        for record in body["data"]:
            match = cross[(cross.wave_key == wave) & (cross.cross_tab == "type_value")
                          & (cross.government_level == "municipal") & (cross.sector == "all")
                          & (cross.row_option == record["type_code"]) & (cross.column_option == record["value_code"])]
            if match.empty:
                continue
            row = match.iloc[0]
            assert record["share_pct"] == pytest.approx(row.share * 100, abs=1e-9) and record["n"] == row.n
            compared += 1
        exported = cross[(cross.wave_key == wave) & (cross.cross_tab == "type_value")
                         & (cross.government_level == "municipal") & (cross.sector == "all")]
        assert compared == len(exported) >= 4 * 6  # every exported cell of the view is in the API, and agrees


def test_official_values_equal_the_api(client, tables: dict[str, pd.DataFrame]) -> None:
    exported = tables["official_values"]
    api = client.get("/api/v1/official").get_json()["official"]
    assert len(exported) == len(api) > 0
    by_key = {(r.table_id, r.wave_label, r.government_level, r.indicator, r.option): r for r in exported.itertuples()}
    for cell in api:
        row = by_key[(cell["table_id"], cell["wave_label"], cell["level"], cell["indicator"], cell["option"])]
        assert row.value == pytest.approx(cell["value"], abs=1e-12) and row.obtained_by == cell["obtained_by"]
    # Statistics Denmark, Nyt cid=40871: 2018-19 regional 85 % (bundled as a transcription, with its citation)
    regional = by_key[("OIN01DK", "2018-19", "regional", "innovative", "yes")]
    assert regional.value == pytest.approx(0.85) and "cid=40871" in regional.citation


def test_labels_in_six_languages_and_waves_with_sources(tables: dict[str, pd.DataFrame]) -> None:
    labels = tables["labels"]
    assert set(labels.lang) == {"en", "nb", "da", "sv", "fi", "is"}
    innovative = labels[(labels.kind == "indicator") & (labels.code == "innovative")]
    assert len(innovative) == 6
    waves = tables["waves"]
    assert waves.set_index("wave_key").loc["SE-2018", "file_format"] == "csv"
    assert waves.is_demo.all() and waves.citation.str.len().min() > 10
    assert len(tables["published_figures"]) > 20 and tables["published_figures"].citation.notna().all()


def test_every_declared_cross_tab_is_exported(tables: dict[str, pd.DataFrame], loaded_db: str) -> None:
    stored = dict(sql_rows(loaded_db, "SELECT cross_tab_code, count(*) FROM cross_tab_estimate GROUP BY 1"))
    exported = tables["cross_tabs"].groupby("cross_tab").size().to_dict()
    assert exported == stored and {"type_value", "type_partner"} <= set(exported)


def test_suppressed_cells_are_rows_without_values(suppressed_db: str, tmp_path: Path) -> None:
    folder = export(suppressed_db, tmp_path / "supp").parent
    assert validate(str(folder / "datapackage.json")).valid
    estimates = pd.read_csv(folder / "estimates.csv")
    stored = sql_rows(suppressed_db, "SELECT count(*) FILTER (WHERE suppression = 'primary'), "
                                     "count(*) FILTER (WHERE suppression = 'complementary'), count(*) FROM estimate")[0]
    hidden = estimates[estimates.suppressed]
    assert (hidden.suppression == "primary").sum() == stored[0] > 0
    assert (hidden.suppression == "complementary").sum() == stored[1] > 0
    assert len(estimates) == stored[2]
    assert hidden[["share", "ci_low", "ci_high", "n", "n_eff"]].isna().all().all()
    shown = estimates[~estimates.suppressed]
    assert shown[["share", "ci_low", "ci_high", "n", "n_eff"]].notna().all().all()
    cross = pd.read_csv(folder / "cross_tabs.csv")
    assert cross[cross.suppressed][["share", "n"]].isna().all().all() and cross.suppressed.any()


def test_download_all_zip_is_the_same_package(client, package_dir: Path) -> None:
    response = client.get("/download/all.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert 'filename="nordic-innovation-barometer-aggregates.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    prefix = "nordic-innovation-barometer-aggregates/"
    names = {n.removeprefix(prefix) for n in archive.namelist()}
    assert names == {p.name for p in package_dir.iterdir()}
    for name in ("estimates.csv", "cross_tabs.csv", "nordic_averages.csv", "labels.csv"):
        assert archive.read(prefix + name) == (package_dir / name).read_bytes()
    meta = json.loads(archive.read(prefix + "datapackage.json"))
    assert meta["homepage"] == "https://barometer.example"
    assert client.get("/download/all.zip?colour=red").status_code == 400
