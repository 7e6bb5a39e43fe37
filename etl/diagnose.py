"""What a file its codebook cannot read really is, so that the error names the cause rather than a symptom.

Three questions, asked only once reading has failed: the file's real format and, for text, its encoding and
delimiter (whatever the codebook declares); the row its column names are on (a title or notes above them,
whatever the format); and whose columns they are (another country's or wave's codebook beside this one).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from etl.codebook import Codebook

HEAD_BYTES = 1 << 16  # enough for the first rows of any national file
LEADING_ROWS = 20  # how far down column names below a title or notes are looked for
DELIMITERS = ";,\t|"
FORMAT_MAGIC = {"xlsx": (b"PK\x03\x04",), "sav": (b"$FL2", b"$FL3")}
FORMAT_NAMES = {"xlsx": "an Excel workbook (.xlsx)", "sav": "an SPSS data file (.sav)", "csv": "delimited text"}
BYTE_ORDER_MARKS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class TextLayout:
    """How a delimited text file is written: the codebook's source.encoding and source.delimiter for it."""

    encoding: str
    delimiter: str


@dataclass(frozen=True)
class Resemblance:
    """A codebook whose columns a file has: how many of the codebook's columns it has, of how many."""

    key: str
    path: Path
    matched: int
    total: int

    def describe(self) -> str:
        return (f"its columns are those of {self.key} ({self.path.parent.name}/{self.path.name}: {self.matched} of "
                f"its {self.total} columns)")


def file_format(head: bytes) -> str | None:
    """'xlsx', 'sav' or 'csv' as the first bytes of a file show; None when they show none of them."""
    found = next((fmt for fmt, magics in FORMAT_MAGIC.items() if head.startswith(magics)), None)
    if found is None and text_layout(head) is not None:
        return "csv"
    return found


def _encoding(head: bytes) -> str | None:
    for mark, name in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return name
    if b"\x00" in head:  # UTF-16 without a mark: every other byte of Latin letters is NUL
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) < len(head) // 50:
            return "utf-16-le" if odd > even else "utf-16-be"
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the head
            return "windows-1252" if any(0x80 <= b <= 0x9F for b in head) else "iso-8859-1"
    return "utf-8"


def text_layout(head: bytes) -> TextLayout | None:
    """Encoding and delimiter of text that begins with ``head`` (None when it is not text: control bytes)."""
    encoding = _encoding(head)
    if encoding is None:
        return None
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[:-1] or text.splitlines()  # the last line may be cut short
    if not lines or any(ord(c) < 9 or 13 < ord(c) < 32 for c in "".join(lines)):
        return None
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d])
    return TextLayout(encoding, delimiter) if counts[delimiter] else None


def _text_rows(head: bytes, layout: TextLayout) -> list[list[str]]:
    text = head.decode(layout.encoding, errors="replace").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=layout.delimiter))[:LEADING_ROWS]


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    import openpyxl

    with path.open("rb") as handle:  # a handle, not the name: openpyxl refuses a name not ending in .xlsx
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            worksheet = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
            return [["" if cell is None else str(cell) for cell in row]
                    for row in worksheet.iter_rows(max_row=LEADING_ROWS, values_only=True)]
        finally:
            book.close()


def _sav_rows(path: Path) -> list[list[str]]:
    from etl.readers import read_sav_chunks  # the reader that survives a damaged file (a child process)

    tables = read_sav_chunks(path, chunk_rows=1)
    try:
        return [list(next(tables).frame.columns)]
    finally:
        tables.close()


def leading_rows(path: Path, fmt: str, sheet: str | None = None) -> list[list[str]]:
    """The first rows of ``path`` read as ``fmt`` (a .sav file: its variable names only); [] when unreadable."""
    try:
        if fmt == "xlsx":
            return _xlsx_rows(path, sheet)
        if fmt == "sav":
            return _sav_rows(path)
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        layout = text_layout(head)
        return _text_rows(head, layout) if layout is not None else []
    except Exception:  # a diagnosis of a file that failed already: no new error of its own
        return []


def header_row(rows: list[list[str]], names: Iterable[str]) -> tuple[int, int]:
    """(row number, names found on it) of the row holding most of ``names``, the first on a tie ((1, 0): none)."""
    wanted = set(names)
    best = (1, 0)
    for number, row in enumerate(rows, start=1):
        found = len(wanted & {cell.strip() for cell in row})
        if found > best[1]:
            best = (number, found)
    return best


def _codebook_columns(path: Path) -> tuple[str, set[str]] | None:
    try:
        book = Codebook.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError, TypeError):
        return None
    return book.key, set(book.variables())


def resembling(columns: Iterable[str], codebook: Codebook) -> Resemblance | None:
    """The other codebook beside ``codebook`` (same folder of country folders) whose columns ``columns`` has
    most of, when it has more of them than of ``codebook``'s own; None otherwise."""
    present = {str(c).strip() for c in columns}
    own = len(present & set(codebook.variables()))
    best: Resemblance | None = None
    root = codebook.path.resolve().parent.parent
    for path in sorted(root.glob("*/*.yaml")):
        if path.resolve() == codebook.path.resolve():
            continue
        found = _codebook_columns(path)
        if found is None:
            continue
        key, names = found
        matched = len(present & names)
        if matched > own and matched * 2 > len(names) and (best is None or matched > best.matched):
            best = Resemblance(key, path, matched, len(names))
    return best
