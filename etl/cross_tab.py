"""Cross-tabs declared in the catalogue (``cross_tabs:`` of indicators.yaml), computed per wave at load time.

Cell (row option R, column option C) of a cross-tab over a base: among the units of the base that chose R
(and answered item C), the weighted share that chose C. The cells go through exactly the statistics and
suppression of table estimate (etl.aggregate.compute_estimates): weighted share, effective n (design-based
where the codebook declares a design, else Kish), Wilson 95% CI,
primary suppression below the minimum cell size and complementary suppression across level and sector
margins. A wave that lacks either question has no cells of that cross-tab.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from etl.aggregate import ESTIMATE_COLUMNS, compute_estimates
from etl.catalogue import BaseDef, Catalogue, CrossTabDef
from etl.harmonise import ANSWER_COLUMNS, Harmonised

CROSS_TAB_COLUMNS = [
    "cross_tab_code", "government_level_code", "sector_code", "row_indicator", "row_option", "column_indicator",
    "column_option", "n_unweighted", "n_effective", "share", "ci_low", "ci_high", "suppressed", "suppression",
]


def units_in_base(answers: pd.DataFrame, base: BaseDef) -> pd.Series | None:
    """The national ids of the units in ``base`` (None: every unit)."""
    if base.indicator is None:
        return None
    chosen = ((answers["indicator_code"] == base.indicator) & (answers["option_code"] == base.option)
              & answers["selected"])
    return answers.loc[chosen, "national_id"]


def cross_tab_answers(answers: pd.DataFrame, tab: CrossTabDef, base: BaseDef) -> pd.DataFrame:
    """Column answers of each unit in the base, repeated once per row option it chose, keyed (row, column)."""
    rows = answers.loc[(answers["indicator_code"] == tab.rows) & answers["selected"],
                       ["national_id", "option_code"]].rename(columns={"option_code": "row_option"})
    columns = answers.loc[answers["indicator_code"] == tab.columns, ["national_id", "option_code", "selected"]]
    in_base = units_in_base(answers, base)
    if in_base is not None:
        rows = rows[rows["national_id"].isin(in_base)]
    pairs = rows.merge(columns, on="national_id", how="inner", validate="many_to_many")
    pairs = pairs.rename(columns={"row_option": "indicator_code"})
    return pairs[ANSWER_COLUMNS].reset_index(drop=True)


def compute_cross_tab(data: Harmonised, code: str, tab: CrossTabDef, base: BaseDef, *,
                      min_n: int, z: float) -> pd.DataFrame:
    """The cells of one cross-tab in one wave (empty when the wave lacks either question)."""
    return cross_tab_cells(replace(data, answers=cross_tab_answers(data.answers, tab, base), dropped_out_of_base=0),
                           code, tab, min_n=min_n, z=z)


def cross_tab_cells(pairs: Harmonised, code: str, tab: CrossTabDef, *, min_n: int, z: float) -> pd.DataFrame:
    """The cells of a cross-tab from its (row option, column option) answer rows (as cross_tab_answers gives)."""
    if pairs.answers.empty:
        return pd.DataFrame(columns=CROSS_TAB_COLUMNS)
    cells = compute_estimates(pairs, min_n=min_n, z=z)[ESTIMATE_COLUMNS]
    cells = cells.rename(columns={"indicator_code": "row_option", "option_code": "column_option"})
    return cells.assign(cross_tab_code=code, row_indicator=tab.rows, column_indicator=tab.columns)[CROSS_TAB_COLUMNS]


def compute_cross_tabs(data: Harmonised, catalogue: Catalogue, *, min_n: int, z: float) -> pd.DataFrame:
    """The cells of every cross-tab the catalogue declares, for one wave."""
    frames = [compute_cross_tab(data, code, tab, catalogue.bases[tab.base], min_n=min_n, z=z)
              for code, tab in catalogue.cross_tabs.items()]
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CROSS_TAB_COLUMNS)
