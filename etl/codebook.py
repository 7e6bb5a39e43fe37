"""Codebooks: one YAML per country and wave saying how its file maps onto the harmonised catalogue.

Everything that differs between countries and waves lives here as data; the pipeline is the same for all.
"""

from __future__ import annotations

import codecs
import hashlib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from core.config import LANGUAGES
from etl.catalogue import Catalogue
from etl.design_statement import design_statement
from etl.errors import CodebookError

MAX_PROBLEMS_SHOWN = 5


def _as_texts(value: object) -> object:
    """A plain string is the English text alone; a mapping gives it in several languages."""
    return {"en": value} if isinstance(value, str) else value


def _english_and_known_languages(texts: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language(s) {', '.join(unknown)} (known: {', '.join(LANGUAGES)})")
    if not (texts.get("en") or "").strip():
        raise ValueError("the English text (en) is required")
    empty = [lang for lang, text in texts.items() if not text.strip()]
    if empty:
        raise ValueError(f"empty text for {', '.join(empty)}")
    return texts


# A text of our own (a note, a heading) in English and any of the other five languages, e.g.
# ``{en: "...", nb: "...", is: "..."}``; a plain string is English only. Question wordings are not Texts:
# they are quoted as published, in their original language.
Texts = Annotated[dict[str, str], BeforeValidator(_as_texts), AfterValidator(_english_and_known_languages)]


class ResponseRate(BaseModel):
    """The response rate a source states for the wave, with the source that states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    percent: float = Field(gt=0, le=100)
    of: Texts = Field(description="What the rate counts, e.g. 'of workplaces invited'")
    citation: str
    source_url: str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WaveMeta(_Strict):
    country: str = Field(description="A country code of the catalogue (data/catalogue/dimensions.yaml)")
    programme: str
    publisher: str
    wave_label: str
    reference_period: Texts
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    unit_of_observation: Literal["workplace", "municipal_unit", "organisation"]
    population: Texts
    invited: int | None = Field(default=None, gt=0)
    responded: int | None = Field(default=None, gt=0)
    response_rate: ResponseRate | None = Field(default=None, description="Only where a source states one")
    nordic_round: int | None = None
    citation: str
    source_url: str
    licence: Texts
    is_demo: bool


class SourceSpec(_Strict):
    file: str = Field(description="Path of the raw file, relative to the data directory")
    format: Literal["sav", "xlsx", "csv"]
    encoding: str = "utf-8"
    delimiter: str = ";"
    decimal: Literal[".", ","] = "."
    sheet: str | None = None
    header_row: int = Field(default=1, ge=1, description="Row of the file holding the column names (1 = first)")
    identity_variable: str = Field(description="Column that names the survey wave in every row")
    identity_value: str

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, encoding: str) -> str:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(f"unknown text encoding {encoding!r} (e.g. utf-8, latin-1, cp1252)") from None
        return encoding


class DimensionMap(_Strict):
    variable: str
    labels: dict[str, str] = Field(description="National label -> harmonised code")


class RespondentSpec(_Strict):
    id: str
    weight: str
    government_level: DimensionMap | None = None
    fixed_government_level: str | None = Field(
        default=None, description="Level of every unit when the file has no level variable"
    )
    sector: DimensionMap | None = None
    size_band: DimensionMap | None = None

    @model_validator(mode="after")
    def _one_level_source(self) -> RespondentSpec:
        if (self.government_level is None) == (self.fixed_government_level is None):
            raise ValueError("give exactly one of government_level and fixed_government_level")
        return self


class AnswerLabels(_Strict):
    """How yes/no items are spelled in the national file."""

    selected: list[str]
    not_selected: list[str]
    missing: list[str] = []


class ItemSpec(_Strict):
    variable: str
    wording: str


class QuestionSpec(_Strict):
    wording: str
    # multiple-response questions: one yes/no item per harmonised option
    items: dict[str, ItemSpec] | None = None
    # single-response questions: one variable whose labels map to options
    variable: str | None = None
    labels: dict[str, str] | None = None
    missing: list[str] = []

    @model_validator(mode="after")
    def _one_shape(self) -> QuestionSpec:
        if (self.items is None) == (self.variable is None):
            raise ValueError("give either items (multiple response) or variable + labels (single response)")
        if self.variable is not None and not self.labels:
            raise ValueError("a single-response question needs labels")
        return self


STRATUM_KEY_SEPARATOR = "/"


class SamplingFraction(_Strict):
    """The fraction of the population drawn into the sample (sample drawn / population), with its source.

    Never a response rate: non-response is not sampling, so the responses over the population (or over the
    units asked) give no finite population correction. ``drawn`` and ``population`` are both one number (the
    same fraction in every stratum) or both keyed by stratum like ``DesignSpec.population`` keys.
    """

    drawn: float | dict[str, float] = Field(description="Units (PSUs) drawn into the gross sample")
    population: float | dict[str, float] = Field(description="Units (PSUs) in the population (sampling frame)")
    source: str = Field(min_length=1, description="Where the two counts are published (citation)")
    source_url: str | None = None
    assumed: Texts | None = Field(None, description="What a demo design assumes beyond the source, if anything")

    @model_validator(mode="after")
    def _a_real_fraction(self) -> SamplingFraction:
        if isinstance(self.drawn, dict) != isinstance(self.population, dict):
            raise ValueError("drawn and population must both be numbers or both be keyed by stratum")
        drawn = self.drawn if isinstance(self.drawn, dict) else {"all": self.drawn}
        population = self.population if isinstance(self.population, dict) else {"all": self.population}
        if set(drawn) != set(population):
            raise ValueError("drawn and population must name the same strata")
        for key, size in population.items():
            if not 0 < drawn[key] < size:
                raise ValueError(f"stratum {key!r}: the sample drawn ({drawn[key]:g}) must be positive and below "
                                 f"the population ({size:g}); a census (all units asked) has no finite "
                                 "population correction, whatever its response rate")
        return self

    def fraction(self, stratum: str) -> float | None:
        """n_h / N_h of ``stratum`` (the one fraction when not keyed by stratum); None if not declared."""
        if not isinstance(self.drawn, dict):
            return self.drawn / float(self.population)  # type: ignore[arg-type]
        if stratum not in self.drawn:
            return None
        return self.drawn[stratum] / self.population[stratum]  # type: ignore[index]


class DesignSpec(_Strict):
    """The sampling design, where known: it replaces Kish's effective n by a design-based one.

    ``strata``: respondent dimensions whose harmonised codes define the strata (e.g. [government_level]).
    ``sampling_fraction``: sample drawn / population with its source, for the finite population correction
    (keyed by the stratum codes joined with "/", e.g. "municipal/health_care", or one fraction for all).
    ``cluster``: the file variable naming each unit's cluster (e.g. its organisation), if units are clustered.
    """

    strata: list[Literal["government_level", "sector", "size_band"]] = []
    sampling_fraction: SamplingFraction | None = None
    cluster: str | None = None
    note: Texts = Field(description="What the design is and where it comes from (or that it is a demo assumption)")

    @model_validator(mode="after")
    def _stratum_keys(self) -> DesignSpec:
        keyed = self.sampling_fraction is not None and isinstance(self.sampling_fraction.drawn, dict)
        for key in self.sampling_fraction.drawn if keyed else ():  # type: ignore[union-attr]
            if not self.strata and key != "all":
                raise ValueError("without strata, the sampling fraction is keyed 'all'")
            if self.strata and len(key.split(STRATUM_KEY_SEPARATOR)) != len(self.strata):
                raise ValueError(f"sampling_fraction key {key!r} must name one code per stratum dimension "
                                 f"({STRATUM_KEY_SEPARATOR.join(self.strata)})")
        return self

    def summary(self) -> dict[str, object]:
        """What the design declares, as stored with the wave and stated by the API (the note left out)."""
        fraction = self.sampling_fraction
        return {"strata": list(self.strata), "cluster": self.cluster,
                "sampling_fraction": None if fraction is None else fraction.model_dump()}


class ComparabilityNote(_Strict):
    aspect: Literal["unit", "wording", "period", "population", "method", "coverage"]
    note: Texts
    indicator: str | None = None


class Codebook(_Strict):
    wave: WaveMeta
    source: SourceSpec
    respondent: RespondentSpec
    answer_labels: AnswerLabels
    questions: dict[str, QuestionSpec]
    ignore: list[str] = []
    comparability_notes: list[ComparabilityNote] = []
    design: DesignSpec | None = None

    # Set by load_codebook, not part of the YAML.
    path: Path = Field(default=Path("."), exclude=True)
    sha256: str = Field(default="", exclude=True)

    @property
    def key(self) -> str:
        """Stable name of the wave, used for locks, messages and file names."""
        return f"{self.wave.country}/{self.wave.programme}/{self.wave.wave_label}"

    def notes_with_design(self) -> list[ComparabilityNote]:
        """The comparability notes plus a method note stating the wave's sampling design (or its absence)."""
        return [*self.comparability_notes, ComparabilityNote(aspect="method", note=design_statement(self.design))]

    def source_path(self, data_dir: Path) -> Path:
        return (data_dir / self.source.file).resolve()

    def variables(self) -> list[str]:
        """Every file variable the codebook names (mapped or deliberately ignored)."""
        names = [self.source.identity_variable, self.respondent.id, self.respondent.weight]
        for dim in (self.respondent.government_level, self.respondent.sector, self.respondent.size_band):
            if dim is not None:
                names.append(dim.variable)
        for question in self.questions.values():
            if question.items:
                names.extend(item.variable for item in question.items.values())
            else:
                names.append(question.variable)
        if self.design is not None and self.design.cluster:
            names.append(self.design.cluster)
        return names + list(self.ignore)


def _check_against_catalogue(codebook: Codebook, catalogue: Catalogue, path: Path) -> None:
    """Every harmonised code the codebook names must exist in the catalogue."""

    def fail(problem: str, variable: str | None = None) -> None:
        raise CodebookError(problem, file=path, variable=variable)

    if codebook.wave.country not in catalogue.countries:
        fail(f"unknown country {codebook.wave.country!r} (the catalogue knows {', '.join(catalogue.countries)})",
             "wave.country")
    resp = codebook.respondent
    dims = (
        (resp.government_level, catalogue.government_levels, "government level"),
        (resp.sector, catalogue.sectors, "sector"),
        (resp.size_band, catalogue.size_bands, "size band"),
    )
    for dim, known, what in dims:
        if dim is None:
            continue
        for national, code in dim.labels.items():
            if code not in known or code == "all":
                fail(f"label {national!r} maps to unknown {what} {code!r}", dim.variable)
    if resp.fixed_government_level and resp.fixed_government_level not in catalogue.government_levels:
        fail(f"unknown fixed_government_level {resp.fixed_government_level!r}")

    for code, question in codebook.questions.items():
        if code not in catalogue.indicators:
            fail(f"question {code!r} is not a harmonised indicator (known: {', '.join(catalogue.indicators)})")
        indicator = catalogue.indicators[code]
        if indicator.is_derived:
            fail(f"{code!r} is derived by the ETL and cannot be mapped directly")
        if question.items is not None:
            if indicator.response_type != "multiple":
                fail(f"{code!r} is single-response; give variable + labels, not items")
            for option in question.items:
                if option not in indicator.asked_options:
                    fail(f"{code!r} has no option {option!r}", question.items[option].variable)
        else:
            if indicator.response_type != "single":
                fail(f"{code!r} is multiple-response; give items, not variable + labels")
            for national, option in (question.labels or {}).items():
                if option not in indicator.asked_options:
                    fail(f"label {national!r} maps to unknown option {option!r} of {code!r}", question.variable)

    seen: dict[str, int] = {}
    for name in codebook.variables():
        seen[name] = seen.get(name, 0) + 1
    dupes = sorted(name for name, count in seen.items() if count > 1)
    if dupes:
        fail(f"variables named more than once: {', '.join(dupes)}")


def load_codebook(path: Path, catalogue: Catalogue) -> Codebook:
    """Read, validate and fingerprint a codebook; errors name the file and the field."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise CodebookError(f"cannot read codebook: {exc.strerror}", file=path) from exc
    try:
        raw = yaml.safe_load(text.decode("utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CodebookError(f"not valid YAML{where}: {exc.problem or exc.context}", file=path) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CodebookError(f"not valid YAML: {exc}", file=path) from exc
    if not isinstance(raw, dict):
        raise CodebookError("a codebook must be a YAML mapping", file=path)
    try:
        codebook = Codebook.model_validate(raw)
    except ValidationError as exc:
        # every problem, not just the first: a misspelt key shows up as both "extra" and "missing"
        problems = [f"field {'.'.join(str(p) for p in e['loc'])!r}: {e['msg']}" for e in exc.errors()]
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise CodebookError(shown + more, file=path) from exc
    codebook = codebook.model_copy(update={"path": path, "sha256": hashlib.sha256(text).hexdigest()})
    _check_against_catalogue(codebook, catalogue, path)
    return codebook


def discover_country_yaml(directory: Path, countries: list[str] | None = None) -> list[Path]:
    """``<country>/<wave>.yaml`` files under ``directory``, optionally for some countries, in a stable order."""
    paths = sorted(directory.glob("*/*.yaml"))
    if countries:
        wanted = {c.upper() for c in countries}
        paths = [p for p in paths if p.parent.name.upper() in wanted]
    return paths


def discover_codebooks(codebook_dir: Path, countries: list[str] | None = None) -> list[Path]:
    """Codebook files under ``codebook_dir``, optionally limited to some countries."""
    return discover_country_yaml(codebook_dir, countries)
