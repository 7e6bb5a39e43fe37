"""Small-cell suppression: primary (n below the minimum) and complementary.

Complementary suppression stops a suppressed cell from being recovered by differencing: within every
table margin (the sectors of one level, or the levels of one sector, together with their total), a margin
never shows exactly one suppressed cell; if it would, the next smallest cell of that margin is suppressed
too, and this repeats until no margin has a lone suppressed cell.
"""

from __future__ import annotations

import pandas as pd

ALL = "all"


def _lone_suppressions(cells: pd.DataFrame, fixed: str, varying: str) -> list[int]:
    """Index labels to suppress so that no margin along ``varying`` has exactly one suppressed cell."""
    to_suppress: list[int] = []
    for _, margin in cells.groupby(["indicator_code", "option_code", fixed], sort=False):
        if len(margin) < 2:
            continue
        suppressed = margin["suppressed"]
        if int(suppressed.sum()) != 1:
            continue
        # prefer another child cell; the total only when no other child is left
        candidates = margin[~suppressed]
        children = candidates[candidates[varying] != ALL]
        pool = children if not children.empty else candidates
        if pool.empty:
            continue
        to_suppress.append(pool.sort_values(["n_unweighted", varying]).index[0])
    return to_suppress


def suppress(cells: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Return ``cells`` with 'suppressed' and 'suppression' set (primary then complementary)."""
    cells = cells.copy()
    primary = cells["n_unweighted"] < min_n
    cells["suppressed"] = primary
    cells["suppression"] = primary.map({True: "primary", False: None}).astype(object)
    while True:
        added = set(_lone_suppressions(cells, "government_level_code", "sector_code"))
        added |= set(_lone_suppressions(cells, "sector_code", "government_level_code"))
        if not added:
            break
        index = sorted(added)
        cells.loc[index, "suppressed"] = True
        cells.loc[index, "suppression"] = "complementary"
    return cells
