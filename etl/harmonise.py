"""Apply a codebook to a raw table: validate it and turn it into harmonised respondents and answers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.catalogue import Catalogue, IndicatorDef
from etl.codebook import STRATUM_KEY_SEPARATOR, Codebook, DimensionMap
from etl.diagnose import resembling
from etl.errors import EtlError
from etl.readers import RawTable

RESPONDENT_COLUMNS = ["national_id", "government_level_code", "sector_code", "size_band_code", "weight"]
ANSWER_COLUMNS = ["national_id", "indicator_code", "option_code", "selected"]

_MISSING = object()  # marks an answer that is present but means "no answer" (e.g. "don't know")


@dataclass(frozen=True)
class SampleDesign:
    """Each unit's stratum and primary sampling unit, with the counts the design variance needs."""

    units: pd.DataFrame  # national_id, stratum, psu
    psus_per_stratum: pd.Series  # stratum -> PSUs in the sample
    sampling_fraction: pd.Series  # stratum -> drawn_h / N_h (0 where no sampling fraction is declared)

    @property
    def has_finite_population(self) -> bool:
        """A sampling fraction is declared: its correction may justify an effective n above n."""
        return bool((self.sampling_fraction > 0).any())

    @property
    def degrees_of_freedom(self) -> int:
        """Sampled PSUs minus strata: the degrees of freedom of the design variance."""
        return int(self.psus_per_stratum.sum() - len(self.psus_per_stratum))


@dataclass(frozen=True)
class Harmonised:
    respondents: pd.DataFrame  # RESPONDENT_COLUMNS, one row per unit
    answers: pd.DataFrame  # ANSWER_COLUMNS, one row per unit and item answered
    dropped_out_of_base: int  # answers about the latest innovation given by non-innovative units
    design: SampleDesign | None = None  # None: no declared design (Kish's effective n)


Item = tuple[str, str]  # (indicator code, option code)


@dataclass(frozen=True)
class AnswerMatrix:
    """Every unit's answer to every item in one byte each: 1 selected, 0 not selected, -1 none.

    -1 is both "no answer" and "outside the indicator's base": such a unit has no answer row. The long
    answer rows (ANSWER_COLUMNS) take 8 bytes per cell and more; this keeps a large wave small until its
    rows are written, item by item.
    """

    items: tuple[Item, ...]  # in the order the long rows list them
    values: np.ndarray  # int8, shape (items, units)

    @classmethod
    def from_arrays(cls, answers: dict[Item, np.ndarray], units: int) -> AnswerMatrix:
        """From float arrays per item (1/0, NaN for no answer row)."""
        values = np.full((len(answers), units), -1, dtype=np.int8)
        for row, array in enumerate(answers.values()):
            answered = ~np.isnan(array)
            values[row, answered] = array[answered]
        return cls(tuple(answers), values)

    @classmethod
    def concat(cls, parts: list[AnswerMatrix]) -> AnswerMatrix:
        """The matrices of consecutive chunks of units as one."""
        return cls(parts[0].items, np.concatenate([part.values for part in parts], axis=1))

    def long(self, ids: np.ndarray, items: list[Item] | None = None) -> pd.DataFrame:
        """The long answer rows (ANSWER_COLUMNS) of ``items`` (default all), in the matrix's order."""
        index = {item: row for row, item in enumerate(self.items)}
        frames = []
        for item in self.items if items is None else items:
            values = self.values[index[item]]
            answered = values >= 0
            frames.append(pd.DataFrame({"national_id": ids[answered], "indicator_code": item[0],
                                        "option_code": item[1], "selected": values[answered] == 1}))
        long = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ANSWER_COLUMNS)
        return long[ANSWER_COLUMNS]


@dataclass(frozen=True)
class HarmonisedRows:
    """The harmonised units of a table or of one chunk of it, before the sample design is put together."""

    respondents: pd.DataFrame  # RESPONDENT_COLUMNS
    answers: AnswerMatrix
    dropped_out_of_base: int
    clusters: list[str] | None  # each unit's cluster (PSU) id when the design declares clusters


