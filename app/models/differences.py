"""Statistics of the bars a Compare view shows: the Nordic average of exactly those bars, and the differences
between the pairs of bars the view offers, each as one of a fixed family of comparisons.

Rules, stated once here and on the Data & methods page:

- **Bars**: the shown waves' estimates with a value; suppressed cells take no part.
- **Nordic average**: when every country shows one wave, one average of all the bars; when a country shows
  several waves, one average per comparison round (``nordic_round``) of the bars shown in that round (a country
  counts once per round: its latest wave of the round). An average needs at least two countries.
- **Pairs**: every two countries of one average (so: every pair of countries shown for one wave each, or of one
  round), and each country's consecutive shown waves (its two waves when two are shown). Country pairs read
  "later country in the catalogue against earlier" and wave pairs "later wave against earlier".
- **Family**: every pair of the loaded waves with a value for the view's measure, level and sector, whatever
  the view selects: m = W (W - 1) / 2 for W such waves. Each pair's interval is Newcombe's at the Bonferroni
  z_{1 - alpha/2m} (simultaneous over the family) and its verdict is that interval: it differs clearly exactly
  when the interval excludes 0 (equivalently, m times its dual p-value is below alpha). The family does not
  depend on which countries or waves are on screen, so a pair reads the same in every view of the measure.

Numbers are computed per request from the stored estimates and memoised (:func:`app.data.db.memoised`) under the
selection, the language-free part; words are written per language by the panel and the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import Any

from app.data import queries
from app.data.db import Database, memoised
from app.data.queries import Reference, Wave
from app.i18n import DISPLAY_DECIMALS, fmt_number, t
from app.models.common import percent
from core.config import get_settings
from core.statistics import FamilyDifference, average_of_shares, family_difference, simultaneous_z

MIN_COUNTRIES = 2
MARKER_PAIRS = 3  # pairs named in the chart's legend entry


@dataclass(frozen=True)
class Bar:
    """One shown bar with a value: a wave's estimate."""

    wave: Wave
    share: float
    n_effective: float


@dataclass(frozen=True)
class SelectionAverage:
    """The Nordic average of some of the bars shown (``nordic_round`` None when it spans rounds)."""

    nordic_round: int | None
    waves: tuple[Wave, ...]
    share: float
    se: float
    ci_low: float
    ci_high: float

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(w.country for w in self.waves)

    @property
    def units(self) -> tuple[str, ...]:
        """The units of observation it averages, each once (more than one: it mixes unlike units)."""
        return tuple(dict.fromkeys(w.unit_of_observation for w in self.waves))

    @property
    def rounds(self) -> tuple[int | None, ...]:
        """The comparison rounds of the waves it averages, each once (more than one: it mixes rounds)."""
        return tuple(dict.fromkeys(w.nordic_round for w in self.waves))


@dataclass(frozen=True)
class DifferenceFamily:
    """The fixed family every difference of a view is adjusted for: all pairs of the loaded waves with a value
    for the view's measure, level and sector (Bonferroni, family-wise error ``alpha``)."""

    waves: tuple[Wave, ...]
    alpha: float

    @property
    def size(self) -> int:
        """The number of comparisons m = W (W - 1) / 2."""
        return len(self.waves) * (len(self.waves) - 1) // 2

    @property
    def z(self) -> float:
        """The z of the family's simultaneous intervals, z_{1 - alpha/2m}."""
        return simultaneous_z(self.alpha, self.size)


@dataclass(frozen=True)
class BarDifference:
    """``subject`` minus ``reference`` as one comparison of the view's family (its simultaneous interval, raw
    and adjusted p-value), and the aspects (unit, wording) in which the two waves are not fully comparable."""

    subject: Wave
    reference: Wave
    kind: str  # "countries" or "waves"
    result: FamilyDifference
    caveats: tuple[str, ...]

    @property
    def difference(self) -> float:
        return self.result.difference

    @property
    def ci_low(self) -> float:
        return self.result.ci_low

    @property
    def ci_high(self) -> float:
        return self.result.ci_high

    @property
    def differs(self) -> bool:
        """The verdict is the interval's: it differs clearly exactly when the interval excludes 0."""
        return self.result.differs


