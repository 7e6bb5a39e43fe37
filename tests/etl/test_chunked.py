"""Chunked ETL: a wave read, harmonised and aggregated in chunks gives the whole-wave results, and its
errors name the same file, row and variable as reading the file whole."""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from core.config import get_settings
from etl import chunked
from etl.aggregate import compute_estimates
from etl.catalogue import get_catalogue
from etl.chunked import cross_tabs_by_item, estimates_by_item, harmonise_file
from etl.codebook import discover_codebooks, load_codebook
from etl.cross_tab import compute_cross_tabs
from etl.errors import EtlError
from etl.harmonise import harmonise
from etl.readers import _check_text, _text_needs_a_closer_look, read_source
from tests.bad_inputs import corpus

SETTINGS = get_settings()
CATALOGUE = get_catalogue()
CODEBOOKS = discover_codebooks(SETTINGS.codebook_dir)
CHUNK_ROWS = 97  # several chunks for every bundled wave, none a multiple of another's size
CROSS_TAB_KEYS = ["cross_tab_code", "row_option", "column_option", "government_level_code", "sector_code"]


def assert_same_cells(whole: pd.DataFrame, chunked_cells: pd.DataFrame) -> None:
    """Same cells, counts and flags exactly; every number to 1e-12 (relative, and absolute for shares)."""
    assert list(chunked_cells.columns) == list(whole.columns)
    assert len(chunked_cells) == len(whole) > 0
    for column in whole.columns:
        if column in ("n_effective", "share", "ci_low", "ci_high"):
            np.testing.assert_allclose(chunked_cells[column].to_numpy(float), whole[column].to_numpy(float),
                                       rtol=1e-12, atol=1e-12 if column != "n_effective" else 0, err_msg=column)
        else:
            assert chunked_cells[column].tolist() == whole[column].tolist(), column


