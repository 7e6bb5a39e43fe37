"""Shared fixtures: a real PostgreSQL server (embedded, or TEST_DATABASE_URL), fresh databases per test.

- ``pg_admin_url``: the server (session); an embedded one in a temporary folder unless TEST_DATABASE_URL
  names a server whose user may create databases.
- ``empty_db``: a new database with the schema migrated, for tests that write.
- ``loaded_db``: one database per session with every bundled wave loaded, for read-only tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from core.config import get_settings
from core.database import start_embedded_server
from core.migrate import upgrade
from tests.dbtools import create_database, drop_database, with_database

TEMPLATE = "barometer_test_template"


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    pgdata = tmp_path_factory.mktemp("pg") / "data"
    server = start_embedded_server(pgdata, cleanup="delete")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def migrated_template(pg_admin_url: str) -> str:
    """A migrated, empty database used as the template of every ``empty_db`` (fast to copy)."""
    drop_database(pg_admin_url, with_database(pg_admin_url, TEMPLATE))
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
    upgrade(with_database(pg_admin_url, TEMPLATE))
    return TEMPLATE


@pytest.fixture
def empty_db(pg_admin_url: str, migrated_template: str) -> Iterator[str]:
    url = create_database(pg_admin_url, template=migrated_template)
    yield url
    drop_database(pg_admin_url, url)


@pytest.fixture(scope="session")
def loaded_db(pg_admin_url: str, migrated_template: str) -> str:
    """Every bundled wave loaded once; tests must not write to it."""
    from etl.pipeline import run_etl

    url = create_database(pg_admin_url, template=migrated_template)
    run_etl(url, settings=get_settings())
    return url


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return get_settings().data_dir


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server (Debian's) on a loopback port for this session; skipped only off CI when missing."""
    from tests.services import redis_server

    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
