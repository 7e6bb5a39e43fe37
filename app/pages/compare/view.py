"""Compare's URL parameters and their parser: one indicator option across countries and waves."""

from __future__ import annotations

from dataclasses import dataclass

from app.data.queries import Wave
from app.site.params import (
    AXES,
    CHARTS,
    DISPLAYS,
    FLAG_SCHEMA,
    Args,
    Known,
    Problem,
    Reader,
    clip,
    indicator_and_option,
)

# Compare's data source: published figures and official tables first when only demo waves are selected
# (auto), always them (published), or the loaded waves' estimates (survey); see app/models/published.py
SOURCES = ("auto", "published", "survey")

PARAMETER_DOC = {
    "nordic": "1 or 0: include the Nordic average (default 1)",
    "source": "auto (default), published or survey: published figures and official statistics tables as bars "
              "(real numbers as printed, no CI), or the loaded waves' estimates; auto shows the published ones when "
              "every selected wave is demo data and they cover at least two selected countries",
}
PARAMETER_SCHEMA = {
    "nordic": {**FLAG_SCHEMA, "default": "1"},
    "source": {"type": "string", "enum": list(SOURCES), "default": SOURCES[0]},
}

NAME = "compare"  # the page's public name: downloads, JSON "page" field, element ids


@dataclass(frozen=True)
class CompareView:
    indicator: str
    option: str
    countries: tuple[str, ...]
    waves: tuple[str, ...]  # wave keys
    level: str = "all"
    sector: str = "all"
    chart: str = "bar"
    display: str = "chart"
    nordic: bool = True
    axis: str = "fit"
    source: str = "auto"

    def query(self) -> dict[str, str]:
        return {"indicator": self.indicator, "option": self.option, "countries": ",".join(self.countries),
                "waves": ",".join(self.waves), "level": self.level, "sector": self.sector, "chart": self.chart,
                "display": self.display, "nordic": "1" if self.nordic else "0", "axis": self.axis,
                "source": self.source}


def parse(args: Args, known: Known) -> tuple[CompareView, list[Problem]]:
    reader = Reader(args, CompareView)
    indicator, option = indicator_and_option(reader, known)

    countries: list[str] = []
    for code in reader.items("countries") or []:
        if code.upper() in known.ref.countries:
            if code.upper() not in countries:
                countries.append(code.upper())
        else:
            reader.problems.append(Problem("countries", clip(code), "problem_unknown_value"))
    if not countries:
        countries = list(known.countries_with_data() or known.ref.countries)
    countries = [c for c in known.ref.countries if c in countries]  # display order

    chosen: list[Wave] = []
    requested = reader.items("waves")
    for key in requested or ["latest"]:
        if key.lower() in ("latest", "all"):
            for country in countries:
                own = known.waves_of(country)
                chosen += own if key.lower() == "all" else own[-1:]
            continue
        wave = known.wave_by_key(key)
        if wave is None:
            reader.problems.append(Problem("waves", clip(key), "problem_unknown_value"))
        elif wave.country not in countries:
            reader.problems.append(Problem("waves", clip(key), "problem_wave_country"))
        else:
            chosen.append(wave)
    chosen_ids = {w.id for w in chosen}
    if not chosen_ids:  # nothing valid asked for: latest wave of each country
        chosen_ids = {w.id for c in countries for w in known.waves_of(c)[-1:]}
    wave_keys = tuple(w.key for w in known.waves if w.id in chosen_ids)

    view = CompareView(
        indicator=indicator, option=option, countries=tuple(countries), waves=wave_keys,
        level=reader.choice("level", known.ref.levels, "all"),
        sector=reader.choice("sector", known.ref.sectors, "all"),
        chart=reader.choice("chart", CHARTS, "bar"),
        display=reader.choice("display", DISPLAYS, "chart"),
        nordic=reader.flag("nordic", True),
        axis=reader.choice("axis", AXES, "fit"),
        source=reader.choice("source", SOURCES, "auto"),
    )
    return view, reader.problems
