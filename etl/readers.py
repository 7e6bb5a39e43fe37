"""Readers for the native file formats: SPSS .sav with value labels, Excel, and delimited text.

Every reader gives RawTables (the whole file, or consecutive chunks of its records): the file's columns as
they are, with SPSS value labels applied so that the codebook maps national labels, never numeric codes.
"""

from __future__ import annotations

import codecs
import csv
import faulthandler
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pandas as pd

from etl.codebook import Codebook, SourceSpec
from etl.diagnose import FORMAT_NAMES, HEAD_BYTES, file_format, header_row, leading_rows, resembling, text_layout
from etl.errors import EtlError
from etl.processes import start_worker, worker_pipe


@dataclass(frozen=True)
class RawTable:
    path: Path
    frame: pd.DataFrame
    first_data_row: int  # how the first record is numbered in the file (for messages)

    def row_number(self, position: int) -> int:
        return self.first_data_row + position

    def chunks(self, rows: int | None) -> Iterator[RawTable]:
        """The table in consecutive parts of ``rows`` records (None: whole), each numbered as in the file."""
        step = rows or max(len(self.frame), 1)
        for start in range(0, max(len(self.frame), 1), step):
            part = self.frame.iloc[start : start + step].reset_index(drop=True)
            yield RawTable(self.path, part, self.first_data_row + start)

    def file_rows(self) -> Iterator[tuple[int, list]]:
        """The header and the first data rows as (row number in the file, cells), to look for a header."""
        yield self.first_data_row - 1, list(self.frame.columns)
        for position, row in enumerate(self.frame.head(HEADER_SEARCH_ROWS).itertuples(index=False)):
            yield self.row_number(position), list(row)


def _send_sav_chunks(path: str, chunk_rows: int | None, sender: Connection) -> None:
    """Send the file's codes and value labels chunk by chunk, then None; or the reader's complaint (a str).

    Runs in a child process: pyreadstat's C code can crash on a damaged file (a segmentation fault, seen
    with a corrupt variable record), which the parent then reports as an error naming the file.
    """
    import pyreadstat

    faulthandler.disable()  # a crash is reported by the parent, naming the file; no dump on stderr
    try:
        if chunk_rows is None:
            chunks = [pyreadstat.read_sav(path, apply_value_formats=False)]
        else:
            chunks = pyreadstat.read_file_in_chunks(pyreadstat.read_sav, path, chunksize=chunk_rows,
                                                    apply_value_formats=False)
        for frame, meta in chunks:
            sender.send((frame, meta.variable_value_labels))
    except Exception as exc:  # pyreadstat raises its own ReadstatError and plain exceptions
        sender.send(str(exc))
    else:
        sender.send(None)
    sender.close()


def read_sav_chunks(path: Path, chunk_rows: int | None = None) -> Iterator[RawTable]:
    """The records of an SPSS file ``chunk_rows`` at a time (None: all), value labels applied, read by a child."""
    receiver, sender = worker_pipe()
    reader = start_worker(_send_sav_chunks, str(path), chunk_rows, sender)
    sender.close()  # the child's end only: a crashed child then ends the pipe
    first_data_row = 1
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError as exc:
                raise EtlError("cannot read as an SPSS .sav file (the reader crashed: the file is damaged)",
                               file=path) from exc
            if message is None:
                return
            if isinstance(message, str):
                raise EtlError(f"cannot read as an SPSS .sav file ({message})", file=path)
            frame = _labelled(*message)
            yield RawTable(path, frame, first_data_row=first_data_row)
            first_data_row += len(frame)
    finally:
        receiver.close()
        if reader.is_alive():
            reader.kill()
        reader.join()


