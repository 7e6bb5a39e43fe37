"""Official tables: read every snapshot through its mapping, then load the changed ones idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import psycopg

from etl.catalogue import Catalogue
from etl.errors import EtlError
from etl.load import data_relative
from etl.official.formats import read_official
from etl.official.mapping import TableMapping, harmonise_official, load_mapping, mapping_path
from etl.official.snapshot import SnapshotOnDisk, latest_snapshots


@dataclass(frozen=True)
class PreparedTable:
    mapping: TableMapping
    snapshot: SnapshotOnDisk
    rows: pd.DataFrame


def prepare_official(snapshot_dir: Path, mapping_dir: Path, catalogue: Catalogue) -> list[PreparedTable]:
    """Read and harmonise the newest snapshot of every table (no database involved)."""
    prepared = []
    for snap in latest_snapshots(snapshot_dir):
        mapping = load_mapping(mapping_path(mapping_dir, snap.snapshot.table), catalogue)
        if snap.snapshot.format != mapping.file_format:
            raise EtlError(f"the snapshot is {snap.snapshot.format} but the mapping expects {mapping.file_format}",
                           file=snap.folder / "snapshot.yaml", variable="format")
        table = read_official(snap.data_path, snap.snapshot.format)
        prepared.append(PreparedTable(mapping, snap, harmonise_official(table, mapping, snap.data_path)))
    return prepared


def load_official(conn: psycopg.Connection, tables: list[PreparedTable], data_dir: Path) -> list[str]:
    """Replace the cells of every table whose snapshot or mapping changed; returns the table ids loaded.

    Runs inside the caller's transaction: a failure leaves every official table as it was.
    """
    loaded = []
    for table in tables:
        mapping, snap = table.mapping, table.snapshot
        stored = conn.execute("SELECT sha256, mapping_sha256, snapshot_path FROM official_table WHERE table_id = %s",
                              (mapping.table,)).fetchone()
        snapshot_path = data_relative(snap.folder, data_dir)
        if stored and tuple(s.strip() for s in stored) == (snap.snapshot.sha256, mapping.sha256, snapshot_path):
            continue
        conn.execute("DELETE FROM official_table WHERE table_id = %s", (mapping.table,))
        table_key = conn.execute(
            """
            INSERT INTO official_table (table_id, country_code, publisher, title_en, obtained_by, file_format,
                snapshot_path, source_url, retrieved_at, sha256, mapping_path, mapping_sha256, unit, measure,
                licence, licence_url, citation, note, loaded_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id
            """,
            (mapping.table, mapping.country, mapping.publisher, mapping.title_en, snap.snapshot.obtained_by,
             snap.snapshot.format, snapshot_path, snap.snapshot.source_url, snap.snapshot.retrieved_at,
             snap.snapshot.sha256, data_relative(mapping.path, data_dir), mapping.sha256, mapping.unit, mapping.measure,
             snap.snapshot.licence, mapping.licence_url, snap.snapshot.citation, snap.snapshot.note,
             datetime.now(UTC)),
        ).fetchone()[0]
        rows = table.rows.astype(object).where(table.rows.notna(), None)
        with conn.cursor() as cur:
            cur.executemany(
                """
                INSERT INTO official_value (official_table_id, wave_label, government_level_code, sector_code,
                    size_band_code, indicator_code, option_code, value, ci_low, ci_high, status)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                """,
                [(table_key, r.wave, r.level, r.sector, r.size, r.indicator, r.option, r.value, r.ci_low, r.ci_high,
                  r.status) for r in rows.itertuples()],
            )
        loaded.append(mapping.table)
    # what the dashboard's cache keys depend on (its data version reads load_meta)
    conn.execute("""INSERT INTO load_meta (key, value)
                    SELECT 'official_tables', coalesce(string_agg(table_id || ':' || sha256 || ':' || mapping_sha256,
                                                                  ',' ORDER BY table_id), '') FROM official_table
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value""")
    return loaded
