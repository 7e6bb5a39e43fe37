"""Stored estimates equal an independent recomputation from each raw national file (to 1e-9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import psycopg
import pytest

from core.config import get_settings
from etl.codebook import discover_codebooks
from tests.independent import independent_estimates, read_codebook

CODEBOOKS = discover_codebooks(get_settings().codebook_dir)
KEYS = ["indicator_code", "option_code", "government_level_code", "sector_code"]


def stored_estimates(url: str, codebook_path) -> pd.DataFrame:
    wave = read_codebook(codebook_path)["wave"]
    with psycopg.connect(url) as conn:
        cur = conn.execute(
            """
            SELECT e.indicator_code, e.option_code, e.government_level_code, e.sector_code, e.n_unweighted,
                   e.n_effective, e.share, e.ci_low, e.ci_high, e.suppressed
            FROM estimate e JOIN survey_wave w ON w.id = e.wave_id
            WHERE w.country_code = %s AND w.programme = %s AND w.wave_label = %s
            """,
            (wave["country"], wave["programme"], str(wave["wave_label"])),
        )
        return pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])


@pytest.mark.parametrize("codebook_path", CODEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_cell_matches_independent_computation(loaded_db: str, codebook_path, data_dir) -> None:
    expected = independent_estimates(codebook_path, data_dir)
    stored = stored_estimates(loaded_db, codebook_path)
    assert len(stored) > 0
    merged = stored.merge(expected, on=KEYS, how="outer", suffixes=("", "_expected"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][KEYS + ["_merge"]].head()
    np.testing.assert_array_equal(merged["n_unweighted"], merged["n_unweighted_expected"])
    np.testing.assert_allclose(merged["n_effective"], merged["n_effective_expected"], rtol=1e-12)

    shown = merged[~merged["suppressed"]]
    assert len(shown) > 0
    for column in ("share", "ci_low", "ci_high"):
        np.testing.assert_allclose(shown[column], shown[f"{column}_expected"], rtol=0, atol=1e-9)

    hidden = merged[merged["suppressed"]]
    assert hidden[["share", "ci_low", "ci_high"]].isna().all().all()
    min_n = get_settings().min_cell_n
    assert (shown["n_unweighted"] >= min_n).all()


@pytest.mark.parametrize("codebook_path", CODEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_effective_n_exceeds_n_only_with_a_declared_sampling_fraction(loaded_db: str, codebook_path) -> None:
    """A response rate is never a sampling fraction: without a sample drawn and population declared with their
    source, no cell's effective n is above its number of responses (Iceland's 2018 state cell was 307 > 126)."""
    codebook = read_codebook(codebook_path)
    design = codebook.get("design") or {}
    stored = stored_estimates(loaded_db, codebook_path)
    above = stored[stored["n_effective"] > stored["n_unweighted"] + 1e-9]
    if not design.get("sampling_fraction"):
        assert above.empty, above[KEYS + ["n_unweighted", "n_effective"]].head()
        return
    # justified by a declared sample drawn and population with their source, and said on the wave's method note
    fraction = design["sampling_fraction"]
    assert fraction["source"] and 0 < fraction["drawn"] < fraction["population"]
    with psycopg.connect(loaded_db) as conn:
        notes = [row[0] for row in conn.execute(
            """
            SELECT t.text FROM comparability_note n JOIN comparability_note_text t ON t.note_id = n.id
            JOIN survey_wave w ON w.id = n.wave_id
            WHERE w.country_code = %s AND w.wave_label = %s AND n.aspect = 'method' AND t.lang = 'en'
            """, (codebook["wave"]["country"], str(codebook["wave"]["wave_label"])))]
    assert any("larger than the number of responses (n)" in note for note in notes), notes
