"""The Nordic average of each comparison round.

Method: the simple (unweighted) mean of the country shares in the round, so that each country counts once
whatever its size or sample. Suppressed country cells are left out (never imputed), and an average needs at
least two countries. Its 95% interval treats the country estimates as independent:
mean +/- z * sqrt(sum(se_i^2)) / k, with se_i = sqrt(p_i (1 - p_i) / n_eff_i), clipped to [0, 1].
"""

from __future__ import annotations

import psycopg

MIN_COUNTRIES = 2


def refresh_nordic_average(conn: psycopg.Connection, z: float) -> int:
    """Recompute the whole nordic_average table from the estimates, inside the caller's transaction.

    Called once per run, after all its waves are loaded, so it also covers the waves other runs loaded.
    """
    # two runs may overlap: one refresh at a time, each seeing the waves committed before it
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('barometer-nordic-average'))")
    conn.execute("DELETE FROM nordic_average")
    cur = conn.execute(
        """
        INSERT INTO nordic_average (nordic_round, government_level_code, sector_code, indicator_code,
                                    option_code, countries, share, ci_low, ci_high)
        SELECT w.nordic_round, e.government_level_code, e.sector_code, e.indicator_code, e.option_code,
               array_agg(w.country_code ORDER BY w.country_code),
               avg(e.share),
               greatest(0.0, avg(e.share) - %(z)s * sqrt(sum(e.share * (1 - e.share) / e.n_effective)) / count(*)),
               least(1.0, avg(e.share) + %(z)s * sqrt(sum(e.share * (1 - e.share) / e.n_effective)) / count(*))
        FROM estimate e
        JOIN survey_wave w ON w.id = e.wave_id
        WHERE w.nordic_round IS NOT NULL AND NOT e.suppressed
        GROUP BY w.nordic_round, e.government_level_code, e.sector_code, e.indicator_code, e.option_code
        HAVING count(*) >= %(k)s
        """,
        {"z": z, "k": MIN_COUNTRIES},
    )
    return cur.rowcount