@dataclass(frozen=True)
class HarmonisedWave:
    """A whole wave harmonised, its answers kept as an AnswerMatrix (one byte per unit and item)."""

    respondents: pd.DataFrame  # RESPONDENT_COLUMNS, one row per unit, in the file's order
    answers: AnswerMatrix
    dropped_out_of_base: int
    design: SampleDesign | None = None

    @classmethod
    def combine(cls, codebook: Codebook, parts: list[HarmonisedRows]) -> HarmonisedWave:
        """The wave from its consecutive chunks; the sample design is put together over all of them."""
        respondents = pd.concat([part.respondents for part in parts], ignore_index=True)
        clusters = None if parts[0].clusters is None else [c for part in parts for c in part.clusters or []]
        return cls(respondents, AnswerMatrix.concat([part.answers for part in parts]),
                   sum(part.dropped_out_of_base for part in parts), sample_design(codebook, respondents, clusters))

    def answer_counts(self) -> dict[Item, int]:
        """The answer rows of each item that has any, in the matrix's order."""
        counts = np.count_nonzero(self.answers.values >= 0, axis=1)
        return {item: int(count) for item, count in zip(self.answers.items, counts, strict=True) if count}

    def harmonised(self, items: list[Item] | None = None) -> Harmonised:
        """The long form of the wave, with the answer rows of ``items`` only (default all)."""
        answers = self.answers.long(self.respondents["national_id"].to_numpy(), items)
        return Harmonised(self.respondents, answers, self.dropped_out_of_base, self.design)


def normalise_cell(value: object) -> str | None:
    """The text of a cell as the codebook spells labels: trimmed, integers without '.0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


class _Context:
    """The table being harmonised, with helpers that raise errors naming file, row and variable."""

    def __init__(self, table: RawTable, codebook: Codebook) -> None:
        self.table = table
        self.codebook = codebook
        self.path = table.path

    def fail(self, problem: str, *, position: int | None = None, variable: str | None = None) -> EtlError:
        row = self.table.row_number(position) if position is not None else None
        return EtlError(problem, file=self.path, row=row, variable=variable)

    def texts(self, variable: str) -> list[str | None]:
        return [normalise_cell(v) for v in self.table.frame[variable].tolist()]

    def map_labels(
        self, variable: str, mapping: dict[str, object], *, required: bool
    ) -> list[object]:
        """Map each cell through ``mapping``; unknown labels and (if required) blanks are errors."""
        result: list[object] = []
        for position, text in enumerate(self.texts(variable)):
            if text is None:
                if required:
                    raise self.fail("value is missing", position=position, variable=variable)
                result.append(_MISSING)
                continue
            if text not in mapping:
                known = ", ".join(repr(k) for k in mapping)
                raise self.fail(f"label {text!r} is not in the codebook (known: {known})",
                                position=position, variable=variable)
            result.append(mapping[text])
        return result


_NUMBER_POINT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUMBER_COMMA = re.compile(r"^[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?$")


def parse_number(value: object, decimal: str) -> float | None:
    """Parse a number written with ``decimal`` as separator; None for blanks; ValueError when malformed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("\u00a0", "")
    if not text:
        return None
    pattern = _NUMBER_COMMA if decimal == "," else _NUMBER_POINT
    if not pattern.match(text):
        other = "," if decimal == "." else "."
        if other in text:
            raise ValueError(f"{text!r} uses {other!r} as decimal separator but the codebook declares {decimal!r}")
        raise ValueError(f"{text!r} is not a number")
    return float(text.replace(",", "."))


