"""A cross-tab added to the catalogue's YAML reaches Types x values with no change to the code: the ETL computes
it, the control lists it and ?crosstab= shows its stored cells."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import yaml

from app.factory import create_app
from core.config import Settings, get_settings
from etl.pipeline import run_etl
from tests.app.conftest import app_settings
from tests.app.drawing import by_id, draw

ADDED = {"driver_value": {"rows": "driver", "columns": "value", "base": "innovative_units"}}


def data_with_an_added_cross_tab(target: Path) -> Path:
    """The bundled data folder with one more cross-tab declared in indicators.yaml."""
    shutil.copytree(get_settings().data_dir, target)
    indicators = target / "catalogue" / "indicators.yaml"
    catalogue = yaml.safe_load(indicators.read_text(encoding="utf-8"))
    catalogue["cross_tabs"] = {**catalogue["cross_tabs"], **ADDED}
    indicators.write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def test_a_cross_tab_added_in_yaml_is_listed_and_shown(empty_db: str, tmp_path: Path) -> None:
    data_dir = data_with_an_added_cross_tab(tmp_path / "data")
    run_etl(empty_db, countries=["SE"], settings=Settings(data_dir=data_dir, cache_dir=tmp_path / "etl-cache"))
    with psycopg.connect(empty_db) as conn:
        stored = conn.execute("SELECT t.row_option, t.column_option, t.share, t.n_unweighted "
                              "FROM cross_tab_estimate t WHERE t.cross_tab_code = 'driver_value' "
                              "AND t.government_level_code = 'all' AND t.sector_code = 'all' "
                              "AND NOT t.suppressed").fetchall()
    assert stored  # Sweden 2018 asked both questions
    app = create_app(empty_db, settings=app_settings(tmp_path, data_dir=data_dir))
    try:
        control = by_id(draw(app, "/en/types-values"), "tv-crosstab")
        assert [o["value"] for o in control.options] == ["type_value", "type_partner", "driver_value"]
        assert control.options[-1]["label"] == "Initiators and drivers × Values achieved by the latest innovation"

        body = app.server.test_client().get("/api/v1/types-values?crosstab=driver_value").get_json()
        shown = {(r["type_code"], r["value_code"], r["share_pct"], r["n"]) for r in body["data"]
                 if r["type_code"] != "all_innovative" and r["status"] == "ok"}
        assert shown == {(row, column, share * 100, n) for row, column, share, n in stored}
    finally:
        app.server.extensions["barometer_db"].close()
