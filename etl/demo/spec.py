"""Demo specifications: what the synthetic file of one wave looks like (sample design and demo defaults).

Published figures that name the wave (with a calibration_target) are the calibration targets; the spec's
`defaults` fill in every other share, and its `targets` add demo-only cell targets where needed.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from etl.codebook import discover_country_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Stratum(_Strict):
    level: str
    sector: str | None = None
    n: int = Field(gt=0)
    population: float = Field(gt=0)


class DemoTarget(_Strict):
    indicator: str
    option: str
    value_pct: float
    level: str = "all"
    sector: str = "all"


class DemoSpec(_Strict):
    codebook: str = Field(description="Codebook path relative to data/codebooks")
    seed: int
    strata: list[Stratum]
    weight_jitter: float = Field(default=0.2, ge=0, description="sd of log nonresponse adjustment")
    size_bands: dict[str, float] = {}
    id_start: int = 1
    id_format: str = "{}"
    clusters: int | None = Field(default=None, gt=0, description="Organisations the units belong to (FI 2022)")
    cluster_format: str = "{}"
    question_missing_pct: float = Field(default=2.0, ge=0, lt=50)
    item_dont_know_pct: float = Field(default=0.0, ge=0, lt=50,
                                      description="Share of single items of multiple-response questions (other "
                                                  "than the innovation types) answered \"don't know\"")
    defaults: dict[str, dict[str, float]]
    targets: list[DemoTarget] = []
    ignored_values: dict[str, list[str]] = {}

    path: Path = Field(default=Path("."), exclude=True)

    @property
    def respondents(self) -> int:
        return sum(s.n for s in self.strata)


def load_spec(path: Path) -> DemoSpec:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return DemoSpec.model_validate(raw).model_copy(update={"path": path})


def discover_specs(spec_dir: Path, countries: list[str] | None = None) -> list[Path]:
    """Demo specifications under ``spec_dir``, optionally limited to some countries."""
    return discover_country_yaml(spec_dir, countries)
