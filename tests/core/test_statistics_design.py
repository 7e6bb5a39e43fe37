"""Design-based variance, averages of a selection and differences, against textbook formulas and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from scipy.stats import t as student_t
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from core.statistics import (
    average_of_shares,
    degrees_of_freedom_factor,
    design_effective_n,
    difference_of_shares,
    family_difference,
    linearised_ratio_variance,
    newcombe_interval,
    score_standard_error,
    simultaneous_z,
    wilson_interval,
)
from tests.independent import dual_p_value, family_pair

Z95 = 1.959963984540054


def _cells(y, weight, stratum=None, psu=None, cell="c") -> pd.DataFrame:
    n = len(y)
    return pd.DataFrame({
        "cell": cell, "stratum": stratum if stratum is not None else ["s"] * n,
        "psu": psu if psu is not None else list(range(n)), "weight": weight, "y": np.asarray(y, dtype=float),
    })


def test_simple_random_sample_with_fpc_is_cochrans_formula() -> None:
    # Cochran (1977) eq. 3.8: v(p) = (1 - f) p q / (n - 1); 30 of n = 100 from N = 1,000
    y = [1] * 30 + [0] * 70
    variance = linearised_ratio_variance(_cells(y, [10.0] * 100), pd.Series({"s": 100}), pd.Series({"s": 0.1}))
    assert variance["c"] == pytest.approx(0.9 * 0.3 * 0.7 / 99, rel=1e-12)


def test_stratified_proportion_is_cochrans_formula() -> None:
    # Cochran eq. 5.51: v(p_st) = sum W_h^2 (1 - f_h) p_h q_h / (n_h - 1), weights N_h / n_h
    n1, n2, big_n1, big_n2 = 20, 10, 200, 25  # the second stratum is 40% sampled
    y = [1] * 12 + [0] * 8 + [1] * 3 + [0] * 7
    weight = [big_n1 / n1] * n1 + [big_n2 / n2] * n2
    stratum = ["a"] * n1 + ["b"] * n2
    variance = linearised_ratio_variance(
        _cells(y, weight, stratum), pd.Series({"a": n1, "b": n2}), pd.Series({"a": n1 / big_n1, "b": n2 / big_n2}))
    w1, w2 = big_n1 / 225, big_n2 / 225
    expected = w1**2 * (1 - 0.1) * 0.6 * 0.4 / 19 + w2**2 * (1 - 0.4) * 0.3 * 0.7 / 9
    assert variance["c"] == pytest.approx(expected, rel=1e-12)


def test_cluster_sample_ratio_is_cochrans_ratio_variance() -> None:
    # one-stage cluster sample, equal weights: Cochran eq. 6.13 with cluster totals y_i and sizes M_i:
    # v(r) = (1 - f) / (n xbar^2) * sum (y_i - r M_i)^2 / (n - 1)
    clusters = {"o1": [1, 1, 0], "o2": [0], "o3": [1, 0], "o4": [1, 1, 1, 0], "o5": [0, 0]}
    y = [v for values in clusters.values() for v in values]
    psu = [name for name, values in clusters.items() for _ in values]
    variance = linearised_ratio_variance(_cells(y, [4.0] * len(y), psu=psu), pd.Series({"s": 5}),
                                         pd.Series({"s": 5 / 20}))
    totals = np.array([sum(v) for v in clusters.values()], dtype=float)
    sizes = np.array([len(v) for v in clusters.values()], dtype=float)
    r = totals.sum() / sizes.sum()
    expected = (1 - 0.25) / (5 * sizes.mean() ** 2) * np.sum((totals - r * sizes) ** 2) / 4
    assert variance["c"] == pytest.approx(expected, rel=1e-12)


def test_domain_uses_the_whole_sample_design() -> None:
    # SRS domain of n_d units among n: v = (1 - f) n / (n - 1) p_d q_d / n_d (units outside score zero)
    y = [1] * 6 + [0] * 14  # the 20 units of the domain
    variance = linearised_ratio_variance(_cells(y, [5.0] * 20), pd.Series({"s": 50}), pd.Series({"s": 0.0}))
    assert variance["c"] == pytest.approx(50 / 49 * 0.3 * 0.7 / 20, rel=1e-12)


def test_lonely_psu_is_centred_at_zero_and_certainty_strata_add_nothing() -> None:
    frame = _cells([1, 0, 1], [2.0, 2.0, 6.0], stratum=["a", "a", "b"])
    score_b = 6.0 * (1 - 8 / 10) / 10
    scores_a = np.array([2.0 * (1 - 0.8), 2.0 * (0 - 0.8)]) / 10
    within_a = 2 * np.sum((scores_a - scores_a.mean()) ** 2)
    variance = linearised_ratio_variance(frame, pd.Series({"a": 2, "b": 1}), pd.Series({"a": 0.0, "b": 0.0}))
    assert variance["c"] == pytest.approx(within_a + score_b**2, rel=1e-12)
    census_b = linearised_ratio_variance(frame, pd.Series({"a": 2, "b": 1}), pd.Series({"a": 0.0, "b": 1.0}))
    assert census_b["c"] == pytest.approx(within_a, rel=1e-12)


def test_fpc_narrows_an_interval_as_sqrt_one_minus_f() -> None:
    # 60% of a stratum drawn into the sample (a declared sampling fraction, not a response rate): the
    # half-width shrinks by about sqrt(0.4), e.g. +/-7.0 to +/-4.4 points
    n, big_n = 120, 200
    y = [1] * 96 + [0] * 24
    plain = linearised_ratio_variance(_cells(y, [1.0] * n), pd.Series({"s": n}), pd.Series({"s": 0.0}))["c"]
    with_fpc = linearised_ratio_variance(_cells(y, [1.0] * n), pd.Series({"s": n}),
                                         pd.Series({"s": n / big_n}))["c"]
    assert np.sqrt(with_fpc / plain) == pytest.approx(np.sqrt(0.4), rel=1e-12)
    n_plain, n_fpc = (design_effective_n(np.array([0.8]), np.array([v]), np.array([n]), n=np.array([n]),
                                         may_exceed_n=True)[0] for v in (plain, with_fpc))
    half = [(h - lo) / 2 for lo, h in (np.ravel(wilson_interval(np.array([0.8]), np.array([m]), Z95))
                                       for m in (n_plain, n_fpc))]
    assert half[1] / half[0] == pytest.approx(np.sqrt(0.4), abs=0.02)


def test_design_effective_n_is_korn_graubard_with_kish_fallback() -> None:
    n = design_effective_n(np.array([0.3, 0.0, 1.0, 0.5]), np.array([0.001, 0.0, 0.0, 0.0]),
                           np.array([80.0, 12.0, 30.0, 9.0]), n=np.array([400, 20, 40, 10]), may_exceed_n=False)
    assert n.tolist() == pytest.approx([0.21 / 0.001, 12.0, 30.0, 9.0], rel=1e-12)


@pytest.mark.parametrize("p, n", [(0.0, 12.0), (1.0, 30.5), (0.83, 401.7)])
def test_score_standard_error_is_wilson_width_and_never_zero(p: float, n: float) -> None:
    low, high = proportion_confint(p * n, n, alpha=0.05, method="wilson")
    se = score_standard_error(np.array([p]), np.array([n]), Z95)[0]
    assert se == pytest.approx((high - low) / (2 * Z95), abs=1e-12)
    assert se > 0


def test_average_of_a_selection_by_hand() -> None:
    shares, n_eff = [0.83, 0.73, 1.0], [400.2, 180.5, 25.0]
    average = average_of_shares(shares, n_eff, Z95)
    se_i = [(h - lo) / (2 * Z95) for lo, h in (proportion_confint(p * n, n, method="wilson")
                                              for p, n in zip(shares, n_eff, strict=True))]
    se = np.sqrt(np.sum(np.square(se_i))) / 3
    assert average.share == pytest.approx(np.mean(shares), abs=1e-12)
    assert average.se == pytest.approx(se, abs=1e-12)
    assert (average.ci_low, average.ci_high) == pytest.approx((np.mean(shares) - Z95 * se,
                                                               min(1.0, np.mean(shares) + Z95 * se)), abs=1e-12)
    assert average_of_shares([1.0, 1.0], [15.0, 20.0], Z95).se > 0
    with pytest.raises(ValueError):
        average_of_shares([0.5], [10.0], Z95)


@pytest.mark.parametrize("p1, n1, p2, n2", [(0.73, 212.4, 0.83, 1288.6), (0.0, 14.0, 0.2, 30.0),
                                            (1.0, 40.3, 0.96, 170.2), (0.5, 10.0, 0.5, 10.0)])
def test_difference_matches_statsmodels_newcombe_and_its_dual_p(p1: float, n1: float, p2: float, n2: float) -> None:
    low, high = confint_proportions_2indep(p1 * n1, n1, p2 * n2, n2, method="newcomb", compare="diff")
    assert newcombe_interval(p1, n1, p2, n2, Z95) == pytest.approx((low, high), abs=1e-9)
    diff = difference_of_shares(p1, n1, p2, n2, Z95)
    assert diff.difference == pytest.approx(p1 - p2, abs=1e-12)
    assert diff.p_value == pytest.approx(dual_p_value(p1, n1, p2, n2), rel=1e-6, abs=1e-12)
    # the p-value and the 95% interval never disagree
    assert (diff.p_value < 0.05) == (low > 0 or high < 0)


@pytest.mark.parametrize("family_size", [1, 2, 10, 45])
@pytest.mark.parametrize("p1, n1, p2, n2", [(0.73, 250.0, 0.83, 1300.0), (0.74, 420.0, 0.81, 900.0),
                                            (0.2, 31.0, 0.0, 14.0), (0.96, 190.3, 0.78, 120.0)])
def test_family_difference_is_bonferroni_newcombe_and_its_verdict_the_intervals(
        p1: float, n1: float, p2: float, n2: float, family_size: int) -> None:
    expected = family_pair(p1, n1, p2, n2, family_size)
    got = family_difference(p1, n1, p2, n2, alpha=0.05, family_size=family_size)
    assert (got.ci_low, got.ci_high) == pytest.approx((expected["ci_low"], expected["ci_high"]), abs=1e-9)
    assert got.p_adjusted == pytest.approx(expected["p_adjusted"], rel=1e-6, abs=1e-12)
    assert got.differs == expected["differs"] == (got.p_adjusted < 0.05)
    assert simultaneous_z(0.05, family_size) == pytest.approx(norm.ppf(1 - 0.025 / family_size), abs=1e-12)


def test_iceland_lower_than_denmark_example_depends_on_the_family_not_the_view() -> None:
    # alone (one comparison) the 10-point gap is clear; among the 45 pairs of ten waves, still clear
    assert family_difference(0.73, 250.0, 0.83, 1300.0, alpha=0.05, family_size=1).differs
    wide = family_difference(0.73, 120.0, 0.83, 300.0, alpha=0.05, family_size=45)
    assert wide.ci_low < 0 < wide.ci_high and not wide.differs and wide.p_adjusted >= 0.05


def test_effective_n_above_n_only_with_a_declared_sampling_fraction() -> None:
    share, variance = np.array([0.3, 0.5]), np.array([0.001, 0.002])
    kish, n = np.array([80.0, 9.0]), np.array([150, 100])
    capped = design_effective_n(share, variance, kish, n=n, may_exceed_n=False)
    assert capped.tolist() == pytest.approx([150.0, 100.0], rel=1e-12)  # 210 and 125 without the cap
    free = design_effective_n(share, variance, kish, n=n, may_exceed_n=True)
    assert free.tolist() == pytest.approx([210.0, 125.0], rel=1e-12)


def test_korn_graubard_degrees_of_freedom_factor_by_scipy() -> None:
    # 195 responses in 161 clusters, no strata: df = 160; a cell of 40 units
    factor = degrees_of_freedom_factor(np.array([40, 195, 400]), 160, 0.05)
    expected = [(student_t.ppf(0.975, n - 1) / student_t.ppf(0.975, 160)) ** 2 for n in (40, 195, 400)]
    assert factor.tolist() == pytest.approx([min(1.0, e) for e in expected], rel=1e-12)
    assert factor[0] == 1.0 and factor[2] < 1.0  # a design with fewer PSUs than units widens the interval
    assert degrees_of_freedom_factor(np.array([200]), 4, 0.05)[0] == pytest.approx(
        (student_t.ppf(0.975, 199) / student_t.ppf(0.975, 4)) ** 2, rel=1e-12)
