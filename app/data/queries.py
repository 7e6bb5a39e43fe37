"""The queries of the app: with app/data/db.py (the pool and cache they run on), the only code that talks to the
database.

It reads aggregates only (estimate, cross_tab_estimate, published_estimate, official_value, known_wave)
and their documentation (survey_wave, label, question_wording, national_label, comparability_note,
source_file, codebook, official_table) - never respondent or answer rows. Every statement is a constant or a
psycopg.sql composition (never text built with f-strings, format or %), and every value is a bound parameter.

Privacy is enforced here, at the source: for a suppressed cell the queries return neither a share nor a
CI, and no n either (only the wave's minimum cell size, so the UI can say "n < MIN").

Every query is cached (:func:`app.data.db.memoised`) under its name, its parameters and the data version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from psycopg import sql

from app.data.db import Database, Row, memoised
from core.errors import DatabaseUnavailable
from core.wave_keys import wave_keys

# ---------------------------------------------------------------------------------------------------------
# Reference data: codes, order and labels
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    topic: str
    response_type: str
    base: str
    question_en: str
    derivation: str | None
    options: tuple[str, ...]


@dataclass(frozen=True)
class CrossTab:
    """A cross-tab the catalogue declares: the options of indicator ``rows`` against those of ``columns``, among
    the units of ``base``."""

    code: str
    rows: str
    columns: str
    base: str


@dataclass(frozen=True)
class Reference:
    """Every harmonised code in display order, with its labels in the six languages."""

    countries: tuple[str, ...]
    levels: tuple[str, ...]
    sectors: tuple[str, ...]
    topics: tuple[str, ...]
    units: tuple[str, ...]
    indicators: dict[str, Indicator]
    labels: dict[str, dict[str, str]] = field(repr=False)  # "kind:code" -> {lang: text}
    colours: dict[str, str] = field(default_factory=dict)  # country -> chart colour
    tiles: dict[str, tuple[int, int]] = field(default_factory=dict)  # country -> (row, column): a rough map
    # country -> the language its questionnaires are written in (national wordings are quoted in it)
    country_languages: dict[str, str] = field(default_factory=dict)
    cross_tabs: dict[str, CrossTab] = field(default_factory=dict)  # code -> cross-tab, in the catalogue's order

    def label(self, kind: str, code: str, lang: str) -> str:
        texts = self.labels.get(f"{kind}:{code}", {})
        return texts.get(lang) or texts.get("en") or code

    def option_label(self, indicator: str, option: str, lang: str) -> str:
        return self.label("option", f"{indicator}.{option}", lang)

    def questions(self, indicator: str) -> dict[str, str]:
        """The harmonised question of ``indicator`` by language (our rendering, not a national wording)."""
        return self.labels.get(f"question:{indicator}") or {"en": self.indicators[indicator].question_en}


@memoised("reference")
def reference(db: Database) -> Reference:
    """Codes and labels of the harmonised catalogue."""
    labels: dict[str, dict[str, str]] = {}
    for row in db.fetch("SELECT kind, code, lang, text FROM label"):
        labels.setdefault(f"{row['kind']}:{row['code']}", {})[row["lang"]] = row["text"]
    options: dict[str, list[str]] = {}
    for row in db.fetch("SELECT indicator_code, option_code FROM indicator_option ORDER BY indicator_code, sort_order"):
        options.setdefault(row["indicator_code"], []).append(row["option_code"])
    indicators = {
        row["code"]: Indicator(row["code"], row["topic_code"], row["response_type"], row["base"],
                               row["question_en"], row["derivation"], tuple(options.get(row["code"], ())))
        for row in db.fetch(
            "SELECT i.code, i.topic_code, i.response_type, i.base, i.question_en, i.derivation "
            "FROM indicator i JOIN topic t ON t.code = i.topic_code ORDER BY t.sort_order, i.sort_order"
        )
    }
    countries = db.fetch("SELECT code, colour, tile_row, tile_column, language FROM country "
                         "ORDER BY sort_order, code")
    cross_tabs = db.fetch("SELECT code, row_indicator, column_indicator, base FROM cross_tab ORDER BY sort_order, code")

    def ordered(table: str) -> tuple[str, ...]:
        # table names come from the fixed calls below, never from a request; quoted as identifiers anyway
        query = sql.SQL("SELECT code FROM {} ORDER BY sort_order, code").format(sql.Identifier(table))
        return tuple(r["code"] for r in db.fetch(query))

    return Reference(
        countries=tuple(c["code"] for c in countries),
        levels=ordered("government_level"),
        sectors=ordered("sector"),
        topics=ordered("topic"),
        units=tuple(r["code"] for r in db.fetch("SELECT code FROM unit_of_observation ORDER BY code")),
        indicators=indicators,
        labels=labels,
        colours={c["code"]: c["colour"] for c in countries if c["colour"]},
        tiles={c["code"]: (c["tile_row"], c["tile_column"]) for c in countries if c["tile_row"]},
        country_languages={c["code"]: c["language"] for c in countries if c["language"]},
        cross_tabs={c["code"]: CrossTab(c["code"], c["row_indicator"], c["column_indicator"], c["base"])
                    for c in cross_tabs},
    )


# ---------------------------------------------------------------------------------------------------------
# Survey waves and their provenance
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wave:
    """One country's survey wave with its provenance (file, codebook, minimum cell size)."""

    id: int
    key: str  # stable URL key, e.g. "DK-2018-19"
    long_key: str  # always-unique form, e.g. "DK-2018-19-innovationsbarometeret"
    country: str
    programme: str
    publisher: str
    wave_label: str
    reference_period: str
    fieldwork_start: date | None
    fieldwork_end: date | None
    unit_of_observation: str
    population: str
    invited: int | None
    responded: int | None
    nordic_round: int | None
    citation: str
    source_url: str
    licence: str
    is_demo: bool
    min_cell_n: int | None
    file_format: str | None
    source_path: str | None
    source_sha256: str | None
    source_rows: int | None
    loaded_at: datetime | None
    codebook_path: str | None
    codebook_sha256: str | None
    # the codebook's descriptions by language: (field, lang, text), field one of survey_wave_text's fields
    texts: tuple[tuple[str, str, str], ...] = ()
    # the response rate a source states (None: not stated), with that source
    response_rate_pct: float | None = None
    response_rate_citation: str | None = None
    response_rate_url: str | None = None
    # the sampling design the codebook declares (strata, cluster, sampling_fraction with its source); None: Kish
    design: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        return f"{self.country} {self.wave_label}"

    def texts_of(self, field_name: str) -> dict[str, str]:
        """A description (reference_period, population, licence, response_rate_of) by language; English always."""
        by_lang = {lang: text for name, lang, text in self.texts if name == field_name}
        english = {"reference_period": self.reference_period, "population": self.population,
                   "licence": self.licence}.get(field_name)
        return {"en": english, **by_lang} if english else by_lang