@dataclass(frozen=True)
class SelectionStatistics:
    averages: tuple[SelectionAverage, ...]
    missing_rounds: tuple[int | None, ...]  # groups of bars with fewer than two countries (no average)
    differences: tuple[BarDifference, ...]
    family: DifferenceFamily | None = None


def round_groups(bars: list[Bar]) -> list[tuple[int, list[Bar]]]:
    """The bars of each comparison round, a country once per round (its latest wave of the round)."""
    groups: dict[int, dict[str, Bar]] = {}
    for bar in bars:
        if bar.wave.nordic_round is not None:
            groups.setdefault(bar.wave.nordic_round, {})[bar.wave.country] = bar
    return [(rnd, list(groups[rnd].values())) for rnd in sorted(groups)]


def average_groups(bars: list[Bar]) -> list[tuple[int | None, list[Bar]]]:
    """The groups of bars that get one Nordic average each (see the module's rules); bars in catalogue order."""
    per_country: dict[str, list[Bar]] = {}
    for bar in bars:
        per_country.setdefault(bar.wave.country, []).append(bar)
    if all(len(own) == 1 for own in per_country.values()):
        rounds = {b.wave.nordic_round for b in bars}
        return [(rounds.pop() if len(rounds) == 1 else None, bars)] if bars else []
    return list(round_groups(bars))


def average_of_bars(nordic_round: int | None, group: list[Bar], z: float) -> SelectionAverage:
    """The Nordic average of a group of at least two bars (score-based SEs: never zero)."""
    avg = average_of_shares([b.share for b in group], [b.n_effective for b in group], z)
    return SelectionAverage(nordic_round, tuple(b.wave for b in group), avg.share, avg.se, avg.ci_low, avg.ci_high)


def offered_pairs(bars: list[Bar]) -> list[tuple[Bar, Bar, str]]:
    """(subject, reference, kind) of every pair the view offers: countries within an average's group, then each
    country's consecutive waves."""
    pairs: list[tuple[Bar, Bar, str]] = []
    for _, group in average_groups(bars):
        pairs += [(later, earlier, "countries") for earlier, later in combinations(group, 2)]
    per_country: dict[str, list[Bar]] = {}
    for bar in bars:
        per_country.setdefault(bar.wave.country, []).append(bar)
    for own in per_country.values():
        pairs += [(later, earlier, "waves") for earlier, later in pairwise(own)]
    return pairs


def pair_caveats(a: Wave, b: Wave, notes: list[dict]) -> tuple[str, ...]:
    """The aspects in which two waves are not fully comparable for the indicator: units of observation that
    differ, or a wording note on either wave."""
    caveats = ["unit"] if a.unit_of_observation != b.unit_of_observation else []
    if any(n["aspect"] == "wording" and n["wave_id"] in (a.id, b.id) for n in notes):
        caveats.append("wording")
    return tuple(caveats)


@memoised("selection_statistics")
def selection_statistics(db: Database, *, wave_ids: list[int], indicator: str, option: str, level: str,
                         sector: str) -> SelectionStatistics:
    """Nordic averages and pairwise differences of the bars of the waves ``wave_ids`` (see the module's rules)."""
    # load inputs: every loaded wave in catalogue order (the family), their estimates, the shown waves' notes
    chosen = set(wave_ids)
    every_wave = queries.waves(db)
    cells = {c["wave_id"]: c for c in queries.estimates(db, wave_ids=[w.id for w in every_wave],
                                                        indicator=indicator, options=[option], levels=[level],
                                                        sectors=[sector])}
    notes = [n for n in queries.comparability_notes(db, wave_ids=wave_ids) if n["indicator"] in (None, indicator)]
    settings = get_settings()

    # process: bars with a value only (a suppressed cell has no share, so it takes no part)
    valued = [Bar(w, cells[w.id]["share"], cells[w.id]["n_effective"]) for w in every_wave
              if w.id in cells and cells[w.id]["share"] is not None and cells[w.id]["n_effective"]]
    bars = [b for b in valued if b.wave.id in chosen]
    family = DifferenceFamily(tuple(b.wave for b in valued), settings.alpha)
    averages, missing = [], []
    for rnd, group in average_groups(bars):
        if len(group) < MIN_COUNTRIES:
            missing.append(rnd)
            continue
        averages.append(average_of_bars(rnd, group, settings.confidence_z))
    differences = tuple(
        BarDifference(s.wave, r.wave, kind,
                      family_difference(s.share, s.n_effective, r.share, r.n_effective, alpha=family.alpha,
                                        family_size=family.size),
                      pair_caveats(s.wave, r.wave, notes))
        for s, r, kind in offered_pairs(bars))
    return SelectionStatistics(tuple(averages), tuple(missing), differences, family)


