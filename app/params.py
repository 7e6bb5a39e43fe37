"""URL parameters: every view is a URL, and every parameter is checked against the known codes.

A page's parameters are the fields of its view class; each page module names its view class and parser
(VIEW_CLASS, parse; see app/pages/registry.py), and app/urls.py spells views back as URLs.

Parsing never raises: an unknown or malformed value becomes a :class:`Problem` (shown to the user as a
friendly message, or returned by the API as a 400) and the view falls back to the default for it.
The same parsers serve the pages, the JSON API and the downloads, so a link and its data always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from urllib.parse import parse_qs

from app.queries import Reference, Wave
from core.config import LANGUAGES

MAX_VALUE_LENGTH = 120
MAX_VALUES = 40
MAX_FIELDS = 200
CHARTS = ("bar", "dot")
DISPLAYS = ("chart", "table")
AXES = ("fit", "full")  # value axis fitted to the data, or the full 0-100% scale
# Compare's data source: published figures and official tables first when only demo waves are selected
# (auto), always them (published), or the loaded waves' estimates (survey); see app/viewmodels/published_view.py
SOURCES = ("auto", "published", "survey")
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")
COMMON_PARAMS = ("lang", "present")

Args = Mapping[str, list[str]]


@dataclass(frozen=True)
class Problem:
    """One parameter that could not be used; ``reason`` is an i18n key."""

    param: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"param": self.param, "value": self.value, "reason": self.reason}


@dataclass(frozen=True)
class Known:
    """What parameters are checked against: the catalogue and the loaded waves."""

    ref: Reference
    waves: tuple[Wave, ...]
    coverage: Mapping[int, set[tuple[str, str]]] = field(default_factory=dict)

    def wave_by_key(self, key: str) -> Wave | None:
        lowered = key.lower()
        for wave in self.waves:
            if lowered in (wave.key.lower(), wave.long_key.lower()):
                return wave
        return None

    def waves_of(self, country: str) -> list[Wave]:
        return [w for w in self.waves if w.country == country]

    def latest(self, country: str) -> Wave | None:
        own = self.waves_of(country)
        return own[-1] if own else None

    def countries_with_data(self) -> tuple[str, ...]:
        present = {w.country for w in self.waves}
        return tuple(c for c in self.ref.countries if c in present)


# ---------------------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class TypesValuesView:
    wave: str | None  # None when no wave is loaded
    level: str = "all"
    sector: str = "all"
    display: str = "chart"

    def query(self) -> dict[str, str]:
        return {"wave": self.wave or "", "level": self.level, "sector": self.sector, "display": self.display}


@dataclass(frozen=True)
class EmptyView:
    """Pages without parameters of their own (overview, data & methods)."""

    def query(self) -> dict[str, str]:
        return {}


View = CompareView | ProfileView | TypesValuesView | EmptyView

# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------


def parse_search(search: str | None) -> dict[str, list[str]]:
    """'?a=1&b=2' -> {'a': ['1'], 'b': ['2']} (blank values kept, so they can be reported).

    Only the first MAX_FIELDS fields are read: parse_qs raises on more, and parsing never raises."""
    text = (search or "").lstrip("?") if isinstance(search, str) else ""
    text = "&".join(text.split("&")[:MAX_FIELDS])
    return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS) if text else {}


class _Reader:
    """Reads one request's parameters, collecting problems instead of raising."""

    def __init__(self, args: Args, view_class: type[View]) -> None:
        self.args = args
        self.problems: list[Problem] = []
        allowed = {f.name for f in fields(view_class)} | set(COMMON_PARAMS)
        for name, values in args.items():
            if name not in allowed:
                self.problems.append(Problem(name, _clip(",".join(values)), "problem_unknown_param"))

    def raw(self, name: str) -> str | None:
        values = self.args.get(name)
        if not values:
            return None
        if len(values) > 1:
            self.problems.append(Problem(name, _clip(",".join(values)), "problem_repeated"))
        value = values[0].strip()
        if len(value) > MAX_VALUE_LENGTH:
            self.problems.append(Problem(name, _clip(value), "problem_too_long"))
            return None
        return value or None

    def choice(self, name: str, allowed: Iterable[str], default: str, *, fold: bool = False) -> str:
        value = self.raw(name)
        if value is None:
            return default
        options = list(allowed)
        if fold:
            lookup = {o.lower(): o for o in options}
            if value.lower() in lookup:
                return lookup[value.lower()]
        elif value in options:
            return value
        self.problems.append(Problem(name, _clip(value), "problem_unknown_value"))
        return default

    def items(self, name: str) -> list[str] | None:
        """Comma-separated (or repeated) values; None when the parameter is absent."""
        values = self.args.get(name)
        if values is None:
            return None
        parts = [p.strip() for v in values for p in v.split(",") if p.strip()]
        if len(parts) > MAX_VALUES:
            self.problems.append(Problem(name, _clip(",".join(parts)), "problem_too_many"))
            parts = parts[:MAX_VALUES]
        return parts

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        self.problems.append(Problem(name, _clip(value), "problem_unknown_value"))
        return default


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def default_option(known: Known, indicator: str) -> str:
    options = known.ref.indicators[indicator].options
    return "yes" if "yes" in options else options[0]


