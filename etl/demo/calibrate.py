"""Assign answers so that weighted shares hit given targets exactly (up to one unit's weight).

Units in a group are ranked by a score; a unit is selected when the midpoint of its cumulative weight
falls below the target share of the group's weight. Scores that share a common component make options
overlap more, which is how the share of units with *any* of several options is controlled.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def select_by_weight(scores: np.ndarray, weights: np.ndarray, share: float) -> np.ndarray:
    """Boolean mask of the lowest-score units whose weight makes up ``share`` of the total."""
    if len(scores) == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(scores, kind="stable")
    cumulative = np.cumsum(weights[order])
    midpoints = (cumulative - weights[order] / 2.0) / cumulative[-1]
    chosen = np.zeros(len(scores), dtype=bool)
    chosen[order] = midpoints < share
    return chosen


def split_by_weight(scores: np.ndarray, weights: np.ndarray, shares: list[float]) -> np.ndarray:
    """Index of the segment (0..k-1) of each unit when ranked units are cut at cumulative ``shares``."""
    order = np.argsort(scores, kind="stable")
    cumulative = np.cumsum(weights[order])
    midpoints = (cumulative - weights[order] / 2.0) / cumulative[-1]
    bounds = np.cumsum(shares)
    bounds[-1] = np.inf  # rounding must never leave a unit unassigned
    segments = np.empty(len(scores), dtype=int)
    segments[order] = np.searchsorted(bounds, midpoints, side="right")
    return segments


def weighted_share(mask: np.ndarray, weights: np.ndarray) -> float:
    return float((weights * mask).sum() / weights.sum())


def solve_monotone(function: Callable[[float], float], target: float, *, increasing: bool,
                   low: float = 0.0, high: float = 1.0, steps: int = 40) -> float:
    """Bisection for x in [low, high] with function(x) close to ``target``."""
    for _ in range(steps):
        middle = (low + high) / 2.0
        value = function(middle)
        if (value < target) == increasing:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0
