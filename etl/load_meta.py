"""Checksums of the files a load wrote (table load_meta): a file whose checksum is stored is not loaded again."""

from __future__ import annotations

import psycopg


def already_loaded(conn: psycopg.Connection, key: str, checksum: str) -> bool:
    """True when the file stored under ``key`` had this checksum."""
    stored = conn.execute("SELECT value FROM load_meta WHERE key = %s", (key,)).fetchone()
    return bool(stored) and stored[0] == checksum


def record_loaded(conn: psycopg.Connection, key: str, checksum: str) -> None:
    conn.execute("INSERT INTO load_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 (key, checksum))
