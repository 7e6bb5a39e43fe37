"""Survey statistics used for every published estimate, Nordic average and difference.

Pure functions on numbers (no project imports), used by the ETL at load time and by the app per request.

Weighted share: p = sum(w * y) / sum(w) over units in the base that answered the item.
Effective sample size: where the codebook declares the sampling design, Korn and Graubard's
n_eff = p (1 - p) / Var_design(p), with the design variance from Taylor linearisation (strata, finite
population correction, clusters); elsewhere Kish's n_eff = (sum w)^2 / sum(w^2).
95% confidence interval: Wilson score interval evaluated at n_eff, which keeps it inside [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import erfc
from statistics import NormalDist

import numpy as np
import pandas as pd


def kish_effective_n(weight_sum: np.ndarray, weight_sq_sum: np.ndarray) -> np.ndarray:
    """Kish's effective sample size of a weighted sample: (sum w)^2 / sum(w^2)."""
    return np.asarray(weight_sum, dtype=float) ** 2 / np.asarray(weight_sq_sum, dtype=float)


def wilson_interval(share: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for proportion ``share`` on (possibly fractional) sample size ``n``."""
    p = np.asarray(share, dtype=float)
    n = np.asarray(n, dtype=float)
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denominator
    half = z * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def standard_error(share: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Normal-approximation (Wald) standard error of a share on effective sample size ``n``; 0 at p = 0 or 1."""
    p = np.asarray(share, dtype=float)
    return np.sqrt(p * (1.0 - p) / np.asarray(n, dtype=float))


def score_standard_error(share: np.ndarray, n: np.ndarray, z: float) -> np.ndarray:
    """Standard error implied by the Wilson score interval (its width / 2z): never zero for a finite ``n``.

    Unlike the Wald error it stays positive at p = 0 or 1, where a share of 0% on 12 units is not certain.
    """
    low, high = wilson_interval(share, n, z)
    return (high - low) / (2.0 * z)


# ---- design-based variance -------------------------------------------------------------------------------


def linearised_ratio_variance(
    cells: pd.DataFrame, psus_per_stratum: pd.Series, sampling_fraction: pd.Series
) -> pd.Series:
    """Design variance of ratio estimates p = sum(w y) / sum(w), by Taylor linearisation, one per cell.

    ``cells`` has one row per unit in a cell's domain with columns cell, stratum, psu, weight, y (0/1).
    ``psus_per_stratum``: primary sampling units (clusters, or units when there are none) sampled in each
    stratum of the whole sample, not only in the cell: a domain is estimated with the full design, units
    outside it scoring zero. ``sampling_fraction``: n_h / N_h per stratum (0 without a finite population).

    Score of unit i in cell d: z_i = w_i (y_i - p_d) / sum(w in d); PSU totals z_hc. Variance:
    sum_h (1 - f_h) n_h / (n_h - 1) sum_c (z_hc - mean_h z)^2. A stratum with a single sampled PSU has no
    within-stratum spread; its PSU is centred at the overall mean of PSU totals, which is 0 for a
    linearised ratio (R survey's lonely.psu = "adjust").
    """
    frame = cells[["cell", "stratum", "psu", "weight", "y"]].copy()
    grouped = frame.groupby("cell", sort=False)
    weight_sum = grouped["weight"].transform("sum")
    share = (frame["weight"] * frame["y"]).groupby(frame["cell"], sort=False).transform("sum") / weight_sum
    frame["score"] = frame["weight"] * (frame["y"] - share) / weight_sum
    psu_totals = frame.groupby(["cell", "stratum", "psu"], sort=False, observed=True)["score"].sum()
    by_stratum = pd.DataFrame({"s1": psu_totals, "s2": psu_totals**2}).groupby(
        level=["cell", "stratum"], sort=False, observed=True).sum().reset_index()
    n_h = by_stratum["stratum"].map(psus_per_stratum).astype(float)
    f_h = by_stratum["stratum"].map(sampling_fraction).fillna(0.0).astype(float)
    if n_h.isna().any():
        raise ValueError("a stratum of a cell has no count of sampled PSUs")
    spread = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1) * (by_stratum["s2"] - by_stratum["s1"] ** 2 / n_h),
                      by_stratum["s2"])
    by_stratum["variance"] = (1.0 - f_h) * np.maximum(spread, 0.0)
    return by_stratum.groupby("cell", sort=False)["variance"].sum()


