"""A corpus of bad inputs for the ETL, generated deterministically from the bundled Danish wave.

Each case writes one data directory the way a person would lay it out (catalogue, published figures, one
codebook, one raw file) where exactly one thing is wrong, and says which fragments the error must contain:
the file, the row or variable, and the problem. Every codebook keeps the key of the Danish wave
(DK/Innovationsbarometeret/2018-19) unless the case is about the key, so an accepted bad file would replace
the wave already loaded; the tests check that none is accepted and that the database is left as it was.

Materialise the corpus to look at it: ``python tests/bad_inputs/corpus.py OUT_DIR`` (one folder per case).
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import io
import shutil
import struct
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pyreadstat
import yaml

PROJECT_DATA = Path(__file__).resolve().parents[2] / "data"
CODEBOOK_PATH = Path("codebooks") / "dk" / "2018-19.yaml"
SAV_PATH = Path("raw") / "demo" / "dk" / "innovationsbarometer_2018-19.sav"
ROWS = 40  # rows kept in the delimited and Excel cases: enough to place a fault, small enough to be quick


@dataclass(frozen=True)
class BadInput:
    name: str
    problem: str  # what is wrong, in words, for the report
    build: Callable[[Path], tuple[str, ...]]  # writes the case into a data dir; returns expected fragments


# --- the raw material --------------------------------------------------------------------------------

_SNAPSHOT: list[tempfile.TemporaryDirectory] = []  # removed when the process ends


@cache
def source_data() -> Path:
    """A data dir with the bundled catalogue, published figures and DK 2018-19, copied once per process.

    Everything derives from this copy, so edits made under data/ while the tests run cannot mix versions.
    """
    holder = tempfile.TemporaryDirectory(prefix="barometer-bad-inputs-")
    _SNAPSHOT.append(holder)
    root = Path(holder.name)
    shutil.copytree(PROJECT_DATA / "catalogue", root / "catalogue")
    for relative in (Path("published") / "published_figures.yaml", CODEBOOK_PATH, SAV_PATH):
        shutil.copy(PROJECT_DATA / relative, _mkparent(root / relative))
    shutil.copytree(PROJECT_DATA / "official", root / "official")
    return root


def dk_codebook_text() -> str:
    return (source_data() / CODEBOOK_PATH).read_text(encoding="utf-8")


def dk_sav() -> Path:
    return source_data() / SAV_PATH


def dk_codebook() -> dict:
    """The Danish codebook as a plain mapping (a fresh copy each time)."""
    return copy.deepcopy(_parsed_codebook())


@cache
def _parsed_codebook() -> dict:
    return yaml.safe_load(dk_codebook_text())


@cache
def _sav() -> tuple[pd.DataFrame, dict[str, dict[float, str]]]:
    frame, meta = pyreadstat.read_sav(str(dk_sav()), apply_value_formats=False)
    return frame, meta.variable_value_labels


def sav_codes() -> tuple[pd.DataFrame, dict[str, dict[float, str]]]:
    """The Danish file as numeric codes with its value labels (fresh copies)."""
    frame, labels = _sav()
    return frame.copy(), copy.deepcopy(labels)


def labelled_frame(rows: int = ROWS) -> pd.DataFrame:
    """The first ``rows`` rows of the Danish file with value labels applied, as national text."""
    frame, labels = sav_codes()
    frame = frame.head(rows).copy()
    for variable, mapping in labels.items():
        frame[variable] = [None if pd.isna(v) else mapping[v] for v in frame[variable]]
    frame["kommentar"] = [text or None for text in frame["kommentar"]]
    return frame.astype(object).where(frame.notna(), None)


def first_row_with(frame: pd.DataFrame, predicate: Callable[[str], bool]) -> int:
    """Position of the first row holding a cell for which ``predicate`` is true."""
    for position, row in enumerate(frame.itertuples(index=False)):
        if any(isinstance(v, str) and predicate(v) for v in row):
            return position
    raise AssertionError("no such row")


# --- writers -----------------------------------------------------------------------------------------


def csv_source(name: str, *, encoding: str = "utf-8", decimal: str = ".", delimiter: str = ";") -> dict:
    return {"file": f"raw/bad/{name}.csv", "format": "csv", "encoding": encoding, "delimiter": delimiter,
            "decimal": decimal, "identity_variable": "aargang", "identity_value": "2018-19"}


def xlsx_source(name: str, sheet: str = "Data") -> dict:
    return {"file": f"raw/bad/{name}.xlsx", "format": "xlsx", "sheet": sheet,
            "identity_variable": "aargang", "identity_value": "2018-19"}


def sav_source(name: str) -> dict:
    return {"file": f"raw/bad/{name}.sav", "format": "sav", "identity_variable": "aargang",
            "identity_value": "2018-19"}


def csv_bytes(frame: pd.DataFrame, *, encoding: str = "utf-8", decimal: str = ".", delimiter: str = ";") -> bytes:
    """The frame as delimited text; numeric weights written with ``decimal`` (text cells as they are)."""
    frame = frame.copy()
    if "vaegt" in frame:
        frame["vaegt"] = [f"{w:.6f}".replace(".", decimal) if isinstance(w, float) else w for w in frame["vaegt"]]
    text = frame.to_csv(sep=delimiter, index=False, lineterminator="\n")
    return text.encode(encoding)


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()


def sav_bytes(frame: pd.DataFrame, labels: dict[str, dict[float, str]], directory: Path) -> bytes:
    scratch = directory / "scratch.sav"
    pyreadstat.write_sav(frame, str(scratch), variable_value_labels=labels)
    data = scratch.read_bytes()
    scratch.unlink()
    return data


def prepare_data_dir(data_dir: Path) -> None:
    """The parts of a data dir every case shares: the catalogue and the published figures."""
    shutil.copytree(source_data() / "catalogue", data_dir / "catalogue", dirs_exist_ok=True)
    shutil.copytree(source_data() / "published", data_dir / "published", dirs_exist_ok=True)


def dk_data_dir(data_dir: Path) -> Path:
    """A data dir holding the bundled DK 2018-19 codebook and file, unchanged."""
    shutil.copytree(source_data(), data_dir, dirs_exist_ok=True)
    return data_dir


def write_case(data_dir: Path, codebook: dict | str, raw: bytes | None = None,
               codebook_path: Path = CODEBOOK_PATH) -> Path:
    """Write the codebook (a mapping or YAML text) and, if given, the raw file it names."""
    path = data_dir / codebook_path
    path.parent.mkdir(parents=True, exist_ok=True)
    text = codebook if isinstance(codebook, str) else yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    if raw is not None:
        book = codebook if isinstance(codebook, dict) else yaml.safe_load(codebook)
        target = data_dir / book["source"]["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
    return path


def with_source(source: dict) -> dict:
    book = dk_codebook()
    book["source"] = source
    return book


def csv_case(data_dir: Path, name: str, frame: pd.DataFrame, *, encoding: str = "utf-8", decimal: str = ".",
             declared_encoding: str | None = None, declared_decimal: str | None = None,
             delimiter: str = ";", declared_delimiter: str | None = None) -> str:
    """A delimited file written one way and (optionally) declared another; returns its relative path."""
    source = csv_source(name, encoding=declared_encoding or encoding, decimal=declared_decimal or decimal,
                        delimiter=declared_delimiter or delimiter)
    write_case(data_dir, with_source(source),
               csv_bytes(frame, encoding=encoding, decimal=decimal, delimiter=delimiter))
    return source["file"]


def csv_row(position: int) -> str:
    """How a data row at ``position`` is numbered in a delimited or Excel file (line 1 is the header)."""
    return f"row {position + 2}"


# --- the cases ---------------------------------------------------------------------------------------


def sav_truncated(d: Path) -> tuple[str, ...]:
    data = dk_sav().read_bytes()
    write_case(d, with_source(sav_source("sav_truncated")), data[: len(data) // 2])
    return ("raw/bad/sav_truncated.sav", "cannot read as an SPSS .sav file",
            "did not contain the expected number of rows")


def sav_not_spss(d: Path) -> tuple[str, ...]:
    write_case(d, with_source(sav_source("sav_not_spss")), csv_bytes(labelled_frame()))
    # text, whatever the codebook says: named as such, with the settings that read it
    return ("raw/bad/sav_not_spss.sav", "the file is delimited text in utf-8 with ';' between columns",
            "set source.format: csv, source.encoding: utf-8, source.delimiter: ';'")


def sav_corrupt_header(d: Path) -> tuple[str, ...]:
    data = bytearray(dk_sav().read_bytes())
    data[:4] = b"XXXX"  # the magic number "$FL2"
    write_case(d, with_source(sav_source("sav_corrupt_header")), bytes(data))
    return ("raw/bad/sav_corrupt_header.sav", "cannot read as an SPSS .sav file")


def sav_damaged_variable_record(d: Path) -> tuple[str, ...]:
    """A numeric variable whose record claims a 255-byte string: the SPSS reader crashes on it."""
    data = bytearray(dk_sav().read_bytes())
    name = data.index(b"Q9_1    ")  # a variable record: type, width, ..., then the 8-byte name
    data[name - 20 : name - 16] = struct.pack("<i", 255)
    write_case(d, with_source(sav_source("sav_damaged_variable_record")), bytes(data))
    return ("raw/bad/sav_damaged_variable_record.sav", "cannot read as an SPSS .sav file",
            "the reader crashed: the file is damaged")


def sav_empty(d: Path) -> tuple[str, ...]:
    write_case(d, with_source(sav_source("sav_empty")), b"")
    return ("raw/bad/sav_empty.sav", "file is empty")


def sav_unknown_value_label(d: Path) -> tuple[str, ...]:
    frame, labels = sav_codes()
    labels["sektor"][1.0] = "Kommunalt"  # the codebook says "Kommunal"
    position = int((frame["sektor"] == 1.0).to_numpy().argmax())
    write_case(d, with_source(sav_source("sav_unknown_value_label")), sav_bytes(frame, labels, d))
    return ("raw/bad/sav_unknown_value_label.sav", f"row {position + 1}", "variable 'sektor'",
            "label 'Kommunalt' is not in the codebook", "'Kommunal'")


def sav_unlabelled_code(d: Path) -> tuple[str, ...]:
    frame, labels = sav_codes()
    position = int(frame["q14"].notna().to_numpy().nonzero()[0][3])
    frame.loc[position, "q14"] = 9.0  # a code with no value label
    write_case(d, with_source(sav_source("sav_unlabelled_code")), sav_bytes(frame, labels, d))
    return ("raw/bad/sav_unlabelled_code.sav", f"row {position + 1}", "variable 'q14'",
            "label '9' is not in the codebook")


def sav_infinite_weight(d: Path) -> tuple[str, ...]:
    frame, labels = sav_codes()
    frame.loc[11, "vaegt"] = float("inf")
    write_case(d, with_source(sav_source("sav_infinite_weight")), sav_bytes(frame, labels, d))
    return ("raw/bad/sav_infinite_weight.sav", "row 12", "variable 'vaegt'", "weight must be a positive number",
            "inf")


def xlsx_truncated(d: Path) -> tuple[str, ...]:
    data = xlsx_bytes(labelled_frame())
    write_case(d, with_source(xlsx_source("xlsx_truncated")), data[: len(data) * 2 // 3])
    return ("raw/bad/xlsx_truncated.xlsx", "cannot read as an Excel .xlsx file", "not a valid xlsx archive")


def xlsx_corrupt_sheet(d: Path) -> tuple[str, ...]:
    """A valid zip whose worksheet XML is cut short (a damaged copy, or a half-saved file)."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes(labelled_frame())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            damaged.writestr(info, data)
    write_case(d, with_source(xlsx_source("xlsx_corrupt_sheet")), buffer.getvalue())
    return ("raw/bad/xlsx_corrupt_sheet.xlsx", "cannot read as an Excel .xlsx file", "ParseError")


