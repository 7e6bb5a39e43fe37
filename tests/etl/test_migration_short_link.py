"""Migration 0006 adds the short_link table (addresses of views, nothing else) and removes it on downgrade."""

from __future__ import annotations

import psycopg
import pytest

from core.migrate import downgrade, upgrade


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_short_link_table_down_and_up(empty_db: str) -> None:
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("INSERT INTO short_link (code, target) VALUES ('Ab12Cd3', '/en/compare')")
        for code, target in (("no-dash", "/en/"), ("Ab12Cd4", "https://elsewhere.example/"), ("x", "/en/")):
            with pytest.raises(psycopg.errors.CheckViolation):
                conn.execute("INSERT INTO short_link (code, target) VALUES (%s, %s)", (code, target))
        with pytest.raises(psycopg.errors.UniqueViolation):  # one code per address
            conn.execute("INSERT INTO short_link (code, target) VALUES ('Zz99Yy8', '/en/compare')")
    downgrade(empty_db, "0003")
    assert "short_link" not in tables(empty_db)
    upgrade(empty_db)
    assert "short_link" in tables(empty_db)