@pytest.mark.parametrize("codebook_path", CODEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chunked_estimates_equal_the_whole_wave_computation(codebook_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunked, "BATCH_ROWS", 20_000)  # items in several batches, cross-tabs in groups
    codebook = load_codebook(codebook_path, CATALOGUE)
    path = codebook.source_path(SETTINGS.data_dir)
    whole = harmonise(read_source(path, codebook.source), codebook, CATALOGUE)
    wave = harmonise_file(path, codebook, CATALOGUE, CHUNK_ROWS)
    assert len(wave.respondents) > CHUNK_ROWS

    pd.testing.assert_frame_equal(wave.respondents, whole.respondents)
    pd.testing.assert_frame_equal(wave.harmonised().answers, whole.answers)
    assert wave.dropped_out_of_base == whole.dropped_out_of_base
    assert (wave.design is None) == (whole.design is None)
    if whole.design is not None:
        pd.testing.assert_frame_equal(wave.design.units, whole.design.units)
        pd.testing.assert_series_equal(wave.design.psus_per_stratum, whole.design.psus_per_stratum)

    min_n, z = SETTINGS.min_cell_n, SETTINGS.confidence_z
    assert_same_cells(compute_estimates(whole, min_n=min_n, z=z), estimates_by_item(wave, min_n=min_n, z=z))
    assert_same_cells(compute_cross_tabs(whole, CATALOGUE, min_n=min_n, z=z).sort_values(CROSS_TAB_KEYS,
                                                                                        ignore_index=True),
                      cross_tabs_by_item(wave, CATALOGUE, min_n=min_n, z=z).sort_values(CROSS_TAB_KEYS,
                                                                                      ignore_index=True))


def error_of(call) -> str:
    try:
        call()
    except EtlError as exc:
        return str(exc)
    return "no error"


@pytest.mark.parametrize("case", corpus.CASES, ids=lambda case: case.name)
def test_a_bad_file_read_in_chunks_fails_as_when_read_whole(case: corpus.BadInput, tmp_path: Path) -> None:
    """The corpus' files have 40 rows: in chunks of 7 a fault lies in a later chunk, and is named the same."""
    corpus.build(case, tmp_path)
    try:
        codebook = load_codebook(tmp_path / corpus.CODEBOOK_PATH, get_catalogue(tmp_path / "catalogue"))
    except EtlError:
        pytest.skip("the codebook itself is refused, before any file is read")
    catalogue = get_catalogue(tmp_path / "catalogue")
    path = codebook.source_path(tmp_path)
    whole = error_of(lambda: harmonise(read_source(path, codebook.source), codebook, catalogue))
    assert error_of(lambda: harmonise_file(path, codebook, catalogue, 7)) == whole


@pytest.fixture
def se_file(tmp_path: Path) -> tuple[Path, list[str], object]:
    """The bundled SE 2018 file (Latin-1 text) as lines, its codebook, and where to write a changed copy."""
    codebook = load_codebook(SETTINGS.codebook_dir / "se" / "2018.yaml", CATALOGUE)
    raw = codebook.source_path(SETTINGS.data_dir).read_bytes().decode(codebook.source.encoding)
    return tmp_path / "se.csv", raw.splitlines(), codebook


def write_lines(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_rows_are_numbered_as_in_the_file_whichever_chunk_they_are_in(se_file) -> None:
    path, lines, codebook = se_file
    header = lines[0].split(";")
    at = header.index(codebook.respondent.weight)
    cells = lines[1234].split(";")  # line 1235 of the file, in the 13th chunk of 97 records
    cells[at] = "heavy"
    lines[1234] = ";".join(cells)
    write_lines(path, lines, codebook.source.encoding)
    with pytest.raises(EtlError) as raised:
        harmonise_file(path, codebook, CATALOGUE, CHUNK_ROWS)
    assert raised.value.row == 1235
    assert raised.value.variable == codebook.respondent.weight
    assert "'heavy' is not a number" in raised.value.problem


def test_a_duplicate_id_in_a_later_chunk_names_the_row_of_the_first(se_file) -> None:
    path, lines, codebook = se_file
    at = lines[0].split(";").index(codebook.respondent.id)
    first = lines[5].split(";")[at]
    cells = lines[1500].split(";")
    cells[at] = first
    lines[1500] = ";".join(cells)
    write_lines(path, lines, codebook.source.encoding)
    with pytest.raises(EtlError) as raised:
        harmonise_file(path, codebook, CATALOGUE, CHUNK_ROWS)
    assert raised.value.row == 1501
    assert raised.value.problem == f"duplicate respondent id {first!r} (first at row 6)"


def test_the_streamed_text_scan_looks_closer_at_every_file_the_whole_text_checks_refuse(tmp_path: Path) -> None:
    """Where a check of the whole text raises, the block-by-block scan must have sent the file to it; a bundled
    clean file is never read whole."""
    for codebook_path in CODEBOOKS:
        codebook = load_codebook(codebook_path, CATALOGUE)
        if codebook.source.format == "csv":
            assert not _text_needs_a_closer_look(codebook.source_path(SETTINGS.data_dir), codebook.source.encoding)
    refused = 0
    for case in corpus.CASES:
        folder = tmp_path / case.name
        corpus.build(case, folder)
        try:
            source = yaml.safe_load((folder / corpus.CODEBOOK_PATH).read_text(encoding="utf-8"))["source"]
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            continue  # a case about the codebook
        path = folder / str(source.get("file", ""))
        if source.get("format") != "csv" or not path.is_file() or path.stat().st_size == 0:
            continue
        encoding = source.get("encoding", "utf-8")
        try:
            codecs.lookup(encoding)
        except LookupError:
            continue  # refused with the codebook
        if error_of(lambda path=path, encoding=encoding: _check_text(path, path.read_bytes(), encoding)) != "no error":
            refused += 1
            assert _text_needs_a_closer_look(path, encoding), case.name
    assert refused >= 5  # BOM, UTF-16, UTF-8 declared Latin-1, Latin-1 declared UTF-8, windows-1252
