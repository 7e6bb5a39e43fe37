"""Properties of the readers and the harmonisation, checked on random input (hypothesis).

- parse_number reads a number written with the declared decimal separator, rejects the other one, and
  answers anything else with a ValueError (never another exception);
- a random valid wave, written as a national file (delimited text in any encoding, separator and decimal,
  or Excel) through the Danish codebook, harmonises back to exactly the respondents and answers it holds;
- junk in any cell is either a valid value or an EtlError naming the file, the row and the variable;
- a damaged file (random bytes changed or cut off) is either still readable or an EtlError naming the file.
"""

from __future__ import annotations

import math
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from etl.catalogue import load_catalogue
from etl.codebook import Codebook, SourceSpec, load_codebook
from etl.errors import EtlError
from etl.harmonise import RESPONDENT_COLUMNS, harmonise, normalise_cell, parse_number
from etl.readers import RawTable, read_source
from tests.bad_inputs import corpus

CATALOGUE = load_catalogue(corpus.source_data() / "catalogue")
DK = load_codebook(corpus.source_data() / corpus.CODEBOOK_PATH, CATALOGUE)
SEPARATORS = st.sampled_from([".", ","])
# no database (nothing written to the work tree); no deadline, as the first examples import and fork
FAST = settings(max_examples=200, deadline=None, database=None)
SLOW = settings(max_examples=30, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def other(decimal: str) -> str:
    return "," if decimal == "." else "."


# --- parse_number ------------------------------------------------------------------------------------


@FAST
@given(value=st.floats(allow_nan=False, allow_infinity=False), decimal=SEPARATORS,
       pad=st.sampled_from(["", " ", "\u00a0", "\t"]))
def test_parse_number_reads_any_float_written_with_the_declared_separator(value: float, decimal: str,
                                                                          pad: str) -> None:
    text = pad + repr(value).replace(".", decimal) + pad
    assert parse_number(text, decimal) == value


@FAST
@given(value=st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False), decimal=SEPARATORS)
def test_parse_number_reads_fixed_point_numbers(value: Decimal, decimal: str) -> None:
    assert parse_number(format(value, "f").replace(".", decimal), decimal) == float(value)


@FAST
@given(sign=st.sampled_from(["", "+", "-"]), whole=st.integers(0, 10**9),
       fraction=st.text("0123456789", min_size=1, max_size=9), decimal=SEPARATORS)
def test_parse_number_rejects_the_other_separator_by_name(sign: str, whole: int, fraction: str,
                                                         decimal: str) -> None:
    text = f"{sign}{whole}{other(decimal)}{fraction}"
    expected = f"{text!r} uses {other(decimal)!r} as decimal separator but the codebook declares {decimal!r}"
    with pytest.raises(ValueError, match=re.escape(expected)):
        parse_number(text, decimal)


@FAST
@given(text=st.text(max_size=16), decimal=SEPARATORS)
def test_parse_number_gives_a_number_none_or_a_value_error_naming_the_text(text: str, decimal: str) -> None:
    cleaned = text.strip().replace("\u00a0", "")
    try:
        number = parse_number(text, decimal)
    except ValueError as exc:
        assert repr(cleaned) in str(exc)
        return
    if cleaned:
        assert number == float(cleaned.replace(decimal, "."))
    else:
        assert number is None


# --- a random valid wave round-trips through a national file ---------------------------------------

ID_TEXT = st.text("abcxyzABC0123456789æøåÆØÅäöÄÖ-_/;,\"' ", min_size=1, max_size=8).map(str.strip).filter(bool)
FREE_TEXT = st.none() | st.text("abc æøå;,\"'\n0123", max_size=12).map(str.strip).filter(bool)
FILE_FORMATS = st.sampled_from([
    ("csv", "utf-8"), ("csv", "latin-1"), ("csv", "cp1252"), ("csv", "utf-8-sig"), ("xlsx", None),
])


def yes_no(label: str | None) -> float:
    labels = DK.answer_labels
    return 1.0 if label in labels.selected else 0.0 if label in labels.not_selected else math.nan