def default_indicator(known: Known) -> str:
    return "innovative" if "innovative" in known.ref.indicators else next(iter(known.ref.indicators))


def _indicator_and_option(reader: _Reader, known: Known) -> tuple[str, str]:
    indicator = reader.choice("indicator", known.ref.indicators, default_indicator(known))
    option = reader.choice("option", known.ref.indicators[indicator].options, default_option(known, indicator))
    return indicator, option


# ---------------------------------------------------------------------------------------------------------
# Parsers, one per page
# ---------------------------------------------------------------------------------------------------------


def parse_lang(args: Args, path_lang: str | None, default: str = "en") -> tuple[str, list[Problem]]:
    """The language: ?lang= when valid, else the one in the path, else the default."""
    problems: list[Problem] = []
    values = args.get("lang")
    if values:
        value = values[0].strip().lower()
        if value in LANGUAGES:
            return value, problems
        problems.append(Problem("lang", _clip(values[0]), "problem_unknown_value"))
    return path_lang or default, problems


def parse_present(args: Args) -> bool:
    values = args.get("present")
    return bool(values) and values[0].strip().lower() in TRUE


def parse_compare(args: Args, known: Known) -> tuple[CompareView, list[Problem]]:
    reader = _Reader(args, CompareView)
    indicator, option = _indicator_and_option(reader, known)

    countries: list[str] = []
    for code in reader.items("countries") or []:
        if code.upper() in known.ref.countries:
            if code.upper() not in countries:
                countries.append(code.upper())
        else:
            reader.problems.append(Problem("countries", _clip(code), "problem_unknown_value"))
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
            reader.problems.append(Problem("waves", _clip(key), "problem_unknown_value"))
        elif wave.country not in countries:
            reader.problems.append(Problem("waves", _clip(key), "problem_wave_country"))
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


def parse_profile(args: Args, known: Known) -> tuple[ProfileView, list[Problem]]:
    reader = _Reader(args, ProfileView)
    with_data = known.countries_with_data() or known.ref.countries
    country = reader.choice("country", known.ref.countries, with_data[0], fold=True)
    indicator, option = _indicator_and_option(reader, known)
    view = ProfileView(
        country=country, indicator=indicator, option=option,
        level=reader.choice("level", known.ref.levels, "all"),
        chart=reader.choice("chart", CHARTS, "bar"),
        display=reader.choice("display", DISPLAYS, "chart"),
        axis=reader.choice("axis", AXES, "fit"),
    )
    return view, reader.problems


def default_type_value_wave(known: Known) -> Wave | None:
    """The latest wave of the first country that asked both innovation types and values."""
    for country in known.countries_with_data():
        for wave in reversed(known.waves_of(country)):
            asked = {ind for ind, _ in known.coverage.get(wave.id, set())}
            if {"innovation_type", "value"} <= asked:
                return wave
    return known.waves[-1] if known.waves else None


def parse_types_values(args: Args, known: Known) -> tuple[TypesValuesView, list[Problem]]:
    reader = _Reader(args, TypesValuesView)
    fallback = default_type_value_wave(known)
    wave = fallback
    raw = reader.raw("wave")
    if raw is not None:
        found = known.wave_by_key(raw)
        if found is None:
            reader.problems.append(Problem("wave", _clip(raw), "problem_unknown_value"))
        else:
            wave = found
    view = TypesValuesView(
        wave=wave.key if wave else None,
        level=reader.choice("level", known.ref.levels, "all"),
        sector=reader.choice("sector", known.ref.sectors, "all"),
        display=reader.choice("display", DISPLAYS, "chart"),
    )
    return view, reader.problems


def parse_empty(args: Args, known: Known) -> tuple[EmptyView, list[Problem]]:
    """Pages without parameters of their own: every parameter beyond lang and present is a problem."""
    return EmptyView(), _Reader(args, EmptyView).problems
