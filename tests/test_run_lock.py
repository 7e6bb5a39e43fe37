"""One run writes at a time: concurrent `barometer etl run`s never interleave, and exit codes tell the truth.

A second run waits for the first (saying so), or with --no-wait exits 1 naming the reason. A database
error is a message and exit 1, never a traceback (unless --debug asks for one).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from barometer.cli import app
from core.database import RUN_LOCK_NAME
from tests.bad_inputs import corpus
from tests.dbtools import create_database, drop_database
from tests.processes import barometer_env, start_barometer
from tests.test_bad_inputs import DK_KEY, table_checksums

PAIRS = 20
WAITING = "another run that writes to this database is in progress; waiting for it to finish"
VOLATILE = ("id", "loaded_at")  # serial ids and load times differ between two correct loads


@pytest.fixture(scope="module")
def dk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small wave (DK 2018-19) with the catalogue and published figures."""
    return corpus.dk_data_dir(tmp_path_factory.mktemp("dk"))


@pytest.fixture(scope="module")
def one_run_result(pg_admin_url: str, migrated_template: str, dk_dir: Path) -> Iterator[dict[str, str]]:
    """Table checksums after a single run on an empty database: what any number of runs must leave."""
    url = create_database(pg_admin_url, template=migrated_template)
    result = CliRunner().invoke(app, ["etl", "run"], env={"DATABASE_URL": url, "BAROMETER_DATA": str(dk_dir)})
    assert result.exit_code == 0, result.output
    yield table_checksums(url, without=VOLATILE)
    drop_database(pg_admin_url, url)


@pytest.mark.slow
def test_two_runs_started_together_both_succeed_and_leave_one_runs_result(
    pg_admin_url: str, migrated_template: str, dk_dir: Path, one_run_result: dict[str, str]
) -> None:
    waited = 0
    for attempt in range(PAIRS):
        url = create_database(pg_admin_url, template=migrated_template)
        try:
            env = barometer_env(url, dk_dir)
            runs = [start_barometer(["etl", "run"], env) for _ in range(2)]
            outputs = [run.communicate(timeout=240) for run in runs]
            for run, (stdout, stderr) in zip(runs, outputs, strict=True):
                assert run.returncode == 0, f"pair {attempt}: {stdout}{stderr}"
                assert "Traceback" not in stderr, stderr
            statuses = sorted("loaded" if "loaded" in out else "unchanged" for out, _ in outputs)
            # exactly one run loaded the wave; the other found it loaded (having waited, or started after)
            assert statuses == ["loaded", "unchanged"], outputs
            waited += sum(WAITING in " ".join(err.split()) for _, err in outputs)
            assert table_checksums(url, without=VOLATILE) == one_run_result, f"pair {attempt}"
        finally:
            drop_database(pg_admin_url, url)
    assert waited >= 1  # the runs did overlap at least once, so the lock was exercised


def test_a_run_waits_for_the_lock_and_says_so(empty_db: str, dk_dir: Path) -> None:
    with psycopg.connect(empty_db, autocommit=True) as other_run:
        other_run.execute("SELECT pg_advisory_lock(hashtext(%s))", (RUN_LOCK_NAME,))
        waiting = start_barometer(["etl", "run"], barometer_env(empty_db, dk_dir))
        with pytest.raises(Exception, match="timed out"):
            waiting.communicate(timeout=8)  # still waiting while the lock is held
        with psycopg.connect(empty_db) as conn:
            assert conn.execute("SELECT count(*) FROM survey_wave").fetchone()[0] == 0
    stdout, stderr = waiting.communicate(timeout=240)
    assert waiting.returncode == 0, stdout + stderr
    assert WAITING in " ".join(stderr.split())
    assert "loaded" in stdout


def test_no_wait_exits_1_when_another_run_is_in_progress(dk_db_empty: str, dk_dir: Path) -> None:
    before = table_checksums(dk_db_empty)
    with psycopg.connect(dk_db_empty, autocommit=True) as other_run:
        other_run.execute("SELECT pg_advisory_lock(hashtext(%s))", (RUN_LOCK_NAME,))
        refused = CliRunner().invoke(app, ["etl", "run", "--no-wait"],
                                     env={"DATABASE_URL": dk_db_empty, "BAROMETER_DATA": str(dk_dir)})
    message = " ".join(refused.output.split())
    assert refused.exit_code == 1, refused.output
    assert message.startswith("error: another run that writes to this database is in progress")
    assert "Traceback" not in refused.output
    assert table_checksums(dk_db_empty) == before


@pytest.fixture
def dk_db_empty(empty_db: str) -> str:
    return empty_db


def _refuse_new_waves(url: str) -> None:
    """A trigger that makes the server refuse any new wave: a real database error in the middle of a run."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                     "$$ BEGIN RAISE EXCEPTION 'disk quota exceeded' USING ERRCODE = '53100'; END $$")
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON survey_wave FOR EACH ROW EXECUTE FUNCTION refuse()")


def test_a_database_error_is_a_message_and_exit_1(empty_db: str, dk_dir: Path) -> None:
    _refuse_new_waves(empty_db)

    result = CliRunner().invoke(app, ["etl", "run"], env={"DATABASE_URL": empty_db, "BAROMETER_DATA": str(dk_dir)})

    message = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert message.startswith("error: "), result.output
    assert "the database reported an error [53100]: disk quota exceeded" in message
    assert f"Not loaded, left as they were: {DK_KEY}" in message
    assert "Run with --debug for the traceback" in message
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, psycopg.Error)


def test_debug_shows_the_database_error_itself(empty_db: str, dk_dir: Path) -> None:
    _refuse_new_waves(empty_db)

    result = CliRunner().invoke(app, ["--debug", "etl", "run"],
                                env={"DATABASE_URL": empty_db, "BAROMETER_DATA": str(dk_dir)})

    assert result.exit_code == 1
    assert isinstance(result.exception, psycopg.errors.DiskFull), result.output
