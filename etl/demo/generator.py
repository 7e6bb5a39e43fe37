"""Generate one wave's demo microdata: a harmonised frame calibrated to the targets, written natively.

Steps per wave: draw units by stratum with design weights -> decide who is innovative -> innovation types
-> every question about the latest innovation (and barriers), each calibrated per target cell -> write the
file through the codebook's own label mappings (reversed) -> read it back with the ETL and check targets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.config import Settings
from etl.aggregate import compute_estimates
from etl.catalogue import Catalogue, IndicatorDef, get_catalogue
from etl.codebook import Codebook, load_codebook
from etl.demo.calibrate import select_by_weight, solve_monotone, split_by_weight, weighted_share
from etl.demo.spec import DemoSpec, DemoTarget, discover_specs, load_spec
from etl.demo.writers import DONT_KNOW, file_matches, write_native
from etl.pipeline import extract_and_harmonise
from etl.published import load_published_figures

TOLERANCE_PP = 1.0


def _coded(answered: np.ndarray, eligible: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.where(answered, values, np.where(eligible, DONT_KNOW, np.nan))


@dataclass(frozen=True)
class Target:
    indicator: str
    option: str
    share: float  # 0..1
    level: str = "all"
    sector: str = "all"

    def matches(self, frame: pd.DataFrame) -> np.ndarray:
        mask = np.ones(len(frame), dtype=bool)
        if self.level != "all":
            mask &= (frame["government_level_code"] == self.level).to_numpy()
        if self.sector != "all":
            mask &= (frame["sector_code"] == self.sector).to_numpy()
        return mask


def wave_targets(spec: DemoSpec, codebook: Codebook, settings: Settings, catalogue: Catalogue) -> list[Target]:
    """Published figures of this wave that carry a calibration target, plus the spec's demo targets."""
    figures = load_published_figures(settings.published_figures_file, catalogue)
    wave = codebook.wave
    targets = [
        Target(f.indicator, f.option, f.calibration_target / 100.0, f.level, f.sector)
        for f in figures
        if f.calibration_target is not None and f.country == wave.country
        and f.programme == wave.programme and f.wave_label == wave.wave_label
    ]
    extra: list[DemoTarget] = spec.targets
    return targets + [Target(t.indicator, t.option, t.value_pct / 100.0, t.level, t.sector) for t in extra]