def design_effective_n(share: np.ndarray, variance: np.ndarray, fallback: np.ndarray, *, n: np.ndarray,
                       may_exceed_n: bool) -> np.ndarray:
    """Korn-Graubard effective sample size p (1 - p) / Var_design(p); ``fallback`` where it is undefined.

    At p = 0 or 1 the linearised variance is 0 and carries no information about the design effect, so the
    caller's fallback (Kish's n_eff) is used there; the Wilson interval at that n stays non-degenerate.
    Above the cell's ``n`` responses only where ``may_exceed_n`` (a declared sampling fraction, whose finite
    population correction can justify it); elsewhere a design effect below 1 is noise of the variance
    estimate (or post-hoc strata) and n_eff is capped at n.
    """
    p = np.asarray(share, dtype=float)
    v = np.asarray(variance, dtype=float)
    fallback = np.asarray(fallback, dtype=float)
    defined = (v > 0) & (p > 0) & (p < 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(defined, p * (1.0 - p) / np.where(defined, v, 1.0), fallback)
    return n_eff if may_exceed_n else np.minimum(n_eff, np.asarray(n, dtype=float))


def degrees_of_freedom_factor(n: np.ndarray, df: float, alpha: float) -> np.ndarray:
    """Korn and Graubard's (1998) degrees-of-freedom adjustment of a design-based n_eff: (t_{n-1} / t_df)^2
    at the two-sided level ``alpha``, with df = sampled PSUs - strata. It shrinks n_eff (widens the interval)
    where the design has few PSUs, and is 1 where df >= n - 1 (as in R survey's svyciprop)."""
    from scipy.stats import t as student_t  # only the ETL needs it, at load time

    n = np.asarray(n, dtype=float)
    if df < 1:
        raise ValueError(f"a design needs at least one degree of freedom (PSUs - strata), not {df}")
    quantile = 1.0 - alpha / 2.0
    t_n = student_t.ppf(quantile, np.maximum(n - 1.0, 1.0))
    return np.minimum(1.0, (t_n / student_t.ppf(quantile, df)) ** 2)


# ---- Nordic average of a selection -----------------------------------------------------------------------


@dataclass(frozen=True)
class Average:
    share: float
    se: float
    ci_low: float
    ci_high: float
    k: int


def average_of_shares(shares: Sequence[float], n_effective: Sequence[float], z: float) -> Average:
    """Simple mean of k independent shares (each country counts once) with its 95% interval.

    SE of the mean: sqrt(sum se_i^2) / k with score-based se_i (Wilson width / 2z at each share's effective n,
    which is design-based where the wave declares a design), so it is never zero even at p = 0 or 1.
    The interval mean +/- z SE is clipped to [0, 1]. Needs at least two shares.
    """
    p = np.asarray(shares, dtype=float)
    n = np.asarray(n_effective, dtype=float)
    if len(p) < 2 or len(p) != len(n):
        raise ValueError("an average needs at least two shares, each with its effective n")
    k = len(p)
    mean = float(p.mean())
    se = float(np.sqrt(np.sum(score_standard_error(p, n, z) ** 2)) / k)
    return Average(share=mean, se=se, ci_low=max(0.0, mean - z * se), ci_high=min(1.0, mean + z * se), k=k)


# ---- differences between two bars ------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    difference: float  # p1 - p2
    ci_low: float
    ci_high: float
    p_value: float  # the smallest two-sided level at which the pair's own interval excludes 0 (unadjusted)


def newcombe_interval(p1: float, n1: float, p2: float, n2: float, z: float) -> tuple[float, float]:
    """Newcombe's hybrid score interval (method 10) for p1 - p2 from two Wilson intervals on effective n."""
    (l1,), (u1,) = wilson_interval(np.array([p1]), np.array([n1]), z)
    (l2,), (u2,) = wilson_interval(np.array([p2]), np.array([n2]), z)
    d = p1 - p2
    return (float(d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)),
            float(d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)))


