"""Each wave stores the sampling design its codebook declares (strata, clusters, the sampling fraction with its
source), or NULL when none is declared: the API states per wave how its intervals were computed.

The stored estimates of a wave with a declared design change with this revision's ETL (a sampling fraction only
from a declared sample drawn, never from a response rate; n_eff capped at n without one; Korn-Graubard's
degrees-of-freedom adjustment); the changed codebooks make the next `barometer etl run` reload those waves.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-09
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE survey_wave ADD COLUMN design jsonb")


def downgrade() -> None:
    op.execute("ALTER TABLE survey_wave DROP COLUMN design")
