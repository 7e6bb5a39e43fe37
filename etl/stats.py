"""Survey statistics used for every published estimate.

Weighted share: p = sum(w * y) / sum(w) over units in the base that answered the item.
Effective sample size (Kish): n_eff = (sum w)^2 / sum(w^2).
95% confidence interval: Wilson score interval evaluated at n_eff, which keeps the interval inside [0, 1]
and widens it for unequal weights.
"""

from __future__ import annotations

import numpy as np


def kish_effective_n(weight_sum: np.ndarray, weight_sq_sum: np.ndarray) -> np.ndarray:
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
    """Normal-approximation standard error of a share on effective sample size ``n``."""
    p = np.asarray(share, dtype=float)
    return np.sqrt(p * (1.0 - p) / np.asarray(n, dtype=float))
