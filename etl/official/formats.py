"""Readers for the file formats of Nordic official statistics, each into one long table of coded cells.

- PC-Axis ``.px`` (Statistics Sweden's PX file format specification, 2013): ``KEYWORD[lang]("sub")=value;``
  entries, then ``DATA=`` with one figure per combination of the STUB and HEADING variables, the last
  variable varying fastest.
- JSON-stat 2.0 datasets (``version``, ``class: dataset``, ``id``, ``size``, ``dimension``, ``value``): the
  value array is in row-major order of ``id``, the last dimension varying fastest.
- Statistics Denmark's StatBank BULK CSV: semicolon-separated, one column per variable (codes with
  ``valuePresentation=Code``) and the figure in the last column ``INDHOLD``.

Every reader returns an :class:`OfficialFrame`: one column per dimension (named by the dimension's code,
holding category codes), ``value`` (float or missing) and ``status`` (the publisher's symbol where no
figure is published, such as ``..``). Errors name the file, the line or keyword, and the problem.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.errors import EtlError

FORMATS = ("px", "jsonstat", "statbank_bulk")
# symbols that stand for "no figure" in PX files and StatBank downloads
MISSING_SYMBOLS = frozenset({"..", "...", "....", ".....", "......", ":", "-"})


@dataclass(frozen=True)
class OfficialFrame:
    """A statistics table as long rows: dimension code columns, ``value`` and ``status``."""

    frame: pd.DataFrame
    dimensions: tuple[str, ...]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # dimension -> code -> label
    title: str | None = None
    unit: str | None = None


def read_official(path: Path, file_format: str) -> OfficialFrame:
    """Read ``path`` in ``file_format`` (one of FORMATS)."""
    readers = {"px": read_px, "jsonstat": read_jsonstat, "statbank_bulk": read_statbank_bulk}
    if file_format not in readers:
        raise EtlError(f"unknown format {file_format!r}; expected one of {', '.join(FORMATS)}", file=path)
    return readers[file_format](path)


def _figure(token: str, path: Path, where: str) -> tuple[float | None, str | None]:
    """A figure or a missing-value symbol; anything else is an error naming where it stands."""
    text = token.strip().strip('"')
    if text in MISSING_SYMBOLS:
        return None, text
    try:
        return float(text.replace(",", ".")), None
    except ValueError:
        raise EtlError(f"{where}: {token!r} is neither a number nor a missing-value symbol "
                       f"({' '.join(sorted(MISSING_SYMBOLS))})", file=path) from None


def _frame(dimensions: list[str], combos: list[tuple[str, ...]], figures: list[tuple[float | None, str | None]]
           ) -> pd.DataFrame:
    frame = pd.DataFrame(combos, columns=dimensions, dtype=object)
    frame["value"] = [f[0] for f in figures]
    frame["status"] = [f[1] for f in figures]
    return frame


# ---------------------------------------------------------------------------------------------------------
# PC-Axis
# ---------------------------------------------------------------------------------------------------------

_PX_HEAD = re.compile(r'^(?P<keyword>[A-Z][A-Z0-9-]*)(?:\[(?P<lang>[A-Za-z_-]+)\])?(?:\((?P<subkeys>.*)\))?$', re.S)
_PX_CODEPAGE = re.compile(rb'CODEPAGE\s*=\s*"([^"]+)"')


@dataclass(frozen=True)
class PxEntry:
    keyword: str
    lang: str | None
    subkeys: tuple[str, ...]
    values: tuple[str, ...]
    line: int
    value_lines: tuple[int, ...] = ()  # for DATA: the line of each figure


def _px_decode(raw: bytes, path: Path) -> str:
    match = _PX_CODEPAGE.search(raw[:4096])
    encoding = match.group(1).decode("ascii") if match else "iso-8859-1"  # the specification's default
    try:
        return raw.decode(encoding.lower()).lstrip("\ufeff")
    except (LookupError, UnicodeDecodeError) as exc:
        raise EtlError(f"keyword CODEPAGE: cannot decode the file as {encoding!r} ({exc})", file=path) from None


def _px_split(text: str, path: Path) -> list[tuple[str, int]]:
    """Entries ``KEY=value`` (without the closing ';') with the line each starts on."""
    entries, start, line, start_line, quoted = [], 0, 1, 1, False
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "\n":
            if quoted:
                raise EtlError(f"line {line}: a quoted string is not closed on its line", file=path)
            line += 1
        elif char == ";" and not quoted:
            body = text[start:i]
            entries.append((body.strip(), start_line + _leading_lines(body)))
            start, start_line = i + 1, line
    rest = text[start:]
    if rest.strip():
        raise EtlError(f"line {start_line + _leading_lines(rest)}: the entry starting here has no closing ';'",
                       file=path)
    return entries


def _leading_lines(text: str) -> int:
    return text[: len(text) - len(text.lstrip())].count("\n")


def _px_values(raw: str, path: Path, line: int, keyword: str) -> tuple[str, ...]:
    """List items of a value: quoted strings (adjacent ones joined, as long texts are split over lines),
    or bare tokens (numbers, YES/NO, TLIST(...)), separated by commas."""
    items: list[str] = []
    current: list[str] | None = None  # None: no token since the last comma
    for token in re.finditer(r'"([^"]*)"|([^",\s][^,]*?)(?=\s*(?:,|$))|(,)|(\s+)', raw.strip(), re.S):
        quoted, bare, comma, _space = token.groups()
        if comma:
            if current is None:
                raise EtlError(f"line {line}, keyword {keyword}: empty item in the list {raw.strip()[:60]!r}",
                               file=path)
            items.append("".join(current))
            current = None
        elif quoted is not None or bare is not None:
            current = [*(current or []), quoted if quoted is not None else bare.strip()]
    if current is not None:
        items.append("".join(current))
    elif items:
        raise EtlError(f"line {line}, keyword {keyword}: the list ends with a comma", file=path)
    return tuple(items)


def parse_px_entries(path: Path) -> list[PxEntry]:
    """Every entry of a PX file, in order (DATA last), with its line number."""
    text = _px_decode(path.read_bytes(), path)
    entries = []
    for body, line in _px_split(text, path):
        if not body:
            continue
        if "=" not in body:
            raise EtlError(f"line {line}: entry {body[:40]!r} has no '='", file=path)
        head, value = body.split("=", 1)
        match = _PX_HEAD.match(head.strip())
        if not match:
            raise EtlError(f"line {line}: {head.strip()[:60]!r} is not a PX keyword", file=path)
        keyword = match["keyword"]
        subkeys = _px_values(match["subkeys"], path, line, keyword) if match["subkeys"] else ()
        if keyword == "DATA":
            first = line + head.count("\n")
            tokens = list(re.finditer(r"\S+", value))
            entries.append(PxEntry(keyword, match["lang"], subkeys, tuple(t.group() for t in tokens), line,
                                   tuple(first + value[: t.start()].count("\n") for t in tokens)))
        else:
            entries.append(PxEntry(keyword, match["lang"], subkeys, _px_values(value, path, line, keyword), line))
    return entries


def read_px(path: Path) -> OfficialFrame:
    """A PC-Axis file as long rows; variables are named by VARIABLE-CODE if given, categories by CODES."""
    entries = [e for e in parse_px_entries(path) if e.lang is None]  # the file's main language only
    by_key: dict[tuple[str, tuple[str, ...]], PxEntry] = {}
    for entry in entries:
        by_key.setdefault((entry.keyword, entry.subkeys), entry)

    def need(keyword: str, *subkeys: str) -> PxEntry:
        entry = by_key.get((keyword, subkeys))
        if entry is None:
            what = f"{keyword}({', '.join(repr(s) for s in subkeys)})" if subkeys else keyword
            raise EtlError(f"keyword {what} is missing", file=path)
        return entry

    stub = by_key.get(("STUB", ()))
    heading = by_key.get(("HEADING", ()))
    if stub is None and heading is None:
        raise EtlError("keyword STUB or HEADING is missing: the file names no variables", file=path)
    variables = [*(stub.values if stub else ()), *(heading.values if heading else ())]
    dimensions, categories, labels = [], [], {}
    for variable in variables:
        values = need("VALUES", variable)
        codes_entry = by_key.get(("CODES", (variable,)))
        codes = codes_entry.values if codes_entry else values.values
        if len(codes) != len(values.values):
            raise EtlError(f"line {codes_entry.line}, keyword CODES({variable!r}): {len(codes)} codes for "
                           f"{len(values.values)} values", file=path)
        code_entry = by_key.get(("VARIABLE-CODE", (variable,)))
        name = code_entry.values[0] if code_entry else variable
        dimensions.append(name)
        categories.append(codes)
        labels[name] = dict(zip(codes, values.values, strict=True))
    data = need("DATA")
    expected = 1
    for codes in categories:
        expected *= len(codes)
    if len(data.values) != expected:
        raise EtlError(f"line {data.line}, keyword DATA: {len(data.values)} figures, but the variables "
                       f"{', '.join(variables)} make {expected} cells", file=path)
    figures = [_figure(token, path, f"line {line}, keyword DATA, figure {i + 1}")
               for i, (token, line) in enumerate(zip(data.values, data.value_lines, strict=True))]
    combos = list(itertools.product(*categories))
    title = by_key.get(("TITLE", ()))
    units = by_key.get(("UNITS", ()))
    return OfficialFrame(_frame(dimensions, combos, figures), tuple(dimensions), labels,
                         title=title.values[0] if title else None, unit=units.values[0] if units else None)


# ---------------------------------------------------------------------------------------------------------
# JSON-stat 2.0
# ---------------------------------------------------------------------------------------------------------


def _category_codes(dim_id: str, dimension: dict, size: int, path: Path) -> list[str]:
    category = dimension.get("category")
    if not isinstance(category, dict):
        raise EtlError(f"dimension {dim_id!r}: no 'category' object", file=path)
    index = category.get("index")
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [str(code) for code, _pos in sorted(index.items(), key=lambda kv: kv[1])]
        if sorted(index.values()) != list(range(len(index))):
            raise EtlError(f"dimension {dim_id!r}: category.index positions are not 0..{len(index) - 1}", file=path)
    elif index is None and isinstance(category.get("label"), dict) and len(category["label"]) == 1:
        codes = [str(next(iter(category["label"])))]  # JSON-stat allows a lone category without index
    else:
        raise EtlError(f"dimension {dim_id!r}: category.index is missing", file=path)
    if len(codes) != size:
        raise EtlError(f"dimension {dim_id!r}: {len(codes)} categories but size says {size}", file=path)
    return codes


def _status_at(status, position: int) -> str | None:
    if isinstance(status, str):
        return status
    if isinstance(status, list):
        return status[position] if position < len(status) else None
    if isinstance(status, dict):
        return status.get(str(position))
    return None


def read_jsonstat(path: Path) -> OfficialFrame:
    """A JSON-stat 2.0 dataset as long rows (dimension ids and category ids as codes)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise EtlError(f"line {exc.lineno}: not valid JSON ({exc.msg})", file=path) from None
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        raise EtlError("keyword class: a JSON-stat 2.0 dataset must have \"class\": \"dataset\"", file=path)
    if str(doc.get("version", "")) != "2.0":
        raise EtlError(f"keyword version: {doc.get('version')!r}, expected \"2.0\"", file=path)
    ids, sizes, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not (isinstance(ids, list) and isinstance(sizes, list) and isinstance(dims, dict)) or len(ids) != len(sizes):
        raise EtlError("keywords id / size / dimension: id and size must be lists of equal length", file=path)
    categories, labels = [], {}
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dims:
            raise EtlError(f"keyword dimension: {dim_id!r} is listed in id but not described", file=path)
        codes = _category_codes(dim_id, dims[dim_id], size, path)
        categories.append(codes)
        names = dims[dim_id]["category"].get("label") or {}
        labels[dim_id] = {code: str(names.get(code, code)) for code in codes}
    cells = 1
    for size in sizes:
        cells *= size
    values = doc.get("value")
    if isinstance(values, dict):
        try:
            values = [values.get(str(i)) for i in range(cells)]
        except TypeError:
            raise EtlError("keyword value: object keys must be cell positions", file=path) from None
    if not isinstance(values, list) or len(values) != cells:
        got = len(values) if isinstance(values, list) else type(values).__name__
        raise EtlError(f"keyword value: {got} figures, but size {sizes} makes {cells} cells", file=path)
    figures: list[tuple[float | None, str | None]] = []
    for i, value in enumerate(values):
        if value is None:
            figures.append((None, _status_at(doc.get("status"), i) or ".."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            figures.append((float(value), None))
        else:
            raise EtlError(f"keyword value, figure {i + 1}: {value!r} is not a number or null", file=path)
    combos = list(itertools.product(*categories))
    unit = None
    for dim in dims.values():  # JSON-stat puts units on the metric dimension's categories
        units = (dim.get("category") or {}).get("unit")
        if isinstance(units, dict) and units:
            unit = str(next(iter(units.values())).get("label", "")) or None
    return OfficialFrame(_frame([str(i) for i in ids], combos, figures), tuple(str(i) for i in ids), labels,
                         title=doc.get("label"), unit=unit)


# ---------------------------------------------------------------------------------------------------------
# StatBank BULK CSV
# ---------------------------------------------------------------------------------------------------------

BULK_VALUE_COLUMN = "INDHOLD"


def read_statbank_bulk(path: Path) -> OfficialFrame:
    """A StatBank BULK download (``;``-separated, codes, figure in INDHOLD) as long rows."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EtlError(f"not UTF-8 ({exc})", file=path) from None
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader, None)
    if not header or header[-1].strip() != BULK_VALUE_COLUMN:
        raise EtlError(f"line 1: the header must end with the figure column {BULK_VALUE_COLUMN}, got {header!r}",
                       file=path)
    dimensions = [h.strip() for h in header[:-1]]
    if len(set(dimensions)) != len(dimensions) or not all(dimensions):
        raise EtlError(f"line 1: variable names must be present and distinct, got {dimensions!r}", file=path)
    combos, figures, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise EtlError(f"line {line}: {len(row)} fields, the header has {len(header)}", file=path)
        combo = tuple(cell.strip() for cell in row[:-1])
        if combo in seen:
            raise EtlError(f"line {line}: the cell {dict(zip(dimensions, combo, strict=True))} appears twice",
                           file=path)
        seen.add(combo)
        combos.append(combo)
        figures.append(_figure(row[-1], path, f"line {line}, column {BULK_VALUE_COLUMN}"))
    if not combos:
        raise EtlError("the file has a header but no rows", file=path)
    return OfficialFrame(_frame(dimensions, combos, figures), tuple(dimensions))