def normal_quantile(probability: float) -> float:
    """The standard normal quantile: the one source of every z (``core.config`` derives its 95% z from it)."""
    return NormalDist().inv_cdf(probability)


def simultaneous_z(alpha: float, family_size: int) -> float:
    """z of Bonferroni-simultaneous two-sided intervals over ``family_size`` comparisons: z_{1 - alpha / 2m}."""
    return normal_quantile(1.0 - alpha / (2.0 * max(family_size, 1)))


def interval_p_value(p1: float, n1: float, p2: float, n2: float) -> float:
    """Two-sided p-value dual to Newcombe's interval: 2 (1 - Phi(z0)) where z0 is the z at which the interval's
    bound nearest 0 touches 0 (1.0 when p1 = p2).

    Wilson intervals, and so Newcombe's, widen monotonically with z, so the interval at any z excludes 0
    exactly when p < 2 (1 - Phi(z)): the verdict read from the p-value and from the interval never disagree.
    """
    d = p1 - p2
    if d == 0:
        return 1.0

    def excludes(z: float) -> bool:
        low, high = newcombe_interval(p1, n1, p2, n2, z)
        return low > 0 if d > 0 else high < 0

    low_z, high_z = 0.0, 1.0
    while excludes(high_z):  # widen until the interval covers 0 (it does for a large enough z)
        low_z, high_z = high_z, high_z * 2
        if high_z > 1e3:
            return 0.0
    for _ in range(80):  # bisection to machine precision on z
        middle = (low_z + high_z) / 2
        low_z, high_z = (middle, high_z) if excludes(middle) else (low_z, middle)
    return float(erfc(high_z / np.sqrt(2.0)))


def difference_of_shares(p1: float, n1: float, p2: float, n2: float, z: float) -> Difference:
    """Difference of two independent shares (two countries, or two waves of one country) on effective n:
    Newcombe's hybrid score interval at ``z`` and the p-value dual to that interval (not adjusted for the
    family; see ``family_difference``)."""
    low, high = newcombe_interval(p1, n1, p2, n2, z)
    return Difference(difference=p1 - p2, ci_low=low, ci_high=high, p_value=interval_p_value(p1, n1, p2, n2))


@dataclass(frozen=True)
class FamilyDifference:
    """One pair of a family of ``family_size`` comparisons: the Bonferroni-simultaneous interval (Newcombe at
    z_{1 - alpha/2m}), the unadjusted and the adjusted p-value (min(1, m p)); the verdict is the interval's."""

    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    p_adjusted: float
    family_size: int

    @property
    def differs(self) -> bool:
        """The simultaneous interval excludes 0 (equivalently, the adjusted p-value is below alpha)."""
        return self.ci_low > 0 or self.ci_high < 0


def family_difference(p1: float, n1: float, p2: float, n2: float, *, alpha: float,
                      family_size: int) -> FamilyDifference:
    """p1 - p2 as one of ``family_size`` comparisons with family-wise error ``alpha`` (Bonferroni)."""
    diff = difference_of_shares(p1, n1, p2, n2, simultaneous_z(alpha, family_size))
    return FamilyDifference(diff.difference, diff.ci_low, diff.ci_high, diff.p_value,
                            min(1.0, diff.p_value * max(family_size, 1)), family_size)
