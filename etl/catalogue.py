"""The harmonised catalogue (dimensions, indicators, labels) read from data/catalogue/*.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.config import LANGUAGES, get_settings

Labels = dict[str, str]


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
    question_en: str
    options: tuple[OptionDef, ...]
    derived_source: str | None = None
    derived_yes_when_any_of: tuple[str, ...] = ()
    derived_rule: str | None = None

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
    countries: dict[str, Labels]
    government_levels: dict[str, Labels]
    sectors: dict[str, Labels]
    size_bands: dict[str, Labels]
    units_of_observation: dict[str, Labels]
    topics: dict[str, Labels]
    indicators: dict[str, IndicatorDef] = field(default_factory=dict)
    derivation_rules: dict[str, str] = field(default_factory=dict)  # rule -> its statement (English)

    def indicator(self, code: str) -> IndicatorDef:
        return self.indicators[code]


def _check_labels(where: str, labels: Labels) -> Labels:
    missing = [lang for lang in LANGUAGES if not labels.get(lang)]
    if missing:
        raise ValueError(f"catalogue: {where} lacks labels for {', '.join(missing)}")
    return labels


def _parse_indicator(code: str, raw: dict) -> IndicatorDef:
    options = []
    for opt_code, opt_raw in raw["options"].items():
        opt_code = str(opt_code)
        if "derived_any_of" in opt_raw:
            options.append(OptionDef(opt_code, _check_labels(f"{code}.{opt_code}", opt_raw["label"]),
                                     tuple(opt_raw["derived_any_of"]), opt_raw.get("rule")))
        else:
            options.append(OptionDef(opt_code, _check_labels(f"{code}.{opt_code}", opt_raw)))
    derived = raw.get("derived") or {}
    return IndicatorDef(
        code=code,
        topic=raw["topic"],
        response_type=raw["response_type"],
        base=raw["base"],
        labels=_check_labels(code, raw["label"]),
        question_en=raw["question_en"],
        options=tuple(options),
        derived_source=derived.get("source"),
        derived_yes_when_any_of=tuple(derived.get("yes_when_any_of", ())),
        derived_rule=derived.get("rule"),
    )


def _check_rule(where: str, rule: str | None, expected: str, catalogue: Catalogue) -> None:
    """A derived measure must declare the one rule the ETL applies to its kind of source, and state it."""
    if rule != expected or rule not in catalogue.derivation_rules:
        raise ValueError(f"catalogue: derived {where} must declare rule {expected!r} (stated under "
                         f"derivation_rules), not {rule!r}")


def load_catalogue(directory: Path) -> Catalogue:
    """Read and check the catalogue files in ``directory``."""
    dims = yaml.safe_load((directory / "dimensions.yaml").read_text(encoding="utf-8"))
    inds = yaml.safe_load((directory / "indicators.yaml").read_text(encoding="utf-8"))
    catalogue = Catalogue(
        countries={k: v for k, v in dims["countries"].items()},
        government_levels={k: _check_labels(k, v) for k, v in dims["government_levels"].items()},
        sectors={k: _check_labels(k, v) for k, v in dims["sectors"].items()},
        size_bands={k: _check_labels(k, v) for k, v in dims["size_bands"].items()},
        units_of_observation={k: _check_labels(k, v) for k, v in dims["units_of_observation"].items()},
        topics={k: _check_labels(k, v) for k, v in inds["topics"].items()},
        indicators={code: _parse_indicator(code, raw) for code, raw in inds["indicators"].items()},
        derivation_rules={k: str(v) for k, v in inds.get("derivation_rules", {}).items()},
    )
    for ind in catalogue.indicators.values():
        if ind.derived_source and ind.derived_source not in catalogue.indicators:
            raise ValueError(f"catalogue: {ind.code} is derived from unknown indicator {ind.derived_source}")
        if ind.derived_source:
            source_type = catalogue.indicators[ind.derived_source].response_type
            _check_rule(f"{ind.code}", ind.derived_rule, "any_yes" if source_type == "multiple" else "chosen_among",
                        catalogue)
        for option in ind.options:
            if option.derived_any_of:
                _check_rule(f"{ind.code}.{option.code}", option.rule, "any_yes", catalogue)
    return catalogue


@lru_cache(maxsize=4)
def _cached(directory: str) -> Catalogue:
    return load_catalogue(Path(directory))


def get_catalogue(directory: Path | None = None) -> Catalogue:
    """The catalogue of the configured data directory (read once per process)."""
    return _cached(str(directory or get_settings().catalogue_dir))
