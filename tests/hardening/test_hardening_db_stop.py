"""`barometer db stop` and the embedded server's pid file, as a careless operator meets them.

A server that did not stop cleanly leaves postmaster.pid behind; once its pid is reused by another program,
`db stop` must not signal that program (it exited 1 "still runs"), and every command must name the stale
file and the fix (they failed with "connection is bad"). Stopping the server while an ETL copies rows must
give the ETL's own error, without a stray line from psycopg ("error ignored terminating <psycopg.Copy [BAD]>").
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from etl.load import copy_frames
from tests.processes import barometer_env, start_barometer


def barometer(args: list[str], pgdata: Path) -> tuple[int, str]:
    run = start_barometer(args, barometer_env(None, Path("data"), BAROMETER_PGDATA=str(pgdata)))
    out, err = run.communicate(timeout=180)
    return run.returncode, " ".join((out + err).split())


@pytest.fixture
def stranger() -> Iterator[subprocess.Popen]:
    """A live program that is not PostgreSQL (it gets the stale file's pid)."""
    process = subprocess.Popen(["sleep", "300"])
    yield process
    process.kill()
    process.wait()


@pytest.mark.slow
def test_db_stop_never_signals_a_reused_pid_and_every_command_names_the_stale_file(
        tmp_path: Path, stranger: subprocess.Popen) -> None:
    pgdata = tmp_path / "pg" / "data"
    code, said = barometer(["db", "url"], pgdata)  # starts the embedded server
    assert code == 0, said
    pid_file = pgdata / "postmaster.pid"
    lines = pid_file.read_text().splitlines()
    code, said = barometer(["db", "stop"], pgdata)
    assert code == 0 and "embedded server stopped" in said, said
    # the server was killed, say, and its pid now belongs to another program
    pid_file.write_text("\n".join([str(stranger.pid), *lines[1:]]) + "\n")

    code, said = barometer(["db", "stop"], pgdata)
    assert code == 0, said
    assert f"no embedded server runs on {pgdata}" in said
    assert f"{pid_file} is stale: it names pid {stranger.pid}, which is now 'sleep'" in said
    assert f"rm {pid_file}" in said
    assert stranger.poll() is None, "db stop signalled a program that is not the server"

    code, said = barometer(["db", "url"], pgdata)
    assert code == 1 and f"{pid_file} is stale" in said and f"rm {pid_file}" in said, said
    assert "connection is bad" not in said

    pid_file.unlink()  # the fix, as the message says
    code, said = barometer(["db", "url"], pgdata)
    assert code == 0, said
    code, said = barometer(["db", "stop"], pgdata)
    assert code == 0 and "embedded server stopped" in said, said
    assert stranger.poll() is None


def test_a_copy_cut_off_by_a_stopping_server_leaves_no_stray_line(empty_db: str, pg_admin_url: str,
                                                                  caplog: pytest.LogCaptureFixture,
                                                                  capfd: pytest.CaptureFixture[str]) -> None:
    """A fast shutdown (`db stop`) terminates every backend: here the one an ETL load is copying rows through."""
    caplog.set_level(logging.DEBUG, logger="psycopg")
    with psycopg.connect(empty_db) as conn:
        conn.execute("CREATE TEMP TABLE copied (n integer)")
        backend = conn.info.backend_pid

        def frames() -> Iterator[pd.DataFrame]:
            yield pd.DataFrame({"n": range(1_000)})
            with psycopg.connect(pg_admin_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
            time.sleep(0.2)
            for _ in range(20):
                yield pd.DataFrame({"n": range(100_000)})

        with pytest.raises(psycopg.OperationalError):
            copy_frames(conn, "copied", frames(), ["n"])
    assert not [r.getMessage() for r in caplog.records if "error ignored" in r.getMessage()]
    assert "error ignored" not in capfd.readouterr().err
