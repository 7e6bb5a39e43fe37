"""Codebook texts in six languages: comparability notes, wave descriptions, harmonised questions; response rates.

A note or description written by this project (not a question wording, which is quoted as published) is kept
per language; English is always there and is what a page shows where a translation is missing. The English
notes move from comparability_note.note_en into comparability_note_text. survey_wave keeps its English
reference period, population and licence (the API's fields) and gains the response rate a source states,
with that source.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE comparability_note_text (
    note_id integer NOT NULL REFERENCES comparability_note ON DELETE CASCADE,
    lang text NOT NULL REFERENCES language,
    text text NOT NULL CHECK (text <> ''),
    PRIMARY KEY (note_id, lang)
);
INSERT INTO comparability_note_text (note_id, lang, text) SELECT id, 'en', note_en FROM comparability_note;
ALTER TABLE comparability_note DROP COLUMN note_en;

-- the wave's own descriptions, per language (English as in survey_wave)
CREATE TABLE survey_wave_text (
    wave_id integer NOT NULL REFERENCES survey_wave ON DELETE CASCADE,
    field text NOT NULL CHECK (field IN ('reference_period', 'population', 'licence', 'response_rate_of')),
    lang text NOT NULL REFERENCES language,
    text text NOT NULL CHECK (text <> ''),
    PRIMARY KEY (wave_id, field, lang)
);
INSERT INTO survey_wave_text (wave_id, field, lang, text)
    SELECT id, 'reference_period', 'en', reference_period FROM survey_wave
    UNION ALL SELECT id, 'population', 'en', population FROM survey_wave
    UNION ALL SELECT id, 'licence', 'en', licence FROM survey_wave;

-- only where a source states it, always with that source
ALTER TABLE survey_wave
    ADD COLUMN response_rate_pct double precision CHECK (response_rate_pct > 0 AND response_rate_pct <= 100),
    ADD COLUMN response_rate_citation text,
    ADD COLUMN response_rate_url text,
    ADD CONSTRAINT survey_wave_response_rate_cited CHECK (
        (response_rate_pct IS NULL AND response_rate_citation IS NULL AND response_rate_url IS NULL)
        OR (response_rate_pct IS NOT NULL AND response_rate_citation IS NOT NULL AND response_rate_url IS NOT NULL));

-- the harmonised question of each indicator, in six languages, beside its other labels
ALTER TABLE label DROP CONSTRAINT label_kind_check;
ALTER TABLE label ADD CONSTRAINT label_kind_check CHECK (kind IN (
    'country', 'government_level', 'sector', 'size_band', 'unit_of_observation', 'topic', 'indicator', 'option',
    'question'));

-- the next ETL run writes the translations: it reloads the catalogue (questions) and every wave (notes, texts)
DELETE FROM load_meta WHERE key = 'catalogue_sha256';
UPDATE codebook SET sha256 = repeat('0', 64);
"""

DOWNGRADE = """
DELETE FROM label WHERE kind = 'question';
ALTER TABLE label DROP CONSTRAINT label_kind_check;
ALTER TABLE label ADD CONSTRAINT label_kind_check CHECK (kind IN (
    'country', 'government_level', 'sector', 'size_band', 'unit_of_observation', 'topic', 'indicator', 'option'));

ALTER TABLE survey_wave DROP CONSTRAINT survey_wave_response_rate_cited,
    DROP COLUMN response_rate_pct, DROP COLUMN response_rate_citation, DROP COLUMN response_rate_url;
DROP TABLE survey_wave_text;

ALTER TABLE comparability_note ADD COLUMN note_en text;
UPDATE comparability_note n SET note_en = t.text
    FROM comparability_note_text t WHERE t.note_id = n.id AND t.lang = 'en';
ALTER TABLE comparability_note ALTER COLUMN note_en SET NOT NULL;
DROP TABLE comparability_note_text;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
