"""Running `barometer` as a real process, the way a person does, for tests that race or kill runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.config import PROJECT_ROOT


def barometer_env(database_url: str | None, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "BAROMETER_DATA": str(data_dir), "COLUMNS": "200", **extra}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def start_barometer(args: list[str], env: dict[str, str], **popen: object) -> subprocess.Popen:
    """`barometer ARGS` as a child process with its output captured as text."""
    command = [sys.executable, "-c", "from barometer.cli import main; main()", *args]
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    return subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, text=True, **options)


def children_of(pid: int) -> list[int]:
    """Every live process whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found
