"""Waves known from publications (data/published/waves.yaml): published-only waves (results published, no
microdata here) and announced ones (method only), with what their sources state (responses, sample, population,
response rate), and the facts sources add to waves that have microdata. The ETL fills both tables from the file.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE known_wave (
    id integer PRIMARY KEY,
    country_code char(2) NOT NULL REFERENCES country,
    programme text NOT NULL,
    wave_label text NOT NULL,
    -- microdata: a codebook is loaded for it; published: results published, no microdata; announced: method only
    status text NOT NULL CHECK (status IN ('microdata', 'published', 'announced')),
    government_level_code text REFERENCES government_level,
    unit_of_observation text REFERENCES unit_of_observation,
    reference_period text,
    fieldwork text,
    results text,
    citation text,
    source_url text,
    note text,
    conflicts text,
    UNIQUE (country_code, programme, wave_label)
);
CREATE TABLE known_wave_fact (
    known_wave_id integer NOT NULL REFERENCES known_wave ON DELETE CASCADE,
    sort_order smallint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('responses', 'asked', 'population', 'response_rate')),
    value double precision NOT NULL CHECK (value >= 0),
    relation text NOT NULL CHECK (relation IN ('equal', 'approx')),
    citation text NOT NULL,
    source_url text NOT NULL,
    quote text,
    note text,
    PRIMARY KEY (known_wave_id, sort_order)
);
DELETE FROM load_meta WHERE key = 'published_sha256';
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("DROP TABLE known_wave_fact; DROP TABLE known_wave")
