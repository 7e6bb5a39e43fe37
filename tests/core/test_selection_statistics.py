"""Nordic averages of arbitrary selections and differences between bars, from the stored estimates, against
an independent computation with statsmodels and scipy (to 1e-9)."""

from __future__ import annotations

import itertools

import numpy as np
import psycopg
import pytest
from statsmodels.stats.proportion import proportion_confint

from core.config import get_settings
from core.statistics import average_of_shares, family_difference
from tests.independent import family_pair

Z = get_settings().confidence_z
SELECTIONS = [("DK-2018-19", "SE-2018"), ("DK-2021-23", "IS-2021", "FI-2022"),
              ("DK-2015-16", "NO-2018", "SE-2018", "FI-2018", "IS-2018"), ("IS-2018", "IS-2021")]


def _bars(url: str, keys: tuple[str, ...], indicator: str = "innovative", option: str = "yes"):
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT w.country_code || '-' || w.wave_label, e.share, e.n_effective
            FROM estimate e JOIN survey_wave w ON w.id = e.wave_id
            WHERE e.indicator_code = %s AND e.option_code = %s AND e.government_level_code = 'all'
              AND e.sector_code = 'all' AND NOT e.suppressed
            """,
            (indicator, option),
        ).fetchall()
    found = {key: (key, share, n) for key, share, n in rows}
    return [found[key] for key in keys]


@pytest.mark.parametrize("keys", SELECTIONS, ids=lambda k: "+".join(k))
def test_average_of_a_selection_from_stored_estimates(loaded_db: str, keys) -> None:
    bars = _bars(loaded_db, keys)
    average = average_of_shares([b[1] for b in bars], [b[2] for b in bars], Z)
    half_widths = []
    for _, share, n in bars:
        low, high = proportion_confint(share * n, n, alpha=0.05, method="wilson")
        half_widths.append((high - low) / 2)
    se = np.sqrt(np.sum(np.square(half_widths))) / len(bars) / 1.959963984540054
    mean = np.mean([b[1] for b in bars])
    assert average.share == pytest.approx(mean, abs=1e-12)
    assert average.se == pytest.approx(se, abs=1e-9) and average.se > 0
    assert average.ci_low == pytest.approx(max(0.0, mean - Z * se), abs=1e-9)
    assert average.ci_high == pytest.approx(min(1.0, mean + Z * se), abs=1e-9)
    assert average.k == len(keys)


def test_differences_of_a_family_from_stored_estimates(loaded_db: str) -> None:
    bars = _bars(loaded_db, ("DK-2021-23", "IS-2021", "FI-2022", "IS-2018"))
    for family_size in (1, 6, 45):
        for (_, p1, n1), (_, p2, n2) in itertools.combinations(bars, 2):
            got = family_difference(p1, n1, p2, n2, alpha=0.05, family_size=family_size)
            expected = family_pair(p1, n1, p2, n2, family_size)
            assert (got.ci_low, got.ci_high) == pytest.approx((expected["ci_low"], expected["ci_high"]), abs=1e-9)
            assert got.p_adjusted == pytest.approx(expected["p_adjusted"], rel=1e-6, abs=1e-12)
            assert got.differs == expected["differs"]
    # Denmark 2021-23 (83%) against Iceland 2021 (73%): clear as one comparison
    (_, p1, n1), (_, p2, n2) = bars[0], bars[1]
    assert p1 - p2 == pytest.approx(0.10, abs=0.01)
    assert family_difference(p1, n1, p2, n2, alpha=0.05, family_size=1).ci_low > 0
