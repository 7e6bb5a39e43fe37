"""Cross-tabs declared in the catalogue (etl/cross_tab.py), checked by hand and against the raw files.

A cross-tab is data: declaring one in data/catalogue/indicators.yaml is all it takes for every wave that
asked both questions to get its cells, with the statistics and suppression of every other estimate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest

from core.config import Settings, get_settings
from etl.catalogue import BaseDef, CrossTabDef, get_catalogue
from etl.codebook import discover_codebooks
from etl.cross_tab import compute_cross_tab, cross_tab_answers
from etl.harmonise import Harmonised
from etl.pipeline import run_etl
from tests.bad_inputs import corpus
from tests.independent import CELL_COLUMNS, independent_cross_tab, read_codebook

CODEBOOKS = discover_codebooks(get_settings().codebook_dir)
KEYS = ["row_option", "column_option", "government_level_code", "sector_code"]
TYPE_VALUE = CrossTabDef(rows="innovation_type", columns="value", base="innovative_units")
INNOVATIVE = BaseDef(indicator="innovative", option="yes")


def test_a_small_cross_tab_by_hand() -> None:
    respondents = pd.DataFrame({
        "national_id": ["a", "b", "c", "d"], "government_level_code": ["state"] * 4,
        "sector_code": ["health_care"] * 4, "size_band_code": [None] * 4, "weight": [1.0, 1.0, 2.0, 1.0]})
    answers = pd.DataFrame([
        # a, b, c introduced services; a and c also processes; d introduced nothing
        ("a", "innovation_type", "service", True), ("a", "innovation_type", "process", True),
        ("b", "innovation_type", "service", True), ("b", "innovation_type", "process", False),
        ("c", "innovation_type", "service", True), ("c", "innovation_type", "process", True),
        ("d", "innovation_type", "service", False), ("d", "innovation_type", "process", False),
        *[(unit, "innovative", "yes", True) for unit in "abc"], ("d", "innovative", "yes", False),
        ("a", "value", "quality", True), ("b", "value", "quality", False), ("c", "value", "quality", True),
    ], columns=["national_id", "indicator_code", "option_code", "selected"])
    pairs = cross_tab_answers(answers, TYPE_VALUE, INNOVATIVE)
    assert len(pairs) == 5  # 3 units x service + 2 units x process, each with its quality answer
    cells = compute_cross_tab(Harmonised(respondents, answers, 0), "type_value", TYPE_VALUE, INNOVATIVE,
                              min_n=1, z=1.96)
    total = cells[(cells.government_level_code == "all") & (cells.sector_code == "all")].set_index(
        ["row_option", "column_option"])
    assert total.loc[("service", "quality"), "share"] == pytest.approx(3 / 4)  # weights a=1, b=1, c=2
    assert total.loc[("service", "quality"), "n_unweighted"] == 3
    assert total.loc[("process", "quality"), "share"] == pytest.approx(1.0)
    assert set(total["row_indicator"]) == {"innovation_type"} and set(total["column_indicator"]) == {"value"}
    suppressed = compute_cross_tab(Harmonised(respondents, answers, 0), "type_value", TYPE_VALUE, INNOVATIVE,
                                   min_n=3, z=1.96)
    hidden = suppressed[suppressed.row_option == "process"]
    assert hidden.suppressed.all() and hidden.share.isna().all()
    # a unit outside the base never enters a cell, whatever it answered
    outside = answers.assign(selected=answers.selected.where(
        ~((answers.national_id == "c") & (answers.indicator_code == "innovative")), False))
    assert set(cross_tab_answers(outside, TYPE_VALUE, INNOVATIVE).national_id) == {"a", "b"}


def stored_cross_tab(url: str, codebook_path: Path, code: str) -> pd.DataFrame:
    wave = read_codebook(codebook_path)["wave"]
    with psycopg.connect(url) as conn:
        cur = conn.execute(
            """
            SELECT t.row_option, t.column_option, t.government_level_code, t.sector_code, t.n_unweighted,
                   t.n_effective, t.share, t.ci_low, t.ci_high, t.suppressed, t.suppression
            FROM cross_tab_estimate t JOIN survey_wave w ON w.id = t.wave_id JOIN source_file f ON f.wave_id = w.id
            WHERE t.cross_tab_code = %s AND w.country_code = %s AND w.programme = %s AND w.wave_label = %s
            """,
            (code, wave["country"], wave["programme"], str(wave["wave_label"])),
        )
        return pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])


def lone_suppressions(cells: pd.DataFrame) -> list[tuple]:
    """Margins (a level's sectors, or a sector's levels, with their total) holding exactly one suppressed cell."""
    lone = []
    for fixed in ("government_level_code", "sector_code"):
        for key, margin in cells.groupby(["row_option", "column_option", fixed]):
            if len(margin) >= 2 and int(margin["suppressed"].sum()) == 1:
                lone.append((fixed, key))
    return lone


def assert_matches_independent(stored: pd.DataFrame, expected: pd.DataFrame, min_n: int) -> None:
    """Same cells, same n, figures to 1e-9, primary suppression below ``min_n``, no lone suppressed cell."""
    merged = stored.merge(expected, on=KEYS, how="outer", suffixes=("", "_expected"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][KEYS + ["_merge"]].head()
    np.testing.assert_array_equal(merged["n_unweighted"], merged["n_unweighted_expected"])
    np.testing.assert_allclose(merged["n_effective"], merged["n_effective_expected"], rtol=1e-12)
    shown, hidden = merged[~merged["suppressed"]], merged[merged["suppressed"]]
    assert len(shown) > 0
    for column in CELL_COLUMNS[2:]:
        np.testing.assert_allclose(shown[column], shown[f"{column}_expected"], rtol=0, atol=1e-9)
    assert hidden[["share", "ci_low", "ci_high"]].isna().all().all()
    assert (shown["n_unweighted"] >= min_n).all()
    assert (hidden.loc[hidden["n_unweighted"] < min_n, "suppression"] == "primary").all()
    assert (hidden.loc[hidden["n_unweighted"] >= min_n, "suppression"] == "complementary").all()
    assert lone_suppressions(merged) == []


@pytest.mark.parametrize("code", ["type_value", "type_partner"])
@pytest.mark.parametrize("codebook_path", CODEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_declared_cross_tab_matches_an_independent_computation(loaded_db: str, data_dir: Path,
                                                                      codebook_path: Path, code: str) -> None:
    tab = get_catalogue().cross_tabs[code]
    expected = independent_cross_tab(codebook_path, data_dir, tab.rows, tab.columns)
    stored = stored_cross_tab(loaded_db, codebook_path, code)
    assert len(stored) > 20
    assert_matches_independent(stored, expected, get_settings().min_cell_n)


def test_the_shipped_cross_tabs_have_suppressed_cells(loaded_db: str) -> None:
    with psycopg.connect(loaded_db) as conn:
        counts = dict(conn.execute(
            "SELECT cross_tab_code, count(*) FILTER (WHERE suppressed) FROM cross_tab_estimate GROUP BY 1"))
        waves = conn.execute("SELECT count(DISTINCT wave_id) FROM cross_tab_estimate").fetchone()[0]
        loaded = conn.execute("SELECT count(*) FROM survey_wave").fetchone()[0]
    assert counts["type_value"] >= 10 and counts["type_partner"] >= 10, counts
    assert waves == loaded  # every bundled wave asks types, values and partners


def test_a_cross_tab_declared_in_yaml_alone_is_computed_and_suppressed(empty_db: str, tmp_path: Path) -> None:
    """No Python: one line in the catalogue, and a wave's load carries the new cross-tab."""
    data_dir = corpus.dk_data_dir(tmp_path)
    catalogue = data_dir / "catalogue" / "indicators.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8")
                         + "  novelty_partner: {rows: novelty, columns: partner, base: innovative_units}\n",
                         encoding="utf-8")
    settings = Settings(data_dir=data_dir, min_cell_n=20)
    run_etl(empty_db, settings=settings)
    codebook_path = data_dir / corpus.CODEBOOK_PATH
    stored = stored_cross_tab(empty_db, codebook_path, "novelty_partner")
    assert stored["suppressed"].sum() >= 10 and (~stored["suppressed"]).sum() >= 10
    expected = independent_cross_tab(codebook_path, data_dir, "novelty", "partner")
    assert_matches_independent(stored, expected, settings.min_cell_n)
    with psycopg.connect(empty_db) as conn:
        stored_path = conn.execute("SELECT path FROM codebook").fetchone()[0]
    assert stored_path == str(corpus.CODEBOOK_PATH)  # relative to the data folder, not absolute


def test_codebook_paths_are_stored_relative_to_the_data_folder(loaded_db: str, data_dir: Path) -> None:
    with psycopg.connect(loaded_db) as conn:
        paths = [row[0] for row in conn.execute("SELECT path FROM codebook")]
    assert len(paths) == len(CODEBOOKS)
    assert all(not Path(p).is_absolute() and (data_dir / p).is_file() for p in paths), paths