@st.composite
def national_waves(draw: st.DrawFn) -> tuple[pd.DataFrame, list[dict], list[tuple], int]:
    """A random valid wave as the national file's cells, and the respondents and asked answers it holds."""
    n = draw(st.integers(1, 20))
    ids = draw(st.lists(ID_TEXT, min_size=n, max_size=n, unique=True))
    # six decimals, as survey weights come: Excel keeps no more than 15 significant digits
    weights = draw(st.lists(st.floats(1e-4, 1e5).map(lambda w: round(w, 6)).filter(bool), min_size=n, max_size=n))
    cells: dict[str, list] = {"aargang": ["2018-19"] * n, "lbnr": ids, "vaegt": weights}
    respondents = [{"national_id": i, "weight": w} for i, w in zip(ids, weights, strict=True)]
    resp = DK.respondent
    for dim, column in ((resp.government_level, "government_level_code"), (resp.sector, "sector_code"),
                        (resp.size_band, "size_band_code")):
        label = st.sampled_from(list(dim.labels))
        national = draw(st.lists(label if column == "government_level_code" else st.none() | label,
                                 min_size=n, max_size=n))
        cells[dim.variable] = national
        for row, value in zip(respondents, national, strict=True):
            row[column] = None if value is None else dim.labels[value]

    answer_labels = DK.answer_labels.selected + DK.answer_labels.not_selected + DK.answer_labels.missing
    values: dict[str, dict[str, list[float]]] = {}  # indicator -> option -> 1/0/NaN per unit
    for code, question in DK.questions.items():
        if question.items is not None:
            values[code] = {}
            for option, item in question.items.items():
                cells[item.variable] = draw(st.lists(st.none() | st.sampled_from(answer_labels),
                                                     min_size=n, max_size=n))
                values[code][option] = [yes_no(v) for v in cells[item.variable]]
        else:
            labels = list(question.labels or {}) + question.missing
            cells[question.variable] = draw(st.lists(st.none() | st.sampled_from(labels), min_size=n, max_size=n))
            chosen = [(question.labels or {}).get(v) for v in cells[question.variable]]
            values[code] = {option: [math.nan if c is None else float(c == option) for c in chosen]
                            for option in CATALOGUE.indicators[code].asked_options}
    cells["kommentar"] = draw(st.lists(FREE_TEXT, min_size=n, max_size=n))

    innovative = [any(values["innovation_type"][o][i] == 1 for o in values["innovation_type"]) for i in range(n)]
    answers, dropped = [], 0
    for code, options in values.items():
        in_base = CATALOGUE.indicators[code].base == "innovative_units"
        for option, per_unit in options.items():
            for i, value in enumerate(per_unit):
                if math.isnan(value):
                    continue
                if in_base and not innovative[i]:
                    dropped += 1
                    continue
                answers.append((ids[i], code, option, value == 1))
    order = draw(st.permutations(list(cells)))  # a file may hold its columns in any order
    return pd.DataFrame({name: cells[name] for name in order}), respondents, sorted(answers), dropped


def national_file(frame: pd.DataFrame, fmt: str, encoding: str | None, decimal: str, delimiter: str,
                  pad: str) -> bytes:
    labelled = [c for c in frame.columns if c not in ("aargang", "lbnr", "vaegt", "kommentar")]
    frame = frame.copy()
    for column in labelled:
        frame[column] = [None if pd.isna(v) else pad + v + pad for v in frame[column]]
    if fmt == "xlsx":
        return corpus.xlsx_bytes(frame)
    frame["vaegt"] = [repr(w).replace(".", decimal) for w in frame["vaegt"]]
    text = frame.to_csv(sep=delimiter, index=False, lineterminator="\n")
    return text.encode(encoding)


def with_source(fmt: str, encoding: str | None, decimal: str, delimiter: str) -> Codebook:
    source = SourceSpec(file=f"wave.{fmt}", format=fmt, encoding=encoding or "utf-8", decimal=decimal,
                        delimiter=delimiter, sheet="Data" if fmt == "xlsx" else None,
                        identity_variable="aargang", identity_value="2018-19")
    return DK.model_copy(update={"source": source})


def records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@SLOW
@given(wave=national_waves(), file_format=FILE_FORMATS, decimal=SEPARATORS,
       delimiter=st.sampled_from([";", ",", "\t", "|"]), pad=st.sampled_from(["", " "]))
def test_a_random_wave_written_as_a_national_file_harmonises_back_to_itself(
    wave, file_format, decimal: str, delimiter: str, pad: str, tmp_path: Path
) -> None:
    frame, respondents, answers, dropped = wave
    fmt, encoding = file_format
    codebook = with_source(fmt, encoding, decimal, delimiter)
    path = tmp_path / codebook.source.file
    path.write_bytes(national_file(frame, fmt, encoding, decimal, delimiter, pad))

    harmonised = harmonise(read_source(path, codebook.source), codebook, CATALOGUE)

    assert records(harmonised.respondents[RESPONDENT_COLUMNS]) == [
        {column: row[column] for column in RESPONDENT_COLUMNS} for row in respondents
    ]
    asked = {(code, option) for code in DK.questions for option in CATALOGUE.indicators[code].asked_options}
    got = harmonised.answers
    got = got[[pair in asked for pair in zip(got["indicator_code"], got["option_code"], strict=True)]]
    assert sorted(got.itertuples(index=False, name=None)) == answers
    assert harmonised.dropped_out_of_base == dropped


# --- junk in a cell ----------------------------------------------------------------------------------

BASE = corpus.labelled_frame(12)
BASE_PATH = Path("/data/raw/junk.csv")


def known_labels() -> dict[str, tuple[set[str], bool]]:
    """Every labelled variable: the labels the codebook knows for it, and whether a blank is an error."""
    known: dict[str, tuple[set[str], bool]] = {}
    resp = DK.respondent
    for dim, required in ((resp.government_level, True), (resp.sector, False), (resp.size_band, False)):
        known[dim.variable] = (set(dim.labels), required)
    labels = DK.answer_labels
    for question in DK.questions.values():
        if question.items is not None:
            for item in question.items.values():
                known[item.variable] = (set(labels.selected + labels.not_selected + labels.missing), False)
        else:
            known[question.variable] = (set(question.labels or {}) | set(question.missing), False)
    return known