class WaveGenerator:
    """Builds the harmonised frame of one wave (columns: dimensions, weight, '<indicator>.<option>')."""

    def __init__(self, spec: DemoSpec, codebook: Codebook, catalogue: Catalogue, targets: list[Target]):
        self.spec = spec
        self.codebook = codebook
        self.catalogue = catalogue
        self.targets = targets
        self.rng = np.random.default_rng(spec.seed)
        self.item_rng = np.random.default_rng(spec.seed + 3)  # its own stream: other values stay unchanged

    # ---- units and weights ----
    def units(self) -> pd.DataFrame:
        parts = []
        for stratum in self.spec.strata:
            jitter = np.exp(self.rng.normal(0.0, self.spec.weight_jitter, stratum.n))
            weights = np.round(jitter / jitter.sum() * stratum.population, 6)
            parts.append(pd.DataFrame({
                "government_level_code": stratum.level,
                "sector_code": stratum.sector,
                "weight": weights,
            }))
        frame = pd.concat(parts, ignore_index=True)
        frame = frame.iloc[self.rng.permutation(len(frame))].reset_index(drop=True)
        ids = self.spec.id_start + np.sort(self.rng.choice(len(frame) * 7, len(frame), replace=False))
        frame.insert(0, "national_id", [self.spec.id_format.format(int(i)) for i in ids])
        if self.spec.size_bands:
            bands = list(self.spec.size_bands)
            probabilities = np.array(list(self.spec.size_bands.values()), dtype=float)
            frame["size_band_code"] = self.rng.choice(bands, len(frame), p=probabilities / probabilities.sum())
        else:
            frame["size_band_code"] = None
        frame["cluster"] = self._clusters(len(frame))
        return frame

    def _clusters(self, n: int) -> list[str | None]:
        """Each unit's organisation: every organisation answers at least once, the rest at random.

        Drawn from their own random stream so that declaring clusters leaves every other value unchanged."""
        if self.spec.clusters is None:
            return [None] * n
        if self.spec.clusters > n:
            raise ValueError(f"{self.spec.path}: {self.spec.clusters} clusters for {n} units")
        rng = np.random.default_rng(self.spec.seed + 2)
        members = np.concatenate([np.arange(self.spec.clusters),
                                  rng.integers(0, self.spec.clusters, n - self.spec.clusters)])
        return [self.spec.cluster_format.format(int(c) + 1) for c in rng.permutation(members)]

    # ---- target bookkeeping ----
    def _targets_for(self, indicator: str, option: str) -> list[Target]:
        return [t for t in self.targets if t.indicator == indicator and t.option == option]

    def _default(self, indicator: str, option: str) -> float:
        try:
            return self.spec.defaults[indicator][option] / 100.0
        except KeyError as exc:
            raise ValueError(f"{self.spec.path}: no default share for {indicator}.{option}") from exc

    def _group_shares(self, frame: pd.DataFrame, eligible: np.ndarray, targets: list[Target],
                      default: float, scale: float = 1.0) -> list[tuple[np.ndarray, float]]:
        """(mask, share) per group: each cell target, and the rest set to meet the overall target."""
        weights = frame["weight"].to_numpy()
        overall = next((t for t in targets if t.level == "all" and t.sector == "all"), None)
        cells = [t for t in targets if t is not overall]
        groups: list[tuple[np.ndarray, float]] = []
        covered = np.zeros(len(frame), dtype=bool)
        for target in cells:
            mask = eligible & target.matches(frame) & ~covered
            covered |= mask
            groups.append((mask, target.share / scale))
        rest = eligible & ~covered
        total = weights[eligible].sum()
        if overall is None:
            rest_share = default / scale
        elif rest.any():
            fixed = sum(weights[m].sum() * s for m, s in groups)
            rest_share = (overall.share / scale * total - fixed) / weights[rest].sum()
        else:
            implied = sum(weights[m].sum() * s for m, s in groups) / total
            if abs(implied - overall.share / scale) * 100 > TOLERANCE_PP / 2:
                raise ValueError(f"{self.spec.path}: cell targets of {overall.indicator}.{overall.option} imply "
                                 f"{implied:.3f}, not {overall.share / scale:.3f}; adjust the strata populations")
            rest_share = 0.0
        if not 0.0 <= rest_share <= 1.0:
            raise ValueError(f"{self.spec.path}: targets for {targets[0].indicator}.{targets[0].option} "
                             f"cannot all be met (remaining units would need {rest_share:.3f})")
        groups.append((rest, rest_share))
        return [(m, s) for m, s in groups if m.any()]

    def _binary(self, frame: pd.DataFrame, eligible: np.ndarray, indicator: str, option: str,
                scores: np.ndarray, scale: float = 1.0) -> np.ndarray:
        weights = frame["weight"].to_numpy()
        chosen = np.zeros(len(frame), dtype=bool)
        targets = self._targets_for(indicator, option)
        for mask, share in self._group_shares(frame, eligible, targets, self._default(indicator, option), scale):
            chosen[mask] = select_by_weight(scores[mask], weights[mask], share)
        return chosen

    # ---- the questions ----
    def innovative(self, frame: pd.DataFrame) -> np.ndarray:
        everyone = np.ones(len(frame), dtype=bool)
        return self._binary(frame, everyone, "innovative", "yes", self.rng.random(len(frame)))

    def innovation_types(self, frame: pd.DataFrame, innovative: np.ndarray, asked: list[str]) -> None:
        weights = frame["weight"].to_numpy()
        innovative_share = weighted_share(innovative, weights)
        for option in asked:
            chosen = self._binary(frame, innovative, "innovation_type", option, self.rng.random(len(frame)),
                                  scale=innovative_share)
            frame[f"innovation_type.{option}"] = np.where(innovative, chosen.astype(float), 0.0)
        # every innovative unit has at least one type: give the uncalibrated type to those with none
        free = [o for o in asked if not self._targets_for("innovation_type", o)] or asked
        columns = [f"innovation_type.{o}" for o in asked]
        none = innovative & (frame[columns].to_numpy().sum(axis=1) == 0)
        frame.loc[none, f"innovation_type.{free[0]}"] = 1.0

    def _missing(self, eligible: np.ndarray) -> np.ndarray:
        return eligible & (self.rng.random(len(eligible)) < self.spec.question_missing_pct / 100.0)

    def single(self, frame: pd.DataFrame, indicator: IndicatorDef, eligible: np.ndarray, asked: list[str]) -> None:
        weights = frame["weight"].to_numpy()
        answered = eligible & ~self._missing(eligible)
        scores = self.rng.random(len(frame))
        targets = [t for o in asked for t in self._targets_for(indicator.code, o)]
        chosen = np.full(len(frame), None, dtype=object)
        cells = {(t.level, t.sector) for t in targets} - {("all", "all")}
        cell_targets = [Target(indicator.code, "*", 0.0, lv, sc) for lv, sc in sorted(cells)]
        covered = np.zeros(len(frame), dtype=bool)
        groups = []
        for cell in cell_targets:
            mask = answered & cell.matches(frame) & ~covered
            covered |= mask
            groups.append((mask, cell.level, cell.sector))
        groups.append((answered & ~covered, "all", "all"))
        for mask, level, sector in groups:
            if not mask.any():
                continue
            fixed = {t.option: t.share for t in targets if (t.level, t.sector) == (level, sector)}
            free = [o for o in asked if o not in fixed]
            remainder = 1.0 - sum(fixed.values())
            defaults = np.array([self._default(indicator.code, o) for o in free])
            shares = dict(fixed)
            if free:
                shares.update(zip(free, remainder * defaults / defaults.sum(), strict=True))
            ordered = [shares[o] for o in asked]
            segments = split_by_weight(scores[mask], weights[mask], ordered)
            chosen[mask] = np.array(asked, dtype=object)[segments]
        for option in asked:
            frame[f"{indicator.code}.{option}"] = _coded(answered, eligible, (chosen == option).astype(float))

    def multiple(self, frame: pd.DataFrame, indicator: IndicatorDef, eligible: np.ndarray,
                 asked: list[str]) -> None:
        weights = frame["weight"].to_numpy()
        answered = eligible & ~self._missing(eligible)
        # single items left as "don't know" (exercises the derived options' rule for unanswered items);
        # drawn before calibration so that each item's share is calibrated among the units that answered it
        dont_know = {o: answered & (self.item_rng.random(len(frame)) < self.spec.item_dont_know_pct / 100.0)
                     for o in asked} if self.spec.item_dont_know_pct else {}
        independent = {o: self.rng.random(len(frame)) for o in asked}
        common = self.rng.random(len(frame))
        # derived options with a target (e.g. 'any partner outside the organisation'), smallest set first
        unions = sorted(
            ((o, [m for m in o.derived_any_of if m in asked]) for o in indicator.options
             if o.derived_any_of and self._targets_for(indicator.code, o.code)),
            key=lambda pair: len(pair[1]),
        )
        rho: dict[str, float] = {}  # how strongly each option's ranking follows the common score

        def assign() -> dict[str, np.ndarray]:
            result = {}
            for option in asked:
                r = rho.get(option, 0.0)
                score = r * common + (1.0 - r) * independent[option]
                item_answered = answered & ~dont_know[option] if dont_know else answered
                result[option] = self._binary(frame, item_answered, indicator.code, option, score)
            return result

        done: set[str] = set()
        for union_option, members in unions:
            new = [m for m in members if m not in done] or members
            target = self._targets_for(indicator.code, union_option.code)[0]
            mask = answered & target.matches(frame)

            def union_share(r: float, new: list[str] = new, members: list[str] = members,
                            mask: np.ndarray = mask) -> float:
                for member in new:
                    rho[member] = r
                chosen = assign()
                any_member = np.logical_or.reduce([chosen[m] for m in members])
                return weighted_share(any_member[mask], weights[mask])

            solved = solve_monotone(union_share, target.share, increasing=False)
            union_share(solved)
            done.update(members)
        for option, chosen in assign().items():
            coded = _coded(answered, eligible, chosen.astype(float))
            if dont_know:
                coded[dont_know[option]] = DONT_KNOW
            frame[f"{indicator.code}.{option}"] = coded

    def build(self) -> pd.DataFrame:
        frame = self.units()
        questions = self.codebook.questions
        innovative = self.innovative(frame)
        type_question = questions["innovation_type"]
        self.innovation_types(frame, innovative, list(type_question.items or {}))
        for code, question in questions.items():
            if code == "innovation_type":
                continue
            indicator = self.catalogue.indicators[code]
            eligible = innovative if indicator.base == "innovative_units" else np.ones(len(frame), dtype=bool)
            if question.items is not None:
                self.multiple(frame, indicator, eligible, list(question.items))
            else:
                asked = [o for o in indicator.asked_options if o in set((question.labels or {}).values())]
                self.single(frame, indicator, eligible, asked)
        return frame


