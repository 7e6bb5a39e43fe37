"""A run killed with SIGKILL while it reads waves leaves no worker process behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from core.config import get_settings
from tests.bad_inputs import corpus
from tests.processes import barometer_env, children_of, start_barometer

GRACE_S = 5


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children_of(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def two_wave_data_dir(root: Path) -> Path:
    """DK 2018-19 (SPSS, read in a grandchild) and NO 2020 (Excel): two waves, so readers run in parallel."""
    corpus.dk_data_dir(root)
    bundled = get_settings().data_dir
    shutil.copy(bundled / "codebooks" / "no" / "2020.yaml", corpus._mkparent(root / "codebooks" / "no" / "2020.yaml"))
    source = next(p for p in (bundled / "raw" / "demo" / "no").iterdir() if "2020" in p.name)
    shutil.copy(source, corpus._mkparent(root / "raw" / "demo" / "no" / source.name))
    return root


@pytest.mark.slow
def test_workers_die_with_a_run_killed_mid_read(empty_db: str, tmp_path: Path) -> None:
    data_dir = two_wave_data_dir(tmp_path / "data")
    # no pipes: a surviving worker would hold them open
    run = start_barometer(["etl", "run"], barometer_env(empty_db, data_dir, ETL_WORKERS="2"),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and run.poll() is None and time.monotonic() < deadline:
        workers |= descendants(run.pid)
        time.sleep(0.01)
    time.sleep(0.2)
    workers |= descendants(run.pid)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert len(workers) >= 2, "the run ended before its readers could be seen"

    time.sleep(GRACE_S)

    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:  # leave the machine clean even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
