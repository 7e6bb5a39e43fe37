"""The survey statistics against textbook values and statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from core.statistics import kish_effective_n, standard_error, wilson_interval

Z95 = 1.959963984540054


def test_kish_effective_n_of_equal_weights_is_n() -> None:
    assert kish_effective_n(np.array([50.0]), np.array([50.0 * 1.0])) == pytest.approx(50.0)
    # weights 1 and 3: (4)^2 / (1 + 9) = 1.6
    assert kish_effective_n(np.array([4.0]), np.array([10.0]))[0] == pytest.approx(1.6)


@pytest.mark.parametrize("share, n", [(0.81, 2070.7), (0.0, 12.0), (1.0, 30.5), (0.5, 10.0), (0.037, 251.3)])
def test_wilson_matches_statsmodels(share: float, n: float) -> None:
    low, high = wilson_interval(np.array([share]), np.array([n]), Z95)
    expected_low, expected_high = proportion_confint(share * n, n, alpha=0.05, method="wilson")
    assert low[0] == pytest.approx(max(expected_low, 0.0), abs=1e-12)
    assert high[0] == pytest.approx(min(expected_high, 1.0), abs=1e-12)


def test_wilson_known_value() -> None:
    # 81 of 100: Wilson 95% interval is (0.7222, 0.8749) to four decimals
    low, high = wilson_interval(np.array([0.81]), np.array([100.0]), Z95)
    assert (round(low[0], 4), round(high[0], 4)) == (0.7222, 0.8749)


def test_standard_error() -> None:
    assert standard_error(np.array([0.5]), np.array([100.0]))[0] == pytest.approx(0.05)
