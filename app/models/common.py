"""Pieces shared by the view models: cell status, published-figure text, comparability checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.data.queries import Wave
from app.i18n import fmt_number, fmt_pct, t
from app.i18n.texts import text_in

# Status of one cell of a view, in the order a reader should care about them.
OK = "ok"
SUPPRESSED = "suppressed"
NOT_ASKED = "not_asked"
NOT_COVERED = "not_covered"
NO_DATA = "no_data"


def cell_status(row: Mapping[str, Any] | None, wave: Wave | None, indicator: str, option: str,
                coverage: Mapping[int, set[tuple[str, str]]]) -> str:
    """Why a cell shows what it shows: a value, suppressed, or absent for a stated reason.

    A suppressed cell still has its row (without values), so an absent row of a question the wave asked is a
    level or sector its data do not cover."""
    if wave is None:
        return NO_DATA
    if row is not None:
        return SUPPRESSED if row["suppressed"] else OK
    if (indicator, option) not in coverage.get(wave.id, set()):
        return NOT_ASKED
    return NOT_COVERED


def percent(share: float) -> float:
    """A share (0-1) in percent, unrounded: downloads and the API carry full precision, and the chart plots the
    very same numbers (only shown text is rounded, to ``app.i18n.DISPLAY_DECIMALS``)."""
    return share * 100


def export_statistics(cell: Mapping[str, Any] | None, shown: bool, n_note: str, *,
                      with_n_effective: bool = False) -> dict[str, Any]:
    """The statistic columns of a download row, in their column order; a hidden cell gives no value, only
    its note and suppression flag."""
    shown = shown and cell is not None
    columns: dict[str, Any] = {
        "share_pct": percent(cell["share"]) if shown else None,
        "ci_low_pct": percent(cell["ci_low"]) if shown else None,
        "ci_high_pct": percent(cell["ci_high"]) if shown else None,
        "n": cell["n"] if shown else None,
    }
    if with_n_effective:
        columns["n_effective"] = cell["n_effective"] if shown else None
    columns["n_note"] = n_note
    columns["suppression"] = cell["suppression"] if cell else None
    return columns


def n_text(row: Mapping[str, Any] | None, lang: str) -> str:
    """n as shown to users: the count, or for a suppressed cell only 'n < MIN' (never the count)."""
    if row is None:
        return ""
    if row["suppressed"]:
        if row.get("suppression") == "primary":
            return t(lang, "n_below", min=row.get("min_cell_n") or "?")
        return t(lang, "n_hidden")
    return fmt_number(row["n"], lang)


def status_text(status: str, row: Mapping[str, Any] | None, lang: str) -> str:
    """Short text for a cell without a value."""
    if status == SUPPRESSED and row is not None:
        key = "suppressed_primary" if row.get("suppression") == "primary" else "suppressed_complementary"
        return t(lang, key, min=row.get("min_cell_n") or "?")
    return t(lang, f"status_{status}") if status != OK else ""


def published_text(figure: Mapping[str, Any], lang: str) -> str:
    """A published figure as printed: '81%', 'about 80%', 'over 50%', 'among the top 2'."""
    relation = figure["relation"]
    if relation == "top":
        return t(lang, "published_top", rank=figure.get("top_rank") or "?")
    value = fmt_pct((figure["value_pct"] or 0) / 100, lang, 0) if figure["value_pct"] is not None else ""
    if not value:
        return fmt_number(figure["n"], lang) if figure.get("n") else ""
    return t(lang, f"published_{relation}", value=value)


# what a published figure's n counts, by the unit its percentage is of: a share of workplaces (units,
# organisations) is of the responses; a share of innovations is of the innovative units answering, one latest
# innovation each; other figures (response rates, counts) count respondents
N_COUNTS = {"workplaces": "responses", "units": "responses", "organisations": "responses",
            "innovations": "innovations", "evaluations": "innovations", "other": "respondents"}


def published_n_counts(figure: Mapping[str, Any]) -> str:
    """What the n printed with a published figure counts: responses, innovations or respondents."""
    return N_COUNTS.get(figure.get("unit") or "other", "respondents")


def estimate_n_counts(base: str) -> str:
    """What an estimate's n counts: the responses answering, or (latest-innovation questions, asked of the
    innovative units) the innovations."""
    return "innovations" if base == "innovative_units" else "responses"


def published_n_text(figure: Mapping[str, Any], lang: str) -> str:
    """A published figure's n with what it counts ('1,611 responses'), or '–' when none is printed."""
    if not figure.get("n"):
        return "–"
    return t(lang, f"n_counts_{published_n_counts(figure)}", n=fmt_number(figure["n"], lang))