@memoised("waves")
def waves(db: Database) -> list[Wave]:
    """Every loaded wave in the catalogue's country order, then chronologically."""
    rows = db.fetch(
        """
        SELECT w.id, w.country_code, w.programme, w.publisher, w.wave_label, w.reference_period,
               w.fieldwork_start, w.fieldwork_end, w.unit_of_observation, w.population, w.invited, w.responded,
               w.nordic_round, w.citation, w.source_url, w.licence, w.is_demo,
               w.response_rate_pct, w.response_rate_citation, w.response_rate_url, w.design,
               f.min_cell_n, f.file_format, f.path AS source_path, f.sha256 AS source_sha256,
               f.rows AS source_rows, f.loaded_at, c.path AS codebook_path, c.sha256 AS codebook_sha256
        FROM survey_wave w
        LEFT JOIN source_file f ON f.wave_id = w.id
        LEFT JOIN codebook c ON c.wave_id = w.id
        JOIN country ON country.code = w.country_code
        ORDER BY country.sort_order, w.country_code, w.wave_label, w.programme
        """,
    )
    keys = wave_keys(rows)
    texts: dict[int, list[tuple[str, str, str]]] = {}
    for row in db.fetch("SELECT wave_id, field, lang, text FROM survey_wave_text ORDER BY wave_id, field, lang"):
        texts.setdefault(row["wave_id"], []).append((row["field"], row["lang"], row["text"]))
    return [
        Wave(id=r["id"], key=keys[r["id"]][0], long_key=keys[r["id"]][1], country=r["country_code"],
             programme=r["programme"], publisher=r["publisher"], wave_label=r["wave_label"],
             reference_period=r["reference_period"], fieldwork_start=r["fieldwork_start"],
             fieldwork_end=r["fieldwork_end"], unit_of_observation=r["unit_of_observation"],
             population=r["population"], invited=r["invited"], responded=r["responded"],
             nordic_round=r["nordic_round"], citation=r["citation"], source_url=r["source_url"],
             licence=r["licence"], is_demo=r["is_demo"], min_cell_n=r["min_cell_n"],
             file_format=r["file_format"], source_path=r["source_path"], source_sha256=r["source_sha256"],
             source_rows=r["source_rows"], loaded_at=r["loaded_at"], codebook_path=r["codebook_path"],
             codebook_sha256=r["codebook_sha256"], texts=tuple(texts.get(r["id"], ())),
             response_rate_pct=r["response_rate_pct"], response_rate_citation=r["response_rate_citation"],
             response_rate_url=r["response_rate_url"], design=r["design"])
        for r in rows
    ]