def _check_columns(ctx: _Context) -> None:
    columns = list(ctx.table.frame.columns)
    named = ctx.codebook.variables()
    ignored = set(ctx.codebook.ignore)
    missing = [v for v in named if v not in columns and v not in ignored]
    unmapped = [c for c in columns if c not in named]
    if missing:
        identity = ctx.codebook.source.identity_variable
        other = resembling(columns, ctx.codebook) if identity in missing else None
        hint = (f"; {other.describe()}: is this that wave's file?" if other is not None else
                f"; the identity column {identity!r} is absent too: is this the file of another country or wave?"
                if identity in missing else "")
        found = f"; columns found that the codebook does not name: {', '.join(map(repr, unmapped))}" if unmapped else ""
        raise ctx.fail(f"required column(s) missing: {', '.join(missing)}{hint}{found}")
    if unmapped:
        raise ctx.fail(
            f"column(s) not in the codebook: {', '.join(unmapped)} "
            "(map them to an indicator or list them under 'ignore')"
        )
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise ctx.fail(f"column(s) appear more than once: {', '.join(duplicated)}")


def _check_identity(ctx: _Context) -> None:
    source = ctx.codebook.source
    for position, text in enumerate(ctx.texts(source.identity_variable)):
        if text != source.identity_value:
            raise ctx.fail(
                f"row belongs to wave {text!r}, but this codebook is for {source.identity_value!r} "
                f"({ctx.codebook.key}); is this the file of another country or wave?",
                position=position, variable=source.identity_variable,
            )


def _respondent_ids(ctx: _Context, first_seen: dict[str, int]) -> list[str]:
    """The units' ids; ``first_seen`` (id -> row in the file, earlier chunks included) gains this table's."""
    variable = ctx.codebook.respondent.id
    ids = ctx.texts(variable)
    for position, ident in enumerate(ids):
        if ident is None:
            raise ctx.fail("respondent id is missing", position=position, variable=variable)
        if ident in first_seen:
            raise ctx.fail(f"duplicate respondent id {ident!r} (first at row {first_seen[ident]})",
                           position=position, variable=variable)
        first_seen[ident] = ctx.table.row_number(position)
    return ids  # type: ignore[return-value]


def _weights(ctx: _Context) -> np.ndarray:
    variable = ctx.codebook.respondent.weight
    decimal = ctx.codebook.source.decimal
    weights = np.empty(len(ctx.table.frame), dtype=float)
    for position, value in enumerate(ctx.table.frame[variable].tolist()):
        try:
            number = parse_number(value, decimal)
        except ValueError as exc:
            raise ctx.fail(f"weight {exc}", position=position, variable=variable) from exc
        if number is None:
            raise ctx.fail("weight is missing", position=position, variable=variable)
        if not math.isfinite(number) or number <= 0:
            raise ctx.fail(f"weight must be a positive number, got {number:g}", position=position,
                           variable=variable)
        weights[position] = number
    return weights


def _dimension(ctx: _Context, dim: DimensionMap | None, *, required: bool) -> list[str | None]:
    if dim is None:
        return [None] * len(ctx.table.frame)
    codes = ctx.map_labels(dim.variable, dict(dim.labels), required=required)
    return [None if c is _MISSING else c for c in codes]  # type: ignore[misc]


def _multiple_item(ctx: _Context, variable: str) -> np.ndarray:
    """A yes/no item as a float array: 1 selected, 0 not selected, NaN no answer."""
    labels = ctx.codebook.answer_labels
    mapping: dict[str, object] = {t: 1.0 for t in labels.selected}
    mapping.update({t: 0.0 for t in labels.not_selected})
    mapping.update({t: _MISSING for t in labels.missing})
    values = ctx.map_labels(variable, mapping, required=False)
    return np.array([np.nan if v is _MISSING else v for v in values], dtype=float)


def _asked_answers(ctx: _Context, catalogue: Catalogue) -> dict[str, dict[str, np.ndarray]]:
    """Per indicator and option, a float array (1/0/NaN) of what each unit answered."""
    answers: dict[str, dict[str, np.ndarray]] = {}
    for code, question in ctx.codebook.questions.items():
        indicator = catalogue.indicators[code]
        if question.items is not None:
            answers[code] = {opt: _multiple_item(ctx, item.variable) for opt, item in question.items.items()}
        else:
            mapping: dict[str, object] = dict(question.labels or {})
            mapping.update({t: _MISSING for t in question.missing})
            chosen = ctx.map_labels(question.variable, mapping, required=False)
            answers[code] = {
                opt: np.array([np.nan if c is _MISSING else float(c == opt) for c in chosen])
                for opt in indicator.asked_options
            }
    return answers


