"""The official-tables migration: its downgrade removes the two tables and a new upgrade brings them back."""

from __future__ import annotations

import psycopg
from alembic.script import ScriptDirectory

from core.migrate import alembic_config, downgrade, upgrade
from tests.dbtools import create_database, drop_database

TABLES = {"official_table", "official_value"}


def present(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_downgrade_removes_the_official_tables_and_upgrade_restores_them(pg_admin_url: str) -> None:
    url = create_database(pg_admin_url)
    try:
        upgrade(url)
        assert TABLES <= present(url)
        before = ScriptDirectory.from_config(alembic_config(url)).get_revision("0005").down_revision
        downgrade(url, str(before))
        assert not TABLES & present(url) and "published_estimate" in present(url)
        upgrade(url)
        assert TABLES <= present(url)
    finally:
        drop_database(pg_admin_url, url)
