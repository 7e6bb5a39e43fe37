"""Compare view: one indicator option across countries and waves, for a level and sector."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.data import queries
from app.data.db import Database
from app.data.queries import Reference, Wave
from app.i18n import t
from app.i18n.texts import text_in
from app.models import published as published_view
from app.models.common import (
    NO_DATA,
    OK,
    Warning,
    cell_status,
    comparability_warnings,
    demo_label,
    estimate_n_counts,
    export_statistics,
    headline,
    n_text,
    percent,
    published_text,
    published_wave,
    status_text,
)
from app.models.differences import (
    SelectionStatistics,
    average_label,
    difference_records,
    same_round_waves,
    selection_statistics,
)
from app.models.method import method_text
from app.pages.compare.view import CompareView
from app.site.params import Known
from core.published_match import figure_for_wave, figures_without_wave


@dataclass(frozen=True)
class CompareRow:
    country: str
    country_label: str
    wave: Wave | None
    label: str  # what the chart's category axis shows
    status: str
    cell: dict[str, Any] | None
    n_text: str
    status_text: str
    published: str
    published_pct: float | None  # published value when printed as a number (for a marker)
    notes: tuple[str, ...]
    unit_label: str = ""

    @property
    def share(self) -> float | None:
        return self.cell["share"] if self.cell and self.status == OK else None


@dataclass(frozen=True)
class NordicLine:
    nordic_round: int | None  # None: the average spans the rounds of the waves shown
    share: float
    ci_low: float
    ci_high: float
    countries: tuple[str, ...]
    label: str
    waves: tuple[Wave, ...] = ()  # the waves averaged (their sources are the average's sources)
    chart_label: str = ""  # the label in the chart's legend: says only whether it mixes units or rounds


@dataclass
class CompareResult:
    view: CompareView
    lang: str
    title: str
    subtitle: str
    question: str
    rows: list[CompareRow]
    nordic: list[NordicLine]
    warnings: list[Warning]
    demo: str | None
    method: str
    level_label: str
    sector_label: str
    indicator_label: str
    option_label: str
    missing_rounds: list[int | None] = field(default_factory=list)
    colours: dict[str, str] = field(default_factory=dict)  # country -> chart colour (catalogue)
    # figures of the shown programmes whose source names no wave: listed beside the chart, never on a bar
    published_without_wave: list[dict[str, Any]] = field(default_factory=list)
    # the source shown ('survey' or 'published': see app/models/published.py) and, for 'published',
    # its bars (then rows and nordic are empty: no demo estimate is mixed into the published view)
    source: str = published_view.SURVEY
    published: list[published_view.PublishedBar] = field(default_factory=list)
    survey_demo: bool = False  # every selected wave is demo data (what the switch to the survey says)
    # the Nordic averages' and differences' numbers of the bars shown (app/models/differences.py)
    statistics: SelectionStatistics | None = None
    ref: Reference | None = None  # the catalogue's labels, for the differences' words
    n_counts: str = "responses"  # what each bar's n counts: responses, or innovations (latest-innovation base)
    # where a Nordic average mixes rounds: the round with the most of the view's countries, and its waves
    same_round: tuple[int, tuple[Wave, ...]] | None = None

    @property
    def waves(self) -> list[Wave]:
        return [r.wave for r in self.rows if r.wave is not None]


def build_compare(db: Database, view: CompareView, lang: str, known: Known) -> CompareResult:
    """Everything the Compare chart, table, downloads and API show for ``view``."""
    ref = known.ref
    waves = [w for key in view.waves if (w := known.wave_by_key(key)) is not None]
    cells = queries.estimates(db, wave_ids=[w.id for w in waves], indicator=view.indicator, options=[view.option],
                              levels=[view.level], sectors=[view.sector]) if waves else []
    by_wave = {c["wave_id"]: c for c in cells}
    notes = queries.comparability_notes(db, wave_ids=[w.id for w in waves], lang=lang) if waves else []
    published = queries.published_figures(db, countries=view.countries)

    rows: list[CompareRow] = []
    for country in view.countries:
        own = [w for w in waves if w.country == country]
        country_label = ref.label("country", country, lang)
        if not own:
            rows.append(CompareRow(country, country_label, None, country_label, NO_DATA, None, "",
                                   t(lang, "status_no_data"), "", None, ()))
            continue
        for wave in own:
            cell = by_wave.get(wave.id)
            status = cell_status(cell, wave, view.indicator, view.option, known.coverage)
            figure = figure_for_wave(published, country=country, programme=wave.programme,
                                     wave_label=wave.wave_label, level=view.level, sector=view.sector,
                                     indicator=view.indicator, option=view.option)
            wave_notes = tuple(n["note"] for n in notes if n["wave_id"] == wave.id
                               and n["indicator"] == view.indicator)
            rows.append(CompareRow(
                country=country, country_label=country_label, wave=wave,
                label=f"{country_label} {wave.wave_label}", status=status, cell=cell,
                n_text=n_text(cell, lang), status_text=status_text(status, cell, lang),
                published=published_text(figure, lang) if figure else "",
                published_pct=(figure["value_pct"] if figure and figure["relation"] in ("equal", "approx")
                               else None),
                notes=wave_notes,
                unit_label=ref.label("unit_of_observation", wave.unit_of_observation, lang),
            ))

    statistics = selection_statistics(db, wave_ids=[w.id for w in waves], indicator=view.indicator,
                                      option=view.option, level=view.level, sector=view.sector) if waves else None
    nordic = [NordicLine(a.nordic_round, a.share, a.ci_low, a.ci_high, a.countries, average_label(a, ref, lang),
                         a.waves, average_label(a, ref, lang, short=True))
              for a in statistics.averages] if view.nordic and statistics else []
    missing_rounds = list(statistics.missing_rounds) if view.nordic and statistics else []
    # an average that mixes rounds offers the view of one round instead (said beside it, and linked)
    mixing = any(len(a.rounds) > 1 for a in statistics.averages) if view.nordic and statistics else False
    same_round = same_round_waves(view.countries, known.waves) if mixing else None

    indicator = ref.indicators[view.indicator]
    indicator_label = ref.label("indicator", view.indicator, lang)
    option_label = ref.option_label(view.indicator, view.option, lang)
    level_label = ref.label("government_level", view.level, lang)
    sector_label = ref.label("sector", view.sector, lang)
    base = t(lang, f"base_{indicator.base}")
    bars = published_view.published_bars(db, view, known, lang)
    all_demo = all(w.is_demo for w in waves)
    if published_view.resolve_source(view.source, waves, bars) == published_view.PUBLISHED:
        note = published_view.units_note(bars, lang)
        return CompareResult(
            view=view, lang=lang, source=published_view.PUBLISHED, published=bars, survey_demo=all_demo,
            title=headline(ref, view.indicator, view.option, [], lang, units=published_view.units_phrase_of(bars)),
            subtitle=t(lang, "published_subtitle", level=level_label, sector=sector_label),
            question=text_in(ref.questions(view.indicator), lang), rows=[], nordic=[],
            warnings=[Warning("unit", note)] if note else [], demo=None, method=method_text(lang, "nordic_method"),
            level_label=level_label, sector_label=sector_label, indicator_label=indicator_label,
            option_label=option_label, colours=ref.colours)
    return CompareResult(
        view=view, lang=lang,
        title=headline(ref, view.indicator, view.option, waves, lang),
        subtitle=t(lang, "compare_subtitle", level=level_label, sector=sector_label, base=base),
        question=text_in(ref.questions(view.indicator), lang),
        rows=rows, nordic=nordic,
        warnings=comparability_warnings(waves, notes, view.indicator, ref.label, lang),
        demo=demo_label(waves, lang), method=method_text(lang, "nordic_method"),
        level_label=level_label, sector_label=sector_label, indicator_label=indicator_label,
        option_label=option_label, missing_rounds=missing_rounds, colours=ref.colours,
        published_without_wave=figures_without_wave(
            published, programmes={(w.country, w.programme) for w in waves}, level=view.level, sector=view.sector,
            indicator=view.indicator, option=view.option),
        published=bars, survey_demo=all_demo,
        statistics=statistics, ref=ref, same_round=same_round, n_counts=estimate_n_counts(indicator.base),
    )


def compare_records(result: CompareResult) -> list[dict[str, Any]]:
    """Flat rows for CSV, XLSX and JSON: n, CI, flags, source and the demo label on every row."""
    view, lang = result.view, result.lang
    if result.source == published_view.PUBLISHED:
        return published_view.published_records(result.published, view, {
            "level": result.level_label, "sector": result.sector_label, "indicator": result.indicator_label,
            "option": result.option_label, "warning": " ".join(w.text for w in result.warnings)}, lang)
    warn = " ".join(w.text for w in result.warnings)  # words, as on the page
    records: list[dict[str, Any]] = []
    for row in result.rows:
        cell, wave = row.cell, row.wave
        ok = row.status == OK
        records.append({
            "row_type": "estimate",
            "country_code": row.country,
            "country": row.country_label,
            "programme": wave.programme if wave else None,
            "wave": wave.wave_label if wave else None,
            "wave_key": wave.key if wave else None,
            "reference_period": text_in(wave.texts_of("reference_period"), lang) if wave else None,
            "unit_of_observation": wave.unit_of_observation if wave else None,
            "nordic_round": wave.nordic_round if wave else None,
            "government_level_code": view.level,
            "government_level": result.level_label,
            "sector_code": view.sector,
            "sector": result.sector_label,
            "indicator_code": view.indicator,
            "indicator": result.indicator_label,
            "option_code": view.option,
            "option": result.option_label,
            "status": row.status,
            **export_statistics(cell, ok, row.n_text if cell and not ok else "", with_n_effective=True),
            "n_counts": result.n_counts,
            "comparability_warnings": warn,
            "notes": " | ".join(row.notes),
            "published_figure": row.published,
            "data": (t(lang, "data_demo") if wave and wave.is_demo else t(lang, "data_real")) if wave else "",
            "source": wave.citation if wave else None,
            "source_url": wave.source_url if wave else None,
        })
    for figure in result.published_without_wave:
        records.append({
            "row_type": "published", "country_code": figure["country"], "country": figure["country"],
            "programme": figure["programme"], "wave": published_wave(figure, lang),
            "government_level_code": view.level, "sector_code": view.sector,
            "indicator_code": view.indicator, "option_code": view.option,
            "share_pct": figure["value_pct"], "n_note": published_text(figure, lang),
            "notes": " | ".join(x for x in (figure["wave_as_published"], figure["scope"], figure["note"]) if x),
            "data": t(lang, "data_published"), "source": figure["citation"], "source_url": figure["source_url"],
        })
    for line in result.nordic:
        records.append({
            "row_type": "nordic_average",
            "country_code": "NORDIC",
            "country": line.label,
            "nordic_round": line.nordic_round,
            "government_level_code": view.level, "government_level": result.level_label,
            "sector_code": view.sector, "sector": result.sector_label,
            "indicator_code": view.indicator, "indicator": result.indicator_label,
            "option_code": view.option, "option": result.option_label,
            "status": OK,
            "share_pct": percent(line.share),
            "ci_low_pct": percent(line.ci_low),
            "ci_high_pct": percent(line.ci_high),
            "n": None, "n_effective": None,
            "n_note": t(lang, "nordic_countries", countries=", ".join(line.countries)),
            "notes": result.method,
            "comparability_warnings": warn,
            "data": t(lang, "data_demo") if any(w.is_demo for w in line.waves) else t(lang, "data_real"),
            # the average's sources are those of the waves it averages
            "source": " | ".join(w.citation for w in line.waves),
            "source_url": " | ".join(w.source_url for w in line.waves if w.source_url),
        })
    if result.statistics is not None and result.ref is not None:
        records += difference_records(result.statistics, result.ref, lang, level=view.level, sector=view.sector,
                                      indicator=view.indicator, option=view.option)
    return records
