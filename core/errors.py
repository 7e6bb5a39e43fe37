"""Errors shared by every layer."""

from __future__ import annotations


class DatabaseUnavailable(RuntimeError):
    """Raised with a message a person can act on when no database can be reached."""


class ServerStillRunning(RuntimeError):
    """The embedded server did not stop when asked to."""


def describe_database_error(error: BaseException) -> str:
    """One line for a database error (psycopg's SQLSTATE and primary message), or the error's first line."""
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None) or (str(error).strip().splitlines() or [type(error).__name__])[0]
    sqlstate = getattr(error, "sqlstate", None)
    return f"the database reported an error [{sqlstate}]: {primary}" if sqlstate else primary