def _any_of(arrays: list[np.ndarray]) -> np.ndarray:
    """The catalogue's rule 'any_yes': 1 if any is 1; 0 only if all are 0; NaN (left out) otherwise."""
    stacked = np.vstack(arrays)
    any_yes = (stacked == 1).any(axis=0)
    all_no = (stacked == 0).all(axis=0)
    return np.where(any_yes, 1.0, np.where(all_no, 0.0, np.nan))


def _derive(answers: dict[str, dict[str, np.ndarray]], catalogue: Catalogue) -> None:
    """Add derived options and indicators, by the catalogue's rules, to ``answers`` in place."""
    for indicator in catalogue.indicators.values():
        if indicator.code in answers:
            for option in indicator.options:
                sources = [answers[indicator.code][s] for s in option.derived_any_of
                           if s in answers[indicator.code]]
                if option.derived_any_of and sources:
                    answers[indicator.code][option.code] = _any_of(sources)
    for indicator in catalogue.indicators.values():
        if not indicator.is_derived or indicator.derived_source not in answers:
            continue
        source = answers[indicator.derived_source]
        present = [source[o] for o in indicator.derived_yes_when_any_of if o in source]
        if not present:
            continue
        yes = _any_of(present)
        if indicator.derived_rule == "chosen_among":
            # a single choice outside the 'yes' options is a definite 'no'
            answered = ~np.isnan(next(iter(source.values())))
            yes = np.where(answered, np.nan_to_num(yes, nan=0.0), np.nan)
        answers[indicator.code] = {"yes": yes, "no": np.where(np.isnan(yes), np.nan, 1.0 - yes)}


def _answers_in_base(
    answers: dict[str, dict[str, np.ndarray]], catalogue: Catalogue, codebook: Codebook
) -> tuple[dict[Item, np.ndarray], int]:
    """Per item, the answers that become rows (NaN elsewhere): an indicator's answers are kept only for the
    units of its base (catalogue bases). Also how many answers were dropped for being outside it."""
    kept: dict[Item, np.ndarray] = {}
    dropped = 0
    for code, options in answers.items():
        indicator: IndicatorDef = catalogue.indicators[code]
        base = catalogue.bases[indicator.base]
        in_base = None
        if base.indicator is not None:
            chosen = answers.get(base.indicator, {}).get(base.option)
            if chosen is None:
                source = catalogue.indicators[base.indicator].derived_source or base.indicator
                raise EtlError(f"{code!r} is asked of {indicator.base.replace('_', ' ')}, but the codebook maps no "
                               f"{source} question to tell which units those are", file=codebook.path)
            in_base = chosen == 1
        for option in indicator.option_codes:
            if option not in options:
                continue
            values = options[option]
            keep = ~np.isnan(values)
            if in_base is not None:
                if not indicator.is_derived and option in indicator.asked_options:
                    dropped += int((keep & ~in_base).sum())
                keep &= in_base
            kept[(code, option)] = np.where(keep, values, np.nan)
    return kept, dropped


def _check_design_rows(ctx: _Context, respondents: pd.DataFrame) -> list[str] | None:
    """Every unit has the dimensions the design stratifies by; its cluster ids (None: no clusters declared)."""
    design = ctx.codebook.design
    if design is None:
        return None
    for dimension in design.strata or []:
        blank = respondents[f"{dimension}_code"].isna().to_numpy()
        if blank.any():
            raise ctx.fail(f"the design stratifies by {dimension}, but this unit has none",
                           position=int(np.argmax(blank)), variable=dimension)
    if not design.cluster:
        return None
    clusters = ctx.texts(design.cluster)
    for position, cluster in enumerate(clusters):
        if cluster is None:
            raise ctx.fail("cluster id is missing", position=position, variable=design.cluster)
    return clusters  # type: ignore[return-value]


