"""Migration 0008 drops the stored per-round Nordic average (Compare computes its averages per request); its
downgrade recreates the table and refills it from the estimates as the ETL of that time did."""

from __future__ import annotations

import psycopg
import pytest

from core.config import get_settings
from core.migrate import downgrade, upgrade
from etl.pipeline import run_etl


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_upgrade_drops_the_table_and_downgrade_refills_it_from_the_estimates(empty_db: str) -> None:
    assert "nordic_average" not in _tables(empty_db)
    run_etl(empty_db, settings=get_settings(), countries=["SE", "IS"])

    downgrade(empty_db, "0007")
    with psycopg.connect(empty_db) as conn:
        stored = conn.execute("SELECT countries::text[], share, ci_low, ci_high FROM nordic_average WHERE "
                              "nordic_round = 2018 AND indicator_code = 'innovative' AND option_code = 'yes' AND "
                              "government_level_code = 'all' AND sector_code = 'all'").fetchone()
        shares = conn.execute("SELECT e.share, e.n_effective FROM estimate e JOIN survey_wave w ON w.id = e.wave_id "
                              "WHERE w.nordic_round = 2018 AND e.indicator_code = 'innovative' AND "
                              "e.option_code = 'yes' AND e.government_level_code = 'all' AND e.sector_code = 'all' "
                              "ORDER BY w.country_code").fetchall()
    assert stored[0] == ["IS", "SE"] and len(shares) == 2
    mean = sum(p for p, _ in shares) / 2
    wald = sum(p * (1 - p) / n for p, n in shares) ** 0.5 / 2
    assert stored[1] == pytest.approx(mean, abs=1e-12)
    assert (stored[2], stored[3]) == pytest.approx((mean - 1.959963984540054 * wald,
                                                    mean + 1.959963984540054 * wald), abs=1e-12)

    upgrade(empty_db)
    assert "nordic_average" not in _tables(empty_db)
