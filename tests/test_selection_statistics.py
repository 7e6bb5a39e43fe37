"""Nordic averages of arbitrary selections and differences between bars, from the stored estimates, against
an independent computation with statsmodels (to 1e-9)."""

from __future__ import annotations

import itertools

import numpy as np
import psycopg
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

from core.config import get_settings
from core.statistics import average_of_shares, pairwise_differences

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


def test_differences_of_a_view_from_stored_estimates(loaded_db: str) -> None:
    bars = _bars(loaded_db, ("DK-2021-23", "IS-2021", "FI-2022", "IS-2018"))
    pairs = pairwise_differences(bars, Z)
    raw = []
    for pair, (a, b) in zip(pairs, itertools.combinations(bars, 2), strict=True):
        low, high = confint_proportions_2indep(a[1] * a[2], a[2], b[1] * b[2], b[2], method="newcomb",
                                               compare="diff")
        assert (pair.first, pair.second) == (a[0], b[0])
        assert pair.difference.difference == pytest.approx(a[1] - b[1], abs=1e-12)
        assert (pair.difference.ci_low, pair.difference.ci_high) == pytest.approx((low, high), abs=1e-9)
        raw.append(proportions_ztest([a[1] * a[2], b[1] * b[2]], [a[2], b[2]])[1])
    assert [p.p_holm for p in pairs] == pytest.approx(multipletests(raw, method="holm")[1].tolist(), abs=1e-9)
    # Iceland 2021 (73%) against Denmark 2021-23 (83%): lower, and the interval excludes zero
    dk_is = pairs[0]
    assert dk_is.difference.difference == pytest.approx(0.10, abs=0.01) and dk_is.difference.ci_low > 0