def sample_design(codebook: Codebook, respondents: pd.DataFrame, clusters: list[str] | None) -> SampleDesign | None:
    """The declared design of the wave as strata and PSUs per unit (rows checked by _check_design_rows)."""
    design = codebook.design
    if design is None:
        return None
    strata = pd.Series("all", index=respondents.index, dtype=object)
    if design.strata:
        columns = [f"{dimension}_code" for dimension in design.strata]
        strata = respondents[columns].astype(str).agg(STRATUM_KEY_SEPARATOR.join, axis=1)
    psus = pd.Series(clusters, index=respondents.index, dtype=object) if design.cluster else respondents["national_id"]
    units = pd.DataFrame({"national_id": respondents["national_id"], "stratum": strata, "psu": psus})
    psus_per_stratum = units.groupby("stratum")["psu"].nunique()
    declared = design.sampling_fraction
    fractions = {}
    for stratum, responding in psus_per_stratum.items():
        fraction = None if declared is None else declared.fraction(str(stratum))
        if declared is not None and fraction is None:
            raise EtlError(f"design: no sampling fraction for stratum {stratum!r}", file=codebook.path,
                           variable="design.sampling_fraction")
        if isinstance(getattr(declared, "drawn", None), dict) and responding > declared.drawn[stratum]:
            raise EtlError(f"design: stratum {stratum!r} has {responding} responding PSUs but a sample drawn of "
                           f"{declared.drawn[stratum]:g}", file=codebook.path, variable="design.sampling_fraction")
        fractions[stratum] = fraction or 0.0
    if declared is not None and not isinstance(declared.drawn, dict) and psus_per_stratum.sum() > declared.drawn:
        raise EtlError(f"design: {psus_per_stratum.sum()} responding PSUs but a sample drawn of {declared.drawn:g}",
                       file=codebook.path, variable="design.sampling_fraction")
    return SampleDesign(units=units, psus_per_stratum=psus_per_stratum, sampling_fraction=pd.Series(fractions))


def harmonise_rows(table: RawTable, codebook: Codebook, catalogue: Catalogue,
                   seen_ids: dict[str, int] | None = None) -> HarmonisedRows:
    """Validate ``table`` (a whole file or one chunk of it) against ``codebook`` and harmonise its units.

    ``seen_ids`` maps the respondent ids of earlier chunks to their row in the file; this chunk's are added.
    """
    ctx = _Context(table, codebook)
    # The identity first when it can be read: the file of another wave usually differs in its columns
    # too, and the wave mismatch is the real problem. _check_columns makes sure the column is there.
    if list(table.frame.columns).count(codebook.source.identity_variable) == 1:
        _check_identity(ctx)
    _check_columns(ctx)
    ids = np.array(_respondent_ids(ctx, {} if seen_ids is None else seen_ids), dtype=object)
    weights = _weights(ctx)

    resp = codebook.respondent
    if resp.government_level is not None:
        levels = _dimension(ctx, resp.government_level, required=True)
    else:
        levels = [resp.fixed_government_level] * len(ids)
    respondents = pd.DataFrame({
        "national_id": ids,
        "government_level_code": levels,
        "sector_code": _dimension(ctx, resp.sector, required=False),
        "size_band_code": _dimension(ctx, resp.size_band, required=False),
        "weight": weights,
    })

    answers = _asked_answers(ctx, catalogue)
    _derive(answers, catalogue)
    kept, dropped = _answers_in_base(answers, catalogue, codebook)
    clusters = _check_design_rows(ctx, respondents)
    return HarmonisedRows(respondents, AnswerMatrix.from_arrays(kept, len(ids)), dropped, clusters)


def harmonise(table: RawTable, codebook: Codebook, catalogue: Catalogue) -> Harmonised:
    """Validate ``table`` against ``codebook`` and return harmonised respondents and long answer rows."""
    return HarmonisedWave.combine(codebook, [harmonise_rows(table, codebook, catalogue)]).harmonised()
