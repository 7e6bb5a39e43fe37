"""Bad input never reaches the database: every case of the corpus fails with a clear error and a non-zero
exit of `barometer etl run`, and leaves every table of a database holding DK 2018-19 exactly as it was.

Also pinned here: a second load of the same files changes nothing; a changed file replaces its wave in one
transaction (readers see the old wave until the new one is complete); two loads of one wave never run at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pyreadstat
import pytest
import yaml
from psycopg import sql
from typer.testing import CliRunner

from barometer.cli import app
from core.config import Settings
from etl import pipeline
from etl.pipeline import run_etl
from tests.bad_inputs import corpus
from tests.dbtools import create_database, drop_database

DK_KEY = "DK/Innovationsbarometeret/2018-19"
DK_RESPONDENTS = 2271
CHANGED_RESPONDENTS = 2000


def _dbname(url: str) -> str:
    return psycopg.conninfo.conninfo_to_dict(url)["dbname"]


@pytest.fixture(scope="session")
def dk_template(pg_admin_url: str, migrated_template: str) -> Iterator[str]:
    """A database with DK 2018-19 loaded from the bundled files, used as template (never written to)."""
    url = create_database(pg_admin_url, template=migrated_template)
    run_etl(url, settings=Settings(data_dir=corpus.source_data()))
    yield _dbname(url)
    drop_database(pg_admin_url, url)


@pytest.fixture
def dk_db(pg_admin_url: str, dk_template: str) -> Iterator[str]:
    """A fresh copy of the DK-loaded database for one test."""
    url = create_database(pg_admin_url, template=dk_template)
    yield url
    drop_database(pg_admin_url, url)


def table_checksums(url: str, *, without: tuple[str, ...] = ()) -> dict[str, str]:
    """Row count and md5 of the ordered rows of every table in the schema (less the columns ``without``)."""
    row = sql.SQL("t::text")
    if without:
        row = sql.SQL("(to_jsonb(t) - {}::text[])::text").format(sql.Literal(list(without)))
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {
            table: conn.execute(sql.SQL(
                "SELECT count(*) || ' ' || coalesce(md5(string_agg({row}, E'\\n' ORDER BY {row})), '') "
                "FROM {table} t").format(row=row, table=sql.Identifier(table))).fetchone()[0]
            for table in tables
        }


def respondent_count(url: str, wave_label: str = "2018-19") -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM respondent r JOIN survey_wave w ON w.id = r.wave_id "
            "WHERE w.country_code = 'DK' AND w.wave_label = %s", (wave_label,)).fetchone()[0]


def etl_run(url: str, data_dir: Path):
    """`barometer etl run` against ``url`` with ``data_dir`` as the data directory."""
    env = {"DATABASE_URL": url, "BAROMETER_DATA": str(data_dir), "BAROMETER_PGDATA": "/tmp/pg-bad",
           "COLUMNS": "200"}  # wide enough for the summary table
    return CliRunner().invoke(app, ["etl", "run"], env=env)


def write_changed_file(data_dir: Path) -> None:
    """Replace the DK file in ``data_dir`` with a valid new version: its first 2,000 respondents only."""
    frame, labels = corpus.sav_codes()
    path = data_dir / corpus.SAV_PATH
    pyreadstat.write_sav(frame.head(CHANGED_RESPONDENTS), str(path), variable_value_labels=labels)


def test_the_corpus_is_large_and_names_its_cases_once() -> None:
    names = [case.name for case in corpus.CASES]
    assert len(names) >= 20
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", corpus.CASES, ids=lambda case: case.name)
def test_bad_input_fails_clearly_and_leaves_the_database_as_it_was(
    case: corpus.BadInput, dk_db: str, tmp_path: Path
) -> None:
    before = table_checksums(dk_db)
    assert respondent_count(dk_db) == DK_RESPONDENTS
    expected = corpus.build(case, tmp_path)

    result = etl_run(dk_db, tmp_path)

    message = " ".join(result.output.split())  # as one line, whatever the terminal width
    assert result.exit_code == 1, result.output
    assert message.startswith("error: "), result.output
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {result.output!r}"
    assert "Nothing of this run was loaded; the database is as it was." in message
    assert "Traceback" not in result.output
    assert table_checksums(dk_db) == before


def test_a_second_load_of_the_same_files_changes_nothing(dk_db: str, tmp_path: Path) -> None:
    data_dir = corpus.dk_data_dir(tmp_path)
    before = table_checksums(dk_db)

    first = etl_run(dk_db, data_dir)
    second = etl_run(dk_db, data_dir)

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert re.search(rf"{DK_KEY}\W+unchanged", second.stdout), second.stdout
    assert table_checksums(dk_db) == before


def test_a_changed_file_replaces_the_wave_as_a_fresh_load_would(
    dk_db: str, empty_db: str, tmp_path: Path
) -> None:
    data_dir = corpus.dk_data_dir(tmp_path)
    write_changed_file(data_dir)
    before = table_checksums(dk_db)

    result = etl_run(dk_db, data_dir)

    assert result.exit_code == 0, result.output
    assert re.search(rf"{DK_KEY}\W+loaded\W+{CHANGED_RESPONDENTS}\W", result.stdout), result.stdout
    assert respondent_count(dk_db) == CHANGED_RESPONDENTS
    assert table_checksums(dk_db)["respondent"] != before["respondent"]
    # Nothing of the old file is left: every table is what loading the new file afresh gives (the
    # serial ids of rows written anew, and references to them, and the load time aside).
    assert etl_run(empty_db, data_dir).exit_code == 0
    fresh = ("id", "note_id", "loaded_at")
    assert table_checksums(dk_db, without=fresh) == table_checksums(empty_db, without=fresh)


def test_readers_see_the_old_wave_until_the_replacement_commits_and_a_crash_keeps_it(
    dk_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = corpus.dk_data_dir(tmp_path)
    write_changed_file(data_dir)
    before = table_checksums(dk_db)
    seen_during_load: list[int] = []

    load_wave = pipeline.load_wave

    def crash_after_writing(conn: psycopg.Connection, *args, **kwargs) -> None:
        load_wave(conn, *args, **kwargs)
        # the loading transaction has replaced every row of the wave by now; nobody else sees it yet
        with conn.cursor() as cur:
            inside = cur.execute("SELECT count(*) FROM respondent").fetchone()[0]
        seen_during_load.extend([inside, respondent_count(dk_db)])
        raise OSError("no space left on device")

    monkeypatch.setattr(pipeline, "load_wave", crash_after_writing)
    with pytest.raises(OSError, match="no space left"):
        run_etl(dk_db, settings=Settings(data_dir=data_dir))

    assert seen_during_load == [CHANGED_RESPONDENTS, DK_RESPONDENTS]
    assert table_checksums(dk_db) == before


def test_a_second_load_of_the_same_wave_at_once_is_refused(dk_db: str, tmp_path: Path) -> None:
    data_dir = corpus.dk_data_dir(tmp_path)
    write_changed_file(data_dir)
    before = table_checksums(dk_db)

    with psycopg.connect(dk_db) as other_load, other_load.transaction():
        other_load.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"barometer-load:{DK_KEY}",))
        refused = etl_run(dk_db, data_dir)
        assert table_checksums(dk_db) == before

    message = " ".join(refused.output.split())
    assert refused.exit_code == 1, refused.output
    assert str(data_dir / corpus.CODEBOOK_PATH) in message
    assert f"another load of {DK_KEY} is running; wait for it to finish and run again" in message
    # once the other load is done, the same run goes through
    assert etl_run(dk_db, data_dir).exit_code == 0
    assert respondent_count(dk_db) == CHANGED_RESPONDENTS


# `barometer codebook check` validates the same codebook and file as the ETL, writing nothing: where the
# fault is a gap in the mapping, it lists every gap; for anything else the ETL refuses, it fails with the
# ETL's message. Only a clash with a wave already in the database needs the database to be seen.
GAPS = {
    "sav_unknown_value_label": ["labels of 'sektor' with no mapping:", "- 'Kommunalt'"],
    "sav_unlabelled_code": ["labels of 'q14' with no mapping:", "- '9'"],
    "xlsx_unknown_answer_label": ["labels of 'q8_3' with no mapping:", "- 'Yes'"],
    "csv_label_like_markup": ["labels of 'q15' with no mapping:", "- '[/Ja]'"],
    "csv_unmapped_variable": ["variables in the file that the codebook neither maps nor ignores:", "- q8_7"],
    "csv_missing_column": ["variables named in the codebook but absent from the file:", "- strgrp", "- q14"],
    "csv_other_wave": ["variables in the file that the codebook neither maps nor ignores:", "- q16"],
    "csv_other_country": ["variables named in the codebook but absent from the file:", "- aargang",
                          "variables in the file that the codebook neither maps nor ignores:", "- survey_round"],
}
NEEDS_DATABASE = {"codebook_round_taken"}
# official statistics tables are snapshots with a mapping, not a wave's file with its codebook
OFFICIAL_TABLES = {case.name for case in corpus.CASES if case.name.startswith("official_")}
FAILS_AS_THE_LOAD = sorted({case.name for case in corpus.CASES} - set(GAPS) - NEEDS_DATABASE - OFFICIAL_TABLES)
CASES_BY_NAME = {case.name: case for case in corpus.CASES}


def codebook_check(data_dir: Path):
    env = {"BAROMETER_DATA": str(data_dir), "BAROMETER_PGDATA": "/tmp/pg-bad"}
    return CliRunner().invoke(app, ["codebook", "check", str(data_dir / corpus.CODEBOOK_PATH)], env=env)


@pytest.mark.parametrize("name", FAILS_AS_THE_LOAD)
def test_codebook_check_fails_as_the_load_does(name: str, tmp_path: Path) -> None:
    expected = corpus.build(CASES_BY_NAME[name], tmp_path)

    result = codebook_check(tmp_path)

    message = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert message.startswith("error: ") and "Traceback" not in result.output
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {result.output!r}"


@pytest.mark.parametrize("name", sorted(GAPS))
def test_codebook_check_lists_the_gap(name: str, tmp_path: Path) -> None:
    corpus.build(CASES_BY_NAME[name], tmp_path)

    result = codebook_check(tmp_path)

    assert result.exit_code == 1, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0].endswith(".sav:") or lines[0].endswith(".xlsx:") or lines[0].endswith(".csv:")
    for line in GAPS[name]:
        assert line in lines, f"{line!r} not in {result.stdout!r}"


def test_codebook_check_passes_the_bundled_wave(tmp_path: Path) -> None:
    result = codebook_check(corpus.dk_data_dir(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].strip() == "every variable and label is mapped"


@pytest.mark.parametrize("name", ["csv_title_row_above_header", "xlsx_title_row_above_header"])
def test_a_header_below_a_title_is_read_with_header_row(name: str, tmp_path: Path) -> None:
    corpus.build(CASES_BY_NAME[name], tmp_path)
    path = tmp_path / corpus.CODEBOOK_PATH
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    book["source"]["header_row"] = 2
    path.write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), encoding="utf-8")

    assert codebook_check(tmp_path).exit_code == 0

    raw = tmp_path / book["source"]["file"]
    if name.startswith("csv"):  # rows are numbered as in the file: title 1, header 2, first record 3
        lines = raw.read_text(encoding="utf-8").splitlines()
        lines[5] = ";".join(["2018-19", lines[2].split(";")[1], *lines[5].split(";")[2:]])
        raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
        message = " ".join(codebook_check(tmp_path).output.split())
        assert "row 6, variable 'lbnr': duplicate respondent id" in message
        assert "(first at row 3)" in message
