"""Coverage: for every indicator x option x country x wave, which kind of data exists - a real published figure,
an official statistics table value, or only demo estimates - and how many views have real figures.

A *view* is one indicator x option (the measure a Compare view opens on), at its opening breakdown: the whole
public sector (level and sector 'all'). A real figure is a published figure mapped to the measure (with a value,
or a rank such as "the top value") or an official table's value; figures of a narrower level or sector are counted
apart (``breakdown_figures``), since the view opens on the whole public sector.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.data import queries
from app.data.db import Database
from app.site.params import Known
from app.site.urls import link_to

PUBLISHED = "published"
OFFICIAL = "official"
DEMO = "demo"
SURVEY = "survey"  # real microdata loaded (none is bundled, but a researcher's file is)
BREAKDOWN = "breakdown"  # only published figures of a narrower level or sector (e.g. state institutions)
NONE = "none"


@dataclass
class CoverageCell:
    """What exists for one measure in one country's wave (wave_label None: figures whose source names no wave)."""

    indicator: str
    option: str
    country: str
    programme: str | None
    wave_label: str | None
    published: list[str] = field(default_factory=list)  # ids of figures at level and sector 'all'
    # published figures (id) and official values (table id) of a narrower level or sector: (id, level, sector)
    breakdown_figures: list[tuple[str, str, str]] = field(default_factory=list)
    official: list[str] = field(default_factory=list)  # official table ids with a value at 'all'
    estimates: str | None = None  # DEMO or SURVEY when a loaded wave asked the measure

    @property
    def kind(self) -> str:
        """The best kind of data the cell has: published, official, breakdown (a real figure of one level or
        sector), survey, demo or none."""
        if self.published:
            return PUBLISHED
        if self.official:
            return OFFICIAL
        if self.breakdown_figures:
            return BREAKDOWN
        return self.estimates or NONE

    @property
    def real(self) -> bool:
        return bool(self.published or self.official)


@dataclass(frozen=True)
class ViewCoverage:
    indicator: str
    option: str
    real_countries: tuple[str, ...]  # countries with a real figure at the view's opening breakdown


@dataclass(frozen=True)
class Coverage:
    cells: list[CoverageCell]
    views: list[ViewCoverage]

    @property
    def views_with_real(self) -> int:
        return sum(1 for v in self.views if v.real_countries)

    @property
    def views_with_real_two_countries(self) -> int:
        return sum(1 for v in self.views if len(v.real_countries) >= 2)

    def summary(self) -> dict[str, Any]:
        """The counts the Overview, the README and /api/v1/coverage state."""
        countries = sorted({c.country for c in self.cells})
        return {
            "views": len(self.views),
            "views_with_real_figures": self.views_with_real,
            "views_with_real_figures_two_or_more_countries": self.views_with_real_two_countries,
            "published_figures": sum(len(c.published) for c in self.cells),
            "breakdown_figures": sum(len(c.breakdown_figures) for c in self.cells),
            "official_values": sum(len(c.official) for c in self.cells),
            "views_with_real_figures_by_country": {
                country: sum(1 for v in self.views if country in v.real_countries) for country in countries},
        }


def _key(country: str, programme: str | None, wave_label: str | None) -> tuple[str, str | None, str | None]:
    return (country, programme if wave_label is not None else None, wave_label)


