"""Country profile: one country across its waves and sectors, with its national wording and category names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.data import queries
from app.data.db import Database
from app.data.queries import Wave
from app.i18n import t
from app.i18n.texts import text_in
from app.models.common import (
    OK,
    cell_status,
    demo_label,
    export_statistics,
    headline,
    n_text,
    published_text,
    status_text,
)
from app.models.official import OfficialTable, official_tables
from app.pages.profile.view import ProfileView
from app.site.params import Known


@dataclass(frozen=True)
class ProfileCell:
    sector: str
    sector_label: str
    wave: Wave
    cell: dict[str, Any] | None
    status: str
    n_text: str
    status_text: str


@dataclass(frozen=True)
class WordingRow:
    option: str  # '' for the question itself
    harmonised: str
    national: dict[int, tuple[str, str]]  # wave id -> (variable, wording)


@dataclass(frozen=True)
class MappingRow:
    code: str
    harmonised: str
    national: dict[int, list[str]]  # wave id -> national category names mapped onto the code


@dataclass
class ProfileResult:
    view: ProfileView
    lang: str
    country_label: str
    title: str
    subtitle: str
    waves: list[Wave]
    cells: list[ProfileCell]
    wording: list[WordingRow]
    sectors: list[MappingRow]
    levels: list[MappingRow]
    notes: list[dict[str, Any]]
    published: list[dict[str, Any]]
    demo: str | None
    question: dict[str, str]  # the harmonised question by language (our rendering)
    derivation: str | None = None
    official: list[OfficialTable] = field(default_factory=list)
    # waves known from publications (published-only, announced) and facts sources add to loaded ones
    known_waves: list[dict[str, Any]] = field(default_factory=list)


def derived_source(derivation: str | None) -> str | None:
    """The indicator a derived one is computed from ('yes when innovation_type is any of ...')."""
    match = re.match(r"yes when (\w+) is any of", derivation or "")
    return match.group(1) if match else None


def build_profile(db: Database, view: ProfileView, lang: str, known: Known) -> ProfileResult:
    ref = known.ref
    waves = known.waves_of(view.country)
    ids = [w.id for w in waves]
    cells = queries.estimates(db, wave_ids=ids, indicator=view.indicator, options=[view.option],
                              levels=[view.level]) if ids else []
    by_key = {(c["wave_id"], c["sector"]): c for c in cells}
    breakdowns = queries.breakdowns(db)
    # sectors any wave of the country covers at this level, in catalogue order ('all' first)
    covered = {s for w in waves for (lvl, s) in breakdowns.get(w.id, set()) if lvl == view.level}
    sectors = [s for s in ref.sectors if s in covered] or ["all"]

    profile_cells = []
    for sector in sectors:
        for wave in waves:
            cell = by_key.get((wave.id, sector))
            status = cell_status(cell, wave, view.indicator, view.option, known.coverage)
            profile_cells.append(ProfileCell(sector, ref.label("sector", sector, lang), wave, cell, status,
                                             n_text(cell, lang), status_text(status, cell, lang)))

    # a derived indicator (e.g. 'innovative') has no question of its own: show the one it is derived from
    wording_indicator = derived_source(ref.indicators[view.indicator].derivation) or view.indicator
    if wording_indicator not in ref.indicators:
        wording_indicator = view.indicator
    wording_rows: dict[str, WordingRow] = {}
    for option in ("", *ref.indicators[wording_indicator].options):
        harmonised = (ref.label("indicator", wording_indicator, lang) if option == ""
                      else ref.option_label(wording_indicator, option, lang))
        wording_rows[option] = WordingRow(option, harmonised, {})
    for row in queries.question_wordings(db, wave_ids=ids, indicator=wording_indicator) if ids else []:
        if row["option"] in wording_rows:
            wording_rows[row["option"]].national[row["wave_id"]] = (row["national_variable"], row["national_wording"])

    def mapping(dimension: str, kind: str, codes: tuple[str, ...]) -> list[MappingRow]:
        rows = {code: MappingRow(code, ref.label(kind, code, lang), {}) for code in codes if code != "all"}
        for label in queries.national_labels(db, wave_ids=ids, dimension=dimension) if ids else []:
            if label["harmonised_code"] in rows:
                rows[label["harmonised_code"]].national.setdefault(label["wave_id"], []).append(label["national_value"])
        return [r for r in rows.values() if r.national]

    country_label = ref.label("country", view.country, lang)
    published = [f for f in queries.published_figures(db, countries=[view.country])]
    return ProfileResult(
        view=view, lang=lang, country_label=country_label,
        title=f"{headline(ref, view.indicator, view.option, waves, lang)} – {country_label}",
        subtitle=t(lang, "profile_subtitle", level=ref.label("government_level", view.level, lang),
                   base=t(lang, f"base_{ref.indicators[view.indicator].base}")),
        waves=waves, cells=profile_cells, wording=[r for r in wording_rows.values()],
        sectors=mapping("sector", "sector", ref.sectors),
        levels=mapping("government_level", "government_level", ref.levels),
        notes=queries.comparability_notes(db, wave_ids=ids, lang=lang) if ids else [],
        published=published, demo=demo_label(waves, lang),
        question=ref.questions(wording_indicator),
        derivation=ref.indicators[view.indicator].derivation,
        official=official_tables(db, known, country=view.country, indicator=view.indicator, option=view.option,
                                 lang=lang),
        known_waves=queries.known_waves(db, countries=[view.country]),
    )


def profile_records(result: ProfileResult) -> list[dict[str, Any]]:
    lang, view = result.lang, result.view
    records = []
    for c in result.cells:
        ok = c.status == OK and c.cell is not None
        records.append({
            "row_type": "estimate", "country_code": view.country, "country": result.country_label,
            "programme": c.wave.programme, "wave": c.wave.wave_label, "wave_key": c.wave.key,
            "reference_period": text_in(c.wave.texts_of("reference_period"), lang),
            "unit_of_observation": c.wave.unit_of_observation,
            "government_level_code": view.level, "sector_code": c.sector, "sector": c.sector_label,
            "indicator_code": view.indicator, "option_code": view.option, "status": c.status,
            **export_statistics(c.cell, ok, "" if ok else c.n_text, with_n_effective=True),
            "data": t(lang, "data_demo") if c.wave.is_demo else t(lang, "data_real"),
            "source": c.wave.citation, "source_url": c.wave.source_url,
        })
    for f in result.published:
        records.append({"row_type": "published", "country_code": f["country"], "programme": f["programme"],
                        "wave": f["wave_label"], "government_level_code": f["level"], "sector_code": f["sector"],
                        "indicator_code": f["indicator"], "option_code": f["option"], "share_pct": f["value_pct"],
                        "n": f["n"], "n_note": published_text(f, lang), "notes": f["measure_en"],
                        "data": t(lang, "data_published"), "source": f["citation"], "source_url": f["source_url"]})
    for table in result.official:
        for c in table.cells:
            share = table.measure == "share" and c.value is not None
            records.append({
                "row_type": "official", "country_code": view.country, "programme": table.table_id,
                "wave": c.wave_label, "government_level_code": c.level, "sector_code": "all",
                "indicator_code": view.indicator, "option_code": view.option,
                "share_pct": round(c.value * 100, 2) if share else None,
                "ci_low_pct": round(c.ci_low * 100, 2) if share and c.ci_low is not None else None,
                "ci_high_pct": round(c.ci_high * 100, 2) if share and c.ci_high is not None else None,
                "n_note": c.status or "", "notes": table.unit,
                "data": t(lang, "official_title") + (f" ({t(lang, 'official_transcribed_on')})"
                                                     if table.transcribed else ""),
                "source": table.citation, "source_url": table.source_url, "licence": table.licence,
            })
    return records