# ---- words and records (per language) ---------------------------------------------------------------------


def _points(value: float, lang: str, decimals: int = DISPLAY_DECIMALS) -> str:
    """A difference of shares in percentage points, as the rest of the app rounds and writes numbers."""
    return fmt_number(value * 100, lang, decimals)


def _bound_decimals(diff: BarDifference) -> int:
    """Decimals of a clear difference's interval: one more where a bound would round to 0, so that an
    interval that excludes 0 never reads '0 to 10'."""
    bounds = (diff.ci_low * 100, diff.ci_high * 100)
    return DISPLAY_DECIMALS + (1 if diff.differs and any(round(b, DISPLAY_DECIMALS) == 0 for b in bounds) else 0)


def _p_text(p: float, lang: str) -> str:
    return t(lang, "difference_p_small", p=fmt_number(0.001, lang, 3)) if p < 0.001 else \
        t(lang, "difference_p", p=fmt_number(p, lang, 3))


def wave_name(wave: Wave, ref: Reference, lang: str) -> str:
    """A bar's name in words: country and wave, e.g. 'Iceland 2021'."""
    return f"{ref.label('country', wave.country, lang)} {wave.wave_label}"


def difference_sentence(diff: BarDifference, ref: Reference, lang: str) -> str:
    """The pair in words a policymaker reads: 'Iceland 2021 lower than Denmark 2021-23 by 10 points (adjusted 95%
    CI 1 to 19)' when its interval excludes 0, else 'Iceland 2018 and Iceland 2021: no clear difference ...'."""
    subject, reference = wave_name(diff.subject, ref, lang), wave_name(diff.reference, ref, lang)
    if diff.differs:
        flip = -1.0 if diff.difference < 0 else 1.0
        low, high = sorted((flip * diff.ci_low, flip * diff.ci_high))
        decimals = _bound_decimals(diff)
        return t(lang, "difference_lower" if flip < 0 else "difference_higher", subject=subject,
                 reference=reference, points=_points(abs(diff.difference), lang), low=_points(low, lang, decimals),
                 high=_points(high, lang, decimals))
    return t(lang, "difference_unclear", subject=subject, reference=reference,
             points=_points(diff.difference, lang), low=_points(diff.ci_low, lang), high=_points(diff.ci_high, lang))


def caveat_text(diff: BarDifference, lang: str) -> str:
    """The pair's comparability caveat in words ('' when its waves share unit and wording)."""
    if not diff.caveats:
        return ""
    return t(lang, "difference_caveat", aspects=", ".join(t(lang, f"aspect_{a}") for a in diff.caveats))


def detail_text(diff: BarDifference, lang: str) -> str:
    """The pair's test in short: its p-value adjusted for the family (Bonferroni)."""
    return _p_text(diff.result.p_adjusted, lang)


def family_text(family: DifferenceFamily, lang: str) -> str:
    """The family the differences are adjusted for, in words (the panel, the downloads and the API say it)."""
    return t(lang, "differences_family", size=fmt_number(family.size, lang), count=len(family.waves),
             level=fmt_number(100 * (1 - family.alpha), lang), waves=", ".join(w.name for w in family.waves))


def family_record(family: DifferenceFamily) -> dict[str, Any]:
    """The API's ``family``: which comparisons every difference of the view is adjusted for, and how."""
    return {"method": "bonferroni", "interval": "newcombe_hybrid_score", "alpha": family.alpha,
            "size": family.size, "z": family.z, "wave_keys": [w.key for w in family.waves],
            "description": family_text(family, "en")}


