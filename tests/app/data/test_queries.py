"""Every function of app/data/queries.py (and app/data/db.py) against the real test database, compared with direct
SQL reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import psycopg
import pytest
from cachelib import SimpleCache

from app.data import queries
from app.data.db import CACHE_SCHEMA, Database
from app.data.queries import wave_keys
from core.config import LANGUAGES, Settings
from core.errors import DatabaseUnavailable

APP_DIR = Path(__file__).resolve().parents[3] / "app"


def sql_rows(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def wave_id(url: str, country: str, label: str) -> int:
    return sql_rows(url, "SELECT id FROM survey_wave WHERE country_code = %s AND wave_label = %s",
                    (country, label))[0][0]


# -- reference and waves ----------------------------------------------------------------------------------


def test_reference_lists_codes_in_order_with_labels_in_every_language(db: Database, loaded_db: str) -> None:
    ref = queries.reference(db)
    assert ref.countries == ("DK", "NO", "SE", "FI", "IS")  # the catalogue's order, from the database
    assert ref.colours == {"DK": "#D55E00", "NO": "#0072B2", "SE": "#E69F00", "FI": "#009E73", "IS": "#CC79A7"}
    assert ref.tiles == {"IS": (1, 1), "NO": (1, 3), "SE": (1, 4), "FI": (1, 5), "DK": (2, 3)}
    assert ref.levels[0] == "all" and set(ref.levels) == {"all", "municipal", "regional", "state"}
    assert ref.indicators["innovative"].options == ("yes", "no")
    assert ref.indicators["innovation_type"].options == ("service", "product", "process", "communication")
    assert ref.indicators["novelty"].base == "innovative_units"
    assert ref.label("country", "FI", "fi") == "Suomi"
    assert ref.label("country", "IS", "is") == "Ísland"
    assert ref.option_label("value", "quality", "da") == "Bedre kvalitet"
    stored = sql_rows(loaded_db, "SELECT count(*) FROM label")[0][0]
    assert sum(len(v) for v in ref.labels.values()) == stored
    for lang in LANGUAGES:
        assert ref.label("indicator", "innovative", lang)


def test_waves_match_survey_wave_with_provenance(db: Database, loaded_db: str) -> None:
    waves = queries.waves(db)
    expected = sql_rows(loaded_db, "SELECT w.id, w.country_code, w.wave_label, w.is_demo, f.min_cell_n "
                                   "FROM survey_wave w JOIN source_file f ON f.wave_id = w.id")
    assert {(w.id, w.country, w.wave_label, w.is_demo, w.min_cell_n) for w in waves} == set(expected)
    assert [w.country for w in waves] == sorted((w.country for w in waves), key="DK NO SE FI IS".split().index)
    dk = next(w for w in waves if w.key == "DK-2018-19")
    assert dk.responded == 2271 and dk.unit_of_observation == "workplace" and dk.nordic_round == 2018
    assert dk.codebook_sha256 and len(dk.source_sha256) == 64 and dk.file_format == "sav"
    assert len({w.key for w in waves}) == len(waves)


def test_wave_keys_are_short_unless_two_programmes_share_a_label() -> None:
    rows = [{"id": 1, "country_code": "NO", "wave_label": "2018", "programme": "KS Innovasjonsbarometer"},
            {"id": 2, "country_code": "NO", "wave_label": "2018", "programme": "Digdir Innovasjonsbarometer"},
            {"id": 3, "country_code": "IS", "wave_label": "2021", "programme": "Nýsköpunarvogin"}]
    keys = wave_keys(rows)
    assert keys[1][0] == "NO-2018-ks-innovasjonsbarometer"
    assert keys[2][0] == "NO-2018-digdir-innovasjonsbarometer"
    assert keys[3] == ("IS-2021", "IS-2021-nyskopunarvogin")


def test_coverage_and_breakdowns_match_the_estimate_table(db: Database, loaded_db: str) -> None:
    coverage = queries.coverage(db)
    pairs = sql_rows(loaded_db, "SELECT DISTINCT wave_id, indicator_code, option_code FROM estimate "
                                "WHERE government_level_code = 'all' AND sector_code = 'all'")
    assert {(w, i, o) for w, items in coverage.items() for i, o in items} == set(pairs)
    breakdowns = queries.breakdowns(db)
    cells = sql_rows(loaded_db, "SELECT DISTINCT wave_id, government_level_code, sector_code FROM estimate")
    assert {(w, lvl, s) for w, items in breakdowns.items() for lvl, s in items} == set(cells)
    dk = wave_id(loaded_db, "DK", "2018-19")
    assert ("value", "business_value") not in coverage[dk]  # Denmark does not ask about value for business


# -- estimates ----------------------------------------------------------------------------------------------


def test_estimates_equal_a_direct_read_of_the_estimate_table(db: Database, loaded_db: str) -> None:
    dk = wave_id(loaded_db, "DK", "2018-19")
    rows = queries.estimates(db, wave_ids=[dk], indicator="innovative", options=["yes"], levels=["municipal"],
                             sectors=["all"])
    assert len(rows) == 1
    direct = sql_rows(loaded_db, "SELECT share, ci_low, ci_high, n_unweighted, n_effective FROM estimate WHERE "
                                 "wave_id = %s AND indicator_code = 'innovative' AND option_code = 'yes' AND "
                                 "government_level_code = 'municipal' AND sector_code = 'all'", (dk,))[0]
    row = rows[0]
    assert (row["share"], row["ci_low"], row["ci_high"], row["n"], row["n_effective"]) == direct
    assert row["min_cell_n"] == 10 and not row["suppressed"]
    assert row["share"] == pytest.approx(0.80, abs=0.02)  # calibrated to the published 80%


def test_estimates_without_filters_return_every_cell_of_the_indicator(db: Database, loaded_db: str) -> None:
    ids = [w.id for w in queries.waves(db)]
    rows = queries.estimates(db, wave_ids=ids, indicator="novelty")
    count = sql_rows(loaded_db, "SELECT count(*) FROM estimate WHERE indicator_code = 'novelty'")[0][0]
    assert len(rows) == count > 0


def test_estimates_of_no_wave_are_empty(db: Database) -> None:
    assert queries.estimates(db, wave_ids=[], indicator="innovative") == []


def test_suppressed_cells_return_no_share_ci_or_n(suppressed_app_db: Database, suppressed_db: str,
                                                  suppression_min_n: int) -> None:
    ids = [w.id for w in queries.waves(suppressed_app_db)]
    rows = queries.estimates(suppressed_app_db, wave_ids=ids, indicator="innovative")
    hidden = [r for r in rows if r["suppressed"]]
    expected = sql_rows(suppressed_db, "SELECT count(*) FROM estimate WHERE suppressed AND "
                                       "indicator_code = 'innovative'")[0][0]
    assert len(hidden) == expected > 0
    assert {r["suppression"] for r in hidden} == {"primary", "complementary"}
    for row in hidden:
        assert row["share"] is None and row["ci_low"] is None and row["ci_high"] is None
        assert row["n"] is None and row["n_effective"] is None
        assert row["min_cell_n"] == suppression_min_n
    shown = [r for r in rows if not r["suppressed"]]
    assert shown and all(r["n"] >= suppression_min_n and r["share"] is not None for r in shown)


# -- cross-tab ------------------------------------------------------------------------------------------


def test_cross_tab_cells_equal_the_cross_tab_table(db: Database, loaded_db: str) -> None:
    dk = wave_id(loaded_db, "DK", "2018-19")
    rows = queries.cross_tab_cells(db, cross_tab="type_value", wave_ids=[dk])
    direct = sql_rows(loaded_db, "SELECT row_option, column_option, share, n_unweighted FROM cross_tab_estimate "
                                 "WHERE cross_tab_code = 'type_value' AND wave_id = %s "
                                 "AND government_level_code = 'all' AND sector_code = 'all'", (dk,))
    assert {(r["row_option"], r["column_option"], r["share"], r["n"]) for r in rows} == set(direct)
    assert len(rows) == 4 * 6  # four types x the six values Denmark asks


def test_suppressed_cross_tab_cells_return_no_share(suppressed_app_db: Database) -> None:
    ids = [w.id for w in queries.waves(suppressed_app_db)]
    rows = queries.cross_tab_cells(suppressed_app_db, cross_tab="type_value", wave_ids=ids, sector="culture_leisure")
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden
    assert all(r["share"] is None and r["n"] is None and r["ci_low"] is None for r in hidden)


# -- documentation --------------------------------------------------------------------------------------------


def test_published_figures_equal_the_table(db: Database, loaded_db: str) -> None:
    rows = queries.published_figures(db)
    assert len(rows) == sql_rows(loaded_db, "SELECT count(*) FROM published_estimate")[0][0]
    dk = queries.published_figures(db, countries=["DK"])
    assert dk and {r["country"] for r in dk} == {"DK"}
    headline = next(r for r in dk if r["id"] == "dk-2018-innovative")
    assert headline["value_pct"] == 81 and headline["n"] == 2271 and headline["source_url"].startswith("https://")


def test_official_values_are_the_published_level_split_with_provenance(db: Database, loaded_db: str) -> None:
    rows = queries.official_values(db, countries=["DK"])
    assert len(rows) == sql_rows(loaded_db, "SELECT count(*) FROM official_value")[0][0]
    split = {(r["wave_label"], r["level"]): r["value"] for r in rows if r["indicator"] == "innovative"}
    # Danmarks Statistik, Nyt cid=40871: 2018-19 municipal 80 %, state 84 %, regional 85 % (80 % in 2015-16)
    assert split == pytest.approx({("2015-16", "municipal"): 0.80, ("2015-16", "regional"): 0.80,
                                   ("2015-16", "state"): 0.84, ("2018-19", "municipal"): 0.80,
                                   ("2018-19", "regional"): 0.85, ("2018-19", "state"): 0.84})
    assert [r["level"] for r in rows if r["wave_label"] == "2018-19"] == ["municipal", "regional", "state"]
    first = rows[0]
    assert (first["table_id"], first["licence"], first["obtained_by"]) == ("OIN01DK", "CC BY 4.0", "transcription")
    assert "cid=40871" in first["citation"] and first["retrieved_at"] == "2026-11-30T00:00:00Z"
    assert all(r["ci_low"] is None and r["ci_high"] is None for r in rows)  # the table publishes no CI
    assert queries.official_values(db, countries=["NO"]) == []
    assert queries.official_values(db, tables=["OIN01DK"], indicator="innovative", option="yes") == rows


def test_question_wordings_are_the_national_ones(db: Database, loaded_db: str) -> None:
    dk = wave_id(loaded_db, "DK", "2018-19")
    rows = queries.question_wordings(db, wave_ids=[dk], indicator="innovation_type")
    direct = sql_rows(loaded_db, "SELECT option_code, national_variable, national_wording FROM question_wording "
                                 "WHERE wave_id = %s AND indicator_code = 'innovation_type'", (dk,))
    assert {(r["option"], r["national_variable"], r["national_wording"]) for r in rows} == set(direct)
    assert rows[0]["option"] == ""  # the question comes before its items
    assert [r["option"] for r in rows[1:]] == ["service", "product", "process", "communication"]


def test_national_labels_map_onto_harmonised_codes(db: Database, loaded_db: str) -> None:
    dk = wave_id(loaded_db, "DK", "2018-19")
    rows = queries.national_labels(db, wave_ids=[dk], dimension="sector")
    direct = sql_rows(loaded_db, "SELECT national_value, harmonised_code FROM national_label WHERE wave_id = %s "
                                 "AND dimension = 'sector'", (dk,))
    assert {(r["national_value"], r["harmonised_code"]) for r in rows} == set(direct)
    assert ("Børnepasning", "education_childcare") in {(r["national_value"], r["harmonised_code"]) for r in rows}


def test_comparability_notes_of_the_waves(db: Database, loaded_db: str) -> None:
    ids = [w.id for w in queries.waves(db)]
    rows = queries.comparability_notes(db, wave_ids=ids)
    assert len(rows) == sql_rows(loaded_db, "SELECT count(*) FROM comparability_note")[0][0]
    fi = wave_id(loaded_db, "FI", "2018")
    assert any(r["wave_id"] == fi and r["aspect"] == "unit" for r in rows)


def test_ping(db: Database) -> None:
    assert queries.ping(db) is True


# -- connection behaviour -----------------------------------------------------------------------------------


def test_connections_are_read_only(db: Database) -> None:
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        db.fetch("CREATE TABLE app_should_not_write (x int)")


def test_pool_recovers_when_the_server_drops_its_connections(loaded_db: str, app_settings_session) -> None:
    database = Database(loaded_db, settings=app_settings_session)
    try:
        assert queries.ping(database)
        with psycopg.connect(loaded_db, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE application_name = 'barometer-app' AND pid <> pg_backend_pid()")
        # the pool checks each connection before lending it, so the next query reconnects transparently
        assert queries.reference(database).countries[0] == "DK"
    finally:
        database.close()


def test_unreachable_database_raises_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(app_pool_timeout_s=1, cache_dir=tmp_path, readonly_database_url=None)
    database = Database(f"postgresql://nobody@/nowhere?host={tmp_path}&connect_timeout=1", settings=settings)
    try:
        with pytest.raises(DatabaseUnavailable):
            queries.ping(database) or database.fetch("SELECT 1")
    finally:
        database.close()


def test_readonly_database_url_wins(loaded_db: str, tmp_path: Path) -> None:
    settings = Settings(readonly_database_url="postgresql://reader@/elsewhere", cache_dir=tmp_path)
    assert Database(loaded_db, settings=settings).url == "postgresql://reader@/elsewhere"


def test_app_works_as_the_aggregates_only_role(readonly_url: str, app_settings_session) -> None:
    """Connected as a role that cannot read respondent or answer, every query still works."""
    database = Database(readonly_url, settings=app_settings_session)
    try:
        ids = [w.id for w in queries.waves(database)]
        assert queries.estimates(database, wave_ids=ids, indicator="innovative")
        assert queries.cross_tab_cells(database, cross_tab="type_value", wave_ids=ids)
        assert queries.published_figures(database) and queries.comparability_notes(database, wave_ids=ids)
        assert queries.official_values(database)
        assert queries.question_wordings(database, wave_ids=ids) and queries.national_labels(database, wave_ids=ids)
        assert queries.coverage(database) and queries.breakdowns(database) and database.data_version()
    finally:
        database.close()


def test_cached_results_are_reused_under_a_stable_key(loaded_db: str, app_settings_session) -> None:
    cache = SimpleCache()
    database = Database(loaded_db, settings=app_settings_session, cache=cache)
    try:
        first = queries.reference(database)
        keys = [k for k in cache._cache if ":reference:" in k]
        assert len(keys) == 1 and keys[0].startswith(f"barometer:{CACHE_SCHEMA}:{database.fingerprint}:")
        assert queries.reference(database) == first
        other = Database(loaded_db, settings=app_settings_session, cache=cache)  # e.g. another gunicorn worker
        try:
            other.cached("reference", {}, lambda: pytest.fail("should have been served from the cache"))
        finally:
            other.close()
    finally:
        database.close()


def test_no_sql_in_the_app_reads_workplace_rows() -> None:
    """respondent and answer appear in no SQL of the app, and only db.py and queries.py talk to the database
    (and links.py and decks.py, the one write path, for short links and decks alone)."""
    microdata = re.compile(r"\b(FROM|JOIN)\s+(respondent|answer)\b", re.IGNORECASE)
    for path in APP_DIR.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not microdata.search(text), path
        talkers = ("data/queries.py", "data/db.py", "data/links.py", "decks/store.py")
        if path.relative_to(APP_DIR).as_posix() not in talkers:
            imported = {alias.name for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Import)
                        for alias in node.names}
            imported |= {node.module or "" for node in ast.walk(ast.parse(text)) if isinstance(node, ast.ImportFrom)}
            assert not {"psycopg", "psycopg_pool"} & imported, f"{path} talks to the database"
