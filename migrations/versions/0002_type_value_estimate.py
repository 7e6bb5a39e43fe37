"""Precomputed cross-tab of innovation type x value achieved, so the app never reads microdata.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# One row per wave x level x sector x innovation type x value: among the units that introduced that type
# of innovation (and answered the value item about their latest innovation), the weighted share whose
# latest innovation achieved that value. Same statistics and suppression rules as table estimate.
SCHEMA = """
CREATE TABLE type_value_estimate (
    wave_id integer NOT NULL REFERENCES survey_wave ON DELETE CASCADE,
    government_level_code text NOT NULL REFERENCES government_level,
    sector_code text NOT NULL REFERENCES sector,
    type_code text NOT NULL,
    value_code text NOT NULL,
    n_unweighted integer NOT NULL CHECK (n_unweighted > 0),
    n_effective double precision NOT NULL,
    share double precision CHECK (share BETWEEN 0 AND 1),
    ci_low double precision,
    ci_high double precision,
    suppressed boolean NOT NULL,
    suppression text CHECK (suppression IN ('primary', 'complementary')),
    indicator_type text NOT NULL DEFAULT 'innovation_type' CHECK (indicator_type = 'innovation_type'),
    indicator_value text NOT NULL DEFAULT 'value' CHECK (indicator_value = 'value'),
    PRIMARY KEY (wave_id, type_code, value_code, government_level_code, sector_code),
    FOREIGN KEY (indicator_type, type_code) REFERENCES indicator_option (indicator_code, option_code),
    FOREIGN KEY (indicator_value, value_code) REFERENCES indicator_option (indicator_code, option_code),
    CHECK ((suppressed AND share IS NULL AND ci_low IS NULL AND ci_high IS NULL AND suppression IS NOT NULL)
           OR (NOT suppressed AND share IS NOT NULL AND ci_low IS NOT NULL AND ci_high IS NOT NULL
               AND suppression IS NULL))
);
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS type_value_estimate")