def compute_coverage(measures: Iterable[tuple[str, str]], countries: Iterable[str],
                     figures: Iterable[Mapping[str, Any]], official: Iterable[Mapping[str, Any]],
                     waves: Iterable[tuple[str, str, str, bool, set[tuple[str, str]]]],
                     known_waves: Iterable[tuple[str, str, str]] = ()) -> Coverage:
    """Coverage from plain rows: ``figures`` as app.data.queries.published_figures rows, ``official`` as
    official_values rows, ``waves`` as (country, programme, wave_label, is_demo, asked (indicator, option) pairs)
    and ``known_waves`` as (country, programme, wave_label) of waves without microdata."""
    measures, countries = list(measures), list(countries)
    cells: dict[tuple[str, str, tuple[str, str | None, str | None]], CoverageCell] = {}

    def cell(indicator: str, option: str, key: tuple[str, str | None, str | None]) -> CoverageCell:
        found = cells.get((indicator, option, key))
        if found is None:
            found = cells[(indicator, option, key)] = CoverageCell(indicator, option, *key)
        return found

    wanted = set(measures)
    for country, programme, wave_label, is_demo, asked in waves:
        for indicator, option in measures:
            target = cell(indicator, option, _key(country, programme, wave_label))
            if (indicator, option) in asked:
                target.estimates = DEMO if is_demo else SURVEY
    for country, programme, wave_label in known_waves:
        for indicator, option in measures:
            cell(indicator, option, _key(country, programme, wave_label))
    for f in figures:
        if (f["indicator"], f["option"]) not in wanted or (f["value_pct"] is None and f["relation"] != "top"):
            continue
        target = cell(f["indicator"], f["option"], _key(f["country"], f["programme"], f["wave_label"]))
        at_all = f["level"] == "all" and f["sector"] == "all"
        if at_all:
            target.published.append(f["id"])
        else:
            target.breakdown_figures.append((f["id"], f["level"], f["sector"]))
    for v in official:
        if (v["indicator"], v["option"]) not in wanted or v["value"] is None or v["measure"] != "share" \
                or v["size"] != "all":
            continue
        programme = next((k[1] for (i, o, k) in cells if (i, o) == (v["indicator"], v["option"])
                          and k[0] == v["country"] and k[2] == v["wave_label"]), v["table_id"])
        target = cell(v["indicator"], v["option"], _key(v["country"], programme, v["wave_label"]))
        if (v["level"], v["sector"]) != ("all", "all"):
            target.breakdown_figures.append((v["table_id"], v["level"], v["sector"]))
        elif v["table_id"] not in target.official:
            target.official.append(v["table_id"])
    order = {c: i for i, c in enumerate(countries)}
    measure_order = {m: i for i, m in enumerate(measures)}
    ordered = sorted(cells.values(), key=lambda c: (measure_order[(c.indicator, c.option)],
                                                     order.get(c.country, len(order)), c.wave_label is None,
                                                     c.wave_label or "", c.programme or ""))
    views = [ViewCoverage(indicator, option, tuple(
        c for c in countries if any(x.real for x in ordered
                                    if (x.indicator, x.option, x.country) == (indicator, option, c))))
        for indicator, option in measures]
    return Coverage(ordered, views)


def build_coverage(db: Database, known: Known) -> Coverage:
    """Coverage of the loaded catalogue, waves, published figures, official tables and known waves (kept per
    worker and data version)."""
    return db.kept_in_process("coverage_model", lambda: _build_coverage(db, known))


def _build_coverage(db: Database, known: Known) -> Coverage:
    ref = known.ref
    measures = [(code, option) for code, indicator in ref.indicators.items() for option in indicator.options]
    loaded = {(w.country, w.programme, w.wave_label) for w in known.waves}
    return compute_coverage(
        measures, ref.countries, queries.published_figures(db), queries.official_values(db),
        [(w.country, w.programme, w.wave_label, w.is_demo, known.coverage.get(w.id, set())) for w in known.waves],
        [(k["country"], k["programme"], k["wave_label"]) for k in queries.known_waves(db)
         if (k["country"], k["programme"], k["wave_label"]) not in loaded])


def cell_url(cell: CoverageCell, lang: str, known: Known) -> str | None:
    """The Compare view that shows what the cell has: its published figures (at a figure's own level where it
    has only narrower ones), or the wave's estimates."""
    args = {"indicator": cell.indicator, "option": cell.option, "countries": cell.country}
    wave = next((w for w in known.waves_of(cell.country)
                 if (w.programme, w.wave_label) == (cell.programme, cell.wave_label)), None)
    if cell.real or cell.breakdown_figures:
        args["source"] = PUBLISHED
        if not cell.real:
            _, args["level"], args["sector"] = cell.breakdown_figures[0]
    elif wave is not None:
        args["waves"] = wave.key
        args["source"] = SURVEY
    return link_to("compare", lang, args)


def coverage_records(coverage: Coverage, known: Known, lang: str, *, with_empty: bool = False) -> list[dict[str, Any]]:
    """The cells as flat records (API), each with its kind and the address of the view that shows it."""
    return [{
        "indicator": c.indicator, "option": c.option, "country": c.country, "programme": c.programme,
        "wave_label": c.wave_label, "kind": c.kind, "published_figures": c.published,
        "breakdown_figures": [{"id": i, "level": level, "sector": sector} for i, level, sector in c.breakdown_figures],
        "official_tables": c.official, "estimates": c.estimates, "url": cell_url(c, lang, known),
    } for c in coverage.cells if with_empty or c.kind != NONE]
