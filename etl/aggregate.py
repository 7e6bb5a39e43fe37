"""Weighted estimates for every country-wave x level x sector x indicator x option cell."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from core.statistics import (
    degrees_of_freedom_factor,
    design_effective_n,
    kish_effective_n,
    linearised_ratio_variance,
    wilson_interval,
)
from etl.harmonise import Harmonised, SampleDesign
from etl.suppression import ALL, suppress

ESTIMATE_COLUMNS = [
    "government_level_code", "sector_code", "indicator_code", "option_code", "n_unweighted",
    "n_effective", "share", "ci_low", "ci_high", "suppressed", "suppression",
]

# The four ways of cutting a wave: total, by level, by sector, by level and sector.
GROUPINGS: tuple[tuple[str, ...], ...] = (
    (),
    ("government_level_code",),
    ("sector_code",),
    ("government_level_code", "sector_code"),
)


def _sums(frame: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    keys = ["indicator_code", "option_code", *by]
    grouped = frame.groupby(keys, sort=True, observed=True, dropna=True)
    sums = grouped.agg(
        n_unweighted=("weight", "size"),
        weight_sum=("weight", "sum"),
        weight_sq_sum=("w2", "sum"),
        weighted_yes=("wy", "sum"),
    ).reset_index()
    for dimension in ("government_level_code", "sector_code"):
        if dimension not in by:
            sums[dimension] = ALL
    return sums


KEYS = ["indicator_code", "option_code", "government_level_code", "sector_code"]


def _design_variances(frame: pd.DataFrame, design: SampleDesign) -> pd.DataFrame:
    """Linearised design variance of every cell's share (KEYS + 'variance')."""
    units = frame.merge(design.units, on="national_id", how="left", validate="many_to_one")
    parts = []
    offset = 0
    for by in GROUPINGS:
        part = units.dropna(subset=list(by)).copy()
        for dimension in ("government_level_code", "sector_code"):
            if dimension not in by:
                part[dimension] = ALL
        part["cell"] = part.groupby(KEYS, sort=False).ngroup() + offset
        offset = int(part["cell"].max()) + 1 if len(part) else offset
        parts.append(part.assign(y=part["selected"].astype(float)))
    cells = pd.concat(parts, ignore_index=True)
    variance = linearised_ratio_variance(cells, design.psus_per_stratum, design.sampling_fraction)
    keys = cells.drop_duplicates("cell").set_index("cell")[KEYS]
    return keys.join(variance.rename("variance")).reset_index(drop=True)


def compute_estimates(data: Harmonised, *, min_n: int, z: float) -> pd.DataFrame:
    """Weighted share, effective n, Wilson 95% CI and suppression flags for every cell of one wave.

    The effective n is design-based (Korn-Graubard, from the linearised variance) where the codebook
    declares the design, and Kish's elsewhere. A design-based n_eff is capped at the cell's n unless the
    design declares a sampling fraction (core.statistics.design_effective_n), then adjusted for the design's
    degrees of freedom (Korn-Graubard: (t_{n-1} / t_df)^2 at the interval's level).
    """
    frame = data.answers.merge(data.respondents, on="national_id", how="inner", validate="many_to_one")
    frame["w2"] = frame["weight"] ** 2
    frame["wy"] = frame["weight"] * frame["selected"].astype(float)
    cells = pd.concat([_sums(frame, by) for by in GROUPINGS], ignore_index=True)

    cells["share"] = cells["weighted_yes"] / cells["weight_sum"]
    cells["n_effective"] = kish_effective_n(cells["weight_sum"], cells["weight_sq_sum"])
    if data.design is not None:
        cells = cells.merge(_design_variances(frame, data.design), on=KEYS, how="left", validate="one_to_one")
        design = data.design
        n_eff = design_effective_n(cells["share"], cells["variance"], cells["n_effective"],
                                   n=cells["n_unweighted"], may_exceed_n=design.has_finite_population)
        alpha = 2.0 * (1.0 - NormalDist().cdf(z))  # the level of the intervals the n_eff is for
        cells["n_effective"] = n_eff * degrees_of_freedom_factor(cells["n_unweighted"], design.degrees_of_freedom,
                                                                 alpha)
    low, high = wilson_interval(cells["share"].to_numpy(), cells["n_effective"].to_numpy(), z)
    cells["ci_low"], cells["ci_high"] = low, high

    cells = suppress(cells, min_n)
    hidden = cells["suppressed"]
    # a suppressed cell keeps its n for auditing in the database, but no value that could leak
    cells.loc[hidden, ["share", "ci_low", "ci_high"]] = np.nan
    return cells[ESTIMATE_COLUMNS].sort_values(ESTIMATE_COLUMNS[:4], ignore_index=True)
