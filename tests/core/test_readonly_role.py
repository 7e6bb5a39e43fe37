"""The dashboard's read-only role reads aggregates and can neither read microdata nor write."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from core.roles import grant_readonly_role


def as_role(url: str, role: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}:{password}@{host}"))


@pytest.fixture
def readonly_url(loaded_db: str) -> str:
    with psycopg.connect(loaded_db) as conn, conn.transaction():
        grant_readonly_role(conn, "barometer_test_reader", "reader-secret")
    return as_role(loaded_db, "barometer_test_reader", "reader-secret")


def test_reads_aggregates(readonly_url: str, loaded_db: str) -> None:
    with psycopg.connect(loaded_db) as conn:
        expected = conn.execute("SELECT count(*) FROM estimate").fetchone()[0]
    with psycopg.connect(readonly_url) as conn:
        assert conn.execute("SELECT count(*) FROM estimate").fetchone()[0] == expected > 0


@pytest.mark.parametrize("table", ["respondent", "answer"])
def test_cannot_read_workplace_rows(readonly_url: str, table: str) -> None:
    with psycopg.connect(readonly_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f"SELECT * FROM {table} LIMIT 1")


def test_cannot_write(readonly_url: str) -> None:
    with psycopg.connect(readonly_url) as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("DELETE FROM estimate")
