"""`barometer export microdata`: the harmonised respondent-level file of a wave, read back with pyreadstat
and compared with the respondent and answer rows in the database (and with the stored estimates)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import psycopg
import pyarrow.parquet as pq
import pyreadstat
import pytest
from typer.testing import CliRunner

from barometer.cli import app

WAVE = "DK-2018-19"


def run(loaded_db: str, *args: str):
    return CliRunner().invoke(app, ["export", "microdata", *args], env={"DATABASE_URL": loaded_db})


def rows(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def wave_id(url: str) -> int:
    return rows(url, "SELECT id FROM survey_wave WHERE country_code = 'DK' AND wave_label = '2018-19'")[0][0]


def test_a_demo_wave_is_refused_without_the_demo_switch(loaded_db: str, tmp_path: Path) -> None:
    target = tmp_path / "out.sav"
    result = run(loaded_db, "--wave", WAVE, "--format", "sav", "-o", str(target))
    assert result.exit_code == 1
    assert "demo wave" in result.output and "--demo" in result.output and "synthetic" in result.output
    assert not target.exists()


def test_unknown_wave_and_format_are_named(loaded_db: str, tmp_path: Path) -> None:
    result = run(loaded_db, "--wave", "XX-1999", "--demo", "-o", str(tmp_path / "x.sav"))
    assert result.exit_code == 1 and "XX-1999" in result.output and "DK-2018-19" in result.output
    result = run(loaded_db, "--wave", WAVE, "--demo", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 1 and "'csv'" in result.output and "sav, dta, parquet" in result.output


@pytest.fixture(scope="module")
def exported(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("microdata")
    paths = {}
    for fmt in ("sav", "dta", "parquet"):
        paths[fmt] = folder / f"dk.{fmt}"
        result = run(loaded_db, "--wave", WAVE.lower(), "--format", fmt, "--lang", "da", "--demo",
                     "-o", str(paths[fmt]))
        assert result.exit_code == 0, result.output
        assert "DEMO" in result.output
    return paths


@pytest.mark.parametrize("fmt", ["sav", "dta"])
def test_round_trip_values_equal_the_database_rows(exported: dict[str, Path], loaded_db: str, fmt: str) -> None:
    reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    frame, meta = reader(str(exported[fmt]))
    wid = wave_id(loaded_db)
    frame = frame.set_index("national_id")
    respondents = rows(loaded_db, "SELECT national_id, weight, government_level_code, sector_code FROM respondent "
                                  "WHERE wave_id = %s", (wid,))
    assert len(frame) == len(respondents) == 2271
    weights = {r[0]: r[1] for r in respondents}
    assert np.allclose(frame["weight"].to_numpy(), [weights[i] for i in frame.index], rtol=0, atol=1e-12)

    # multiple-response items: 1/0 exactly where the answer table says selected/not selected, else missing
    answers = rows(loaded_db, "SELECT national_id, selected FROM answer WHERE wave_id = %s AND "
                              "indicator_code = 'partner' AND option_code = 'private_firms'", (wid,))
    expected = {nid: float(sel) for nid, sel in answers}
    column = frame["partner_private_firms"]
    assert column.notna().sum() == len(expected)
    assert all(column[nid] == value for nid, value in expected.items())
    # single-response: the code of the one option selected (novelty: 1, 2, 3 in catalogue order)
    options = [r[0] for r in rows(loaded_db, "SELECT option_code FROM indicator_option WHERE indicator_code = "
                                             "'novelty' ORDER BY sort_order")]
    chosen = rows(loaded_db, "SELECT national_id, option_code FROM answer WHERE wave_id = %s AND "
                             "indicator_code = 'novelty' AND selected", (wid,))
    assert frame["novelty"].notna().sum() == len(chosen)
    assert all(frame.at[nid, "novelty"] == options.index(opt) + 1 for nid, opt in chosen)
    # a design variable coded in catalogue order
    levels = [r[0] for r in rows(loaded_db, "SELECT code FROM government_level WHERE code <> 'all' "
                                            "ORDER BY sort_order")]
    assert all(frame.at[nid, "government_level"] == levels.index(level) + 1 for nid, _w, level, _s in respondents)


@pytest.mark.parametrize("fmt", ["sav", "dta"])
def test_round_trip_labels_are_the_catalogue_texts(exported: dict[str, Path], loaded_db: str, fmt: str) -> None:
    reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    _frame, meta = reader(str(exported[fmt]), metadataonly=True)
    texts = dict(rows(loaded_db, "SELECT code, text FROM label WHERE lang = 'da' AND kind = 'option' AND "
                                 "code LIKE 'novelty.%%'"))
    options = [r[0] for r in rows(loaded_db, "SELECT option_code FROM indicator_option WHERE indicator_code = "
                                             "'novelty' ORDER BY sort_order")]
    assert {int(k): v for k, v in meta.variable_value_labels["novelty"].items()} == {
        i: texts[f"novelty.{option}"] for i, option in enumerate(options, start=1)}
    assert {int(k): v for k, v in meta.variable_value_labels["partner_private_firms"].items()} == {1: "Ja", 0: "Nej"}
    innovative = dict(rows(loaded_db, "SELECT code, text FROM label WHERE lang = 'da' AND kind = 'option' AND "
                                      "code LIKE 'innovative.%%'"))
    assert {int(k): v for k, v in meta.variable_value_labels["innovative"].items()} == {
        1: innovative["innovative.yes"], 0: innovative["innovative.no"]}
    sector = dict(rows(loaded_db, "SELECT code, text FROM label WHERE lang = 'da' AND kind = 'sector'"))
    assert sector["health_care"] in meta.variable_value_labels["sector"].values()
    assert meta.file_label.startswith("DEMO DATA")
    indicator = rows(loaded_db, "SELECT text FROM label WHERE lang = 'da' AND kind = 'indicator' AND code = 'partner'")
    assert meta.column_names_to_labels["partner_private_firms"].startswith(indicator[0][0][:40])


def test_weighted_share_from_the_file_equals_the_stored_estimate(exported: dict[str, Path], loaded_db: str) -> None:
    frame, _meta = pyreadstat.read_sav(str(exported["sav"]))
    for column, indicator, option in (("innovation_type_service", "innovation_type", "service"),
                                      ("partner_private_firms", "partner", "private_firms"),
                                      ("innovative", "innovative", "yes")):
        answered = frame[frame[column].notna()]
        share = (answered["weight"] * (answered[column] == 1)).sum() / answered["weight"].sum()
        stored = rows(loaded_db, "SELECT share FROM estimate WHERE wave_id = %s AND indicator_code = %s AND "
                                 "option_code = %s AND government_level_code = 'all' AND sector_code = 'all'",
                      (wave_id(loaded_db), indicator, option))[0][0]
        assert share == pytest.approx(stored, abs=1e-9)


def test_parquet_keeps_codes_and_carries_the_labels_and_demo_flag(exported: dict[str, Path]) -> None:
    table = pq.read_table(exported["parquet"])
    meta = json.loads(table.schema.metadata[b"barometer"])
    assert meta["is_demo"] is True and meta["wave"] == WAVE and meta["lang"] == "da"
    assert meta["value_labels"]["partner_private_firms"] == {"1": "Ja", "0": "Nej"}
    sav, _ = pyreadstat.read_sav(str(exported["sav"]))
    frame = table.to_pandas()
    assert list(frame.columns) == list(sav.columns)
    assert frame["partner_private_firms"].equals(sav["partner_private_firms"])


def test_the_app_has_no_route_to_microdata(loaded_db: str, tmp_path: Path) -> None:
    from app.factory import create_app
    from core.config import Settings

    dash_app = create_app(loaded_db, settings=Settings(cache_dir=tmp_path / "cache", readonly_database_url=None))
    try:
        rules = [rule.rule for rule in dash_app.server.url_map.iter_rules()]
        assert not [r for r in rules if "microdata" in r or "respondent" in r]
        client = dash_app.server.test_client()
        for path in ("/api/v1/microdata", "/download/microdata.sav", "/download/DK-2018-19.sav",
                     "/api/v1/respondents"):
            assert client.get(path).status_code == 404
    finally:
        dash_app.server.extensions["barometer_db"].close()
    app_sources = "\n".join(p.read_text(encoding="utf-8") for p in Path("app").rglob("*.py"))
    assert "export_microdata" not in app_sources and "FROM respondent" not in app_sources
    assert "FROM answer" not in app_sources