def check_targets(estimates: pd.DataFrame, targets: list[Target]) -> list[str]:
    """Targets that the estimates miss by more than the tolerance."""
    problems = []
    keyed = estimates.set_index(["indicator_code", "option_code", "government_level_code", "sector_code"])
    for t in targets:
        key = (t.indicator, t.option, t.level, t.sector)
        if key not in keyed.index:
            problems.append(f"no estimate for {key}")
            continue
        share = keyed.loc[key, "share"]
        if pd.isna(share) or abs(share - t.share) * 100 > TOLERANCE_PP:
            problems.append(f"{key}: estimate {share:.4f} vs target {t.share:.4f}")
    return problems


def generate_wave(spec_path: Path, settings: Settings, *, check_only: bool = False) -> list[str]:
    """Write (or with check_only, verify) one wave's file; returns problems found (empty when fine)."""
    catalogue = get_catalogue(settings.catalogue_dir)
    spec = load_spec(spec_path)
    codebook = load_codebook(settings.codebook_dir / spec.codebook, catalogue)
    targets = wave_targets(spec, codebook, settings, catalogue)
    frame = WaveGenerator(spec, codebook, catalogue, targets).build()
    path = codebook.source_path(settings.data_dir)
    problems = []
    if check_only:
        if not file_matches(frame, codebook, spec, path):
            problems.append(f"{path}: differs from what {spec_path} generates; run `barometer demo generate`")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_native(frame, codebook, spec, path)
    data, _rows = extract_and_harmonise(codebook, catalogue, settings)
    estimates = compute_estimates(data, min_n=1, z=settings.confidence_z)
    problems += [f"{codebook.key}: {p}" for p in check_targets(estimates, targets)]
    return problems


def generate_all(settings: Settings, *, countries: list[str] | None = None, check_only: bool = False,
                 report: Callable[[str], None] = print) -> list[str]:
    problems = []
    for spec_path in discover_specs(settings.demo_spec_dir, countries):
        found = generate_wave(spec_path, settings, check_only=check_only)
        report(f"{'checked' if check_only else 'wrote'} {spec_path.parent.name}/{spec_path.stem}: "
               f"{'ok' if not found else f'{len(found)} problem(s)'}")
        problems += found
    return problems
