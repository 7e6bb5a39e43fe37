"""Readers for the native file formats: SPSS .sav with value labels, Excel, and delimited text.

Every reader returns a RawTable: the file's columns as they are, with SPSS value labels applied so that
the codebook maps national labels, never numeric codes.
"""

from __future__ import annotations

import codecs
import csv
import faulthandler
import io
import zipfile
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.codebook import SourceSpec
from etl.errors import EtlError
from etl.processes import worker_pool


@dataclass(frozen=True)
class RawTable:
    path: Path
    frame: pd.DataFrame
    first_data_row: int  # how the first record is numbered in the file (for messages)

    def row_number(self, position: int) -> int:
        return self.first_data_row + position


def _read_sav_codes(path: str) -> tuple[pd.DataFrame, dict[str, dict]] | str:
    """The file's codes and value labels, or the reader's complaint (runs in a child process)."""
    import pyreadstat

    faulthandler.disable()  # a crash is reported by the parent, naming the file; no dump on stderr

    try:
        frame, meta = pyreadstat.read_sav(path, apply_value_formats=False)
    except Exception as exc:  # pyreadstat raises its own ReadstatError and plain exceptions
        return str(exc)
    return frame, meta.variable_value_labels


def read_sav(path: Path) -> RawTable:
    # pyreadstat's C code can crash on a damaged file (a segmentation fault, seen with a corrupt variable
    # record); in a child process that becomes an error naming the file instead of the end of the ETL.
    with worker_pool(1) as reader:
        try:
            result = reader.submit(_read_sav_codes, str(path)).result()
        except BrokenProcessPool as exc:
            raise EtlError("cannot read as an SPSS .sav file (the reader crashed: the file is damaged)",
                           file=path) from exc
    if isinstance(result, str):
        raise EtlError(f"cannot read as an SPSS .sav file ({result})", file=path)
    frame, variable_value_labels = result
    for variable, value_labels in variable_value_labels.items():
        if variable not in frame.columns:
            continue
        labels = {float(code): text for code, text in value_labels.items()}
        column = frame[variable]
        # Unlabelled codes stay visible as their number, so the codebook check can name them.
        frame[variable] = [
            None if pd.isna(v) else labels.get(float(v), _number_text(v)) for v in column.tolist()
        ]
    frame.columns = [str(c).strip() for c in frame.columns]  # a damaged file can yield a name that is not text
    return RawTable(path, frame, first_data_row=1)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def read_xlsx(path: Path, sheet: str | None) -> RawTable:
    try:
        with zipfile.ZipFile(path):
            pass
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
    except zipfile.BadZipFile as exc:
        raise EtlError("cannot read as an Excel .xlsx file (not a valid xlsx archive)", file=path) from exc
    except ValueError as exc:
        raise EtlError(f"cannot read the Excel sheet: {exc}", file=path) from exc
    except Exception as exc:
        raise EtlError(f"cannot read as an Excel .xlsx file ({type(exc).__name__}: {exc})", file=path) from exc
    frame = frame.astype(object).where(frame.notna(), None)
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(path, frame, first_data_row=2)


def read_csv(path: Path, encoding: str, delimiter: str) -> RawTable:
    raw = path.read_bytes()
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise EtlError(
            f"byte {raw[exc.start]:#04x} at line {line} is not valid {encoding}; "
            "the codebook's source.encoding may be wrong",
            file=path,
            row=line,
        ) from exc
    _check_plain_text(path, raw, text, encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.EmptyDataError as exc:
        raise EtlError("file is empty", file=path) from exc
    except pd.errors.ParserError as exc:
        raise EtlError(f"malformed delimited text ({str(exc).strip()})", file=path) from exc
    if len(frame.columns) == 1 and delimiter not in text.splitlines()[0]:
        raise EtlError(f"header has no {delimiter!r} delimiter; the codebook's source.delimiter may be wrong",
                       file=path, row=1)
    frame = frame.astype(object).where(frame.notna(), None)
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(path, frame, first_data_row=2)


def _check_plain_text(path: Path, raw: bytes, text: str, encoding: str) -> None:
    """Catch text that decoded without error but cannot be what the codebook's encoding says.

    A single-byte encoding such as Latin-1 decodes any bytes, so a UTF-8 or UTF-16 file read with it would
    otherwise surface much later as a label that is not in the codebook, or not at all.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise EtlError(
            f"NUL character at line {line}: not plain text in {encoding} (a UTF-16 export?); "
            "the codebook's source.encoding may be wrong",
            file=path, row=line,
        )
    if codecs.lookup(encoding).name.startswith("utf") or raw.isascii():
        return
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # not UTF-8: the declared single-byte encoding is plausible
    first = next(i for i, char in enumerate(utf8) if not char.isascii())
    line = utf8[:first].count("\n") + 1
    char = utf8[first]
    raise EtlError(
        f"the file looks like UTF-8 but the codebook declares {encoding!r}: line {line} has {char!r} "
        f"written as UTF-8, which would read as {char.encode('utf-8').decode(encoding)!r}; "
        "the codebook's source.encoding may be wrong",
        file=path, row=line,
    )


def read_source(path: Path, spec: SourceSpec) -> RawTable:
    """Read ``path`` as the codebook's source section says."""
    if not path.exists():
        raise EtlError("source file does not exist", file=path)
    if path.stat().st_size == 0:
        raise EtlError("file is empty", file=path)
    if spec.format == "sav":
        table = read_sav(path)
    elif spec.format == "xlsx":
        table = read_xlsx(path, spec.sheet)
    else:
        table = read_csv(path, spec.encoding, spec.delimiter)
    if table.frame.empty:
        raise EtlError("file has a header but no data rows", file=path)
    return table
