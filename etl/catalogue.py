"""The harmonised catalogue (dimensions, indicators, bases, cross-tabs, labels) read from data/catalogue/*.yaml.

Both files are validated with pydantic: a missing or misspelt key is an error naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.config import LANGUAGES, get_settings
from etl.errors import CatalogueError

Labels = dict[str, str]
DIMENSIONS_FILE = "dimensions.yaml"
INDICATORS_FILE = "indicators.yaml"
MAX_PROBLEMS_SHOWN = 5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _all_languages(labels: Labels) -> Labels:
    missing = [lang for lang in LANGUAGES if not labels.get(lang)]
    if missing:
        raise ValueError(f"labels missing for {', '.join(missing)}")
    return labels


def _labelled_codes(codes: dict[str, Labels]) -> dict[str, Labels]:
    for code, labels in codes.items():
        try:
            _all_languages(labels)
        except ValueError as exc:
            raise ValueError(f"{code}: {exc}") from None
    return codes


class CountryDef(_Strict):
    colour: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$", description="Chart colour of the country")
    tile: tuple[int, int] = Field(description="[row, column] of the country's tile on the overview grid")
    native: str = Field(description="The country's name in its own language")
    # one of the UI languages: pages mark quoted national wordings with it and name it in their own language
    language: str = Field(pattern=f"^({'|'.join(LANGUAGES)})$",
                          description="The language its questionnaires are written in")
    label: Labels

    @field_validator("label")
    @classmethod
    def _labelled(cls, labels: Labels) -> Labels:
        return _all_languages(labels)


class _Dimensions(_Strict):
    countries: dict[str, CountryDef]
    government_levels: dict[str, Labels]
    sectors: dict[str, Labels]
    size_bands: dict[str, Labels]
    units_of_observation: dict[str, Labels]

    @field_validator("government_levels", "sectors", "size_bands", "units_of_observation")
    @classmethod
    def _labelled(cls, codes: dict[str, Labels]) -> dict[str, Labels]:
        return _labelled_codes(codes)


class BaseDef(_Strict):
    """The units a question is asked of: every unit, or those that chose ``option`` of ``indicator``."""

    indicator: str | None = None
    option: str | None = None


class CrossTabDef(_Strict):
    """A cross-tab of two indicators over a base, computed for every wave that asked both."""

    rows: str
    columns: str
    base: str


class _DerivedIndicator(_Strict):
    source: str
    yes_when_any_of: list[str]
    rule: str | None = None  # how unanswered items are treated: a key of derivation_rules


class _DerivedOption(_Strict):
    derived_any_of: list[str]
    label: Labels
    rule: str | None = None


class _Indicator(_Strict):
    topic: str
    response_type: str = Field(pattern="^(single|multiple)$")
    base: str
    derived: _DerivedIndicator | None = None
    label: Labels
    question: Labels  # the harmonised question (our rendering, not a national wording), in six languages
    options: dict[str, Labels | _DerivedOption]


class _Indicators(_Strict):
    topics: dict[str, Labels]
    bases: dict[str, BaseDef]
    indicators: dict[str, _Indicator]
    cross_tabs: dict[str, CrossTabDef] = {}
    derivation_rules: dict[str, str] = {}  # rule -> its statement (English)

    @field_validator("topics")
    @classmethod
    def _labelled(cls, codes: dict[str, Labels]) -> dict[str, Labels]:
        return _labelled_codes(codes)


@dataclass(frozen=True)
class OptionDef:
    code: str
    labels: Labels
    derived_any_of: tuple[str, ...] = ()
    rule: str | None = None  # how unanswered items are treated (a key of Catalogue.derivation_rules)


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    topic: str
    response_type: str
    base: str
    labels: Labels
    question: Labels
    options: tuple[OptionDef, ...]
    derived_source: str | None = None
    derived_yes_when_any_of: tuple[str, ...] = ()
    derived_rule: str | None = None

    @property
    def question_en(self) -> str:
        return self.question["en"]

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)

    @property
    def asked_options(self) -> tuple[str, ...]:
        """Options that come from a question, not from a derivation rule."""
        return tuple(o.code for o in self.options if not o.derived_any_of)

    @property
    def is_derived(self) -> bool:
        return self.derived_source is not None


@dataclass(frozen=True)
class Catalogue:
    countries: dict[str, CountryDef]
    government_levels: dict[str, Labels]
    sectors: dict[str, Labels]
    size_bands: dict[str, Labels]
    units_of_observation: dict[str, Labels]
    topics: dict[str, Labels]
    bases: dict[str, BaseDef] = field(default_factory=dict)
    indicators: dict[str, IndicatorDef] = field(default_factory=dict)
    cross_tabs: dict[str, CrossTabDef] = field(default_factory=dict)
    derivation_rules: dict[str, str] = field(default_factory=dict)  # rule -> its statement (English)

    def indicator(self, code: str) -> IndicatorDef:
        return self.indicators[code]

    @property
    def country_labels(self) -> dict[str, Labels]:
        return {code: country.label for code, country in self.countries.items()}


def _read(path: Path, model: type[BaseModel]) -> BaseModel:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"cannot read catalogue: {exc.strerror}", file=path) from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"not valid YAML: {exc}", file=path) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = [f"key {'.'.join(str(p) for p in e['loc'])!r}: {e['msg']}" for e in exc.errors()]
        more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise CatalogueError("; ".join(problems[:MAX_PROBLEMS_SHOWN]) + more, file=path) from exc


def _labels(key: str, labels: Labels, path: Path) -> Labels:
    try:
        return _all_languages(labels)
    except ValueError as exc:
        raise CatalogueError(f"key {key!r}: {exc}", file=path) from None


def _indicator(code: str, raw: _Indicator, path: Path) -> IndicatorDef:
    options = []
    for opt_code, opt in raw.options.items():
        key = f"indicators.{code}.options.{opt_code}"
        if isinstance(opt, _DerivedOption):
            options.append(OptionDef(opt_code, _labels(key, opt.label, path), tuple(opt.derived_any_of), opt.rule))
        else:
            options.append(OptionDef(opt_code, _labels(key, opt, path)))
    return IndicatorDef(
        code=code, topic=raw.topic, response_type=raw.response_type, base=raw.base,
        labels=_labels(f"indicators.{code}.label", raw.label, path),
        question=_labels(f"indicators.{code}.question", raw.question, path),
        options=tuple(options),
        derived_source=raw.derived.source if raw.derived else None,
        derived_yes_when_any_of=tuple(raw.derived.yes_when_any_of) if raw.derived else (),
        derived_rule=raw.derived.rule if raw.derived else None,
    )


def _check_references(catalogue: Catalogue, path: Path) -> None:
    """Every indicator, option, base and derivation rule a definition names exists."""

    def fail(key: str, problem: str) -> None:
        raise CatalogueError(f"key {key!r}: {problem}", file=path)

    def check_rule(key: str, rule: str | None, expected: str) -> None:
        # a derived measure declares the one rule the ETL applies to its kind of source, and states it
        if rule != expected or rule not in catalogue.derivation_rules:
            fail(key, f"a derived measure must declare rule {expected!r} (stated under derivation_rules), "
                      f"not {rule!r}")

    indicators = catalogue.indicators
    for name, base in catalogue.bases.items():
        known = indicators[base.indicator].option_codes if base.indicator in indicators else ()
        if base.indicator is not None and base.option not in known:
            fail(f"bases.{name}", f"unknown indicator option {base.indicator}.{base.option}")
    for ind in indicators.values():
        if ind.base not in catalogue.bases:
            fail(f"indicators.{ind.code}.base", f"unknown base {ind.base!r} (known: {', '.join(catalogue.bases)})")
        if ind.derived_source and ind.derived_source not in indicators:
            fail(f"indicators.{ind.code}.derived.source", f"unknown indicator {ind.derived_source!r}")
        if ind.derived_source:
            source_type = indicators[ind.derived_source].response_type
            check_rule(f"indicators.{ind.code}.derived.rule", ind.derived_rule,
                       "any_yes" if source_type == "multiple" else "chosen_among")
        for option in ind.options:
            if option.derived_any_of:
                check_rule(f"indicators.{ind.code}.options.{option.code}.rule", option.rule, "any_yes")
    for name, tab in catalogue.cross_tabs.items():
        for part in ("rows", "columns"):
            if getattr(tab, part) not in indicators:
                fail(f"cross_tabs.{name}.{part}", f"unknown indicator {getattr(tab, part)!r}")
        if tab.base not in catalogue.bases:
            fail(f"cross_tabs.{name}.base", f"unknown base {tab.base!r}")


def load_catalogue(directory: Path) -> Catalogue:
    """Read and check the catalogue files in ``directory``; errors name the file and the key."""
    dims = _read(directory / DIMENSIONS_FILE, _Dimensions)
    inds = _read(directory / INDICATORS_FILE, _Indicators)
    indicators = {code: _indicator(code, raw, directory / INDICATORS_FILE) for code, raw in inds.indicators.items()}
    catalogue = Catalogue(
        countries=dict(dims.countries),
        government_levels=dims.government_levels,
        sectors=dims.sectors,
        size_bands=dims.size_bands,
        units_of_observation=dims.units_of_observation,
        topics=inds.topics,
        bases=dict(inds.bases),
        indicators=indicators,
        cross_tabs=dict(inds.cross_tabs),
        derivation_rules=dict(inds.derivation_rules),
    )
    _check_references(catalogue, directory / INDICATORS_FILE)
    return catalogue


@lru_cache(maxsize=4)
def _cached(directory: str) -> Catalogue:
    return load_catalogue(Path(directory))


def get_catalogue(directory: Path | None = None) -> Catalogue:
    """The catalogue of the configured data directory (read once per process)."""
    return _cached(str(directory or get_settings().catalogue_dir))