@memoised("coverage")
def coverage(db: Database) -> dict[int, set[tuple[str, str]]]:
    """Per wave id, the (indicator, option) pairs it asked (it has a total estimate for them)."""
    result: dict[int, set[tuple[str, str]]] = {}
    for row in db.fetch(
        "SELECT DISTINCT wave_id, indicator_code, option_code FROM estimate "
        "WHERE government_level_code = 'all' AND sector_code = 'all'"
    ):
        result.setdefault(row["wave_id"], set()).add((row["indicator_code"], row["option_code"]))
    return result


@memoised("breakdowns")
def breakdowns(db: Database) -> dict[int, set[tuple[str, str]]]:
    """Per wave id, the (level, sector) cells its data cover (for telling 'not covered' from 'suppressed')."""
    result: dict[int, set[tuple[str, str]]] = {}
    for row in db.fetch("SELECT DISTINCT wave_id, government_level_code, sector_code FROM estimate"):
        result.setdefault(row["wave_id"], set()).add((row["government_level_code"], row["sector_code"]))
    return result


# ---------------------------------------------------------------------------------------------------------
# Estimates
# ---------------------------------------------------------------------------------------------------------

# The privacy rule in SQL: a suppressed cell yields no share, CI or n - only the wave's minimum cell size.
_CELL_COLUMNS = sql.SQL("""
    CASE WHEN {t}.suppressed THEN NULL ELSE {t}.n_unweighted END AS n,
    CASE WHEN {t}.suppressed THEN NULL ELSE {t}.n_effective END AS n_effective,
    CASE WHEN {t}.suppressed THEN NULL ELSE {t}.share END AS share,
    CASE WHEN {t}.suppressed THEN NULL ELSE {t}.ci_low END AS ci_low,
    CASE WHEN {t}.suppressed THEN NULL ELSE {t}.ci_high END AS ci_high,
    {t}.suppressed, {t}.suppression, f.min_cell_n
""")


def _cell_columns(alias: str) -> sql.Composed:
    """The privacy-safe cell columns of the table aliased ``alias``."""
    return _CELL_COLUMNS.format(t=sql.Identifier(alias))


@memoised("estimates")
def estimates(
    db: Database,
    *,
    wave_ids: Iterable[int],
    indicator: str,
    options: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
    sectors: Iterable[str] | None = None,
) -> list[Row]:
    """Estimate cells of ``indicator`` for the given waves; None filters mean 'every'."""
    return db.fetch(
        sql.SQL("""
        SELECT e.wave_id, e.government_level_code AS level, e.sector_code AS sector,
               e.indicator_code AS indicator, e.option_code AS option, {cells}
        FROM estimate e
        LEFT JOIN source_file f ON f.wave_id = e.wave_id
        WHERE e.wave_id = ANY(%(waves)s) AND e.indicator_code = %(indicator)s
          AND (%(options)s::text[] IS NULL OR e.option_code = ANY(%(options)s))
          AND (%(levels)s::text[] IS NULL OR e.government_level_code = ANY(%(levels)s))
          AND (%(sectors)s::text[] IS NULL OR e.sector_code = ANY(%(sectors)s))
        ORDER BY e.wave_id, e.option_code, e.government_level_code, e.sector_code
        """).format(cells=_cell_columns("e")),
        {"waves": wave_ids, "indicator": indicator, "options": options, "levels": levels, "sectors": sectors},
    )


