"""Cross-tabs declared in the catalogue stored in one generic table; countries carry their order, colour, tile.

The rows of type_value_estimate move into cross_tab_estimate as cross-tab 'type_value'. The stored catalogue
checksum is cleared, so the next `barometer etl run` writes the new country columns, the cross-tab
definitions and the cells of every other declared cross-tab.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# the cross-tab that table type_value_estimate held, and its code among the catalogue's cross-tabs
TYPE_VALUE = {"code": "type_value", "rows": "innovation_type", "columns": "value", "base": "innovative_units"}

SCHEMA = """
ALTER TABLE country
    ADD COLUMN sort_order integer,
    ADD COLUMN colour text CHECK (colour ~ '^#[0-9A-Fa-f]{6}$'),
    ADD COLUMN tile_row integer CHECK (tile_row > 0),
    ADD COLUMN tile_column integer CHECK (tile_column > 0);

CREATE TABLE cross_tab (
    code text PRIMARY KEY,
    row_indicator text NOT NULL REFERENCES indicator,
    column_indicator text NOT NULL REFERENCES indicator,
    base text NOT NULL,
    sort_order integer NOT NULL,
    UNIQUE (code, row_indicator, column_indicator)
);

-- One row per wave x cross-tab x level x sector x row option x column option: among the units of the base
-- that chose the row option (and answered the column item), the weighted share that chose the column option.
CREATE TABLE cross_tab_estimate (
    wave_id integer NOT NULL REFERENCES survey_wave ON DELETE CASCADE,
    cross_tab_code text NOT NULL,
    government_level_code text NOT NULL REFERENCES government_level,
    sector_code text NOT NULL REFERENCES sector,
    row_indicator text NOT NULL,
    row_option text NOT NULL,
    column_indicator text NOT NULL,
    column_option text NOT NULL,
    n_unweighted integer NOT NULL CHECK (n_unweighted > 0),
    n_effective double precision NOT NULL,
    share double precision CHECK (share BETWEEN 0 AND 1),
    ci_low double precision,
    ci_high double precision,
    suppressed boolean NOT NULL,
    suppression text CHECK (suppression IN ('primary', 'complementary')),
    PRIMARY KEY (wave_id, cross_tab_code, row_option, column_option, government_level_code, sector_code),
    FOREIGN KEY (cross_tab_code, row_indicator, column_indicator)
        REFERENCES cross_tab (code, row_indicator, column_indicator) ON UPDATE CASCADE ON DELETE CASCADE,
    FOREIGN KEY (row_indicator, row_option) REFERENCES indicator_option (indicator_code, option_code),
    FOREIGN KEY (column_indicator, column_option) REFERENCES indicator_option (indicator_code, option_code),
    CHECK ((suppressed AND share IS NULL AND ci_low IS NULL AND ci_high IS NULL AND suppression IS NOT NULL)
           OR (NOT suppressed AND share IS NOT NULL AND ci_low IS NOT NULL AND ci_high IS NOT NULL
               AND suppression IS NULL))
);
"""

CELLS = ("government_level_code, sector_code, n_unweighted, n_effective, share, ci_low, ci_high, suppressed, "
         "suppression")


def _revision_0002():
    """Migration 0002's module (its table definition is what downgrade restores)."""
    path = Path(__file__).with_name("0002_type_value_estimate.py")
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute(
        """
        INSERT INTO cross_tab (code, row_indicator, column_indicator, base, sort_order)
        SELECT '{code}', '{rows}', '{columns}', '{base}', 0
        WHERE EXISTS (SELECT 1 FROM type_value_estimate)
        """.format(**TYPE_VALUE)
    )
    op.execute(
        f"""
        INSERT INTO cross_tab_estimate (wave_id, cross_tab_code, row_indicator, row_option, column_indicator,
                                        column_option, {CELLS})
        SELECT wave_id, '{TYPE_VALUE["code"]}', indicator_type, type_code, indicator_value, value_code, {CELLS}
        FROM type_value_estimate
        """
    )
    op.execute("DROP TABLE type_value_estimate")
    op.execute("DELETE FROM load_meta WHERE key = 'catalogue_sha256'")


def downgrade() -> None:
    op.execute(_revision_0002().SCHEMA)
    op.execute(
        f"""
        INSERT INTO type_value_estimate (wave_id, type_code, value_code, {CELLS})
        SELECT wave_id, row_option, column_option, {CELLS}
        FROM cross_tab_estimate
        WHERE cross_tab_code = '{TYPE_VALUE["code"]}'
        """
    )
    op.execute("DROP TABLE cross_tab_estimate")
    op.execute("DROP TABLE cross_tab")
    op.execute("ALTER TABLE country DROP COLUMN sort_order, DROP COLUMN colour, DROP COLUMN tile_row, "
               "DROP COLUMN tile_column")
    op.execute("DELETE FROM load_meta WHERE key = 'catalogue_sha256'")