KNOWN = known_labels()
JUNK = st.one_of(st.text(max_size=20), st.none(), st.integers(), st.floats(),
                 st.sampled_from(["Ja", " Nej ", "ja", "JA", "Kommunal", "0", "1,5", "-1", "inf", "1e400"]))


def test_the_base_table_for_junk_is_valid() -> None:
    harmonised = harmonise(RawTable(BASE_PATH, BASE, first_data_row=2), DK, CATALOGUE)
    assert len(harmonised.respondents) == 12
    assert set(KNOWN) | {"aargang", "lbnr", "vaegt", "kommentar"} == set(BASE.columns)


def accepted_where(column: str, position: int, junk: object) -> bool:
    """Whether ``junk`` is a valid value of ``column`` at ``position`` (the oracle)."""
    text = normalise_cell(junk)
    if column == "kommentar":
        return True
    if column == "aargang":
        return text == "2018-19"
    if column == "lbnr":
        others = {normalise_cell(v) for i, v in enumerate(BASE["lbnr"]) if i != position}
        return text is not None and text not in others
    if column == "vaegt":
        try:
            weight = parse_number(junk, ".")
        except ValueError:
            return False
        return weight is not None and math.isfinite(weight) and weight > 0
    labels, required = KNOWN[column]
    return text in labels or (text is None and not required)


@settings(max_examples=200, deadline=None, database=None)
@given(column=st.sampled_from(sorted(BASE.columns)), position=st.integers(0, len(BASE) - 1), junk=JUNK)
def test_junk_in_any_cell_is_a_valid_value_or_an_error_naming_file_row_and_variable(
    column: str, position: int, junk: object
) -> None:
    frame = BASE.copy()
    frame.loc[position, column] = junk
    try:
        harmonise(RawTable(BASE_PATH, frame, first_data_row=2), DK, CATALOGUE)
    except EtlError as error:
        assert not accepted_where(column, position, junk)
        row = position
        if column == "lbnr" and normalise_cell(junk) is not None:  # a duplicate is named where it recurs
            row = max(position, [normalise_cell(v) for v in BASE["lbnr"]].index(normalise_cell(junk)))
        assert (error.file, error.row, error.variable) == (str(BASE_PATH), row + 2, column)
        assert str(error).startswith(f"{BASE_PATH}, row {row + 2}, variable {column!r}: ")
    else:
        assert accepted_where(column, position, junk)


@settings(max_examples=150, deadline=None, database=None)
@given(variable=st.sampled_from(sorted(KNOWN)), position=st.integers(0, len(BASE) - 1), junk=st.text(max_size=20))
def test_an_unknown_label_is_named_with_the_labels_the_codebook_knows(variable: str, position: int,
                                                                      junk: str) -> None:
    label = normalise_cell(junk)
    assume(label is not None and label not in KNOWN[variable][0])
    frame = BASE.copy()
    frame.loc[position, variable] = junk
    with pytest.raises(EtlError) as caught:
        harmonise(RawTable(BASE_PATH, frame, first_data_row=2), DK, CATALOGUE)
    assert caught.value.problem.startswith(f"label {label!r} is not in the codebook (known: ")
    assert (caught.value.row, caught.value.variable) == (position + 2, variable)


# --- damaged files -----------------------------------------------------------------------------------


def _valid_files() -> dict[str, tuple[bytes, Codebook]]:
    frame = corpus.labelled_frame(15)
    codes, labels = corpus.sav_codes()
    with tempfile.TemporaryDirectory() as scratch:
        sav = corpus.sav_bytes(codes.head(15), labels, Path(scratch))
    return {
        "csv": (corpus.csv_bytes(frame, encoding="latin-1", decimal=","), with_source("csv", "latin-1", ",", ";")),
        "xlsx": (corpus.xlsx_bytes(frame), with_source("xlsx", None, ".", ";")),
        "sav": (sav, DK.model_copy(update={"source": DK.source.model_copy(update={"file": "wave.sav"})})),
    }


VALID_FILES = _valid_files()


@SLOW
@given(fmt=st.sampled_from(sorted(VALID_FILES)), data=st.data())
def test_a_damaged_file_is_read_or_refused_with_an_error_naming_it(fmt: str, data: st.DataObject,
                                                                  tmp_path: Path) -> None:
    original, codebook = VALID_FILES[fmt]
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8), label="changes")):
        damaged[data.draw(st.integers(0, len(damaged) - 1), label="at")] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans(), label="cut"):
        damaged = damaged[: data.draw(st.integers(0, len(damaged) - 1), label="length")]
    assume(bytes(damaged) != original)
    path = tmp_path / f"damaged.{fmt}"
    path.write_bytes(bytes(damaged))
    try:
        harmonised = harmonise(read_source(path, codebook.source), codebook, CATALOGUE)
    except EtlError as error:
        assert error.file == str(path)
    else:
        assert np.isfinite(harmonised.respondents["weight"]).all() and (harmonised.respondents["weight"] > 0).all()
