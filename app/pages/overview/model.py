"""Overview: the headline (share of innovative units) of each country's latest wave, and key published figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.data import queries
from app.data.db import Database
from app.data.queries import Wave
from app.i18n import t
from app.models.common import (
    Warning,
    comparability_warnings,
    export_statistics,
    n_text,
    published_text,
    published_wave,
)
from app.site.params import Known
from core.published_match import figure_for_wave

HEADLINE = ("innovative", "yes")
JOINT_MIN_COUNTRIES = 3


@dataclass(frozen=True)
class CountryCard:
    country: str
    label: str
    wave: Wave | None
    cell: dict[str, Any] | None  # the all/all estimate of the headline (None: no wave or not asked)
    unit_label: str
    n_text: str
    published: dict[str, Any] | None  # the country's published headline for the same wave, if any
    tile: tuple[int, int] | None = None  # (row, column) on the overview's map grid (catalogue)

    @property
    def share(self) -> float | None:
        return self.cell["share"] if self.cell and not self.cell["suppressed"] else None


@dataclass(frozen=True)
class Overview:
    cards: list[CountryCard]
    published: list[dict[str, Any]]  # key published figures (headline measure, whole public sector)
    any_demo: bool
    all_demo: bool
    warnings: list[Warning]  # what differs between the latest waves the cards put side by side (units first)
    # the headline as one publication printed it for several countries together (the joint Nordic report)
    joint: list[dict[str, Any]] = field(default_factory=list)


def build_overview(db: Database, known: Known, lang: str) -> Overview:
    ref = known.ref
    latest = {c: known.latest(c) for c in ref.countries}
    wave_ids = [w.id for w in latest.values() if w is not None]
    cells = {c["wave_id"]: c for c in queries.estimates(db, wave_ids=wave_ids, indicator=HEADLINE[0],
                                                         options=[HEADLINE[1]], levels=["all"], sectors=["all"])}
    figures = queries.published_figures(db)
    # every published headline share, at whatever level its source measured it (the joint Nordic report's
    # Finnish figure counts municipalities only): the table says the level and unit of each
    headline_figures = [f for f in figures if (f["indicator"], f["option"]) == HEADLINE and f["sector"] == "all"]
    cards = []
    for country in ref.countries:
        wave = latest[country]
        cell = cells.get(wave.id) if wave else None
        published = figure_for_wave(headline_figures, country=country, programme=wave.programme,
                                    wave_label=wave.wave_label, level="all", sector="all", indicator=HEADLINE[0],
                                    option=HEADLINE[1]) if wave is not None else None
        cards.append(CountryCard(
            country=country, label=ref.label("country", country, lang), wave=wave, cell=cell,
            unit_label=ref.label("unit_of_observation", wave.unit_of_observation, lang) if wave else "",
            n_text=n_text(cell, lang) if cell else "", published=published, tile=ref.tiles.get(country),
        ))
    shown = [w for w in latest.values() if w is not None]
    notes = queries.comparability_notes(db, wave_ids=[w.id for w in shown], lang=lang) if shown else []
    return Overview(cards=cards, published=headline_figures, any_demo=any(w.is_demo for w in known.waves),
                    all_demo=bool(known.waves) and all(w.is_demo for w in known.waves),
                    warnings=comparability_warnings(shown, notes, HEADLINE[0], ref.label, lang),
                    joint=joint_figures(headline_figures))


def joint_figures(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The headline figures of the publication that printed the most countries side by side (at least
    JOINT_MIN_COUNTRIES): the one comparison the countries published together (Measuring New Nordic Solutions)."""
    by_programme: dict[str, list[dict[str, Any]]] = {}
    for f in figures:
        by_programme.setdefault(f["programme"], []).append(f)
    joint = max(by_programme.values(), key=lambda fs: len({f["country"] for f in fs}), default=[])
    return joint if len({f["country"] for f in joint}) >= JOINT_MIN_COUNTRIES else []


def overview_records(overview: Overview, lang: str) -> list[dict[str, Any]]:
    """Rows for CSV/XLSX/JSON: each country's headline estimate, then the published headline figures."""
    records: list[dict[str, Any]] = []
    for card in overview.cards:
        cell, wave = card.cell, card.wave
        ok = cell is not None and not cell["suppressed"]
        records.append({
            "row_type": "estimate", "country_code": card.country, "country": card.label,
            "programme": wave.programme if wave else None, "wave": wave.wave_label if wave else None,
            "unit_of_observation": wave.unit_of_observation if wave else None,
            "indicator_code": HEADLINE[0], "option_code": HEADLINE[1],
            "government_level_code": "all", "sector_code": "all",
            **export_statistics(cell, ok, "" if ok or cell is None else card.n_text),
            "data": (t(lang, "data_demo") if wave.is_demo else t(lang, "data_real")) if wave else t(lang, "no_data"),
            "source": wave.citation if wave else None, "source_url": wave.source_url if wave else None,
        })
    for figure in overview.published:
        records.append({
            "row_type": "published", "country_code": figure["country"], "country": figure["country"],
            "programme": figure["programme"], "wave": published_wave(figure, lang),
            "indicator_code": figure["indicator"], "option_code": figure["option"],
            "government_level_code": figure["level"], "sector_code": figure["sector"],
            "share_pct": figure["value_pct"], "n": figure["n"], "unit": figure["unit"],
            "n_note": published_text(figure, lang), "data": t(lang, "data_published"),
            "source": figure["citation"], "source_url": figure["source_url"],
        })
    return records
