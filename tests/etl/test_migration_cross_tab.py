"""Migration 0003 moves the type x value cells between the old table and the generic cross-tab table."""

from __future__ import annotations

import psycopg

from core.config import get_settings
from core.migrate import downgrade, upgrade
from etl.pipeline import run_etl

CELLS = ("government_level_code, sector_code, n_unweighted, n_effective, share, ci_low, ci_high, suppressed, "
         "suppression")


def fetch(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return sorted(conn.execute(query).fetchall(), key=repr)


def test_the_cross_tab_cells_survive_a_downgrade_and_an_upgrade(empty_db: str) -> None:
    settings = get_settings()
    run_etl(empty_db, codebook_paths=[settings.codebook_dir / "se" / "2018.yaml"], settings=settings)
    cross_tab = (f"SELECT wave_id, row_option, column_option, {CELLS} FROM cross_tab_estimate "
                 "WHERE cross_tab_code = 'type_value'")
    before = fetch(empty_db, cross_tab)
    assert len(before) > 100 and any(row[-2] for row in before)

    downgrade(empty_db, "0002")
    assert fetch(empty_db, f"SELECT wave_id, type_code, value_code, {CELLS} FROM type_value_estimate") == before
    assert fetch(empty_db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'country' "
                           "AND column_name = 'colour'") == [(0,)]

    upgrade(empty_db)
    assert fetch(empty_db, cross_tab) == before
    assert fetch(empty_db, "SELECT count(*) FROM load_meta WHERE key = 'catalogue_sha256'") == [(0,)]
    # the cleared catalogue checksum makes the next run write the countries' columns and every cross-tab
    assert [r.status for r in run_etl(empty_db, countries=["SE"], settings=settings)] == ["loaded"]
    assert fetch(empty_db, "SELECT colour, tile_row, tile_column FROM country WHERE code = 'SE'") == [("#E69F00", 1, 4)]
    assert fetch(empty_db, cross_tab) == before
    assert fetch(empty_db, "SELECT count(*) > 0 FROM cross_tab_estimate WHERE cross_tab_code = 'type_partner'") == [
        (True,)]
