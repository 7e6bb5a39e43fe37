"""Migration 0004 (published figure provenance) moves existing figures forward and back."""

from __future__ import annotations

import psycopg

from core.config import get_settings
from core.migrate import downgrade, upgrade
from etl.catalogue import get_catalogue
from etl.published import figures_checksum, load_published, load_published_figures
from etl.reference import catalogue_checksum, load_reference

SETTINGS = get_settings()


def _load_figures(url: str) -> None:
    catalogue = get_catalogue()
    figures = load_published_figures(SETTINGS.published_figures_file, catalogue)
    with psycopg.connect(url) as conn, conn.transaction():
        load_reference(conn, catalogue, catalogue_checksum(SETTINGS.catalogue_dir))
        load_published(conn, figures, figures_checksum(SETTINGS.published_figures_file))


def test_downgrade_keeps_waved_figures_and_upgrade_reloads_the_rest(empty_db: str) -> None:
    _load_figures(empty_db)
    with psycopg.connect(empty_db) as conn:
        total, unstated = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE wave_label IS NULL) FROM published_estimate").fetchone()
        assert unstated > 0
        assert conn.execute("SELECT unit, scope FROM published_estimate WHERE id = 'no-2018-partner-own-org'"
                            ).fetchone() == ("innovations", "Norwegian municipalities only (county authorities "
                                             "excluded); KS 2018 covers health/care and education")

    downgrade(empty_db, "0003")
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT count(*) FROM published_estimate").fetchone()[0] == total - unstated
        columns = {r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'published_estimate'")}
        assert not {"unit", "scope", "quote", "wave_as_published"} & columns

    upgrade(empty_db)
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT count(*) FROM load_meta WHERE key = 'published_sha256'").fetchone()[0] == 0
    _load_figures(empty_db)  # the cleared checksum makes the next run reload the file
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT count(*) FROM published_estimate").fetchone()[0] == total
