"""Harmonised schema: reference dimensions, survey waves with provenance, microdata, estimates.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Reference data (countries, levels, sectors, indicators and their labels) is filled by the ETL from
# data/catalogue/*.yaml so that labels stay data, not code.
SCHEMA = """
CREATE TABLE language (
    code text PRIMARY KEY CHECK (code IN ('en', 'nb', 'da', 'sv', 'fi', 'is'))
);

CREATE TABLE country (
    code char(2) PRIMARY KEY,
    name_native text NOT NULL
);

CREATE TABLE government_level (
    code text PRIMARY KEY,
    sort_order smallint NOT NULL
);

CREATE TABLE sector (
    code text PRIMARY KEY,
    sort_order smallint NOT NULL
);

CREATE TABLE size_band (
    code text PRIMARY KEY,
    sort_order smallint NOT NULL
);

CREATE TABLE unit_of_observation (
    code text PRIMARY KEY
);

CREATE TABLE topic (
    code text PRIMARY KEY,
    sort_order smallint NOT NULL
);

CREATE TABLE indicator (
    code text PRIMARY KEY,
    topic_code text NOT NULL REFERENCES topic,
    response_type text NOT NULL CHECK (response_type IN ('single', 'multiple')),
    base text NOT NULL CHECK (base IN ('all_units', 'innovative_units')),
    derivation text,
    question_en text NOT NULL,
    sort_order smallint NOT NULL
);

CREATE TABLE indicator_option (
    indicator_code text NOT NULL REFERENCES indicator,
    option_code text NOT NULL,
    derivation text,
    sort_order smallint NOT NULL,
    PRIMARY KEY (indicator_code, option_code)
);

-- Translated labels of every harmonised code, one row per (kind, code, language).
CREATE TABLE label (
    kind text NOT NULL CHECK (kind IN ('country', 'government_level', 'sector', 'size_band',
                                       'unit_of_observation', 'topic', 'indicator', 'option')),
    code text NOT NULL,
    lang text NOT NULL REFERENCES language,
    text text NOT NULL,
    PRIMARY KEY (kind, code, lang)
);

CREATE TABLE survey_wave (
    id serial PRIMARY KEY,
    country_code char(2) NOT NULL REFERENCES country,
    programme text NOT NULL,
    publisher text NOT NULL,
    wave_label text NOT NULL,
    reference_period text NOT NULL,
    fieldwork_start date,
    fieldwork_end date,
    unit_of_observation text NOT NULL REFERENCES unit_of_observation,
    population text NOT NULL,
    invited integer CHECK (invited > 0),
    responded integer CHECK (responded > 0),
    nordic_round integer,
    citation text NOT NULL,
    source_url text NOT NULL,
    licence text NOT NULL,
    is_demo boolean NOT NULL,
    UNIQUE (country_code, programme, wave_label)
);

CREATE TABLE codebook (
    wave_id integer PRIMARY KEY REFERENCES survey_wave ON DELETE CASCADE,
    path text NOT NULL,
    sha256 char(64) NOT NULL
);

CREATE TABLE source_file (
    id serial PRIMARY KEY,
    wave_id integer NOT NULL UNIQUE REFERENCES survey_wave ON DELETE CASCADE,
    path text NOT NULL,
    file_format text NOT NULL CHECK (file_format IN ('sav', 'xlsx', 'csv')),
    encoding text,
    sha256 char(64) NOT NULL,
    rows integer NOT NULL CHECK (rows > 0),
    loaded_at timestamptz NOT NULL,
    -- minimum cell size in force when this file's estimates were computed
    min_cell_n integer NOT NULL CHECK (min_cell_n > 0)
);

-- National labels and how each maps onto a harmonised code, per wave.
CREATE TABLE national_label (
    wave_id integer NOT NULL REFERENCES survey_wave ON DELETE CASCADE,
    dimension text NOT NULL CHECK (dimension IN ('government_level', 'sector', 'size_band')),
    national_value text NOT NULL,
    harmonised_code text NOT NULL,
    PRIMARY KEY (wave_id, dimension, national_value)
);

-- Exact national wording of each question and item, per wave.
CREATE TABLE question_wording (
    wave_id integer NOT NULL REFERENCES survey_wave ON DELETE CASCADE,
    indicator_code text NOT NULL REFERENCES indicator,
    option_code text NOT NULL DEFAULT '',
    national_variable text NOT NULL,
    national_wording text NOT NULL,
    PRIMARY KEY (wave_id, indicator_code, option_code)
);