@memoised("cross_tab_cells")
def cross_tab_cells(db: Database, *, cross_tab: str, wave_ids: Iterable[int], level: str = "all",
                    sector: str = "all") -> list[Row]:
    """Cells of the declared cross-tab ``cross_tab`` for one level and sector: among the units of its base that
    chose row option R, the share that chose column option C."""
    return db.fetch(
        sql.SQL("""
        SELECT t.wave_id, t.government_level_code AS level, t.sector_code AS sector, t.row_option,
               t.column_option, {cells}
        FROM cross_tab_estimate t
        LEFT JOIN source_file f ON f.wave_id = t.wave_id
        WHERE t.cross_tab_code = %(code)s AND t.wave_id = ANY(%(waves)s)
          AND t.government_level_code = %(level)s AND t.sector_code = %(sector)s
        ORDER BY t.wave_id, t.row_option, t.column_option
        """).format(cells=_cell_columns("t")),
        {"code": cross_tab, "waves": wave_ids, "level": level, "sector": sector},
    )


@memoised("cross_tabs")
def cross_tabs(db: Database, *, wave_ids: Iterable[int]) -> list[Row]:
    """Every cell of every declared cross-tab of the given waves (all levels and sectors), privacy-safe."""
    return db.fetch(
        sql.SQL("""
        SELECT t.wave_id, t.cross_tab_code, t.government_level_code AS level, t.sector_code AS sector,
               t.row_indicator, t.row_option, t.column_indicator, t.column_option, {cells}
        FROM cross_tab_estimate t
        JOIN cross_tab c ON c.code = t.cross_tab_code
        LEFT JOIN source_file f ON f.wave_id = t.wave_id
        WHERE t.wave_id = ANY(%(waves)s)
        ORDER BY t.wave_id, c.sort_order, t.government_level_code, t.sector_code, t.row_option, t.column_option
        """).format(cells=_cell_columns("t")),
        {"waves": wave_ids},
    )


# ---------------------------------------------------------------------------------------------------------
# Documentation: published figures, wording, national labels, comparability notes
# ---------------------------------------------------------------------------------------------------------


@memoised("published_figures")
def published_figures(db: Database, *, countries: Iterable[str] | None = None) -> list[Row]:
    """Figures transcribed from national publications, with their citations."""
    return db.fetch(
        """
        SELECT id, country_code AS country, programme, wave_label, wave_id, government_level_code AS level,
               sector_code AS sector, indicator_code AS indicator, option_code AS option, measure_en, value_pct,
               relation, top_rank, n, citation, source_url, note, wave_as_published, unit, scope, quote
        FROM published_estimate JOIN country ON country.code = country_code
        WHERE %(countries)s::text[] IS NULL OR country_code = ANY(%(countries)s)
        ORDER BY country.sort_order, country_code, wave_label, programme, id
        """,
        {"countries": countries},
    )


@memoised("known_waves")
def known_waves(db: Database, *, countries: Iterable[str] | None = None) -> list[Row]:
    """Waves known from publications (published-only, announced, and facts about loaded ones), each with its
    facts as a list of dicts (kind, value, relation, citation, source_url, quote, note)."""
    return db.fetch(
        """
        SELECT k.country_code AS country, k.programme, k.wave_label, k.status, k.government_level_code AS level,
               k.unit_of_observation AS unit, k.reference_period, k.fieldwork, k.results, k.citation, k.source_url,
               k.note, k.conflicts,
               coalesce((SELECT json_agg(json_build_object('kind', f.kind, 'value', f.value, 'relation', f.relation,
                                                           'citation', f.citation, 'source_url', f.source_url,
                                                           'quote', f.quote, 'note', f.note) ORDER BY f.sort_order)
                         FROM known_wave_fact f WHERE f.known_wave_id = k.id), '[]'::json) AS facts
        FROM known_wave k JOIN country c ON c.code = k.country_code
        WHERE %(countries)s::text[] IS NULL OR k.country_code = ANY(%(countries)s)
        ORDER BY c.sort_order, k.country_code, k.wave_label, k.programme
        """,
        {"countries": countries},
    )


