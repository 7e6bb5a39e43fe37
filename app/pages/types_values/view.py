"""Types x values' URL parameters and their parser: one cross-tab of one wave."""

from __future__ import annotations

from dataclasses import dataclass

from app.data.queries import Wave
from app.site.params import DISPLAYS, Args, Known, Problem, Reader, clip

NAME = "types-values"  # the page's public name: downloads, JSON "page" field, element ids


@dataclass(frozen=True)
class TypesValuesView:
    wave: str | None  # None when no wave is loaded
    level: str = "all"
    sector: str = "all"
    display: str = "chart"

    def query(self) -> dict[str, str]:
        return {"wave": self.wave or "", "level": self.level, "sector": self.sector, "display": self.display}


def default_type_value_wave(known: Known) -> Wave | None:
    """The latest wave of the first country that asked both innovation types and values."""
    for country in known.countries_with_data():
        for wave in reversed(known.waves_of(country)):
            asked = {ind for ind, _ in known.coverage.get(wave.id, set())}
            if {"innovation_type", "value"} <= asked:
                return wave
    return known.waves[-1] if known.waves else None


def parse(args: Args, known: Known) -> tuple[TypesValuesView, list[Problem]]:
    reader = Reader(args, TypesValuesView)
    fallback = default_type_value_wave(known)
    wave = fallback
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
    )
    return view, reader.problems
