"""Wrong files given to the ETL as a careless operator gives them, and the diagnoses that must name the cause.

Each case lays out a data folder as the project ships it (catalogue, every codebook) with one wrong file or
one codebook changed, then runs `barometer codebook check` (and, for one case, `etl run`): the message names
the file, the row or variable, and the cause, never only a symptom ("another country or wave?", "not a valid
xlsx archive") or a hint that leads back to the same error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from barometer.cli import app as cli
from core.config import get_settings

BUNDLED = get_settings().data_dir
SE_CSV = BUNDLED / "raw" / "demo" / "se" / "innovationsbarometern_2018.csv"
NO_XLSX = BUNDLED / "raw" / "demo" / "no" / "ks_innovasjonsbarometer_2020.xlsx"
SE_ROWS = 80


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The shipped catalogue and codebooks (no raw files: each case adds its own)."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED / "catalogue", root / "catalogue")
    shutil.copytree(BUNDLED / "codebooks", root / "codebooks")
    shutil.copy(BUNDLED / "published" / "published_figures.yaml", _parent(root / "published" / "x.yaml"))
    return root


def _parent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.parent


def set_source(data_dir: Path, codebook: str, **source) -> Path:
    """Change keys of a codebook's source section (None removes a key); the codebook's path."""
    path = data_dir / "codebooks" / codebook
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in source.items():
        if value is None:
            book["source"].pop(key, None)
        else:
            book["source"][key] = value
    path.write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def swedish_rows() -> pd.DataFrame:
    return pd.read_csv(SE_CSV, sep=";", encoding="iso-8859-1", dtype=str, keep_default_na=False).head(SE_ROWS)


def check(data_dir: Path, codebook: Path, file: Path) -> str:
    result = CliRunner().invoke(cli, ["codebook", "check", str(codebook), str(file)],
                                env={"BAROMETER_DATA": str(data_dir)})
    assert result.exit_code == 1, result.output
    return " ".join(result.output.split())


def assert_names(message: str, *fragments: str, never: tuple[str, ...] = ()) -> None:
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    for fragment in never:
        assert fragment not in message, (fragment, message)


def test_a_merged_title_row_above_an_excel_header_names_the_header_row(data_dir: Path) -> None:
    """A Swedish workbook (codebook set to xlsx) whose column names sit under a merged title and a blank row."""
    frame = swedish_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Innovationsbarometern 2018: arbetsställen (SKR)"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(frame.columns))
    sheet.append(["Källa: SKR och Vinnova", None, "Vikt: Vikt"])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    file = _parent(data_dir / "raw" / "se" / "x") / "innovationsbarometern_2018.xlsx"
    book.save(file)
    codebook = set_source(data_dir, "se/2018.yaml", format="xlsx", encoding=None, delimiter=None)
    message = check(data_dir, codebook, file)
    assert_names(message, str(file), "row 3", "variable 'source.header_row'", "the column names are on row 3",
                 "set source.header_row: 3", never=("another country or wave",))


def test_a_title_line_above_a_text_header_is_named_whatever_the_codebook_says(data_dir: Path) -> None:
    """The Swedish Latin-1 text file with a title line, given to a codebook that says xlsx: the real format,
    encoding, delimiter and header row, all in one message."""
    file = _parent(data_dir / "raw" / "se" / "x") / "innovationsbarometern_2018.xlsx"  # named as the codebook wants
    text = swedish_rows().to_csv(sep=";", index=False)
    file.write_bytes(("Innovationsbarometern 2018;;\n" + text).encode("iso-8859-1"))
    codebook = set_source(data_dir, "se/2018.yaml", format="xlsx", encoding=None, delimiter=None)
    message = check(data_dir, codebook, file)
    assert_names(message, str(file), "variable 'source.format'", "the file is delimited text in iso-8859-1",
                 "its column names on row 2", "set source.format: csv, source.encoding: iso-8859-1, "
                 "source.delimiter: ';', source.header_row: 2", never=("not a valid xlsx archive",))


def test_a_utf16_text_file_given_to_an_excel_codebook_is_named_with_its_encoding(data_dir: Path) -> None:
    file = _parent(data_dir / "raw" / "se" / "x") / "innovationsbarometern_2018.xlsx"
    file.write_bytes(swedish_rows().to_csv(sep=";", index=False).encode("utf-16"))
    codebook = set_source(data_dir, "se/2018.yaml", format="xlsx", encoding=None, delimiter=None)
    message = check(data_dir, codebook, file)
    assert_names(message, "the file is delimited text in utf-16 with ';' between columns",
                 "set source.format: csv, source.encoding: utf-16, source.delimiter: ';'",
                 never=("not a valid xlsx archive",))


def test_a_norwegian_file_given_to_a_danish_codebook_names_norway(data_dir: Path) -> None:
    file = _parent(data_dir / "raw" / "dk" / "x") / "innovationsbarometer_2018-19.sav"
    shutil.copy(NO_XLSX, file)
    codebook = data_dir / "codebooks" / "dk" / "2018-19.yaml"
    message = check(data_dir, codebook, file)
    assert_names(message, str(file), "the file is an Excel workbook (.xlsx), not sav",
                 "its columns are those of NO/KS Innovasjonsbarometer/2020 (no/2020.yaml",
                 never=("set source.format: xlsx",))
    # following the old hint (format: xlsx) now names Norway too, instead of coming back to the same hint
    set_source(data_dir, "dk/2018-19.yaml", format="xlsx")
    message = check(data_dir, codebook, file)
    assert_names(message, "its columns are those of NO/KS Innovasjonsbarometer/2020", "is this that wave's file?")


def test_etl_run_names_the_country_whose_file_it_was_given(data_dir: Path, empty_db: str) -> None:
    """The same Norwegian workbook in place of the Finnish 2022 workbook: `etl run` names Norway, loads nothing."""
    finnish = yaml.safe_load((data_dir / "codebooks" / "fi" / "2022.yaml").read_text(encoding="utf-8"))
    file = data_dir / finnish["source"]["file"]
    shutil.copytree(BUNDLED / "raw" / "demo" / "fi", file.parent)  # FI 2018 as shipped, beside it
    shutil.copy(NO_XLSX, file)
    result = CliRunner().invoke(cli, ["etl", "run", "--country", "FI"],
                                env={"BAROMETER_DATA": str(data_dir), "DATABASE_URL": empty_db})
    message = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert_names(message, str(file.name), "its columns are those of NO/KS Innovasjonsbarometer/2020",
                 "is this that wave's file?", never=("Traceback",))