@memoised("official_values")
def official_values(
    db: Database,
    *,
    countries: Iterable[str] | None = None,
    tables: Iterable[str] | None = None,
    indicator: str | None = None,
    option: str | None = None,
) -> list[Row]:
    """Cells of official statistics tables (e.g. Statistics Denmark's OIN01DK) with their provenance.

    A third kind of data beside survey estimates and published figures: figures as the statistics office
    published them (shares as fractions 0..1), with a CI only where the table publishes one, and with how
    the table was obtained (downloaded, or transcribed by hand from a publication)."""
    return db.fetch(
        """
        SELECT t.table_id, t.country_code::text AS country, t.publisher, t.title_en, t.obtained_by, t.source_url,
               to_char(t.retrieved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS retrieved_at,
               t.licence, t.licence_url, t.citation, t.note, t.unit, t.measure, t.sha256, t.snapshot_path,
               v.wave_label, v.government_level_code AS level, v.sector_code AS sector, v.size_band_code AS size,
               v.indicator_code AS indicator, v.option_code AS option, v.value, v.ci_low, v.ci_high, v.status
        FROM official_value v
        JOIN official_table t ON t.id = v.official_table_id
        JOIN country c ON c.code = t.country_code
        JOIN government_level gl ON gl.code = v.government_level_code
        JOIN sector s ON s.code = v.sector_code
        JOIN indicator i ON i.code = v.indicator_code
        JOIN indicator_option o ON o.indicator_code = v.indicator_code AND o.option_code = v.option_code
        LEFT JOIN size_band sb ON sb.code = v.size_band_ref
        WHERE (%(countries)s::text[] IS NULL OR t.country_code = ANY(%(countries)s))
          AND (%(tables)s::text[] IS NULL OR t.table_id = ANY(%(tables)s))
          AND (%(indicator)s::text IS NULL OR v.indicator_code = %(indicator)s)
          AND (%(option)s::text IS NULL OR v.option_code = %(option)s)
        ORDER BY c.sort_order, t.country_code, t.table_id, v.wave_label, i.sort_order,
                 o.sort_order, gl.sort_order, s.sort_order, coalesce(sb.sort_order, -1)
        """,
        {"countries": countries, "tables": tables, "indicator": indicator, "option": option},
    )


@memoised("question_wordings")
def question_wordings(db: Database, *, wave_ids: Iterable[int], indicator: str | None = None) -> list[Row]:
    """The exact national wording of each question ('' option) and item, per wave."""
    return db.fetch(
        """
        SELECT q.wave_id, q.indicator_code AS indicator, q.option_code AS option, q.national_variable,
               q.national_wording
        FROM question_wording q
        JOIN indicator i ON i.code = q.indicator_code
        LEFT JOIN indicator_option o ON o.indicator_code = q.indicator_code AND o.option_code = q.option_code
        WHERE q.wave_id = ANY(%(waves)s) AND (%(indicator)s::text IS NULL OR q.indicator_code = %(indicator)s)
        ORDER BY q.wave_id, i.sort_order, coalesce(o.sort_order, -1)
        """,
        {"waves": wave_ids, "indicator": indicator},
    )


@memoised("national_labels")
def national_labels(db: Database, *, wave_ids: Iterable[int], dimension: str | None = None) -> list[Row]:
    """National category names (levels, sectors, size bands) and the harmonised code each maps onto."""
    return db.fetch(
        """
        SELECT wave_id, dimension, national_value, harmonised_code
        FROM national_label
        WHERE wave_id = ANY(%(waves)s) AND (%(dimension)s::text IS NULL OR dimension = %(dimension)s)
        ORDER BY wave_id, dimension, harmonised_code, national_value
        """,
        {"waves": wave_ids, "dimension": dimension},
    )


@memoised("comparability_notes")
def comparability_notes(db: Database, *, wave_ids: Iterable[int], lang: str = "en") -> list[Row]:
    """Notes on unit, wording, period, population, method and coverage, per wave: ``note`` in ``lang`` (English
    where its translation is missing), ``note_lang`` the language it is in, and ``note_en``."""
    return db.fetch(
        """
        SELECT n.id, n.wave_id, n.aspect, n.indicator_code AS indicator,
               coalesce(l.text, e.text) AS note, CASE WHEN l.text IS NULL THEN 'en' ELSE l.lang END AS note_lang,
               e.text AS note_en
        FROM comparability_note n
        JOIN comparability_note_text e ON e.note_id = n.id AND e.lang = 'en'
        LEFT JOIN comparability_note_text l ON l.note_id = n.id AND l.lang = %(lang)s
        WHERE n.wave_id = ANY(%(waves)s)
        ORDER BY n.wave_id, n.id
        """,
        {"waves": wave_ids, "lang": lang},
    )


def ping(db: Database) -> bool:
    """True when the database answers (for the health endpoint)."""
    try:
        return db.fetch("SELECT 1 AS ok")[0]["ok"] == 1
    except DatabaseUnavailable:
        return False


def short_link_target(db: Database, code: str) -> str | None:
    """The address a short link names, None for an unknown code (not cached: a link made a moment ago on
    another worker must resolve here too)."""
    rows = db.fetch("SELECT target FROM short_link WHERE code = %(code)s", {"code": code})
    return rows[0]["target"] if rows else None
