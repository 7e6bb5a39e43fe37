"""The type x value cross-tab computed at load time (etl/type_value.py), checked against the microdata."""

from __future__ import annotations

import pandas as pd
import psycopg
import pytest

from etl.harmonise import Harmonised
from etl.type_value import compute_type_value, type_value_answers


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
        ("a", "value", "quality", True), ("b", "value", "quality", False), ("c", "value", "quality", True),
    ], columns=["national_id", "indicator_code", "option_code", "selected"])
    pairs = type_value_answers(answers)
    assert len(pairs) == 5  # 3 units x service + 2 units x process, each with its quality answer
    cells = compute_type_value(Harmonised(respondents, answers, 0), min_n=1, z=1.96)
    total = cells[(cells.government_level_code == "all") & (cells.sector_code == "all")].set_index(
        ["type_code", "value_code"])
    assert total.loc[("service", "quality"), "share"] == pytest.approx(3 / 4)  # weights a=1, b=1, c=2
    assert total.loc[("service", "quality"), "n_unweighted"] == 3
    assert total.loc[("process", "quality"), "share"] == pytest.approx(1.0)
    suppressed = compute_type_value(Harmonised(respondents, answers, 0), min_n=3, z=1.96)
    hidden = suppressed[suppressed.type_code == "process"]
    assert hidden.suppressed.all() and hidden.share.isna().all()


def test_cross_tab_equals_an_independent_computation_from_the_microdata(loaded_db: str) -> None:
    with psycopg.connect(loaded_db) as conn:
        wave = conn.execute("SELECT id FROM survey_wave WHERE country_code = 'SE'").fetchone()[0]
        independent = conn.execute(
            """
            SELECT t.option_code, v.option_code, count(*), sum(r.weight * v.selected::int) / sum(r.weight)
            FROM answer t
            JOIN answer v ON v.wave_id = t.wave_id AND v.national_id = t.national_id AND v.indicator_code = 'value'
            JOIN respondent r ON r.wave_id = t.wave_id AND r.national_id = t.national_id
            WHERE t.wave_id = %s AND t.indicator_code = 'innovation_type' AND t.selected
            GROUP BY 1, 2
            """, (wave,)).fetchall()
        stored = conn.execute(
            "SELECT type_code, value_code, n_unweighted, share FROM type_value_estimate WHERE wave_id = %s AND "
            "government_level_code = 'all' AND sector_code = 'all'", (wave,)).fetchall()
    assert len(stored) == len(independent) > 20
    expected = {(t, v): (n, share) for t, v, n, share in independent}
    for t, v, n, share in stored:
        assert expected[(t, v)][0] == n
        assert share == pytest.approx(expected[(t, v)][1])


def test_cross_tab_suppression_follows_the_minimum_cell_size(loaded_db: str) -> None:
    with psycopg.connect(loaded_db) as conn:
        bad = conn.execute(
            "SELECT count(*) FROM type_value_estimate t JOIN source_file f ON f.wave_id = t.wave_id "
            "WHERE t.n_unweighted < f.min_cell_n AND NOT t.suppressed").fetchone()[0]
        shares_of_hidden = conn.execute(
            "SELECT count(*) FROM type_value_estimate WHERE suppressed AND share IS NOT NULL").fetchone()[0]
        waves = conn.execute("SELECT count(DISTINCT wave_id) FROM type_value_estimate").fetchone()[0]
        loaded = conn.execute("SELECT count(*) FROM survey_wave").fetchone()[0]
    assert bad == 0 and shares_of_hidden == 0
    assert waves == loaded  # every bundled wave asks both questions
