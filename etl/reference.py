"""Load the harmonised catalogue (codes and their labels) into the reference tables, idempotently."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg

from core.config import LANGUAGES
from etl.catalogue import Catalogue


def catalogue_checksum(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _upsert(conn: psycopg.Connection, sql: str, rows: list[tuple]) -> None:
    with conn.cursor() as cur:
        cur.executemany(sql, rows)


def catalogue_is_current(conn: psycopg.Connection, checksum: str) -> bool:
    """Whether the catalogue with this checksum is the one loaded (reads only)."""
    stored = conn.execute("SELECT value FROM load_meta WHERE key = 'catalogue_sha256'").fetchone()
    return bool(stored) and stored[0] == checksum


def _load_cross_tabs(conn: psycopg.Connection, catalogue: Catalogue) -> None:
    """The declared cross-tabs; one no longer declared, or declared differently, goes first with its cells."""
    declared = {(code, tab.rows, tab.columns, tab.base) for code, tab in catalogue.cross_tabs.items()}
    stored = {tuple(row) for row in conn.execute("SELECT code, row_indicator, column_indicator, base FROM cross_tab")}
    for code, *_ in stored - declared:
        conn.execute("DELETE FROM cross_tab WHERE code = %s", (code,))
    _upsert(conn, "INSERT INTO cross_tab VALUES (%s, %s, %s, %s, %s) ON CONFLICT (code) DO UPDATE "
            "SET sort_order = excluded.sort_order",
            [(code, tab.rows, tab.columns, tab.base, i) for i, (code, tab) in enumerate(catalogue.cross_tabs.items())])


def load_reference(conn: psycopg.Connection, catalogue: Catalogue, checksum: str) -> bool:
    """Upsert every code and label; returns False when the catalogue is already loaded unchanged."""
    if catalogue_is_current(conn, checksum):
        return False
    _upsert(conn, "INSERT INTO language VALUES (%s) ON CONFLICT DO NOTHING", [(lang,) for lang in LANGUAGES])
    _upsert(conn, "INSERT INTO country (code, name_native, sort_order, colour, tile_row, tile_column, language) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (code) DO UPDATE SET name_native = excluded.name_native, "
            "sort_order = excluded.sort_order, colour = excluded.colour, tile_row = excluded.tile_row, "
            "tile_column = excluded.tile_column, language = excluded.language",
            [(code, c.native, i, c.colour, *c.tile, c.language)
             for i, (code, c) in enumerate(catalogue.countries.items())])
    for table, codes in (("government_level", catalogue.government_levels), ("sector", catalogue.sectors),
                         ("size_band", catalogue.size_bands), ("topic", catalogue.topics)):
        _upsert(conn, f"INSERT INTO {table} VALUES (%s, %s) ON CONFLICT (code) DO UPDATE SET "
                "sort_order = excluded.sort_order", [(code, i) for i, code in enumerate(codes)])
    _upsert(conn, "INSERT INTO unit_of_observation VALUES (%s) ON CONFLICT DO NOTHING",
            [(code,) for code in catalogue.units_of_observation])

    indicator_rows, option_rows = [], []
    for i, ind in enumerate(catalogue.indicators.values()):
        derivation = (f"yes when {ind.derived_source} is any of {', '.join(ind.derived_yes_when_any_of)}"
                      if ind.is_derived else None)
        indicator_rows.append((ind.code, ind.topic, ind.response_type, ind.base, derivation, ind.question_en, i))
        for j, opt in enumerate(ind.options):
            opt_derivation = f"any of {', '.join(opt.derived_any_of)}" if opt.derived_any_of else None
            option_rows.append((ind.code, opt.code, opt_derivation, j))
    _upsert(conn, """INSERT INTO indicator VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (code) DO UPDATE
            SET topic_code = excluded.topic_code, response_type = excluded.response_type, base = excluded.base,
                derivation = excluded.derivation, question_en = excluded.question_en,
                sort_order = excluded.sort_order""", indicator_rows)
    _upsert(conn, """INSERT INTO indicator_option VALUES (%s, %s, %s, %s)
            ON CONFLICT (indicator_code, option_code) DO UPDATE
            SET derivation = excluded.derivation, sort_order = excluded.sort_order""", option_rows)

    _load_cross_tabs(conn, catalogue)

    labels: list[tuple[str, str, str, str]] = []
    kinds = (("country", catalogue.country_labels), ("government_level", catalogue.government_levels),
             ("sector", catalogue.sectors), ("size_band", catalogue.size_bands),
             ("unit_of_observation", catalogue.units_of_observation), ("topic", catalogue.topics))
    for kind, codes in kinds:
        labels += [(kind, code, lang, texts[lang]) for code, texts in codes.items() for lang in LANGUAGES]
    for ind in catalogue.indicators.values():
        labels += [("indicator", ind.code, lang, ind.labels[lang]) for lang in LANGUAGES]
        labels += [("question", ind.code, lang, ind.question[lang]) for lang in LANGUAGES]
        labels += [("option", f"{ind.code}.{opt.code}", lang, opt.labels[lang])
                   for opt in ind.options for lang in LANGUAGES]
    _upsert(conn, "INSERT INTO label VALUES (%s, %s, %s, %s) ON CONFLICT (kind, code, lang) DO UPDATE "
            "SET text = excluded.text", labels)
    conn.execute("INSERT INTO load_meta VALUES ('catalogue_sha256', %s) ON CONFLICT (key) DO UPDATE "
                 "SET value = excluded.value", (checksum,))
    return True
