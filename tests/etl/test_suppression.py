"""Small cells are suppressed, and never recoverable by differencing a margin."""

from __future__ import annotations

import pandas as pd

from etl.suppression import suppress


def cells(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [("innovative", "yes", level, sector, n) for level, sector, n in rows],
        columns=["indicator_code", "option_code", "government_level_code", "sector_code", "n_unweighted"],
    )


def test_primary_and_complementary_suppression() -> None:
    table = cells([
        ("all", "all", 100), ("all", "health_care", 60), ("all", "education_childcare", 35),
        ("all", "culture_leisure", 5),
        ("municipal", "all", 100), ("municipal", "health_care", 60), ("municipal", "education_childcare", 35),
        ("municipal", "culture_leisure", 5),
    ])
    result = suppress(table, min_n=10).set_index(["government_level_code", "sector_code"])
    assert result.loc[("all", "culture_leisure"), "suppression"] == "primary"
    # the next smallest sector of the same margin goes too, so total - others does not reveal it
    assert result.loc[("all", "education_childcare"), "suppression"] == "complementary"
    assert not result.loc[("all", "health_care"), "suppressed"]
    assert not result.loc[("all", "all"), "suppressed"]


def test_every_margin_has_zero_or_at_least_two_suppressed_cells() -> None:
    table = cells([
        ("all", "all", 200), ("all", "health_care", 120), ("all", "technical", 75), ("all", "other", 5),
        ("state", "all", 80), ("state", "health_care", 50), ("state", "technical", 25), ("state", "other", 5),
        ("municipal", "all", 120), ("municipal", "health_care", 70), ("municipal", "technical", 50),
    ])
    result = suppress(table, min_n=10)
    for key in ("government_level_code", "sector_code"):
        for _, margin in result.groupby(key):
            assert int(margin["suppressed"].sum()) != 1, margin


def test_nothing_suppressed_when_all_cells_are_large() -> None:
    table = cells([("all", "all", 100), ("all", "health_care", 50), ("all", "technical", 50)])
    assert not suppress(table, min_n=10)["suppressed"].any()
