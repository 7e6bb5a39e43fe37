"""The Nordic average is the simple mean of the unsuppressed country shares of its round."""

from __future__ import annotations

import math

import psycopg

from core.config import get_settings
from etl.pipeline import run_etl


def test_nordic_average_is_mean_of_country_shares(loaded_db: str) -> None:
    assert_averages_are_means_of_country_shares(loaded_db)


def test_a_run_of_one_country_leaves_the_average_of_every_loaded_country(empty_db: str) -> None:
    settings = get_settings()
    run_etl(empty_db, codebook_paths=[settings.codebook_dir / "se" / "2018.yaml"], settings=settings)
    run_etl(empty_db, countries=["DK"], settings=settings)
    assert_averages_are_means_of_country_shares(empty_db)
    with psycopg.connect(empty_db) as conn:
        rounds = conn.execute("SELECT DISTINCT nordic_round, countries FROM nordic_average").fetchall()
    assert rounds == [(2018, ["DK", "SE"])]  # the DK run kept Sweden in; round 2021 has Denmark alone


def assert_averages_are_means_of_country_shares(url: str) -> None:
    z = get_settings().confidence_z
    with psycopg.connect(url) as conn:
        averages = conn.execute(
            "SELECT nordic_round, government_level_code, sector_code, indicator_code, option_code, countries, "
            "share, ci_low, ci_high FROM nordic_average"
        ).fetchall()
        assert averages, "no Nordic average computed"
        for round_, level, sector, indicator, option, countries, share, low, high in averages:
            inputs = conn.execute(
                """
                SELECT w.country_code, e.share, e.n_effective FROM estimate e JOIN survey_wave w ON w.id = e.wave_id
                WHERE w.nordic_round = %s AND e.government_level_code = %s AND e.sector_code = %s
                  AND e.indicator_code = %s AND e.option_code = %s AND NOT e.suppressed
                ORDER BY w.country_code
                """,
                (round_, level, sector, indicator, option),
            ).fetchall()
            assert [c for c, _, _ in inputs] == [c.strip() for c in countries]
            assert len(inputs) >= 2
            mean = sum(s for _, s, _ in inputs) / len(inputs)
            half = z * math.sqrt(sum(s * (1 - s) / n for _, s, n in inputs)) / len(inputs)
            assert math.isclose(share, mean, abs_tol=1e-12)
            assert math.isclose(low, max(0.0, mean - half), abs_tol=1e-12)
            assert math.isclose(high, min(1.0, mean + half), abs_tol=1e-12)


def test_suppressed_country_cells_never_enter_the_average(loaded_db: str) -> None:
    with psycopg.connect(loaded_db) as conn:
        leaks = conn.execute(
            """
            SELECT count(*) FROM nordic_average a
            JOIN survey_wave w ON w.nordic_round = a.nordic_round AND w.country_code = ANY(a.countries)
            JOIN estimate e ON e.wave_id = w.id AND e.indicator_code = a.indicator_code
                 AND e.option_code = a.option_code AND e.government_level_code = a.government_level_code
                 AND e.sector_code = a.sector_code
            WHERE e.suppressed
            """
        ).fetchone()[0]
    assert leaks == 0
