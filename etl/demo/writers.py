"""Write a generated wave in its country's native layout, using the codebook's label mappings in reverse."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from etl.codebook import Codebook
from etl.demo.spec import DemoSpec
from etl.readers import read_source

DONT_KNOW = -1.0  # in a generated frame: asked but not answered (NaN: not asked)


def _first_label_of(labels: dict[str, str]) -> dict[str, str]:
    """Harmonised code -> the first national label that maps to it."""
    reverse: dict[str, str] = {}
    for national, code in labels.items():
        reverse.setdefault(code, national)
    return reverse


class NativeTable:
    """Columns as national labels, plus the label lists a .sav file needs for numeric codes."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {}
        self.label_order: dict[str, list[str]] = {}
        self.wording: dict[str, str] = {}

    def add(self, name: str, values: list, labels: list[str] | None = None, wording: str = "") -> None:
        self.columns[name] = values
        if labels is not None:
            self.label_order[name] = labels
        self.wording[name] = wording


def native_table(frame: pd.DataFrame, codebook: Codebook, spec: DemoSpec) -> NativeTable:
    table = NativeTable()
    n = len(frame)
    source, resp = codebook.source, codebook.respondent
    table.add(source.identity_variable, [source.identity_value] * n, wording="Survey wave")
    table.add(resp.id, frame["national_id"].tolist(), wording="Respondent id")
    table.add(resp.weight, frame["weight"].tolist(), wording="Weight")
    for dim, column in ((resp.government_level, "government_level_code"), (resp.sector, "sector_code"),
                        (resp.size_band, "size_band_code")):
        if dim is None:
            continue
        reverse = _first_label_of(dim.labels)
        table.add(dim.variable, [None if c is None else reverse[c] for c in frame[column].tolist()],
                  labels=list(dim.labels), wording=dim.variable)

    if codebook.design is not None and codebook.design.cluster:
        table.add(codebook.design.cluster, frame["cluster"].tolist(), wording="Organisation (cluster)")

    answer = codebook.answer_labels
    yes_no_labels = answer.selected + answer.not_selected + answer.missing
    dont_know_item = answer.missing[0] if answer.missing else None
    for code, question in codebook.questions.items():
        if question.items is not None:
            for option, item in question.items.items():
                values = frame[f"{code}.{option}"].to_numpy()
                table.add(item.variable, [
                    None if np.isnan(v) else dont_know_item if v == DONT_KNOW
                    else answer.selected[0] if v == 1 else answer.not_selected[0]
                    for v in values
                ], labels=yes_no_labels, wording=f"{question.wording} {item.wording}")
            continue
        reverse = _first_label_of(question.labels or {})
        options = list(reverse)
        matrix = np.column_stack([frame[f"{code}.{o}"].to_numpy() for o in options])
        dont_know = question.missing[0] if question.missing else None
        cells = []
        for row in matrix:
            if np.isnan(row[0]):
                cells.append(None)
            elif row[0] == DONT_KNOW:
                cells.append(dont_know)
            else:
                cells.append(reverse[options[int(np.argmax(row))]])
        table.add(question.variable, cells, labels=list(question.labels or {}) + question.missing,
                  wording=question.wording)

    rng = np.random.default_rng(spec.seed + 1)
    for name in codebook.ignore:
        choices = spec.ignored_values.get(name)
        table.add(name, [None] * n if not choices else [str(v) for v in rng.choice(choices, n)], wording=name)
    return table


def _write_sav(table: NativeTable, path: Path) -> None:
    import pyreadstat

    data, value_labels = {}, {}
    for name, values in table.columns.items():
        if name in table.label_order:
            codes = {label: float(i + 1) for i, label in enumerate(table.label_order[name])}
            data[name] = [np.nan if v is None else codes[v] for v in values]
            value_labels[name] = {int(code): label for label, code in codes.items()}
        elif all(isinstance(v, (int, float, np.floating)) for v in values):
            data[name] = [float(v) for v in values]
        else:
            data[name] = [None if v is None else str(v) for v in values]
    frame = pd.DataFrame(data)
    labels = {name: table.wording[name][:250] for name in table.columns}
    pyreadstat.write_sav(frame, str(path), column_labels=labels, variable_value_labels=value_labels)


def _write_xlsx(table: NativeTable, path: Path, sheet: str) -> None:
    frame = pd.DataFrame(table.columns)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False)


def _write_csv(table: NativeTable, path: Path, codebook: Codebook, weight: str) -> None:
    source = codebook.source
    frame = pd.DataFrame(table.columns)
    text_weights = [f"{w:.6f}" for w in frame[weight]]
    if source.decimal == ",":
        text_weights = [w.replace(".", ",") for w in text_weights]
    frame[weight] = text_weights
    frame.to_csv(path, sep=source.delimiter, index=False, encoding=source.encoding, lineterminator="\n")


def write_native(frame: pd.DataFrame, codebook: Codebook, spec: DemoSpec, path: Path) -> None:
    table = native_table(frame, codebook, spec)
    if codebook.source.format == "sav":
        _write_sav(table, path)
    elif codebook.source.format == "xlsx":
        _write_xlsx(table, path, codebook.source.sheet or "Data")
    else:
        _write_csv(table, path, codebook, codebook.respondent.weight)


def file_matches(frame: pd.DataFrame, codebook: Codebook, spec: DemoSpec, path: Path) -> bool:
    """Whether the bundled file holds exactly what the generator writes (container metadata aside)."""
    if not path.exists():
        return False
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / path.name
        write_native(frame, codebook, spec, fresh)
        if codebook.source.format == "csv":
            return fresh.read_bytes() == path.read_bytes()
        expected = read_source(fresh, codebook.source).frame
        actual = read_source(path, codebook.source).frame
        return expected.equals(actual)
