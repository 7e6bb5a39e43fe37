"""Cross-tab of innovation type x value achieved, precomputed per wave so the app reads only aggregates.

Cell (type T, value V): among the units that introduced at least one innovation of type T in the period
(and answered the value item V about their latest innovation), the weighted share whose latest innovation
achieved value V. The cells go through exactly the statistics and suppression of table estimate
(etl.aggregate.compute_estimates): weighted share, Kish n, Wilson 95% CI, primary suppression below the
minimum cell size and complementary suppression across level and sector margins.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import psycopg

from etl.aggregate import ESTIMATE_COLUMNS, compute_estimates
from etl.codebook import Codebook
from etl.harmonise import ANSWER_COLUMNS, Harmonised
from etl.load import copy_frame

TYPE_INDICATOR = "innovation_type"
VALUE_INDICATOR = "value"

TYPE_VALUE_COLUMNS = [
    "government_level_code", "sector_code", "type_code", "value_code", "n_unweighted", "n_effective",
    "share", "ci_low", "ci_high", "suppressed", "suppression",
]


def type_value_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Value answers of each unit repeated once per type it introduced, keyed as (type, value) items."""
    types = answers.loc[(answers["indicator_code"] == TYPE_INDICATOR) & answers["selected"],
                        ["national_id", "option_code"]].rename(columns={"option_code": "type_code"})
    values = answers.loc[answers["indicator_code"] == VALUE_INDICATOR, ["national_id", "option_code", "selected"]]
    pairs = types.merge(values, on="national_id", how="inner", validate="many_to_many")
    pairs = pairs.rename(columns={"type_code": "indicator_code"})
    return pairs[ANSWER_COLUMNS].reset_index(drop=True)


def compute_type_value(data: Harmonised, *, min_n: int, z: float) -> pd.DataFrame:
    """The cross-tab cells of one wave (empty when the wave lacks either question)."""
    pairs = type_value_answers(data.answers)
    if pairs.empty:
        return pd.DataFrame(columns=TYPE_VALUE_COLUMNS)
    cells = compute_estimates(replace(data, answers=pairs, dropped_out_of_base=0), min_n=min_n, z=z)
    cells = cells[ESTIMATE_COLUMNS].rename(columns={"indicator_code": "type_code", "option_code": "value_code"})
    return cells[TYPE_VALUE_COLUMNS]


def _wave_id(conn: psycopg.Connection, codebook: Codebook) -> int:
    row = conn.execute(
        "SELECT id FROM survey_wave WHERE country_code = %s AND programme = %s AND wave_label = %s",
        (codebook.wave.country, codebook.wave.programme, codebook.wave.wave_label),
    ).fetchone()
    if row is None:
        raise LookupError(f"wave {codebook.key} is not loaded")
    return row[0]


def load_type_value(conn: psycopg.Connection, codebook: Codebook, data: Harmonised, *, min_n: int, z: float) -> int:
    """Replace the wave's cross-tab inside the caller's (per-wave) transaction; returns the rows written."""
    wave_id = _wave_id(conn, codebook)
    conn.execute("DELETE FROM type_value_estimate WHERE wave_id = %s", (wave_id,))
    cells = compute_type_value(data, min_n=min_n, z=z)
    if not cells.empty:
        copy_frame(conn, "type_value_estimate", cells.assign(wave_id=wave_id), ["wave_id", *TYPE_VALUE_COLUMNS])
    return len(cells)


def type_value_is_current(conn: psycopg.Connection, codebook: Codebook) -> bool:
    """False when a loaded wave has both questions but no cross-tab yet (e.g. loaded before migration 0002)."""
    row = conn.execute(
        """
        SELECT NOT EXISTS (SELECT 1 FROM estimate e WHERE e.wave_id = w.id AND e.indicator_code = %s)
            OR NOT EXISTS (SELECT 1 FROM estimate e WHERE e.wave_id = w.id AND e.indicator_code = %s)
            OR EXISTS (SELECT 1 FROM type_value_estimate t WHERE t.wave_id = w.id)
        FROM survey_wave w
        WHERE w.country_code = %s AND w.programme = %s AND w.wave_label = %s
        """,
        (TYPE_INDICATOR, VALUE_INDICATOR, codebook.wave.country, codebook.wave.programme,
         codebook.wave.wave_label),
    ).fetchone()
    return row is None or bool(row[0])
