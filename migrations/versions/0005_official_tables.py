"""Official statistics tables (e.g. Statistics Denmark's OIN01DK): their provenance and harmonised cells.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# A third kind of data beside published figures and survey estimates: cells of tables published by a
# statistics office, loaded from a snapshot (raw file + provenance). No CI unless the table publishes one.
SCHEMA = """
CREATE TABLE official_table (
    id serial PRIMARY KEY,
    table_id text NOT NULL UNIQUE,
    country_code char(2) NOT NULL REFERENCES country,
    publisher text NOT NULL,
    title_en text NOT NULL,
    -- statbank / pxweb: downloaded through the publisher's API; transcription: typed by hand from a publication
    obtained_by text NOT NULL CHECK (obtained_by IN ('statbank', 'pxweb', 'transcription')),
    file_format text NOT NULL CHECK (file_format IN ('px', 'jsonstat', 'statbank_bulk')),
    snapshot_path text NOT NULL,
    source_url text NOT NULL,
    retrieved_at timestamptz NOT NULL,
    sha256 char(64) NOT NULL,
    mapping_path text NOT NULL,
    mapping_sha256 char(64) NOT NULL,
    unit text NOT NULL,
    measure text NOT NULL CHECK (measure IN ('share', 'count')),
    licence text NOT NULL,
    licence_url text,
    citation text NOT NULL,
    note text,
    loaded_at timestamptz NOT NULL
);

CREATE TABLE official_value (
    official_table_id integer NOT NULL REFERENCES official_table ON DELETE CASCADE,
    wave_label text NOT NULL,
    government_level_code text NOT NULL REFERENCES government_level,
    sector_code text NOT NULL REFERENCES sector,
    size_band_code text NOT NULL,  -- 'all' or a size_band code (checked through size_band_ref)
    size_band_ref text GENERATED ALWAYS AS (NULLIF(size_band_code, 'all')) STORED REFERENCES size_band,
    indicator_code text NOT NULL,
    option_code text NOT NULL,
    -- share: a fraction 0..1 (a published 80 % is 0.8); count: as published
    value double precision,
    ci_low double precision,
    ci_high double precision,
    -- the publisher's symbol where the table has no figure (e.g. '..')
    status text,
    PRIMARY KEY (official_table_id, wave_label, indicator_code, option_code, government_level_code, sector_code,
                 size_band_code),
    FOREIGN KEY (indicator_code, option_code) REFERENCES indicator_option,
    CHECK ((value IS NULL) = (status IS NOT NULL)),
    CHECK ((ci_low IS NULL) = (ci_high IS NULL)),
    CHECK (ci_low IS NULL OR (value IS NOT NULL AND ci_low <= value AND value <= ci_high))
);
CREATE INDEX official_value_view_idx ON official_value (indicator_code, option_code, government_level_code);
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS official_value")
    op.execute("DROP TABLE IF EXISTS official_table")
