"""Fixtures of the app tests: the Database of the app, the Flask test client, and a database loaded with a
large minimum cell size so that many cells are suppressed (the bundled data suppress almost nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from flask.testing import FlaskClient

from app.data.db import Database
from app.factory import create_app
from app.site.params import Known, known
from core.config import Settings
from core.roles import grant_readonly_role
from tests.dbtools import create_database

SUPPRESSION_MIN_N = 300  # Norway 2020: culture and leisure (245 units) falls below this, and more
READONLY_ROLE = "barometer_app_test_reader"


def app_settings(tmp: Path, **overrides) -> Settings:
    """Settings of a test app: its own cache folder, no READONLY_DATABASE_URL from the environment."""
    return Settings(cache_dir=tmp / "cache", readonly_database_url=None, public_url="https://barometer.example",
                    **overrides)


@pytest.fixture(scope="session")
def app_settings_session(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return app_settings(tmp_path_factory.mktemp("app"))


# Fixtures that own connection pools (threads) are module-scoped, so none outlives the app tests: later
# tests fork child processes, which is only safe in a process without stray threads.
@pytest.fixture(scope="module")
def db(loaded_db: str, app_settings_session: Settings) -> Iterator[Database]:
    """The app's Database on the fully loaded test database (no query cache, so SQL runs every time)."""
    database = Database(loaded_db, settings=app_settings_session)
    yield database
    database.close()


@pytest.fixture(scope="module")
def facts(db: Database) -> Known:
    return known(db)


@pytest.fixture(scope="module")
def dash_app(loaded_db: str, app_settings_session: Settings):
    app = create_app(loaded_db, settings=app_settings_session)
    yield app
    app.server.extensions["barometer_db"].close()


@pytest.fixture
def client(dash_app) -> FlaskClient:
    return dash_app.server.test_client()


@pytest.fixture(scope="session")
def suppressed_db(pg_admin_url: str, migrated_template: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Norway's waves loaded with MIN_CELL_N = 300: primary and complementary suppressions."""
    from etl.pipeline import run_etl

    url = create_database(pg_admin_url, template=migrated_template)
    settings = Settings(min_cell_n=SUPPRESSION_MIN_N, cache_dir=tmp_path_factory.mktemp("etl-cache"))
    run_etl(url, countries=["NO"], settings=settings)
    return url


@pytest.fixture(scope="session")
def suppression_min_n() -> int:
    return SUPPRESSION_MIN_N


@pytest.fixture(scope="module")
def suppressed_app_db(suppressed_db: str, app_settings_session: Settings) -> Iterator[Database]:
    database = Database(suppressed_db, settings=app_settings_session)
    yield database
    database.close()


@pytest.fixture(scope="module")
def suppressed_client(suppressed_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    app = create_app(suppressed_db, settings=app_settings(tmp_path_factory.mktemp("supp")))
    yield app.server.test_client()
    app.server.extensions["barometer_db"].close()


@pytest.fixture(scope="session")
def readonly_url(loaded_db: str) -> str:
    """A login role that may read aggregates only (barometer db grant-readonly), on the loaded database."""
    with psycopg.connect(loaded_db) as conn, conn.transaction():
        grant_readonly_role(conn, READONLY_ROLE, "app-reader-secret")
    parts = urlsplit(loaded_db)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{READONLY_ROLE}:app-reader-secret@{host}"))
