"""CSV and XLSX files of a view's records (n, CI, flags, source, the demo label and the view's address on every
row), and the view's reference as BibTeX, RIS and CSL-JSON files."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from app.exports.citation import Citation
from app.exports.datasets import Dataset

# the reference of a view as reference managers import it (Zotero takes all three): format -> media type
REFERENCE_FORMATS = {"bib": "application/x-bibtex", "ris": "application/x-research-info-systems",
                     "csl.json": "application/vnd.citationstyles.csl+json"}


def columns_of(records: list[dict[str, Any]]) -> list[str]:
    """Union of the records' keys, in first-seen order."""
    seen: dict[str, None] = {}
    for record in records:
        for key in record:
            seen.setdefault(key, None)
    return list(seen)


VIEW_URL_COLUMN = "view_url"


def to_csv(dataset: Dataset, base_url: str) -> bytes:
    """UTF-8 CSV with a BOM (so spreadsheet programs read Nordic letters right); '.' as decimal point. Every
    row names the view it came from (column 'view_url', its full address), as the XLSX's 'about' sheet does:
    rows pasted together from several downloads still say where each came from."""
    buffer = io.StringIO()
    columns = [*columns_of(dataset.records), VIEW_URL_COLUMN] if dataset.records else ["message"]
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    view = base_url + dataset.url
    for record in dataset.records:
        writer.writerow({**{k: _plain(v) for k, v in record.items()}, VIEW_URL_COLUMN: view})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value


def to_xlsx(dataset: Dataset, base_url: str, min_cell_n: int | None) -> bytes:
    """A workbook with the data and an 'about' sheet (view address, method, warnings, demo label, privacy)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    data = book.add_worksheet("data")
    columns = columns_of(dataset.records)
    for c, name in enumerate(columns):
        data.write(0, c, name, bold)
        data.set_column(c, c, max(10, min(40, len(name) + 2)))
    for r, record in enumerate(dataset.records, start=1):
        for c, name in enumerate(columns):
            value = _plain(record.get(name))
            if isinstance(value, bool):
                data.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                data.write_number(r, c, value)
            else:
                data.write_string(r, c, str(value))
    data.freeze_panes(1, 0)
    if columns:
        data.autofilter(0, 0, max(len(dataset.records), 1), len(columns) - 1)

    meta = dataset.meta(min_cell_n)
    about = book.add_worksheet("about")
    about.set_column(0, 0, 26)
    about.set_column(1, 1, 110)
    rows: list[tuple[str, str]] = [
        ("Title", dataset.title),
        ("View", base_url + dataset.url),
        ("Generated", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Demo data", dataset.demo or "No demo data in this view"),
        ("Statistics", meta["method"]["statistics"]),
        ("Nordic average", meta["method"]["nordic_average"]),
        ("Privacy", meta["privacy"]),
    ]
    rows += [(f"Warning ({w['aspect']})", " ".join([w["text"], *w.get("details", [])])) for w in dataset.warnings]
    rows += [("Note", note) for note in dataset.notes]
    citation = dataset.citation(base_url)
    rows += [("Cite (APA)", citation.apa), ("Cite (BibTeX)", citation.bibtex)]
    for r, (key, value) in enumerate(rows):
        about.write(r, 0, key, bold)
        about.write(r, 1, value, wrap)
    book.close()
    return buffer.getvalue()


def reference_file(citation: Citation, fmt: str) -> bytes:
    """The reference as a file of ``fmt`` (a key of REFERENCE_FORMATS)."""
    text = {"bib": citation.bibtex + "\n", "ris": citation.ris, "csl.json": citation.csl_json()}[fmt]
    return text.encode("utf-8")
