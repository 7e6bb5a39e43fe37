"""The Nordic average is no longer stored: Compare averages exactly the bars it shows, per request, from the
estimates (app/models/differences.py), and the whole-dataset package computes each round's average the same
way. The stored per-round table (Wald standard errors, zero at 0% or 100%) had no reader left.

Nothing moves: the table held only values derived from ``estimate``. The downgrade recreates it and refills it
from the estimates as the ETL of that time did, so the older code finds what it expects.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = """
CREATE TABLE nordic_average (
    nordic_round integer NOT NULL,
    government_level_code text NOT NULL REFERENCES government_level,
    sector_code text NOT NULL REFERENCES sector,
    indicator_code text NOT NULL,
    option_code text NOT NULL,
    countries char(2)[] NOT NULL,
    share double precision NOT NULL,
    ci_low double precision NOT NULL,
    ci_high double precision NOT NULL,
    PRIMARY KEY (nordic_round, indicator_code, option_code, government_level_code, sector_code),
    FOREIGN KEY (indicator_code, option_code) REFERENCES indicator_option
);
"""
# the ETL's refresh of that time (z of a 95% interval; at least two countries)
REFILL = """
INSERT INTO nordic_average (nordic_round, government_level_code, sector_code, indicator_code, option_code,
                            countries, share, ci_low, ci_high)
SELECT w.nordic_round, e.government_level_code, e.sector_code, e.indicator_code, e.option_code,
       array_agg(w.country_code ORDER BY w.country_code),
       avg(e.share),
       greatest(0.0, avg(e.share) - 1.959963984540054 * sqrt(sum(e.share * (1 - e.share) / e.n_effective)) / count(*)),
       least(1.0, avg(e.share) + 1.959963984540054 * sqrt(sum(e.share * (1 - e.share) / e.n_effective)) / count(*))
FROM estimate e
JOIN survey_wave w ON w.id = e.wave_id
WHERE w.nordic_round IS NOT NULL AND NOT e.suppressed
GROUP BY w.nordic_round, e.government_level_code, e.sector_code, e.indicator_code, e.option_code
HAVING count(*) >= 2
"""


def upgrade() -> None:
    op.execute("DROP TABLE IF EXISTS nordic_average")


def downgrade() -> None:
    op.execute(TABLE)
    op.execute(REFILL)