def difference_records(stats: SelectionStatistics, ref: Reference, lang: str, *, level: str, sector: str,
                       indicator: str, option: str) -> list[dict[str, Any]]:
    """One flat row per pair (row_type 'difference') for CSV, XLSX and the API's ``differences`` array: the
    unrounded difference and simultaneous interval in percentage points, raw and adjusted p, the family and the
    words."""
    records = []
    family = family_text(stats.family, lang) if stats.family else ""
    for diff in stats.differences:
        waves = (diff.subject, diff.reference)
        records.append({
            "row_type": "difference",
            "country_code": f"{diff.subject.country}-{diff.reference.country}",
            "country": difference_sentence(diff, ref, lang),
            "comparison": diff.kind,
            "subject_wave_key": diff.subject.key,
            "reference_wave_key": diff.reference.key,
            "government_level_code": level, "sector_code": sector,
            "indicator_code": indicator, "option_code": option,
            "status": "differs" if diff.differs else "no_clear_difference",
            "difference_pct": percent(diff.difference),
            "difference_ci_low_pct": percent(diff.ci_low),
            "difference_ci_high_pct": percent(diff.ci_high),
            "p_value": diff.result.p_value,
            "p_adjusted": diff.result.p_adjusted,
            "family_size": diff.result.family_size,
            "differs": diff.differs,
            "family": family,
            "comparability_caveat": caveat_text(diff, lang),
            "data": t(lang, "data_demo") if any(w.is_demo for w in waves) else t(lang, "data_real"),
            "source": " | ".join(dict.fromkeys(w.citation for w in waves)),
            "source_url": " | ".join(dict.fromkeys(w.source_url for w in waves if w.source_url)),
        })
    return records


def average_label(average: SelectionAverage, ref: Reference, lang: str, *, short: bool = False) -> str:
    """'Nordic average of DK 2021-23, NO 2020, SE 2018 (mixes units: ...; mixes rounds: ...)': the waves it
    averages, by country code and wave, and on itself whether it mixes unlike units or comparison rounds
    (``short``: only that it does, for the chart's legend, which has room for three lines)."""
    label = t(lang, "nordic_average_of", waves=", ".join(f"{w.country} {w.wave_label}" for w in average.waves))
    mixes = []
    if len(average.units) > 1:
        mixes.append(t(lang, "nordic_mixes_units_short") if short else t(lang, "nordic_mixes_units", units=", ".join(
            ref.label("unit_of_observation", unit, lang).lower() for unit in average.units)))
    if len(average.rounds) > 1:
        mixes.append(t(lang, "nordic_mixes_rounds_short") if short else t(lang, "nordic_mixes_rounds", rounds=", ".join(
            str(r) if r is not None else t(lang, "nordic_round_unassigned") for r in average.rounds)))
    return f"{label} ({('; ' if not short else ', ').join(mixes)})" if mixes else label


def same_round_waves(countries: tuple[str, ...], waves: tuple[Wave, ...]) -> tuple[int, tuple[Wave, ...]] | None:
    """The comparison round a view mixing rounds can be shown in instead: of the loaded ``waves`` of the view's
    ``countries``, the round with the most countries (at least two; the latest on a tie), with its waves."""
    rounds: dict[int, dict[str, Wave]] = {}
    for wave in waves:
        if wave.country in countries and wave.nordic_round is not None:
            rounds.setdefault(wave.nordic_round, {})[wave.country] = wave
    best = max(rounds.items(), key=lambda item: (len(item[1]), item[0]), default=None)
    if best is None or len(best[1]) < MIN_COUNTRIES:
        return None
    return best[0], tuple(best[1].values())


def chart_marker(stats: SelectionStatistics, lang: str) -> str:
    """The chart's compact legend entry: which pairs differ, by code ('DK > IS'), or that none does."""
    clear = [d for d in stats.differences if d.differs]
    if not clear:
        return t(lang, "differences_marker_none")

    def code(w: Wave, other: Wave) -> str:
        return w.country if w.country != other.country else f"{w.country} {w.wave_label}"

    pairs = [f"{code(d.subject, d.reference)} {'>' if d.difference > 0 else '<'} {code(d.reference, d.subject)}"
             for d in clear]
    if len(pairs) > MARKER_PAIRS:  # the legend stays short on a phone; the panel lists every pair
        pairs = [*pairs[:MARKER_PAIRS], t(lang, "differences_more", count=len(pairs) - MARKER_PAIRS)]
    return t(lang, "differences_marker", pairs="; ".join(pairs))
