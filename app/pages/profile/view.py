"""Country profile's URL parameters and their parser: one country across its waves and sectors."""

from __future__ import annotations

from dataclasses import dataclass

from app.site.params import AXES, CHARTS, DISPLAYS, Args, Known, Problem, Reader, indicator_and_option

NAME = "profile"  # the page's public name: downloads, JSON "page" field, element ids


@dataclass(frozen=True)
class ProfileView:
    country: str
    indicator: str
    option: str
    level: str = "all"
    chart: str = "bar"
    display: str = "chart"
    axis: str = "fit"

    def query(self) -> dict[str, str]:
        return {"country": self.country, "indicator": self.indicator, "option": self.option, "level": self.level,
                "chart": self.chart, "display": self.display, "axis": self.axis}


def parse(args: Args, known: Known) -> tuple[ProfileView, list[Problem]]:
    reader = Reader(args, ProfileView)
    with_data = known.countries_with_data() or known.ref.countries
    country = reader.choice("country", known.ref.countries, with_data[0], fold=True)
    indicator, option = indicator_and_option(reader, known)
    view = ProfileView(
        country=country, indicator=indicator, option=option,
        level=reader.choice("level", known.ref.levels, "all"),
        chart=reader.choice("chart", CHARTS, "bar"),
        display=reader.choice("display", DISPLAYS, "chart"),
        axis=reader.choice("axis", AXES, "fit"),
    )
    return view, reader.problems
