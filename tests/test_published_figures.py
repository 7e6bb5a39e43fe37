"""The demo microdata reproduce every published figure they can carry (calibrated ones within 1 point)."""

from __future__ import annotations

import psycopg
import pytest

from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.published import load_published_figures

FIGURES = load_published_figures(get_settings().published_figures_file, get_catalogue())
MAPPED = [f for f in FIGURES if f.indicator is not None]


def _estimate(conn: psycopg.Connection, figure, option: str | None = None):
    return conn.execute(
        """
        SELECT e.share FROM estimate e JOIN survey_wave w ON w.id = e.wave_id
        WHERE w.country_code = %s AND w.programme = %s AND w.wave_label = %s
          AND e.indicator_code = %s AND e.option_code = %s
          AND e.government_level_code = %s AND e.sector_code = %s
        """,
        (figure.country, figure.programme, figure.wave_label, figure.indicator, option or figure.option,
         figure.level, figure.sector),
    ).fetchone()


def _wave_loaded(conn: psycopg.Connection, figure) -> bool:
    return conn.execute(
        "SELECT 1 FROM survey_wave WHERE country_code = %s AND programme = %s AND wave_label = %s",
        (figure.country, figure.programme, figure.wave_label),
    ).fetchone() is not None


def test_every_calibration_target_belongs_to_a_loaded_wave(loaded_db: str) -> None:
    with psycopg.connect(loaded_db) as conn:
        orphans = [f.id for f in FIGURES if f.calibration_target is not None and not _wave_loaded(conn, f)]
    assert orphans == []


@pytest.mark.parametrize("figure", MAPPED, ids=lambda f: f.id)
def test_published_figure_is_reproduced(loaded_db: str, figure) -> None:
    if not figure.wave_stated:
        assert figure.calibration_target is None
        pytest.skip("the source names no wave: the figure is tied to no wave's microdata")
    with psycopg.connect(loaded_db) as conn:
        if not _wave_loaded(conn, figure):
            assert figure.calibration_target is None
            pytest.skip(f"no microdata for {figure.programme} {figure.wave_label} (published figure only)")
        row = _estimate(conn, figure)
        assert row is not None and row[0] is not None, "cell missing or suppressed"
        estimate_pct = row[0] * 100
        if figure.calibration_target is not None:
            assert abs(estimate_pct - figure.calibration_target) <= 1.0
        if figure.relation == "equal":
            assert abs(estimate_pct - figure.value_pct) <= 1.0
        elif figure.relation == "approx":
            assert abs(estimate_pct - figure.value_pct) <= 5.0
        elif figure.relation == "over":
            assert estimate_pct > figure.value_pct
        elif figure.relation == "under":
            assert estimate_pct < figure.value_pct
        else:  # top: the option ranks among the top_rank asked options of its indicator
            indicator = get_catalogue().indicators[figure.indicator]
            shares = {}
            for option in indicator.asked_options:
                other = _estimate(conn, figure, option)
                if other is not None and other[0] is not None:
                    shares[option] = other[0]
            ranked = sorted(shares, key=shares.get, reverse=True)
            assert ranked.index(figure.option) < figure.top_rank, ranked
