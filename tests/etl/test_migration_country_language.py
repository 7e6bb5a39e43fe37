"""Migration 0010 gives each country the language its questionnaires are written in: the upgrade fills it for the
countries already stored, the ETL writes it from dimensions.yaml, and the downgrade drops the column."""

from __future__ import annotations

import psycopg

from core.config import get_settings
from core.migrate import downgrade, upgrade
from etl.catalogue import load_catalogue
from etl.pipeline import run_etl

LANGUAGES = [("DK", "da"), ("FI", "fi"), ("IS", "is"), ("NO", "nb"), ("SE", "sv")]


def fetch(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return sorted(conn.execute(query).fetchall())


def columns_of_country(url: str) -> set[str]:
    return {name for (name,) in fetch(url, "SELECT column_name FROM information_schema.columns "
                                           "WHERE table_name = 'country'")}


def test_the_catalogue_names_each_countrys_language() -> None:
    countries = load_catalogue(get_settings().catalogue_dir).countries
    assert sorted((code, c.language) for code, c in countries.items()) == LANGUAGES


def test_upgrade_downgrade_upgrade_on_a_fresh_database(empty_db: str) -> None:
    assert "language" in columns_of_country(empty_db)
    downgrade(empty_db, "0009")
    assert "language" not in columns_of_country(empty_db)
    upgrade(empty_db)
    assert "language" in columns_of_country(empty_db) and fetch(empty_db, "SELECT * FROM country") == []


def test_upgrade_fills_the_stored_countries_and_the_next_run_writes_the_catalogues(empty_db: str) -> None:
    settings = get_settings()
    run_etl(empty_db, codebook_paths=[settings.codebook_dir / "is" / "2021.yaml"], settings=settings)
    assert fetch(empty_db, "SELECT code, language FROM country") == LANGUAGES

    downgrade(empty_db, "0009")
    assert "language" not in columns_of_country(empty_db)
    assert len(fetch(empty_db, "SELECT code FROM country")) == len(LANGUAGES)  # the countries stay

    upgrade(empty_db)
    assert fetch(empty_db, "SELECT code, language FROM country") == LANGUAGES
    # the upgrade marks the catalogue as not yet loaded, so the next run writes the languages from the YAML
    assert fetch(empty_db, "SELECT count(*) FROM load_meta WHERE key = 'catalogue_sha256'") == [(0,)]
    with psycopg.connect(empty_db) as conn:
        conn.execute("UPDATE country SET language = NULL")
    run_etl(empty_db, countries=["IS"], settings=settings)
    assert fetch(empty_db, "SELECT code, language FROM country") == LANGUAGES
