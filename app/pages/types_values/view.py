"""Types x values' URL parameters and their parser: one cross-tab of the catalogue, for one wave."""

from __future__ import annotations

from dataclasses import dataclass

from app.data.queries import CrossTab, Wave
from app.site.params import DISPLAYS, Args, Known, Problem, Reader, clip

NAME = "types-values"  # the page's public name: downloads, JSON "page" field, element ids

# the cross-tab the page showed before any could be chosen: addresses that name none still show it
DEFAULT_CROSSTAB = "type_value"

PARAMETER_DOC = {
    "crosstab": "code of a cross-tab declared in the indicator catalogue (cross_tabs: in "
                "data/catalogue/indicators.yaml), e.g. type_value (innovation type x value achieved, the default) "
                "or type_partner (innovation type x collaboration partner)",
}
PARAMETER_SCHEMA = {
    "crosstab": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "default": DEFAULT_CROSSTAB,
                 "examples": [DEFAULT_CROSSTAB, "type_partner"]},
}


@dataclass(frozen=True)
class TypesValuesView:
    wave: str | None  # None when no wave is loaded
    level: str = "all"
    sector: str = "all"
    display: str = "chart"
    crosstab: str = DEFAULT_CROSSTAB

    def query(self) -> dict[str, str]:
        query = {"wave": self.wave or "", "level": self.level, "sector": self.sector, "display": self.display}
        # left out at its default, so the JSON, download and code-snippet addresses of a view that names no
        # cross-tab are the ones they were before it could be chosen
        return query if self.crosstab == DEFAULT_CROSSTAB else {**query, "crosstab": self.crosstab}


def default_crosstab(known: Known) -> str:
    """The page's own cross-tab, or the catalogue's first when a catalogue does not declare it."""
    tabs = known.ref.cross_tabs
    return DEFAULT_CROSSTAB if DEFAULT_CROSSTAB in tabs or not tabs else next(iter(tabs))


def default_wave(known: Known, tab: CrossTab | None) -> Wave | None:
    """The latest wave of the first country that asked both questions of ``tab``."""
    if tab is not None:
        for country in known.countries_with_data():
            for wave in reversed(known.waves_of(country)):
                asked = {ind for ind, _ in known.coverage.get(wave.id, set())}
                if {tab.rows, tab.columns} <= asked:
                    return wave
    return known.waves[-1] if known.waves else None


def parse(args: Args, known: Known) -> tuple[TypesValuesView, list[Problem]]:
    reader = Reader(args, TypesValuesView)
    crosstab = reader.choice("crosstab", known.ref.cross_tabs, default_crosstab(known))
    wave = default_wave(known, known.ref.cross_tabs.get(crosstab))
    raw = reader.raw("wave")
    if raw is not None:
        found = known.wave_by_key(raw)
        if found is None:
            reader.problems.append(Problem("wave", clip(raw), "problem_unknown_value"))
        else:
            wave = found
    view = TypesValuesView(
        wave=wave.key if wave else None,
        level=reader.choice("level", known.ref.levels, "all"),
        sector=reader.choice("sector", known.ref.sectors, "all"),
        display=reader.choice("display", DISPLAYS, "chart"),
        crosstab=crosstab,
    )
    return view, reader.problems