def xlsx_wrong_sheet(d: Path) -> tuple[str, ...]:
    write_case(d, with_source(xlsx_source("xlsx_wrong_sheet", sheet="Svar")), xlsx_bytes(labelled_frame()))
    return ("raw/bad/xlsx_wrong_sheet.xlsx", "Worksheet named 'Svar' not found")


def xlsx_header_only(d: Path) -> tuple[str, ...]:
    write_case(d, with_source(xlsx_source("xlsx_header_only")), xlsx_bytes(labelled_frame().head(0)))
    return ("raw/bad/xlsx_header_only.xlsx", "file has a header but no data rows")


def xlsx_unknown_answer_label(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[6, "q8_3"] = "Yes"
    write_case(d, with_source(xlsx_source("xlsx_unknown_answer_label")), xlsx_bytes(frame))
    return ("raw/bad/xlsx_unknown_answer_label.xlsx", csv_row(6), "variable 'q8_3'",
            "label 'Yes' is not in the codebook", "'Ja', 'Nej', 'Ved ikke'")


def csv_empty(d: Path) -> tuple[str, ...]:
    write_case(d, with_source(csv_source("csv_empty")), b"")
    return ("raw/bad/csv_empty.csv", "file is empty")


def csv_header_only(d: Path) -> tuple[str, ...]:
    write_case(d, with_source(csv_source("csv_header_only")), csv_bytes(labelled_frame().head(0)))
    return ("raw/bad/csv_header_only.csv", "file has a header but no data rows")


def csv_latin1_read_as_utf8(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    position = first_row_with(frame, lambda text: not text.isascii())
    csv_case(d, "csv_latin1_read_as_utf8", frame, encoding="latin-1", declared_encoding="utf-8")
    return ("raw/bad/csv_latin1_read_as_utf8.csv", csv_row(position), "is not valid utf-8",
            "source.encoding may be wrong")


def csv_utf8_read_as_latin1(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    position = first_row_with(frame, lambda text: not text.isascii())
    csv_case(d, "csv_utf8_read_as_latin1", frame, encoding="utf-8", declared_encoding="latin-1", decimal=",")
    return ("raw/bad/csv_utf8_read_as_latin1.csv", csv_row(position), "looks like UTF-8",
            "declares 'latin-1'", "source.encoding may be wrong")


def csv_utf16_read_as_latin1(d: Path) -> tuple[str, ...]:
    """A "Unicode text" export from Excel (UTF-16) declared as Latin-1, which decodes any bytes."""
    csv_case(d, "csv_utf16_read_as_latin1", labelled_frame(), encoding="utf-16", declared_encoding="latin-1",
             decimal=",")
    return ("raw/bad/csv_utf16_read_as_latin1.csv", "row 1", "variable 'source.encoding'",
            "the file is UTF-16 (it starts with the byte-order mark FF FE), not latin-1",
            "set source.encoding: utf-16")


def csv_utf16_read_as_utf8(d: Path) -> tuple[str, ...]:
    """A UTF-16 export declared as UTF-8 (it used to be reported as 'byte 0xff is not valid utf-8')."""
    csv_case(d, "csv_utf16_read_as_utf8", labelled_frame(), encoding="utf-16", declared_encoding="utf-8")
    return ("raw/bad/csv_utf16_read_as_utf8.csv", "row 1", "the file is UTF-16", "not utf-8",
            "set source.encoding: utf-16")


def csv_utf8_bom_on_latin1(d: Path) -> tuple[str, ...]:
    """A Latin-1 file to which an editor prepended a UTF-8 byte-order mark."""
    source = csv_source("csv_utf8_bom_on_latin1", encoding="latin-1", decimal=",")
    write_case(d, with_source(source), codecs.BOM_UTF8 + csv_bytes(labelled_frame(), encoding="latin-1", decimal=","))
    return ("raw/bad/csv_utf8_bom_on_latin1.csv", "row 1", "starts with a UTF-8 byte-order mark (EF BB BF)",
            "the rest is not UTF-8", "remove those three bytes")


def csv_cp1252_declared_latin1(d: Path) -> tuple[str, ...]:
    """Curly quotes typed in Word: windows-1252 bytes 0x93/0x94 in a file declared Latin-1."""
    frame = labelled_frame()
    frame.loc[7, "kommentar"] = "\u201cNy løsning\u201d"
    csv_case(d, "csv_cp1252_declared_latin1", frame, encoding="cp1252", declared_encoding="latin-1", decimal=",")
    return ("raw/bad/csv_cp1252_declared_latin1.csv", csv_row(7), "variable 'source.encoding'",
            "has byte 0x93, a control character in latin-1 but '\u201c' in windows-1252",
            "set source.encoding: windows-1252")


def csv_title_row_above_header(d: Path) -> tuple[str, ...]:
    """A title line above the column names."""
    source = csv_source("csv_title_row_above_header")
    body = csv_bytes(labelled_frame())
    write_case(d, with_source(source), b"Innovationsbarometeret 2018-19: svar\n" + body)
    return ("raw/bad/csv_title_row_above_header.csv", "row 2", "variable 'source.header_row'",
            "the column names are on row 2, not row 1", "row 1 reads Innovationsbarometeret 2018-19: svar",
            "set source.header_row: 2 in the codebook")


def xlsx_title_row_above_header(d: Path) -> tuple[str, ...]:
    """A title in merged cells above the column names, as Excel reports are often laid out."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(labelled_frame())))
    sheet = workbook["Data"]
    sheet.insert_rows(1)
    sheet["A1"] = "Innovationsbarometeret 2018-19"
    sheet.merge_cells("A1:F1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_case(d, with_source(xlsx_source("xlsx_title_row_above_header")), buffer.getvalue())
    return ("raw/bad/xlsx_title_row_above_header.xlsx", "row 2", "the column names are on row 2, not row 1",
            "merged cells in Excel", "Innovationsbarometeret 2018-19, Unnamed: 1",
            "set source.header_row: 2 in the codebook")


def xlsx_given_to_csv_codebook(d: Path) -> tuple[str, ...]:
    source = csv_source("xlsx_given_to_csv_codebook")
    write_case(d, with_source(source), xlsx_bytes(labelled_frame()))
    return ("raw/bad/xlsx_given_to_csv_codebook.csv", "variable 'source.format'",
            "the file is an Excel workbook (.xlsx), but the codebook's source.format is 'csv'",
            "set source.format: xlsx")


def csv_given_to_xlsx_codebook(d: Path) -> tuple[str, ...]:
    write_case(d, with_source(xlsx_source("csv_given_to_xlsx_codebook")), csv_bytes(labelled_frame()))
    return ("raw/bad/csv_given_to_xlsx_codebook.xlsx", "variable 'source.format'",
            "the file is delimited text in utf-8 with ';' between columns, but the codebook's source.format is "
            "'xlsx'", "set source.format: csv, source.encoding: utf-8, source.delimiter: ';'")


def csv_label_like_markup(d: Path) -> tuple[str, ...]:
    """A label that looks like console markup must be shown as it is."""
    frame = labelled_frame()
    frame.loc[2, "q15"] = "[/Ja]"
    csv_case(d, "csv_label_like_markup", frame)
    return ("raw/bad/csv_label_like_markup.csv", csv_row(2), "variable 'q15'",
            "label '[/Ja]' is not in the codebook (known: 'Ja', 'Nej', 'Ved ikke')")


def csv_decimal_comma_declared_point(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    csv_case(d, "csv_decimal_comma_declared_point", frame, decimal=",", declared_decimal=".")
    weight = f"{frame['vaegt'][0]:.6f}".replace(".", ",")
    return ("raw/bad/csv_decimal_comma_declared_point.csv", csv_row(0), "variable 'vaegt'",
            f"{weight!r} uses ',' as decimal separator but the codebook declares '.'")


def csv_decimal_point_declared_comma(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    csv_case(d, "csv_decimal_point_declared_comma", frame, encoding="latin-1", decimal=".",
             declared_decimal=",")
    weight = f"{frame['vaegt'][0]:.6f}"
    return ("raw/bad/csv_decimal_point_declared_comma.csv", csv_row(0), "variable 'vaegt'",
            f"{weight!r} uses '.' as decimal separator but the codebook declares ','")


def csv_wrong_delimiter(d: Path) -> tuple[str, ...]:
    csv_case(d, "csv_wrong_delimiter", labelled_frame(), delimiter="\t", declared_delimiter=";")
    return ("raw/bad/csv_wrong_delimiter.csv", "row 1", "header has no ';' delimiter",
            "source.delimiter may be wrong")


def csv_ragged_row(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[8, "kommentar"] = "Se bilag; vedlagt"  # an unquoted delimiter in a free-text cell
    source = csv_source("csv_ragged_row")
    text = frame.to_csv(sep=";", index=False, lineterminator="\n", quoting=3, escapechar="\\")
    write_case(d, with_source(source), text.replace("\\;", ";").encode())
    return ("raw/bad/csv_ragged_row.csv", "malformed delimited text", "Expected 39 fields in line 10, saw 40")


def csv_unmapped_variable(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.insert(20, "q8_7", "Nej")
    csv_case(d, "csv_unmapped_variable", frame)
    return ("raw/bad/csv_unmapped_variable.csv", "column(s) not in the codebook: q8_7",
            "map them to an indicator or list them under 'ignore'")


def csv_missing_column(d: Path) -> tuple[str, ...]:
    csv_case(d, "csv_missing_column", labelled_frame().drop(columns=["q14", "strgrp"]))
    return ("raw/bad/csv_missing_column.csv", "required column(s) missing: strgrp, q14")


def csv_duplicate_id(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[17, "lbnr"] = frame.loc[4, "lbnr"]
    csv_case(d, "csv_duplicate_id", frame)
    return ("raw/bad/csv_duplicate_id.csv", csv_row(17), "variable 'lbnr'",
            f"duplicate respondent id {frame.loc[4, 'lbnr']!r} (first at {csv_row(4)})")


def csv_missing_id(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[3, "lbnr"] = None
    csv_case(d, "csv_missing_id", frame)
    return ("raw/bad/csv_missing_id.csv", csv_row(3), "variable 'lbnr'", "respondent id is missing")


def csv_weight_zero(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[9, "vaegt"] = 0.0
    csv_case(d, "csv_weight_zero", frame)
    return ("raw/bad/csv_weight_zero.csv", csv_row(9), "variable 'vaegt'", "weight must be a positive number, got 0")


def csv_weight_negative(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[12, "vaegt"] = -2.5
    csv_case(d, "csv_weight_negative", frame, encoding="latin-1", decimal=",")
    return ("raw/bad/csv_weight_negative.csv", csv_row(12), "variable 'vaegt'",
            "weight must be a positive number, got -2.5")


def csv_weight_missing(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[21, "vaegt"] = None
    csv_case(d, "csv_weight_missing", frame)
    return ("raw/bad/csv_weight_missing.csv", csv_row(21), "variable 'vaegt'", "weight is missing")


def csv_weight_not_a_number(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[5, "vaegt"] = "n/a"
    csv_case(d, "csv_weight_not_a_number", frame)
    return ("raw/bad/csv_weight_not_a_number.csv", csv_row(5), "variable 'vaegt'", "'n/a' is not a number")


def csv_other_wave(d: Path) -> tuple[str, ...]:
    """The file of another wave, which (as waves do) asks one question more and one less."""
    frame = labelled_frame().drop(columns=["q14"])
    frame["aargang"] = "2020-21"
    frame["q16"] = "Ja"
    csv_case(d, "csv_other_wave", frame)
    return ("raw/bad/csv_other_wave.csv", csv_row(0), "variable 'aargang'",
            "row belongs to wave '2020-21', but this codebook is for '2018-19'",
            "DK/Innovationsbarometeret/2018-19", "another country or wave")


def csv_mixed_waves(d: Path) -> tuple[str, ...]:
    """Two waves pasted into one file: the rows of the other wave start part-way down."""
    frame = labelled_frame()
    frame.loc[25:, "aargang"] = "2016-17"
    csv_case(d, "csv_mixed_waves", frame)
    return ("raw/bad/csv_mixed_waves.csv", csv_row(25), "variable 'aargang'", "row belongs to wave '2016-17'")


def csv_other_country(d: Path) -> tuple[str, ...]:
    """A file of another country in another layout, named by the Danish codebook by mistake."""
    frame = labelled_frame()
    frame = frame.rename(columns={"aargang": "survey_round", "lbnr": "resp_id", "vaegt": "weight",
                                  "sektor": "forvaltningsniva"})
    frame["survey_round"] = "NO 2018"
    csv_case(d, "csv_other_country", frame)
    return ("raw/bad/csv_other_country.csv", "required column(s) missing: aargang, lbnr, vaegt, sektor",
            "the identity column 'aargang' is absent too", "another country or wave",
            "columns found that the codebook does not name: 'survey_round', 'resp_id', 'weight', 'forvaltningsniva'")


def csv_missing_level(d: Path) -> tuple[str, ...]:
    frame = labelled_frame()
    frame.loc[14, "sektor"] = None
    csv_case(d, "csv_missing_level", frame)
    return ("raw/bad/csv_missing_level.csv", csv_row(14), "variable 'sektor'", "value is missing")


def codebook_bad_yaml(d: Path) -> tuple[str, ...]:
    """One key indented a space too far."""
    lines = dk_codebook_text().splitlines(keepends=True)
    line = lines.index("  weight: vaegt\n")
    lines[line] = " " + lines[line]
    write_case(d, "".join(lines))
    return ("codebooks/dk/2018-19.yaml", f"not valid YAML at line {line + 1}, column 10",
            "mapping values are not allowed here")


def codebook_unknown_key(d: Path) -> tuple[str, ...]:
    text = dk_codebook_text().replace("\nquestions:\n", "\nquestons:\n")
    write_case(d, text)
    return ("codebooks/dk/2018-19.yaml", "field 'questons': Extra inputs are not permitted",
            "field 'questions': Field required")


def codebook_unknown_nested_key(d: Path) -> tuple[str, ...]:
    text = dk_codebook_text().replace("  identity_variable: aargang",
                                                           "  identity_varable: aargang")
    write_case(d, text)
    return ("codebooks/dk/2018-19.yaml", "field 'source.identity_varable': Extra inputs are not permitted")


def codebook_unknown_indicator(d: Path) -> tuple[str, ...]:
    text = dk_codebook_text().replace("\n  spreading:\n", "\n  spredning:\n")
    write_case(d, text)
    return ("codebooks/dk/2018-19.yaml", "question 'spredning' is not a harmonised indicator", "spreading")


def codebook_unknown_option(d: Path) -> tuple[str, ...]:
    text = dk_codebook_text().replace("      citizens: {variable: q8_4",
                                                           "      citizen: {variable: q8_4")
    write_case(d, text)
    return ("codebooks/dk/2018-19.yaml", "variable 'q8_4'", "'partner' has no option 'citizen'")


def codebook_unknown_label_target(d: Path) -> tuple[str, ...]:
    text = dk_codebook_text().replace("Sundhedsvæsen: health_care", "Sundhedsvæsen: helth_care")
    write_case(d, text)
    return ("codebooks/dk/2018-19.yaml", "variable 'branche'",
            "label 'Sundhedsvæsen' maps to unknown sector 'helth_care'")


def codebook_unknown_encoding(d: Path) -> tuple[str, ...]:
    source = csv_source("codebook_unknown_encoding", encoding="latin-9x")
    write_case(d, with_source(source), csv_bytes(labelled_frame(), encoding="latin-1"))
    return ("codebooks/dk/2018-19.yaml", "field 'source.encoding'", "unknown text encoding 'latin-9x'")


def codebook_missing_file(d: Path) -> tuple[str, ...]:
    write_case(d, with_source(sav_source("no_such_file")))
    return ("codebooks/dk/2018-19.yaml", "variable 'source.file'",
            "source file named by the codebook does not exist (raw/bad/no_such_file.sav)")


def codebook_variable_twice(d: Path) -> tuple[str, ...]:
    text = dk_codebook_text().replace("{variable: q12_6,", "{variable: q12_5,")
    write_case(d, text)
    return ("codebooks/dk/2018-19.yaml", "variables named more than once: q12_5")


def codebook_without_innovation_type(d: Path) -> tuple[str, ...]:
    """Questions about the latest innovation need the innovation question to know whom they concern."""
    book = dk_codebook()
    del book["questions"]["innovation_type"]
    book["ignore"] = ["kommentar", "q1a", "q1b", "q1c", "q1d"]
    write_case(d, book)
    shutil.copy(dk_sav(), _mkparent(d / book["source"]["file"]))
    return ("codebooks/dk/2018-19.yaml", "'novelty' is asked of innovative units",
            "maps no innovation_type question")


def codebook_round_taken(d: Path) -> tuple[str, ...]:
    """A new Danish wave that claims the Nordic round the loaded 2018-19 wave already has."""
    book = dk_codebook()
    book["wave"]["wave_label"] = "2019-20"
    write_case(d, book, codebook_path=Path("codebooks") / "dk" / "2019-20.yaml")
    shutil.copy(dk_sav(), _mkparent(d / book["source"]["file"]))
    return ("codebooks/dk/2019-20.yaml", "variable 'wave.nordic_round'",
            "nordic_round 2018 is already taken by DK Innovationsbarometeret 2018-19")


def _design_case(d: Path, design: dict) -> None:
    book = dk_codebook()
    book["design"] = design
    write_case(d, book)
    shutil.copy(dk_sav(), _mkparent(d / book["source"]["file"]))


def _fraction(**changes: object) -> dict:
    """The DK 2018-19 demo design with a sampling fraction (sample drawn / population) per level, changed."""
    design = dk_codebook()["design"]
    design["sampling_fraction"] = {"drawn": {"municipal": 3000, "regional": 400, "state": 900},
                                   "population": {"municipal": 11250, "regional": 1200, "state": 2550},
                                   "source": "A demo source", **changes}
    return design


def codebook_design_population_key(d: Path) -> tuple[str, ...]:
    """A design whose sampling fraction is keyed by level and sector while the strata are levels alone."""
    _design_case(d, _fraction(drawn={"municipal/health_care": 300}, population={"municipal/health_care": 3300}))
    return ("codebooks/dk/2018-19.yaml", "design",
            "sampling_fraction key 'municipal/health_care' must name one code per stratum")


def codebook_design_stratum_without_population(d: Path) -> tuple[str, ...]:
    """A design that gives no sampling fraction for one of the strata found in the file."""
    design = _fraction(drawn={"municipal": 3000, "state": 900}, population={"municipal": 11250, "state": 2550})
    _design_case(d, design)
    return ("codebooks/dk/2018-19.yaml", "variable 'design.sampling_fraction'",
            "no sampling fraction for stratum 'regional'")


def codebook_design_population_too_small(d: Path) -> tuple[str, ...]:
    """A design whose sample drawn from a stratum is smaller than the units that responded in it."""
    design = _fraction(drawn={"municipal": 3000, "regional": 5, "state": 900})
    _design_case(d, design)
    return ("codebooks/dk/2018-19.yaml", "stratum 'regional' has 250 responding PSUs but a sample drawn of 5")


def codebook_design_census_as_sampling_fraction(d: Path) -> tuple[str, ...]:
    """A survey sent to every unit (sample drawn = population): its response rate is no sampling fraction."""
    design = _fraction(drawn={"municipal": 11250, "regional": 1200, "state": 2550})
    _design_case(d, design)
    return ("codebooks/dk/2018-19.yaml", "design",
            "a census (all units asked) has no finite population correction, whatever its response rate")


# --- official tables: the DK wave unchanged, plus a newer snapshot of OIN01DK that is wrong in one way ------

OFFICIAL_MAPPING = Path("official") / "mappings" / "OIN01DK.yaml"
OFFICIAL_SNAPSHOT = Path("official") / "snapshots" / "OIN01DK" / "20991231T000000Z"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "official"


def write_official_case(d: Path, name: str, content: bytes, file_format: str, *, mapping_text: str | None = None,
                        sha256: str | None = None) -> Path:
    """The DK wave as bundled, the OIN01DK mapping (or ``mapping_text``) and a snapshot holding ``content``."""
    write_case(d, dk_codebook_text())
    shutil.copy(dk_sav(), _mkparent(d / SAV_PATH))
    mapping = mapping_text or (source_data() / OFFICIAL_MAPPING).read_text(encoding="utf-8")
    mapping = mapping.replace("format: statbank_bulk", f"format: {file_format}")
    _mkparent(d / OFFICIAL_MAPPING).write_text(mapping, encoding="utf-8")
    folder = d / OFFICIAL_SNAPSHOT
    _mkparent(folder / name).write_bytes(content)
    description = {"table": "OIN01DK", "obtained_by": "statbank", "source_url": "http://127.0.0.1/v1/data",
                   "retrieved_at": "2099-12-31T00:00:00+00:00", "file": name, "format": file_format,
                   "sha256": sha256 or hashlib.sha256(content).hexdigest(), "licence": "CC BY 4.0",
                   "citation": "Danmarks Statistik, OIN01DK"}
    (folder / "snapshot.yaml").write_text(yaml.safe_dump(description), encoding="utf-8")
    return folder


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def official_px_figure_count_wrong(d: Path) -> tuple[str, ...]:
    """A PX file whose DATA has one figure fewer than its variables make cells."""
    text = _fixture("OIN01DK.px").replace("84 84;", "84;")
    write_official_case(d, "data.px", text.encode(), "px")
    return (str(OFFICIAL_SNAPSHOT / "data.px"), "keyword DATA", "7 figures, but the variables")


def official_px_missing_values(d: Path) -> tuple[str, ...]:
    """A PX file that names a variable in STUB but gives it no VALUES."""
    text = _fixture("OIN01DK.px").replace('VALUES("branche")="Alle brancher";\n', "")
    write_official_case(d, "data.px", text.encode(), "px")
    return (str(OFFICIAL_SNAPSHOT / "data.px"), "keyword VALUES('branche') is missing")


def official_px_unclosed_string(d: Path) -> tuple[str, ...]:
    """A PX file with a quoted text that runs past the end of its line."""
    text = _fixture("OIN01DK.px").replace('UNITS="pct.";', 'UNITS="pct.;')
    write_official_case(d, "data.px", text.encode(), "px")
    return (str(OFFICIAL_SNAPSHOT / "data.px"), "line 14: a quoted string is not closed on its line")


def official_jsonstat_wrong_version(d: Path) -> tuple[str, ...]:
    """A JSON-stat file that is not version 2.0."""
    text = _fixture("OIN01DK.jsonstat.json").replace('"version": "2.0"', '"version": "1.0"')
    write_official_case(d, "data.json", text.encode(), "jsonstat")
    return (str(OFFICIAL_SNAPSHOT / "data.json"), "keyword version", "expected \"2.0\"")


def official_bulk_ragged_row(d: Path) -> tuple[str, ...]:
    """A StatBank BULK file with a row missing a field."""
    text = _fixture("OIN01DK_bulk.csv").replace("REG;TOT;TOT;INNOV;2018-2019;85", "REG;TOT;INNOV;2018-2019;85")
    write_official_case(d, "data.csv", text.encode(), "statbank_bulk")
    return (str(OFFICIAL_SNAPSHOT / "data.csv"), "line 7: 5 fields, the header has 6")


def official_bulk_not_a_number(d: Path) -> tuple[str, ...]:
    """A StatBank BULK figure that is neither a number nor a missing-value symbol."""
    text = _fixture("OIN01DK_bulk.csv").replace(";85\n", ";85 pct\n")
    write_official_case(d, "data.csv", text.encode(), "statbank_bulk")
    return (str(OFFICIAL_SNAPSHOT / "data.csv"), "line 7, column INDHOLD", "'85 pct' is neither a number")


def official_unmapped_category(d: Path) -> tuple[str, ...]:
    """A category of the table that its mapping does not name."""
    text = _fixture("OIN01DK_bulk.csv").replace("STAT;TOT;TOT;INNOV;2018-2019", "FOND;TOT;TOT;INNOV;2018-2019")
    write_official_case(d, "data.csv", text.encode(), "statbank_bulk")
    return (str(OFFICIAL_SNAPSHOT / "data.csv"), "variable 'OFFSEKTOR'", "categories ['FOND'] are not in mapping")


def official_share_over_100(d: Path) -> tuple[str, ...]:
    """A percentage above 100 in a table whose measure is a share."""
    text = _fixture("OIN01DK_bulk.csv").replace(";85\n", ";850\n")
    write_official_case(d, "data.csv", text.encode(), "statbank_bulk")
    return (str(OFFICIAL_SNAPSHOT / "data.csv"), "cell 2018-19 regional/all/all innovative.yes",
            "share 850 is outside 0..100")


def official_checksum_mismatch(d: Path) -> tuple[str, ...]:
    """A snapshot whose data file no longer matches its pinned SHA-256."""
    content = _fixture("OIN01DK_bulk.csv").encode()
    write_official_case(d, "data.csv", content, "statbank_bulk", sha256="0" * 64)
    return (str(OFFICIAL_SNAPSHOT / "data.csv"), "differs from the pinned " + "0" * 64)


def official_mapping_unknown_level(d: Path) -> tuple[str, ...]:
    """A mapping that sends a category to a government level the catalogue does not have."""
    mapping = (source_data() / OFFICIAL_MAPPING).read_text(encoding="utf-8").replace("STAT: state", "STAT: federal")
    write_official_case(d, "data.csv", _fixture("OIN01DK_bulk.csv").encode(), "statbank_bulk", mapping_text=mapping)
    return (str(OFFICIAL_MAPPING), "variable 'OFFSEKTOR'", "level code 'federal' is not one of")


def _mkparent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


CASES: tuple[BadInput, ...] = tuple(
    BadInput(builder.__name__, (builder.__doc__ or builder.__name__.replace("_", " ")).strip(), builder)
    for builder in (
        sav_truncated, sav_not_spss, sav_corrupt_header, sav_damaged_variable_record, sav_empty,
        sav_unknown_value_label, sav_unlabelled_code, sav_infinite_weight,
        xlsx_truncated, xlsx_corrupt_sheet, xlsx_wrong_sheet, xlsx_header_only, xlsx_unknown_answer_label,
        csv_empty, csv_header_only, csv_latin1_read_as_utf8, csv_utf8_read_as_latin1, csv_utf16_read_as_latin1,
        csv_utf16_read_as_utf8, csv_utf8_bom_on_latin1, csv_cp1252_declared_latin1, csv_title_row_above_header,
        xlsx_title_row_above_header, xlsx_given_to_csv_codebook, csv_given_to_xlsx_codebook,
        csv_label_like_markup,
        csv_decimal_comma_declared_point, csv_decimal_point_declared_comma, csv_wrong_delimiter,
        csv_ragged_row, csv_unmapped_variable, csv_missing_column, csv_duplicate_id, csv_missing_id,
        csv_weight_zero, csv_weight_negative, csv_weight_missing, csv_weight_not_a_number,
        csv_other_wave, csv_mixed_waves, csv_other_country, csv_missing_level,
        codebook_bad_yaml, codebook_unknown_key, codebook_unknown_nested_key, codebook_unknown_indicator,
        codebook_unknown_option, codebook_unknown_label_target, codebook_unknown_encoding,
        codebook_missing_file, codebook_variable_twice, codebook_without_innovation_type,
        codebook_round_taken, codebook_design_population_key, codebook_design_stratum_without_population,
        codebook_design_population_too_small, codebook_design_census_as_sampling_fraction,
        official_px_figure_count_wrong, official_px_missing_values, official_px_unclosed_string,
        official_jsonstat_wrong_version, official_bulk_ragged_row, official_bulk_not_a_number,
        official_unmapped_category, official_share_over_100, official_checksum_mismatch,
        official_mapping_unknown_level,
    )
)


def build(case: BadInput, data_dir: Path) -> tuple[str, ...]:
    """Write ``case`` as a complete data dir; returns the fragments its error must contain."""
    prepare_data_dir(data_dir)
    return case.build(data_dir)


if __name__ == "__main__":  # pragma: no cover - materialise the corpus for a person to look at
    out = Path(sys.argv[1])
    for case in CASES:
        fragments = build(case, out / case.name)
        print(f"{case.name}: {' | '.join(fragments)}")