def published_wave(figure: Mapping[str, Any], lang: str) -> str:
    """The wave a published figure belongs to, or 'wave not stated' where its source names none."""
    return figure["wave_label"] if figure.get("wave_label") else t(lang, "wave_not_stated")


@dataclass(frozen=True)
class Warning:
    """One way the compared waves differ: a one-line summary, and the evidence wave by wave."""

    aspect: str  # unit, wording, period, population
    text: str
    details: tuple[str, ...] = ()


def comparability_warnings(waves: Iterable[Wave], notes: Iterable[Mapping[str, Any]], indicator: str,
                           ref_label, lang: str) -> list[Warning]:
    """Warnings for a chart comparing ``waves``: units, wording, reference periods or populations that differ.

    Units come from survey_wave.unit_of_observation; periods from survey_wave.reference_period (when
    several countries are compared) and period notes; wording and population from the waves'
    comparability notes that apply to the indicator.
    """
    waves = list(waves)
    if len(waves) < 2:
        return []
    warnings: list[Warning] = []
    by_unit: dict[str, list[str]] = {}
    for w in waves:
        by_unit.setdefault(ref_label("unit_of_observation", w.unit_of_observation, lang), []).append(w.name)
    if len(by_unit) > 1:
        summary = "; ".join(f"{unit} ({', '.join(names)})" for unit, names in by_unit.items())
        warnings.append(Warning("unit", t(lang, "warn_units", detail=summary)))
    by_id = {w.id: w for w in waves}
    relevant = [n for n in notes if n["wave_id"] in by_id and n["indicator"] in (None, indicator)]

    def noted(aspects: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f"{by_id[n['wave_id']].name}: {_sentence(n['note'])}" for n in relevant
                     if n["aspect"] in aspects)

    wording = noted(("wording",))
    if wording:
        warnings.append(Warning("wording", t(lang, "warn_wording", count=len({d.split(":")[0] for d in wording})),
                                wording))
    countries = {w.country for w in waves}
    periods = {w.reference_period for w in waves}  # compared in English, the one language every wave has
    period_notes = noted(("period",))
    if (len(countries) > 1 and len(periods) > 1) or period_notes:
        details = tuple(f"{w.name}: {_sentence(text_in(w.texts_of('reference_period'), lang))}"
                        for w in waves) + period_notes
        warnings.append(Warning("period", t(lang, "warn_periods"), details))
    population = noted(("population", "coverage"))
    if population:
        warnings.append(Warning("population", t(lang, "warn_population"), population))
    return warnings


def _sentence(text: str) -> str:
    """Text ending in one full stop (notes are written with or without one)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def export_footer(waves: Iterable[Wave], lang: str) -> str:
    """The source and licence lines an exported chart image carries (the view's URL is added in the browser)."""
    waves = list(waves)
    return sources_footer([w.citation for w in waves],
                          [text_in(w.texts_of("licence"), lang) for w in waves if w.licence], lang)


def sources_footer(citations: Iterable[str], licences: Iterable[str | None], lang: str) -> str:
    """Source and licence lines of an exported chart: each citation and licence once, in order."""
    sources = list(dict.fromkeys(citations))
    licences = list(dict.fromkeys(x for x in licences if x))
    lines = [t(lang, "export_source", sources=" ".join(_sentence(s) for s in sources))] if sources else []
    if licences:
        lines.append(t(lang, "export_licence", licence=" ".join(_sentence(s) for s in licences)))
    return "\n".join(lines)


def demo_label(waves: Iterable[Wave], lang: str) -> str | None:
    """The demo-data label for a chart using any demo wave (None when all data are real)."""
    demo = sorted({w.name for w in waves if w.is_demo})
    return t(lang, "demo_label", waves=", ".join(demo)) if demo else None


def units_phrase(waves: Iterable[Wave], lang: str) -> str:
    """What the shares count, in words: the one unit of observation of the waves shown, or a phrase saying
    that they differ (a workplace, a municipal unit and an organisation are not the same thing)."""
    units = {w.unit_of_observation for w in waves if w is not None}
    return t(lang, f"units_{units.pop()}") if len(units) == 1 else t(lang, "units_mixed")


def headline(ref: Any, indicator: str, option: str, waves: Iterable[Wave], lang: str, *,
             units: str | None = None) -> str:
    """A title that says in words what a chart shows: which share, of which units (those of ``waves``, or the
    ``units_<units>`` phrase when given), answering what."""
    units = t(lang, f"units_{units}") if units else units_phrase(waves, lang)
    if indicator == "innovative" and option == "yes":
        return t(lang, "headline_innovative", units=units)
    base = ref.indicators[indicator].base
    key = "headline_innovative_units" if base == "innovative_units" else "headline_all_units"
    return t(lang, key, units=units, indicator=ref.label("indicator", indicator, lang),
             option=ref.option_label(indicator, option, lang))
