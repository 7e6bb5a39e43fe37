"""URL parameters: every view is a URL, and every parameter is checked against the known codes.

A page's parameters are the fields of its view class; each page module names its view class and parser
(VIEW_CLASS, parse; see app/site/registry.py), and app/site/urls.py spells views back as URLs.

Parsing never raises: an unknown or malformed value becomes a :class:`Problem` (shown to the user as a
friendly message, or returned by the API as a 400) and the view falls back to the default for it.
The same parsers serve the pages, the JSON API and the downloads, so a link and its data always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Protocol
from urllib.parse import parse_qs

from app.data import queries
from app.data.db import Database
from app.data.queries import Reference, Wave
from core.config import LANGUAGES

MAX_VALUE_LENGTH = 120
MAX_VALUES = 40
MAX_FIELDS = 200
CHARTS = ("bar", "dot")
DISPLAYS = ("chart", "table")
AXES = ("fit", "full")  # value axis fitted to the data, or the full 0-100% scale
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")
COMMON_PARAMS = ("lang", "present")


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


# a flag's values as a JSON Schema pattern (OpenAPI): what Reader.flag reads, in any case
FLAG_SCHEMA = {"type": "string", "pattern": "^(" + "|".join(_any_case(w) for w in (*TRUE, *FALSE)) + ")$"}

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


def known(db: Database) -> Known:
    """Reference data and loaded waves, for checking parameters (kept per worker and data version)."""
    return db.kept_in_process("known", lambda: Known(queries.reference(db), tuple(queries.waves(db)),
                                                     queries.coverage(db)))


# ---------------------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmptyView:
    """Pages without parameters of their own (overview, data & methods)."""

    def query(self) -> dict[str, str]:
        return {}


class View(Protocol):
    """A page's view: a dataclass of its URL parameters (see app/site/registry.py)."""

    def query(self) -> dict[str, str]: ...

# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------


def parse_search(search: str | None) -> dict[str, list[str]]:
    """'?a=1&b=2' -> {'a': ['1'], 'b': ['2']} (blank values kept, so they can be reported).

    Only the first MAX_FIELDS fields are read: parse_qs raises on more, and parsing never raises."""
    text = (search or "").lstrip("?") if isinstance(search, str) else ""
    text = "&".join(text.split("&")[:MAX_FIELDS])
    return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS) if text else {}


class Reader:
    """Reads one request's parameters, collecting problems instead of raising."""

    def __init__(self, args: Args, view_class: type) -> None:
        self.args = args
        self.problems: list[Problem] = []
        allowed = {f.name for f in fields(view_class)} | set(COMMON_PARAMS)
        for name, values in args.items():
            if name not in allowed:
                self.problems.append(Problem(name, clip(",".join(values)), "problem_unknown_param"))

    def raw(self, name: str) -> str | None:
        values = self.args.get(name)
        if not values:
            return None
        if len(values) > 1:
            self.problems.append(Problem(name, clip(",".join(values)), "problem_repeated"))
        value = values[0].strip()
        if len(value) > MAX_VALUE_LENGTH:
            self.problems.append(Problem(name, clip(value), "problem_too_long"))
            return None
        if not value:  # '?wave=' names no value: said, not silently read as the default
            self.problems.append(Problem(name, "", "problem_empty_value"))
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
        self.problems.append(Problem(name, clip(value), "problem_unknown_value"))
        return default

    def items(self, name: str) -> list[str] | None:
        """Comma-separated (or repeated) values; None when the parameter is absent."""
        values = self.args.get(name)
        if values is None:
            return None
        parts = [p.strip() for v in values for p in v.split(",") if p.strip()]
        if not parts:  # '?countries=' or '?countries=,' names none
            self.problems.append(Problem(name, clip(",".join(values)), "problem_empty_value"))
        if len(parts) > MAX_VALUES:
            self.problems.append(Problem(name, clip(",".join(parts)), "problem_too_many"))
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
        self.problems.append(Problem(name, clip(value), "problem_unknown_value"))
        return default


def clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def default_option(known: Known, indicator: str) -> str:
    options = known.ref.indicators[indicator].options
    return "yes" if "yes" in options else options[0]


def default_indicator(known: Known) -> str:
    return "innovative" if "innovative" in known.ref.indicators else next(iter(known.ref.indicators))


def indicator_and_option(reader: Reader, known: Known) -> tuple[str, str]:
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
        problems.append(Problem("lang", clip(values[0]), "problem_unknown_value"))
    return path_lang or default, problems


def parse_present(args: Args) -> bool:
    values = args.get("present")
    return bool(values) and values[0].strip().lower() in TRUE


def parse_empty(args: Args, known: Known) -> tuple[EmptyView, list[Problem]]:
    """Pages without parameters of their own: every parameter beyond lang and present is a problem."""
    return EmptyView(), Reader(args, EmptyView).problems
