"""Fixtures of the hardening tests: the app on the fully loaded test database, a database loaded with a high
minimum cell size (many suppressed cells, Nordic averages with countries left out) and a read-only role.

The loaded database (tests/conftest.py ``loaded_db``) is shared with the other suites and never written to,
except for the login role created here (roles belong to the server, not to one database).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from flask.testing import FlaskClient
from hardening_helpers import READER_PASSWORD, READER_ROLE, OwnServer, close_app_database, hardening_settings
from psycopg import sql

from app.data.db import Database
from app.factory import create_app
from core.config import Settings
from core.database import ensure_database
from core.migrate import upgrade
from core.roles import grant_readonly_role

STRICT_MIN_N = 150  # Iceland, Finland and Sweden: whole levels and sectors fall below this
STRICT_COUNTRIES = ["IS", "FI", "SE"]


@pytest.fixture(scope="session")
def hard_app(loaded_db: str, tmp_path_factory: pytest.TempPathFactory):
    """The dashboard on the fully loaded database (MIN_CELL_N = 10, as shipped)."""
    app = create_app(loaded_db, settings=hardening_settings(tmp_path_factory.mktemp("hard-app")))
    yield app
    close_app_database(app)


@pytest.fixture
def hclient(hard_app) -> FlaskClient:
    return hard_app.server.test_client()


@pytest.fixture(scope="session")
def strict_db(pg_admin_url: str, migrated_template: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """IS, FI and SE loaded with MIN_CELL_N = 150: primary and complementary suppression in estimates, the
    cross-tab and the inputs of the Nordic average."""
    from etl.pipeline import run_etl

    name = f"t_strict_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                     sql.Identifier(migrated_template)))
    info = psycopg.conninfo.conninfo_to_dict(pg_admin_url)
    url = psycopg.conninfo.make_conninfo(**{**info, "dbname": name})
    settings = Settings(min_cell_n=STRICT_MIN_N, cache_dir=tmp_path_factory.mktemp("strict-etl"))
    run_etl(url, countries=STRICT_COUNTRIES, settings=settings)
    return url


@pytest.fixture(scope="session")
def strict_min_n() -> int:
    return STRICT_MIN_N


@pytest.fixture(scope="session")
def strict_app(strict_db: str, tmp_path_factory: pytest.TempPathFactory):
    app = create_app(strict_db, settings=hardening_settings(tmp_path_factory.mktemp("strict-app")))
    yield app
    close_app_database(app)


@pytest.fixture
def strict_client(strict_app) -> FlaskClient:
    return strict_app.server.test_client()


def url_as_user(url: str, user: str, password: str) -> str:
    """``url`` with its user (and password) replaced."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


@pytest.fixture(scope="session")
def reader_url(loaded_db: str) -> Iterator[str]:
    """A role made by core.roles.grant_readonly_role on the loaded database: aggregates only."""
    with psycopg.connect(loaded_db) as conn, conn.transaction():
        grant_readonly_role(conn, READER_ROLE, READER_PASSWORD)
    yield url_as_user(loaded_db, READER_ROLE, READER_PASSWORD)
    with psycopg.connect(loaded_db, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (READER_ROLE,))
        conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(READER_ROLE)))
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(READER_ROLE)))


@pytest.fixture(scope="session")
def loaded_database(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The app's Database on the loaded database, without a query cache."""
    database = Database(loaded_db, settings=hardening_settings(tmp_path_factory.mktemp("hard-db")))
    yield database
    database.close()


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OwnServer, str]]:
    """An embedded server of this module's own, which its tests may stop and start, with Iceland loaded."""
    from etl.pipeline import run_etl

    server = OwnServer(tmp_path_factory.mktemp("fault-pg") / "data")
    ensure_database(server.url(None), "faults")
    url = server.url("faults")
    upgrade(url)
    run_etl(url, countries=["IS"], settings=Settings(cache_dir=tmp_path_factory.mktemp("fault-etl")))
    yield server, url
    server.start()  # a test that failed half-way may have left it stopped
    server.server.cleanup()
