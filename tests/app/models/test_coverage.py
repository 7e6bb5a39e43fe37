"""Coverage: /api/v1/coverage's counts equal a recomputation straight from the published figures file, the
official tables and the loaded waves; the README states the number of views with real figures."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from core.config import PROJECT_ROOT, get_settings
from etl.catalogue import get_catalogue
from etl.published import load_published_figures

pytestmark = pytest.mark.db

CATALOGUE = get_catalogue()
FIGURES = load_published_figures(get_settings().published_figures_file, CATALOGUE)
MEASURES = [(code, option) for code, indicator in CATALOGUE.indicators.items() for option in indicator.option_codes]


def _recomputed(loaded_db: str) -> dict:
    """The counts from the YAML (figures with a measure and a value or a rank), the loaded official values
    and the loaded waves, without the app's code."""
    real: dict[tuple[str, str], set[str]] = {m: set() for m in MEASURES}
    at_all = [f for f in FIGURES if f.indicator and (f.value_pct is not None or f.relation == "top")
              and (f.level, f.sector) == ("all", "all")]
    narrower = [f for f in FIGURES if f.indicator and (f.value_pct is not None or f.relation == "top")
                and (f.level, f.sector) != ("all", "all")]
    for f in at_all:
        real[(f.indicator, f.option)].add(f.country)
    with psycopg.connect(loaded_db) as conn:
        official = conn.execute(
            "SELECT t.country_code, v.indicator_code, v.option_code, v.government_level_code, v.sector_code "
            "FROM official_value v JOIN official_table t ON t.id = v.official_table_id "
            "WHERE v.value IS NOT NULL AND v.size_band_code = 'all' AND t.measure = 'share'").fetchall()
        demo_cells = conn.execute(
            "SELECT DISTINCT w.country_code, w.wave_label, e.indicator_code, e.option_code FROM estimate e "
            "JOIN survey_wave w ON w.id = e.wave_id WHERE w.is_demo AND e.government_level_code = 'all' "
            "AND e.sector_code = 'all'").fetchall()
    for country, indicator, option, level, sector in official:
        if (level, sector) == ("all", "all"):
            real[(indicator, option)].add(country)
    return {"views": len(MEASURES), "real": sum(1 for c in real.values() if c),
            "two": sum(1 for c in real.values() if len(c) >= 2), "published": len(at_all),
            "breakdown": len(narrower) + sum(1 for *_, level, sector in official if (level, sector) != ("all", "all")),
            "official": sum(1 for *_, level, sector in official if (level, sector) == ("all", "all")),
            "by_country": {c: sum(1 for countries in real.values() if c in countries) for c in CATALOGUE.countries},
            "demo_cells": {tuple(row) for row in demo_cells}}


def test_coverage_counts_equal_a_recomputation_from_the_yaml_and_the_loaded_waves(client, loaded_db: str) -> None:
    answer = client.get("/api/v1/coverage").get_json()
    summary, expected = answer["summary"], _recomputed(loaded_db)
    assert summary["views"] == expected["views"] == 46
    assert summary["views_with_real_figures"] == expected["real"]
    assert summary["views_with_real_figures_two_or_more_countries"] == expected["two"]
    assert summary["published_figures"] == expected["published"]
    assert summary["breakdown_figures"] == expected["breakdown"]
    assert summary["official_values"] == expected["official"]
    assert summary["views_with_real_figures_by_country"] == expected["by_country"]
    # every mapped figure of the whole public sector is in its cell, and a demo cell is a loaded demo wave's
    cells = answer["cells"]
    listed = {i for c in cells for i in c["published_figures"]}
    assert listed == {f.id for f in FIGURES if f.indicator and (f.value_pct is not None or f.relation == "top")
                      and (f.level, f.sector) == ("all", "all")}
    for cell in cells:
        if cell["kind"] == "demo":
            assert (cell["country"], cell["wave_label"], cell["indicator"], cell["option"]) in expected["demo_cells"]
            assert not cell["published_figures"] and not cell["official_tables"]


def test_published_only_waves_are_cells_and_lead_to_their_figures(client) -> None:
    cells = client.get("/api/v1/coverage?lang=nb").get_json()["cells"]
    iceland = next(c for c in cells if (c["country"], c["wave_label"], c["indicator"], c["option"])
                   == ("IS", "2023", "innovative", "yes"))
    # the 2023 wave asked state institutions only: a real figure of one level, and its view opens on that level
    assert iceland["kind"] == "breakdown" and iceland["estimates"] is None
    assert iceland["breakdown_figures"] == [{"id": "is-2023-innovative-state", "level": "state", "sector": "all"}]
    assert iceland["url"].startswith("/nb/compare?") and "level=state" in iceland["url"]
    assert "source=published" in iceland["url"] and "countries=IS" in iceland["url"]


def test_the_readme_reports_the_views_with_real_figures(client) -> None:
    summary = client.get("/api/v1/coverage").get_json()["summary"]
    readme = Path(PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    two, views = summary["views_with_real_figures_two_or_more_countries"], summary["views"]
    assert f"{two} of the {views} views" in readme
