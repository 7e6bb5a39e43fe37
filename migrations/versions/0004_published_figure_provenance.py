"""Published figures carry what they measure as published: unit, scope, the wave as the source words it
(or that it names none), and the verbatim quote.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-30
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# wave_label becomes NULL where the source names no wave: such a figure is never matched to a wave's row.
# Existing rows keep their values; unit defaults to 'workplaces' until the next load of the figures file
# (load_meta's checksum is cleared so that the next ETL run reloads it).
UPGRADE = """
ALTER TABLE published_estimate ALTER COLUMN wave_label DROP NOT NULL;
ALTER TABLE published_estimate
    ADD COLUMN wave_as_published text,
    ADD COLUMN unit text NOT NULL DEFAULT 'workplaces'
        CHECK (unit IN ('workplaces', 'units', 'organisations', 'innovations', 'evaluations', 'other')),
    ADD COLUMN scope text,
    ADD COLUMN quote text;
ALTER TABLE published_estimate ALTER COLUMN unit DROP DEFAULT;
DELETE FROM load_meta WHERE key = 'published_sha256';
"""

DOWNGRADE = """
DELETE FROM published_estimate WHERE wave_label IS NULL;
ALTER TABLE published_estimate DROP COLUMN wave_as_published, DROP COLUMN unit, DROP COLUMN scope,
    DROP COLUMN quote;
ALTER TABLE published_estimate ALTER COLUMN wave_label SET NOT NULL;
DELETE FROM load_meta WHERE key = 'published_sha256';
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