CREATE TABLE comparability_note (
    id serial PRIMARY KEY,
    wave_id integer NOT NULL REFERENCES survey_wave ON DELETE CASCADE,
    aspect text NOT NULL CHECK (aspect IN ('unit', 'wording', 'period', 'population', 'method', 'coverage')),
    indicator_code text REFERENCES indicator,
    note_en text NOT NULL
);

CREATE TABLE respondent (
    wave_id integer NOT NULL REFERENCES survey_wave ON DELETE CASCADE,
    national_id text NOT NULL,
    government_level_code text NOT NULL REFERENCES government_level,
    sector_code text REFERENCES sector,
    size_band_code text REFERENCES size_band,
    weight double precision NOT NULL CHECK (weight > 0 AND weight < 'Infinity'),
    PRIMARY KEY (wave_id, national_id)
);

-- One row per respondent and item answered; 'selected' says whether the option was chosen.
-- References to respondent and indicator_option are checked by the loader on the whole wave before COPY
-- (etl/load.py) instead of by row-level foreign-key triggers, which would quadruple the load time.
CREATE TABLE answer (
    wave_id integer NOT NULL,
    national_id text NOT NULL,
    indicator_code text NOT NULL,
    option_code text NOT NULL,
    selected boolean NOT NULL,
    PRIMARY KEY (wave_id, indicator_code, option_code, national_id)
);

-- Weighted estimates precomputed at load time: the only thing the app reads about microdata.
-- 'all' rows in government_level / sector stand for the total over that dimension.
CREATE TABLE estimate (
    wave_id integer NOT NULL REFERENCES survey_wave ON DELETE CASCADE,
    government_level_code text NOT NULL REFERENCES government_level,
    sector_code text NOT NULL REFERENCES sector,
    indicator_code text NOT NULL,
    option_code text NOT NULL,
    n_unweighted integer NOT NULL CHECK (n_unweighted > 0),
    n_effective double precision NOT NULL,
    share double precision CHECK (share BETWEEN 0 AND 1),
    ci_low double precision,
    ci_high double precision,
    suppressed boolean NOT NULL,
    suppression text CHECK (suppression IN ('primary', 'complementary')),
    PRIMARY KEY (wave_id, indicator_code, option_code, government_level_code, sector_code),
    FOREIGN KEY (indicator_code, option_code) REFERENCES indicator_option,
    -- a suppressed cell keeps no value at all, so nothing can leak from it
    CHECK ((suppressed AND share IS NULL AND ci_low IS NULL AND ci_high IS NULL AND suppression IS NOT NULL)
           OR (NOT suppressed AND share IS NOT NULL AND ci_low IS NOT NULL AND ci_high IS NOT NULL
               AND suppression IS NULL))
);
CREATE INDEX estimate_view_idx ON estimate (indicator_code, government_level_code, sector_code);

-- Nordic average per comparison round: simple mean of the country shares that are not suppressed.
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

-- Figures transcribed from national publications, kept apart from estimates computed from microdata.
CREATE TABLE published_estimate (
    id text PRIMARY KEY,
    country_code char(2) NOT NULL REFERENCES country,
    programme text NOT NULL,
    wave_label text NOT NULL,
    wave_id integer REFERENCES survey_wave ON DELETE SET NULL,
    government_level_code text NOT NULL REFERENCES government_level,
    sector_code text NOT NULL REFERENCES sector,
    indicator_code text,
    option_code text,
    measure_en text NOT NULL,
    value_pct double precision CHECK (value_pct BETWEEN 0 AND 100),
    -- equal: the figure as printed; approx: "about"; over/under: "over"/"almost"; top: the option ranks
    -- among the top_rank options of its indicator ("the main value is ...")
    relation text NOT NULL CHECK (relation IN ('equal', 'approx', 'over', 'under', 'top')),
    top_rank smallint CHECK (top_rank > 0),
    n integer,
    citation text NOT NULL,
    source_url text NOT NULL,
    note text,
    FOREIGN KEY (indicator_code, option_code) REFERENCES indicator_option
);

-- Facts about the last aggregation and catalogue load (e.g. the minimum cell size used).
CREATE TABLE load_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    for table in (
        "load_meta", "published_estimate", "nordic_average", "estimate", "answer", "respondent",
        "comparability_note", "question_wording", "national_label", "source_file", "codebook",
        "survey_wave", "label", "indicator_option", "indicator", "topic", "unit_of_observation",
        "size_band", "sector", "government_level", "country", "language",
    ):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