def _labelled(frame: pd.DataFrame, variable_value_labels: dict[str, dict]) -> pd.DataFrame:
    """The codes of labelled variables as their labels (unlabelled codes as their number)."""
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
    return frame


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def read_xlsx(path: Path, sheet: str | None, header_row: int = 1) -> RawTable:
    try:
        with zipfile.ZipFile(path):
            pass
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl", header=header_row - 1)
    except zipfile.BadZipFile as exc:
        raise EtlError("cannot read as an Excel .xlsx file (not a valid xlsx archive)", file=path) from exc
    except ValueError as exc:
        raise EtlError(f"cannot read the Excel sheet: {exc}", file=path) from exc
    except Exception as exc:
        raise EtlError(f"cannot read as an Excel .xlsx file ({type(exc).__name__}: {exc})", file=path) from exc
    frame = frame.astype(object).where(frame.notna(), None)
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(path, frame, first_data_row=header_row + 1)


def read_csv_chunks(path: Path, encoding: str, delimiter: str, header_row: int = 1,
                    header_names: Iterable[str] = (), chunk_rows: int | None = None) -> Iterator[RawTable]:
    """The records of a delimited text file, ``chunk_rows`` at a time (None: all at once), numbered as in the file.

    The file is streamed: neither its bytes nor its text are held whole, unless a check of the whole text
    finds something to explain (then the message names the line, as it always did).
    """
    if _text_needs_a_closer_look(path, encoding):
        _check_text(path, path.read_bytes(), encoding)
    with path.open(encoding=encoding, newline="") as handle:
        head = handle.read(HEAD_CHARS)
        lines = head.removeprefix("\ufeff").splitlines()
        if len(head) == HEAD_CHARS:
            lines = lines[:-1]  # the last may be cut short
        handle.seek(0)
        if head.startswith("\ufeff"):
            handle.read(1)
        leading = tuple(enumerate(csv.reader(lines[:HEADER_SEARCH_ROWS], delimiter=delimiter), start=1))
        if header_names:  # before parsing: a title line often has fewer fields than the rows below it
            _check_header_row(path, leading, header_row, header_names)
        try:
            reader = pd.read_csv(
                handle, sep=delimiter, dtype=object, keep_default_na=False, na_values=[""],
                quoting=csv.QUOTE_MINIMAL, skiprows=header_row - 1, chunksize=chunk_rows or 2**62,
            )
            first_data_row = header_row + 1
            for frame in reader:
                if len(frame.columns) == 1 and lines and delimiter not in lines[min(header_row, len(lines)) - 1]:
                    raise EtlError(f"header has no {delimiter!r} delimiter; the codebook's source.delimiter may be "
                                   "wrong", file=path, row=header_row)
                frame = frame.where(frame.notna(), None)  # object columns: repeated texts are one object
                frame.columns = [str(c).strip() for c in frame.columns]
                yield RawTable(path, frame, first_data_row=first_data_row)
                first_data_row += len(frame)
        except pd.errors.EmptyDataError as exc:
            raise EtlError("file is empty", file=path) from exc
        except pd.errors.ParserError as exc:
            raise EtlError(f"malformed delimited text ({str(exc).strip()})", file=path) from exc


def _check_text(path: Path, raw: bytes, encoding: str) -> None:
    """Errors naming the line where the file's bytes are not text in ``encoding`` (whole-file checks)."""
    _check_byte_order_mark(path, raw, encoding)
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
    _check_windows_1252(path, text, encoding)


HEAD_CHARS = 1 << 20  # text read ahead to look for the header row
SCAN_BYTES = 1 << 20
_LATIN1_CONTROLS = re.compile("[\x80-\x9f]")


def _text_needs_a_closer_look(path: Path, encoding: str) -> bool:
    """Stream the file once; True when a whole-file check of _check_text may have something to say.

    The same conditions as those checks, block by block: a byte-order mark of another encoding, bytes that
    do not decode, a NUL, Latin-1 control characters, or UTF-8 that is not declared.
    """
    declared = codecs.lookup(encoding).name
    decoder = codecs.getincrementaldecoder(encoding)()
    utf8 = codecs.getincrementaldecoder("utf-8")() if not declared.startswith("utf") else None
    ascii_only, still_utf8 = True, utf8 is not None
    with path.open("rb") as handle:
        block = handle.read(SCAN_BYTES)
        mark = next((name for bom, name, _ in BYTE_ORDER_MARKS if block.startswith(bom)), None)
        if mark is not None and not declared.startswith(mark.lower()):
            return True
        final = False
        while not final:
            final = not block
            try:
                text = decoder.decode(block, final=final)
            except UnicodeDecodeError:
                return True
            if "\x00" in text or (declared == "iso8859-1" and _LATIN1_CONTROLS.search(text)):
                return True
            if still_utf8:
                ascii_only = ascii_only and block.isascii()
                try:
                    utf8.decode(block, final=final)
                except UnicodeDecodeError:
                    still_utf8 = False
            block = handle.read(SCAN_BYTES) if not final else b""
    return still_utf8 and not ascii_only


HEADER_SEARCH_ROWS = 20  # how far down a header below a title or notes is looked for

BYTE_ORDER_MARKS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "UTF-32", "utf-32"), (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
    (codecs.BOM_UTF8, "UTF-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"), (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
)


def _check_byte_order_mark(path: Path, raw: bytes, encoding: str) -> None:
    """A byte-order mark says which Unicode encoding the file is in; name it when the codebook says otherwise."""
    declared = codecs.lookup(encoding).name
    for mark, name, setting in BYTE_ORDER_MARKS:
        if not raw.startswith(mark):
            continue
        if declared.startswith(name.lower()):
            return
        shown = mark.hex(" ").upper()
        if name == "UTF-8":
            try:
                raw[len(mark):].decode("utf-8")
            except UnicodeDecodeError:
                raise EtlError(
                    f"the file starts with a UTF-8 byte-order mark ({shown}) but the rest is not UTF-8: the mark "
                    f"was added to a {encoding} file (by an editor or export tool); remove those three bytes",
                    file=path, row=1,
                ) from None
        raise EtlError(
            f"the file is {name} (it starts with the byte-order mark {shown}), not {encoding} as the codebook "
            f"declares; set source.encoding: {setting} (or save the file as UTF-8)",
            file=path, row=1, variable="source.encoding",
        )


def _check_windows_1252(path: Path, text: str, encoding: str) -> None:
    """Bytes 0x80-0x9f are control characters in Latin-1 but quotes, dashes and the euro sign in windows-1252."""
    if codecs.lookup(encoding).name != "iso8859-1":
        return
    control = next((i for i, char in enumerate(text) if "\x80" <= char <= "\x9f"), None)
    if control is None:
        return
    byte = text[control].encode("latin-1")
    try:
        meant = byte.decode("cp1252")
    except UnicodeDecodeError:
        return  # not a windows-1252 character either
    line = text[:control].count("\n") + 1
    raise EtlError(
        f"line {line} has byte {byte[0]:#04x}, a control character in {encoding} but {meant!r} in windows-1252 "
        f"(Windows' variant of Latin-1, e.g. curly quotes from Word or Excel); set source.encoding: windows-1252",
        file=path, row=line, variable="source.encoding",
    )


def _check_plain_text(path: Path, raw: bytes, text: str, encoding: str) -> None:
    """Catch text that decoded without error but cannot be what the codebook's encoding says.

    A single-byte encoding such as Latin-1 decodes any bytes, so a UTF-8 or UTF-16 file read with it would
    otherwise surface much later as a label that is not in the codebook, or not at all.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise EtlError(
            f"NUL character at line {line}: not plain text in {encoding} (UTF-16 without a byte-order mark?); "
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


def _other_format(path: Path, head: bytes, actual: str, spec: SourceSpec, codebook: Codebook | None) -> str:
    """Why a file in format ``actual`` cannot be read as the codebook declares, and what to set instead: its
    encoding and delimiter when it is text, the row of its column names, and another wave's codebook when
    its columns are that wave's."""
    rows = leading_rows(path, actual, spec.sheet)
    names = codebook.variables() if codebook is not None else [spec.identity_variable]
    row, found = header_row(rows, names)
    settings = [f"source.format: {actual}"]
    what = FORMAT_NAMES[actual]
    if actual == "csv":
        layout = text_layout(head)
        if layout is not None:
            what += f" in {layout.encoding} with {layout.delimiter!r} between columns"
            settings += [f"source.encoding: {layout.encoding}", f"source.delimiter: {layout.delimiter!r}"]
    if found and row != 1 and actual != "sav":
        what += f", its column names on row {row} (a title or notes above them)"
        settings.append(f"source.header_row: {row}")
    other = resembling(rows[row - 1], codebook) if rows and codebook is not None else None
    if other is not None:
        return (f"the file is {what}, not {spec.format} as the codebook declares, and {other.describe()}, not of "
                f"this codebook ({codebook.key if codebook else ''}): is it that wave's file?")
    return (f"the file is {what}, but the codebook's source.format is {spec.format!r}; set "
            + ", ".join(settings))


def _check_format(path: Path, spec: SourceSpec, codebook: Codebook | None) -> None:
    """Name the file's real format (and encoding) when its first bytes show it is not the one declared."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    actual = file_format(head)
    if actual is not None and actual != spec.format:
        raise EtlError(_other_format(path, head, actual, spec, codebook), file=path, variable="source.format")


def _check_header_row(path: Path, rows: Iterable[tuple[int, list]], header_row: int, names: Iterable[str]) -> None:
    """When the row ``header_row`` does not hold the column names the codebook knows best, look for them further
    down (a title above): the row holding most of ``names``."""
    wanted = set(names)
    named = {row: [str(c).strip() for c in cells if c is not None] for row, cells in rows}
    here = len(wanted & set(named.get(header_row, [])))
    best = max(named, key=lambda row: (len(wanted & set(named[row])), -row), default=header_row)
    if best != header_row and len(wanted & set(named[best])) > here:
        found = ", ".join(c for c in named.get(header_row, [])[:6] if c) or "nothing"
        raise EtlError(
            f"the column names are on row {best}, not row {header_row} (a title or notes above them, "
            f"e.g. merged cells in Excel?): row {header_row} reads {found}; "
            f"set source.header_row: {best} in the codebook",
            file=path, row=best, variable="source.header_row",
        )


def read_source_chunks(path: Path, spec: SourceSpec, chunk_rows: int | None = None,
                       codebook: Codebook | None = None) -> Iterator[RawTable]:
    """Read ``path`` as the codebook's source section says, ``chunk_rows`` records at a time (None: all).
    With the ``codebook`` (whose source ``spec`` is), a file it cannot read is described better: the row its
    columns are on, and another wave's codebook whose columns it has."""
    if not path.exists():
        raise EtlError("source file does not exist", file=path)
    if path.stat().st_size == 0:
        raise EtlError("file is empty", file=path)
    _check_format(path, spec, codebook)
    names = codebook.variables() if codebook is not None else [spec.identity_variable]
    if spec.format == "sav":
        tables = read_sav_chunks(path, chunk_rows)
    elif spec.format == "xlsx":
        tables = read_xlsx(path, spec.sheet, spec.header_row).chunks(chunk_rows)
    else:
        tables = read_csv_chunks(path, spec.encoding, spec.delimiter, spec.header_row, names, chunk_rows)
    number = -1
    for number, table in enumerate(tables):
        if number == 0:
            if spec.format == "xlsx":  # delimited text was checked before parsing; a .sav file has no header row
                _check_header_row(path, table.file_rows(), spec.header_row, names)
            if table.frame.empty:
                raise EtlError("file has a header but no data rows", file=path)
        if not table.frame.empty:
            yield table
    if number < 0:
        raise EtlError("file has a header but no data rows", file=path)


def read_source(path: Path, spec: SourceSpec, codebook: Codebook | None = None) -> RawTable:
    """Read the whole of ``path`` as the codebook's source section says."""
    [table] = read_source_chunks(path, spec, codebook=codebook)
    return table


def require_source_file(codebook: Codebook, data_dir: Path) -> Path:
    """The codebook's source file, or the error naming the codebook when it does not exist."""
    path = codebook.source_path(data_dir)
    if not path.exists():
        raise EtlError(f"source file named by the codebook does not exist ({codebook.source.file})",
                       file=codebook.path, variable="source.file")
    return path
